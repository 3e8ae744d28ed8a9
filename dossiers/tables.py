"""The province's review list of quarterly reports."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cchc.lib.tables import KnownSortMixin

from .deadlines import due_date, submitted_on_time
from .models import QuarterlyReport


class ReviewTable(KnownSortMixin, tables.Table):
    unit = tables.Column(verbose_name=_("Unit"), order_by=("unit__name", "unit__code", "pk"))
    period = tables.Column(verbose_name=_("Quarter"), empty_values=(), order_by=("year", "quarter", "pk"))
    status = tables.Column(verbose_name=_("Status"), order_by=("status", "pk"))
    first_submitted_at = tables.DateTimeColumn(
        verbose_name=_("Submitted"), format="d/m/Y H:i", order_by=("first_submitted_at", "pk")
    )
    due = tables.Column(verbose_name=_("Due"), empty_values=(), orderable=False)
    open = tables.Column(verbose_name="", empty_values=(), orderable=False)

    class Meta:
        model = QuarterlyReport
        fields = ("unit", "period", "status", "first_submitted_at", "due", "open")
        order_by = ("-year", "-quarter", "unit")
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_unit(self, record):
        return record.unit.name

    def render_period(self, record):
        return record.period.label

    def render_status(self, record):
        return record.get_status_display()

    def render_due(self, record):
        due = due_date(record.year, record.quarter)
        on_time = submitted_on_time(record)
        label = due.strftime("%d/%m/%Y")
        if on_time is False:
            return format_html('{} <span class="badge text-bg-warning">{}</span>', label, _("late"))
        return label

    def render_open(self, record):
        url = reverse("dossiers:report", args=[record.unit.code, record.period.code])
        return format_html('<a class="btn btn-sm btn-outline-primary" href="{}">{}</a>', url, _("Open"))
