"""The dashboard table: one row per unit, a column per indicator, the province total in the footer."""

import functools
from urllib.parse import urlencode

import django_tables2 as tables
from django.db import models
from django.template import Context
from django.template.base import render_value_in_context
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import escape, format_html
from django.utils.http import urlencode as query_string
from django.utils.safestring import SafeData, mark_safe
from django.utils.text import capfirst, format_lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableListData
from django_tables2.utils import OrderBy, signature

from cchc.band_exports import fill_rate_cells
from cchc.indicators import FOLLOW_UP_INDICATORS, INDICATORS, INDICATORS_BY_CODE
from cchc.lib import excel
from cchc.lib.export_views import SpreadsheetExport
from cchc.lib.markup import escaped
from cchc.lib.numbers import format_number, format_points
from cchc.lib.tables import KnownSortMixin
from cchc.targets import band_badge
from cchc.templatetags.cchc_format import rate_cell
from districts.models import Level
from dossiers.figures import FIGURES_BY_CODE


class RowData(TableListData):
    """The rows of a read (a list), ordered in Python: blanks last in either direction, and the units' own
    order (level, then code) as the final tie-breaker, so that pages never repeat or skip a row."""

    def order_by(self, aliases):
        accessors = []
        for alias in aliases:
            # As django-tables2 does: the column's order_by follows the direction currently applied.
            bound_column = self.table.columns[OrderBy(alias).bare]
            if alias[0] != bound_column.order_by_alias[0]:
                accessors += bound_column.order_by.opposite
            else:
                accessors += bound_column.order_by
        rows = sorted(self.data, key=lambda row: (len(row.code), row.code, row.pk))
        for accessor in reversed(accessors):
            rows = _sorted_blanks_last(rows, accessor.bare, accessor.is_descending)
        self.data = rows


def _sorted_blanks_last(rows, name, reverse):
    def value(row):
        found = getattr(row, name, None)
        return (len(found), found) if name == "code" else found

    present = [row for row in rows if value(row) is not None]
    blank = [row for row in rows if value(row) is None]
    # sort() is stable also with reverse=True: equal values keep the tie-breaker's order.
    present.sort(key=value, reverse=reverse)
    return present + blank


