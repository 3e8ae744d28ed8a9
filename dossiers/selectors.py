"""Reads of the reports alone (a read across apps belongs in the dashboard, ``cchc.selectors``)."""

from django.db.models import F, Max, Q
from django.utils import timezone

from cchc.lib.compiled import compiled
from cchc.lib.periods import Period
from districts.access import unit_or_under_q
from districts.models import Unit

from .models import COUNTED_STATUSES, QuarterlyReport


def first_report_year():
    """The year of the earliest report of any unit (``None`` without any): where the lists of periods begin."""
    years = _first_report_year().read()
    return years[0] if years else None


@compiled
def _first_report_year():
    # Compiled once per process: every dashboard draws the list of periods, and building the queryset cost more
    # than the database takes to walk the (year, quarter, status) index to its first entry.
    return QuarterlyReport.objects.order_by("year").values_list("year", flat=True)[:1]


def latest_period_with_data(*, province=None, statuses=COUNTED_STATUSES):
    """The latest quarter that has ended and has a counted report of the province or a unit under it (of any
    unit without one): a page opens on figures, never on a quarter still running.

    The latest ended quarter when there is none.
    """
    ended = Period.last_ended(timezone.localdate())
    reports = QuarterlyReport.objects.filter(status__in=statuses).filter(
        Q(year__lt=ended.year) | Q(year=ended.year, quarter__lte=ended.last_quarter)
    )
    if province is None:
        # The whole country: walk the (year, quarter, status) index backwards to its first entry.
        latest = reports.order_by("-year", "-quarter").values("year", "quarter").first()
        return ended if latest is None else Period.quarter(latest["year"], latest["quarter"])
    # A province: the maximum over its units' own reports (through the unique (unit, year, quarter) index); an
    # ORDER BY … LIMIT 1 here made PostgreSQL walk every report of the country backwards (47 ms → 0.6 ms).
    units = Unit.objects.filter(unit_or_under_q([province.pk])).values("pk")
    latest = reports.filter(unit__in=units).aggregate(latest=Max(F("year") * 10 + F("quarter")))["latest"]
    return ended if latest is None else Period.quarter(latest // 10, latest % 10)
