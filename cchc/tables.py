"""The dashboard table: one row per unit, a column per indicator, the province total in the footer."""

import django_tables2 as tables
from django.db.models import F
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from django_tables2.export import TableExport
from tablib import Dataset

from cchc import excel
from cchc.indicators import FOLLOW_UP_INDICATORS, INDICATORS, format_number, rate
from cchc.selectors import IndicatorValue
from cchc.templatetags.cchc_format import rate_cell
from districts.models import Level
from dossiers.figures import FIGURES_BY_CODE


class AnnotationColumn(tables.Column):
    """A column over an annotation of the selector's rows, sorted with blanks last and a unique tie-breaker."""

    def __init__(self, *args, sort_key=None, **kwargs):
        self.sort_key = sort_key
        super().__init__(*args, **kwargs)

    def order(self, queryset, is_descending):
        key = F(self.sort_key or self.accessor)
        key = key.desc(nulls_last=True) if is_descending else key.asc(nulls_last=True)
        return queryset.order_by(key, "code"), True


class CountColumn(AnnotationColumn):
    attrs = {"td": {"class": "text-end"}, "th": {"class": "text-end"}, "tf": {"class": "text-end"}}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", self.attrs)
        super().__init__(*args, default=None, **kwargs)

    def render(self, value):
        return format_number(value)

    def value(self, value):
        return value

    def total(self, table, name):
        return table.totals["figures"].get(name)

    def render_footer(self, bound_column, table):
        return format_number(self.total(table, bound_column.name))


class RecommendationCountColumn(CountColumn):
    """Recommendations of the unit as of today, whatever the period; the total sits beside the figures'."""

    def total(self, table, name):
        return table.totals.get(name)


class OpenRecommendationsColumn(RecommendationCountColumn):
    """Recommendations not yet done, with those of them overdue on a second line."""

    def _cell(self, open_, overdue):
        if not overdue:
            return format_number(open_)
        label = _("%(count)s overdue") % {"count": format_number(overdue)}
        return format_html('{}<small class="d-block text-danger">{}</small>', format_number(open_), label)

    def render(self, value, record):
        return self._cell(value, record.recommendations_overdue)

    def render_footer(self, bound_column, table):
        return self._cell(table.totals.get("recommendations_open"), table.totals.get("recommendations_overdue"))


class RateColumn(AnnotationColumn):
    """An indicator's rate, with its numerator and denominator on a second line."""

    def __init__(self, indicator, **kwargs):
        self.indicator = indicator
        super().__init__(
            accessor=indicator.sort,
            sort_key=indicator.sort,
            verbose_name=indicator.short_label,
            attrs={
                "td": {"class": "text-end"},
                "th": {"class": "text-end", "title": indicator.definition},
                "tf": {"class": "text-end"},
            },
            default=None,
            **kwargs,
        )

    def _cell(self, numerator, denominator):
        return rate_cell(IndicatorValue(numerator, denominator))

    def render(self, record):
        return self._cell(getattr(record, self.indicator.num), getattr(record, self.indicator.den))

    def value(self, record):
        return rate(getattr(record, self.indicator.num), getattr(record, self.indicator.den))

    def total(self, table):
        return total_pair(table.totals, self.indicator)

    def render_footer(self, bound_column, table):
        total = self.total(table)
        return self._cell(total.numerator, total.denominator)


def total_pair(totals, indicator):
    """The total's numerator and denominator of a core or a follow-up indicator."""
    if indicator.code in totals["indicators"]:
        return totals["indicators"][indicator.code]
    return totals["follow_up"][indicator.code]


class PairPartColumn(tables.Column):
    """Numerator or denominator of an indicator, in exports only."""

    def __init__(self, indicator, part, verbose_name):
        self.indicator = indicator
        self.part = part
        super().__init__(accessor=getattr(indicator, part), verbose_name=verbose_name, visible=False, orderable=False)