class FastBodyMixin:
    """A table whose body rows are rendered in Python, column by column, with what django-tables2 works out per
    cell (the render method's arguments, the cell's attributes) worked out once per column.

    The markup is the one django-tables2's bootstrap templates give (``<tr class="even|odd">``, each ``<td>``
    with its column's ``td`` attributes, blank values as the column's default); the template
    (``cchc/table_fast_body.html``) renders the pagination as before. For a page of 50 units and 16 columns
    this is most of the page's time otherwise: the generic path inspects the render method's signature and
    rebuilds the column's attributes for every cell. Static attributes only (callables would need the record:
    use the generic path for such a table).

    The header and the footer (``head_html``, ``foot_html``) are written likewise, character for character what
    the ``table.thead`` and ``table.tfoot`` blocks of ``django_tables2/bootstrap5.html`` write (whitespace
    included), each column's attributes worked out once for the three (django-tables2 works out all three
    each time it is asked for one).
    """

    def column_attrs(self, bound_column):
        """``bound_column.attrs``, worked out once per table."""
        known = self.__dict__.setdefault("_fast_column_attrs", {})
        if bound_column.name not in known:
            known[bound_column.name] = bound_column.attrs
        return known[bound_column.name]

    def column_html(self, bound_column):
        """The column's ``th``, ``td`` and ``tf`` attributes as HTML, and its header. Static attributes (the only
        ones this mixin writes) and headers are the same in every table of the class but for the header's
        ordering classes and the language of their texts: written once per process for each, not worked out and
        escaped on every page."""
        ordered = bound_column.is_ordered
        descending = ordered and bound_column.order_by_alias.is_descending
        key = (type(self), bound_column.name, bound_column.orderable, ordered, descending, self._language)
        if key not in _ATTRIBUTES_HTML:
            attrs = self.column_attrs(bound_column)
            _ATTRIBUTES_HTML[key] = {part: _attributes(attrs[part]) for part in ("th", "td", "tf")}
            _ATTRIBUTES_HTML[key]["header"] = render_value_in_context(bound_column.header, _TEMPLATE_CONTEXT)
        return _ATTRIBUTES_HTML[key]

    @functools.cached_property
    def _language(self):
        return get_language()

    def head_html(self):
        parts = ["\n            "]
        if self.show_header:
            parts.append(
                f"\n                <thead {_attributes(self.attrs['thead'])}>\n                <tr>\n                "
            )
            # What {% querystring_replace table.prefixed_order_by_field=column.order_by_alias.next %} gives: the
            # query with the sort in its place (last when it has none), its other parameters encoded once.
            query = dict(self.request.GET)
            sort = self.prefixed_order_by_field
            names = list(query) if sort in query else [*query, sort]
            encoded = {name: query_string({name: values}, doseq=True) for name, values in query.items()}
            for bound_column in self.columns:
                html = self.column_html(bound_column)
                th, header = html["th"], html["header"]
                parts.append(f'\n                    <th {th} scope="col">\n                        ')
                if bound_column.orderable:
                    encoded[sort] = query_string({sort: bound_column.order_by_alias.next})
                    href = escape("?" + "&".join(encoded[name] for name in names if encoded[name]))
                    parts.append(
                        f'\n                            <a href="{href}">{header}</a>\n                        '
                    )
                else:
                    parts.append(f"\n                            {header}\n                        ")
                parts.append("\n                    </th>\n                ")
            parts.append("\n                </tr>\n                </thead>\n            ")
        parts.append("\n            ")
        return mark_safe("".join(parts))

    def foot_html(self):
        parts = ["\n            "]
        if self.has_footer():
            parts.append(
                f"\n            <tfoot {_attributes(self.attrs['tfoot'])}>\n                <tr>\n                "
            )
            for bound_column in self.columns:
                tf = self.column_html(bound_column)["tf"]
                footer = render_value_in_context(_footer(bound_column, self), _TEMPLATE_CONTEXT)
                parts.append(f"\n                    <td {tf}>{footer}</td>\n                ")
            parts.append("\n                </tr>\n            </tfoot>\n            ")
        parts.append("\n            ")
        return mark_safe("".join(parts))

    def body_html(self):
        columns = []
        for bound_column in self.columns:
            column = bound_column.column
            render = bound_column.render
            wanted, catch_all = _signature(render)
            accessor = bound_column.accessor
            columns.append(
                (
                    bound_column,
                    column,
                    render,
                    None if catch_all else wanted,
                    str(accessor),
                    column.empty_values,
                    bound_column.default,
                    self.column_html(bound_column)["td"],
                    column.localize,
                )
            )
        lines = []
        values = _CellValues()
        # Without row attributes of the table's own, a row's are its class alone (what BoundRow.attrs gives).
        plain_rows = not self.row_attrs
        for row in self.paginated_rows:
            record = row.record
            cells = []
            for bound_column, column, render, wanted, accessor, empty, default, td, localized in columns:
                value = values.get(record, accessor)
                if value in empty:
                    cell = default
                else:
                    arguments = {
                        "value": value,
                        "record": record,
                        "column": column,
                        "bound_column": bound_column,
                        "bound_row": row,
                        "table": self,
                    }
                    if wanted is not None:
                        arguments = {name: arguments[name] for name in wanted}
                    cell = render(**arguments)
                    if bound_column.link:
                        cell = bound_column.link(cell, value=value, record=record, bound_column=bound_column)
                cells.append(f"<td {td}>{_cell_html(cell, localized)}</td>")
            attrs = f'class="{row.get_even_odd_css_class()}"' if plain_rows else _attributes(row.attrs)
            lines.append(f"<tr {attrs}>{''.join(cells)}</tr>")
        return mark_safe("\n".join(lines))


