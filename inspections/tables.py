"""The follow-up table of recommendations and the table of sessions, with their spreadsheet exports.

Columns separate what is shown (``render_*``) from what is exported (``value_*``): dates stay dates and counts
stay numbers in the spreadsheet. Every ordering ends with the primary key, so pages never skip rows.
"""

import django_tables2 as tables
from django.db.models import Case, F, IntegerField, Value, When
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cchc.lib.export_views import SpreadsheetExport
from cchc.lib.tables import KnownSortMixin

from .models import InspectionSession, Recommendation

S = Recommendation.Status
# Statuses in the order work goes through them, for sorting.
STATUS_RANK = Case(
    *(When(status=status, then=Value(rank)) for rank, status in enumerate(S.values)), output_field=IntegerField()
)


def _date(value):
    return date_format(value, "d/m/Y") if value else "—"


def _nulls_last(field, is_descending):
    key = F(field)
    return key.desc(nulls_last=True) if is_descending else key.asc(nulls_last=True)


class DateColumn(tables.Column):
    """A date: dd/mm/yyyy on the page, a date in the export, the blank ones last whichever way it is sorted."""

    def render(self, value):
        return _date(value)

    def value(self, value):
        return value

    def order(self, queryset, is_descending):
        return queryset.order_by(_nulls_last(str(self.accessor), is_descending), "pk"), True


class RecommendationTable(KnownSortMixin, tables.Table):
    unit = tables.Column(accessor="unit__name", verbose_name=_("Unit"), order_by=("unit__code", "pk"))
    unit_code = tables.Column(accessor="unit__code", verbose_name=_("Unit code"), visible=False)
    session = tables.Column(
        accessor="session__title", verbose_name=_("Inspection session"), order_by=("session__starts_on", "pk")
    )
    text = tables.Column(verbose_name=_("Recommendation"), orderable=False)
    area = tables.Column(verbose_name=_("Area of reform"), order_by=("area", "pk"))
    deadline = DateColumn(accessor="deadline", verbose_name=_("Deadline"))
    status = tables.Column(verbose_name=_("Status"))
    days_overdue = tables.Column(
        accessor="overdue",
        verbose_name=_("Days overdue"),
        attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}},
    )
    closed_on = DateColumn(accessor="closed_on", verbose_name=_("Closed on"))
    response = tables.Column(verbose_name=_("Unit's response"), visible=False)
    evidence = tables.Column(verbose_name=_("Evidence"), visible=False)
    evidence_file = tables.Column(verbose_name=_("File"), orderable=False)

    class Meta:
        model = Recommendation
        fields = ()
        sequence = (
            "unit",
            "unit_code",
            "session",
            "text",
            "area",
            "deadline",
            "status",
            "days_overdue",
            "closed_on",
            "response",
            "evidence",
            "evidence_file",
        )
        template_name = "django_tables2/bootstrap5-responsive.html"
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "recommendations-table"}
        order_by = ("deadline",)
        empty_text = _("No recommendation matches the filters.")

    def __init__(self, *args, today, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def render_unit(self, record):
        return format_html('<a href="{}">{}</a>', record.unit.get_absolute_url(), record.unit.name)

    def value_unit(self, record):
        return record.unit.name

    def render_session(self, record):
        url = reverse("inspections:session_detail", args=[record.session_id])
        return format_html('<a href="{}">{}</a>', url, record.session.title)

    def value_session(self, record):
        return record.session.title if record.session_id else None

    def render_text(self, record):
        url = reverse("inspections:recommendation_detail", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, Truncator(record.text).chars(140))

    def value_text(self, record):
        return record.text

    def render_area(self, record):
        return capfirst(record.get_area_display())

    def value_area(self, record):
        return capfirst(record.get_area_display())

    def render_status(self, record):
        return S(record.status).badge(capitalised=True)

    def value_status(self, record):
        return capfirst(record.get_status_display())

    def order_status(self, queryset, is_descending):
        rank = STATUS_RANK.desc() if is_descending else STATUS_RANK.asc()
        return queryset.order_by(rank, "pk"), True

    def render_days_overdue(self, record):
        days = record.days_overdue(self.today)
        if days is None:
            return "—"
        label = ngettext("%(days)d day", "%(days)d days", days) % {"days": days}
        return format_html('<span class="badge text-bg-danger">{}</span>', label)

    def value_days_overdue(self, record):
        return record.days_overdue(self.today)

    def order_days_overdue(self, queryset, is_descending):
        # Most days overdue is the earliest deadline among those overdue; those not overdue come after.
        overdue = F("overdue").desc() if is_descending else F("overdue").asc()
        deadline = _nulls_last("deadline", not is_descending)
        return queryset.order_by(overdue, deadline, "pk"), True

    def render_evidence_file(self, record):
        if not record.evidence_file:
            return "—"
        url = reverse("inspections:recommendation_evidence", args=[record.pk])
        return format_html('<a href="{}" title="{}">{}</a>', url, record.evidence_file_name, _("Download"))

    def value_evidence_file(self, record):
        return record.evidence_file_name or None


class RecommendationExport(SpreadsheetExport):
    title = _("Recommendations")


class SessionTable(KnownSortMixin, tables.Table):
    title = tables.Column(verbose_name=_("Inspection session"), order_by=("title", "pk"))
    inspecting_unit = tables.Column(
        accessor="inspecting_unit__name", verbose_name=_("Inspecting unit"), order_by=("inspecting_unit__code", "pk")
    )
    format = tables.Column(verbose_name=_("Format"), order_by=("format", "pk"))
    starts_on = tables.Column(verbose_name=_("From"))
    ends_on = tables.Column(verbose_name=_("To"), order_by=("ends_on", "pk"))
    unit_count = tables.Column(
        verbose_name=_("Units inspected"), attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}}
    )
    recommendation_count = tables.Column(
        verbose_name=_("Recommendations"), attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}}
    )

    class Meta:
        model = InspectionSession
        fields = ()
        sequence = ("title", "inspecting_unit", "format", "starts_on", "ends_on", "unit_count", "recommendation_count")
        template_name = "django_tables2/bootstrap5-responsive.html"
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "sessions-table"}
        order_by = ("-starts_on",)
        empty_text = _("No inspection session recorded.")

    def render_title(self, record):
        return format_html('<a href="{}">{}</a>', reverse("inspections:session_detail", args=[record.pk]), record.title)

    def render_format(self, record):
        return capfirst(record.get_format_display())

    def render_starts_on(self, value):
        return _date(value)

    def order_starts_on(self, queryset, is_descending):
        return queryset.order_by(F("starts_on").desc() if is_descending else F("starts_on").asc(), "pk"), True

    def render_ends_on(self, value):
        return _date(value)

    # What the exports hold: the title as text, dates as dates (the spreadsheet formats them dd/mm/yyyy).
    def value_title(self, record):
        return record.title

    def value_format(self, record):
        return capfirst(record.get_format_display())

    def value_starts_on(self, value):
        return value

    def value_ends_on(self, value):
        return value


class SessionExport(SpreadsheetExport):
    title = _("Inspection sessions")