class DashboardTable(tables.Table):
    unit = tables.Column(accessor="name", verbose_name=_("Unit"), order_by=("name", "code"), footer=_("Total"))
    code = tables.Column(verbose_name=_("Code"), visible=False)
    kind = tables.Column(verbose_name=_("Kind"), order_by=("kind", "code"))
    to_handle = CountColumn(verbose_name=capfirst(_("to handle")))
    received = CountColumn(verbose_name=capfirst(FIGURES_BY_CODE["received"].label))
    resolved = CountColumn(verbose_name=capfirst(FIGURES_BY_CODE["resolved"].label))

    class Meta:
        template_name = "django_tables2/bootstrap5-responsive.html"
        attrs = {"class": "table table-sm table-hover align-middle dashboard-table"}
        order_by = ("code",)
        orderable = True

    def __init__(self, *args, totals=None, **kwargs):
        extra = []
        for indicator in INDICATORS:
            extra.append((indicator.code, RateColumn(indicator)))
        # Inspection follow-up, as of today: open recommendations (overdue below), and the share closed on time.
        extra.append(("recommendations_open", OpenRecommendationsColumn(verbose_name=_("Open recommendations"))))
        extra.append(
            (
                "recommendations_overdue",
                RecommendationCountColumn(verbose_name=_("Overdue recommendations"), visible=False),
            )
        )
        for indicator in FOLLOW_UP_INDICATORS:
            extra.append((indicator.code, RateColumn(indicator)))
        for indicator in INDICATORS + FOLLOW_UP_INDICATORS:
            for part, label in (("num", indicator.numerator_label), ("den", indicator.denominator_label)):
                header = format_lazy("{} – {}", capfirst(indicator.label), label)
                extra.append((getattr(indicator, part), PairPartColumn(indicator, part, header)))
        super().__init__(*args, extra_columns=extra, **kwargs)
        self.totals = totals

    def render_unit(self, record):
        label = record.name
        if record.level == Level.PROVINCE:
            label = format_html("{} <span class='badge text-bg-secondary'>{}</span>", record.name, _("province level"))
        url = reverse("districts:detail", args=[record.code])
        marks = ""
        if record.reports_counted == 0:
            marks = format_html(" <span class='badge text-bg-light border'>{}</span>", _("not reported"))
        elif record.reports_unapproved:
            marks = format_html(" <span class='badge text-bg-warning'>{}</span>", _("not yet approved"))
        return format_html('<a href="{}">{}</a>{}', url, label, marks)

    def value_unit(self, record):
        return record.name

    def render_kind(self, record):
        return record.get_kind_display()

    def value_kind(self, record):
        return str(record.get_kind_display())


class SpreadsheetExport(TableExport):
    """A table as a spreadsheet: numbers as numbers, text a spreadsheet would run made inert, CSV for Excel.

    Subclasses name the sheet (``title``) and may add rows after the table's (``extra_rows``).
    """

    title = None

    def __init__(self, export_format, table, **kwargs):
        self.table = table
        super().__init__(export_format, table, **kwargs)

    def extra_rows(self, table):
        return []

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        title = {"title": str(self.title)} if self.title else {}
        dataset = super().table_to_dataset(table, exclude_columns, {**title, **(dataset_kwargs or {})})
        rows = [*dataset, *self.extra_rows(table)]
        # plain(): a column without value_* exports what it renders; its links and badges must not reach a cell.
        return Dataset(
            *[tuple(excel.plain(value) for value in row) for row in rows],
            headers=[excel.plain(header) for header in dataset.headers],
            title=dataset.title,
        )

    def kinds(self):
        """What each exported column holds, for the people's formats (cchc/excel.py): rates, or anything else."""
        return [
            excel.RATE if isinstance(column.column, RateColumn) else excel.AUTO
            for column in self.table.columns.iterall()
            if not column.column.exclude_from_export
        ]

    def xlsx_for_people(self, title_lines):
        """The .xlsx with a title block, number formats, frozen header and autofilter."""
        return excel.write_xlsx(
            sheet_title=self.title or self.dataset.title or "",
            title_lines=title_lines,
            headers=self.dataset.headers,
            rows=list(self.dataset),
            kinds=self.kinds(),
        )

    def vietnamese_csv(self):
        return excel.write_vietnamese_csv(headers=self.dataset.headers, rows=list(self.dataset), kinds=self.kinds())

    def export(self):
        content = super().export()
        if self.format == self.CSV:
            # Excel reads a CSV as UTF-8, and so shows the diacritics, only with a byte-order mark.
            return "\ufeff" + content
        return content


class DashboardExport(SpreadsheetExport):
    """The dashboard as a spreadsheet: numbers as numbers, the total as the last row, text made inert."""

    title = _("Dashboard")

    def extra_rows(self, table):
        return [self.total_row(table)]

    @staticmethod
    def total_row(table):
        totals = table.totals
        by_name = {}
        for column in table.columns.iterall():
            if column.column.exclude_from_export:
                continue
            column_object = column.column
            if column.name == "unit":
                value = str(_("Total"))
            elif isinstance(column_object, RateColumn):
                value = column_object.total(table).value
            elif isinstance(column_object, PairPartColumn):
                pair = total_pair(totals, column_object.indicator)
                value = pair.numerator if column_object.part == "num" else pair.denominator
            elif isinstance(column_object, CountColumn):
                value = column_object.total(table, column.name)
            else:
                value = None
            by_name[column.name] = value
        return [by_name[column.name] for column in table.columns.iterall() if not column.column.exclude_from_export]