class _CellValues:
    """Records' values as django-tables2 resolves them: a model field with choices gives its display.

    The display of a value is asked for once per process and language: Django's ``get_FOO_display`` depends
    only on the value and the active language (the choices are the code's) but rebuilds the field's whole
    choices dict, translating every label, on each call; and whether a model has such a field is looked up once
    per model and accessor.
    """

    displayed = {}  # (model, accessor) → whether the accessor is a field with choices
    displays = {}  # (model, accessor, value, language) → the display of the value

    def __init__(self):
        self.language = get_language()  # of the table's body

    def get(self, record, accessor):
        if "." in accessor or "__" in accessor:
            return tables.A(accessor).resolve(record)
        model = type(record)
        displayed = self.displayed.get((model, accessor))
        if displayed is None:
            displayed = self.displayed[model, accessor] = issubclass(model, models.Model) and hasattr(
                model, f"get_{accessor}_display"
            )
        value = getattr(record, accessor)
        if not displayed:
            return value
        key = (model, accessor, value, self.language)
        if key not in self.displays:
            self.displays[key] = getattr(record, f"get_{accessor}_display")()
        return self.displays[key]


# FastBodyMixin.column_html: (table class, column, orderable, ordered, descending, language) → the column's
# attributes and header as HTML.
_ATTRIBUTES_HTML = {}

# django-tables2's ``signature`` of each function (whose answer depends on the code alone), for bound methods:
# ``inspect.signature`` cost more than the dashboard's footer and cells together, asked again for every column
# of every table.
_SIGNATURES = {}


def _signature(method):
    """``django_tables2.utils.signature(method)``, worked out once per function of a bound method."""
    function = getattr(method, "__func__", None)
    if function is None:
        return signature(method)
    if function not in _SIGNATURES:
        _SIGNATURES[function] = signature(method)
    return _SIGNATURES[function]


def _call_with_appropriate(method, kwargs):
    """``django_tables2.utils.call_with_appropriate``, with the signature worked out once (``_signature``)."""
    wanted, catch_all = _signature(method)
    if not catch_all:
        if any(name not in kwargs for name in wanted):
            return None
        kwargs = {name: kwargs[name] for name in wanted}
    return method(**kwargs)


def _footer(bound_column, table):
    """``bound_column.footer``: ``Column.footer`` (the footer given, or the column's ``render_footer``) with the
    signatures worked out once; a column with a ``footer`` method of its own asks django-tables2."""
    column = bound_column.column
    if type(column).footer is not tables.Column.footer:
        return bound_column.footer
    kwargs = {"column": column, "bound_column": bound_column, "table": table}
    if column._footer is not None:
        return _call_with_appropriate(column._footer, kwargs) if callable(column._footer) else column._footer
    if hasattr(column, "render_footer"):
        return _call_with_appropriate(column.render_footer, kwargs)
    return ""


def _attributes(attrs):
    """What django-tables2's ``AttributeDict.as_html()`` writes (``format_html_join(" ", '{}="{}"', …)`` over
    its items), with the lean escape: a table's header, cells and footer write some fifty of them."""
    return " ".join(f'{escaped(name)}="{escaped(value)}"' for name, value in attrs._iteritems())


# How a template prints ``{{ value }}`` on the site's pages: autoescaped, localized as the settings say.
_TEMPLATE_CONTEXT = Context()


def _cell_html(cell, localized):
    """What ``{{ cell }}`` (or ``|localize`` / ``|unlocalize``) prints in django-tables2's templates: HTML as it
    is (most cells: a render method's markup), anything else localized and escaped."""
    if isinstance(cell, SafeData):
        return cell
    return escaped(localize(cell, use_l10n=localized))


class AnnotationColumn(tables.Column):
    """A column over a value of the read's rows, sorted with blanks last (``RowData``)."""

    def __init__(self, *args, sort_key=None, **kwargs):
        if sort_key is not None:
            kwargs.setdefault("order_by", (sort_key,))
        super().__init__(*args, **kwargs)


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
        # gettext, not the lazy text: a lazy one made and cast again for each row of the table.
        label = gettext("%(count)s overdue") % {"count": format_number(overdue)}
        return format_html('{}<small class="d-block text-danger">{}</small>', format_number(open_), label)

    def render(self, value, record):
        return self._cell(value, record.recommendations_overdue)

    def render_footer(self, bound_column, table):
        return self._cell(table.totals.get("recommendations_open"), table.totals.get("recommendations_overdue"))


class RateColumn(AnnotationColumn):
    """An indicator's rate, with its numerator and denominator on a second line."""

    export_kind = excel.RATE  # the people's formats write it as a percentage (SpreadsheetExport.kinds)

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

    def render(self, record):
        standing = getattr(record, "standings", {}).get(self.indicator.code)
        cell = rate_cell(record.indicators[self.indicator.code], self.indicator)
        if standing is None or standing.band is None:
            return cell
        return cell + band_badge(standing.band)  # HTML both, and so their sum

    def value(self, record):
        return record.indicators[self.indicator.code].value

    def total(self, table):
        return total_pair(table.totals, self.indicator)

    def render_footer(self, bound_column, table):
        return rate_cell(self.total(table), self.indicator)


def total_pair(totals, indicator):
    """The total's numerator and denominator of a core or a follow-up indicator."""
    if indicator.code in totals["indicators"]:
        return totals["indicators"][indicator.code]
    return totals["follow_up"][indicator.code]


class BandColumn(tables.Column):
    """An indicator's band label (and target), in exports only: beside the coloured cell, the words."""

    def __init__(self, indicator, verbose_name):
        self.indicator = indicator
        super().__init__(accessor="pk", verbose_name=verbose_name, visible=False, orderable=False)

    def value(self, record):
        standing = getattr(record, "standings", {}).get(self.indicator.code)
        if standing is None or standing.target is None:
            return None
        band = standing.band.shown_label if standing.band is not None else ""
        return f"{standing.target_shown}: {band}" if band else standing.target_shown


_NO_GAP = mark_safe('<span class="text-muted">—</span>')


class TargetGapColumn(AnnotationColumn):
    """How far the unit is from its targets: the gap, in points, of its indicator furthest behind (negative:
    behind). The table is sorted on it by default, the units furthest behind first."""

    def __init__(self, **kwargs):
        super().__init__(
            accessor="target_gap",
            sort_key="target_gap",
            verbose_name=_("From target"),
            attrs={
                "td": {"class": "text-end"},
                "th": {"class": "text-end", "title": _("Points from the target of the indicator furthest behind")},
            },
            default=None,
            **kwargs,
        )

    def render(self, record):
        gap = getattr(record, "target_gap", None)
        if gap is None:
            return _NO_GAP
        worst = min((s for s in record.standings.values() if s.gap is not None), key=lambda standing: standing.gap)
        label = INDICATORS_BY_CODE[worst.target.indicator].short_label
        return format_html('{}<small class="d-block text-muted">{}</small>', format_points(gap), label)

    def value(self, record):
        gap = getattr(record, "target_gap", None)
        return float(gap) if gap is not None else None


class PairPartColumn(tables.Column):
    """Paired numerator, paired denominator or full denominator of an indicator, in exports only: the
    coverage of the rate is the paired denominator over the full one."""

    def __init__(self, indicator, part, verbose_name):
        self.indicator = indicator
        self.part = part
        super().__init__(accessor=getattr(indicator, part), verbose_name=verbose_name, visible=False, orderable=False)


class DashboardTable(KnownSortMixin, FastBodyMixin, tables.Table):
    unit = tables.Column(accessor="name", verbose_name=_("Unit"), order_by=("name", "code"), footer=_("Total"))
    code = tables.Column(verbose_name=_("Code"), visible=False)
    kind = tables.Column(verbose_name=_("Kind"), order_by=("kind", "code"))
    to_handle = CountColumn(verbose_name=capfirst(_("to handle")))
    received = CountColumn(verbose_name=capfirst(FIGURES_BY_CODE["received"].label))
    resolved = CountColumn(verbose_name=capfirst(FIGURES_BY_CODE["resolved"].label))

    class Meta:
        template_name = "cchc/table_fast_body.html"
        attrs = {"class": "table table-sm table-hover align-middle dashboard-table"}
        # The units furthest behind their targets first; without targets, by code (RowData's tie-breaker).
        order_by = ("target_gap",)
        orderable = True

    def __init__(self, *args, totals=None, **kwargs):
        super().__init__(*args, extra_columns=self.indicator_columns(), **kwargs)
        self.totals = totals

    @staticmethod
    @functools.cache
    def indicator_columns():
        """The columns after the class's own, made once per process and shared by every table (django-tables2
        deep-copies only the class's columns): some fifty columns, most of them for the exports, cost more to
        make than the rows. Their texts are lazy, translated when shown. Shared, they are not changed per
        table: a table leaves out a column with ``exclude``, not ``columns.hide``."""
        extra = [("target_gap", TargetGapColumn())]
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
        for indicator in INDICATORS:
            header = format_lazy("{} – {}", capfirst(indicator.label), _("target and band"))
            extra.append((f"{indicator.code}_band", BandColumn(indicator, header)))
        for indicator in INDICATORS + FOLLOW_UP_INDICATORS:
            parts = (
                ("num", indicator.numerator_label),
                ("den", indicator.denominator_label),
                ("full", format_lazy("{} ({})", indicator.denominator_label, _("all rows, paired or not"))),
            )
            for part, label in parts:
                header = format_lazy("{} – {}", capfirst(indicator.label), label)
                extra.append((getattr(indicator, part), PairPartColumn(indicator, part, header)))
        return tuple(extra)

    @functools.cached_property
    def _home_url(self):
        return reverse("home")  # once per table, not once per province of the country's

    def render_unit(self, record):
        if getattr(record, "is_province_total", False):
            # The country's table: a province's row opens that province's table for the same period.
            url = self._home_url + "?" + urlencode({"province": record.code, "period": record.period.code})
            return format_html('<a href="{}">{}</a>', url, record.name)
        label = record.name
        if record.level == Level.PROVINCE:
            label = format_html("{} <span class='badge text-bg-secondary'>{}</span>", record.name, _("province level"))
        url = record.get_absolute_url()
        marks = ""
        if record.reports_counted == 0:
            marks = format_html(" <span class='badge text-bg-light border'>{}</span>", _("not reported"))
        elif record.reports_unapproved:
            marks = format_html(" <span class='badge text-bg-warning'>{}</span>", _("not yet approved"))
        return format_html('<a href="{}">{}</a>{}', url, label, marks)

    def value_unit(self, record):
        return record.name

    def value_kind(self, record):
        return str(record.get_kind_display())


class DashboardExport(SpreadsheetExport):
    """The dashboard as a spreadsheet: numbers as numbers, the total as the last row, text made inert."""

    title = _("Dashboard")

    def extra_rows(self, table):
        return [self.total_row(table)]

    def xlsx_for_people(self, title_lines):
        # Each rate cell filled with its band's colour; the band's words are in the "target and band" columns.
        content = super().xlsx_for_people(title_lines)
        headers = {excel.plain(str(indicator.short_label)): indicator.code for indicator in INDICATORS}
        return fill_rate_cells(content, [row.record for row in self.table.rows], headers)

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
                value = {"num": pair.numerator, "den": pair.denominator, "full": pair.full}[column_object.part]
            elif isinstance(column_object, CountColumn):
                value = column_object.total(table, column.name)
            else:
                value = None
            by_name[column.name] = value
        return [by_name[column.name] for column in table.columns.iterall() if not column.column.exclude_from_export]
