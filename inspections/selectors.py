"""Reads of the inspection pages: follow-up counts, and recorded inspections against the quarterly report."""

from dataclasses import dataclass

from django.db.models import Count, Q

from cchc.lib.periods import Period
from cchc.selectors import IndicatorValue
from dossiers.models import QuarterlyReport

from .models import InspectedUnit, Recommendation, closed_on_time_q, due_q, overdue_q


def follow_up_counts(recommendations, today):
    """Counts over a queryset of recommendations, in one query: all, open, overdue, and closed on time.

    ``on_time`` pairs those closed on or before their deadline with those due (closed, or open past the
    deadline): the same share the dashboard shows per district.
    """
    counts = recommendations.order_by().aggregate(
        total=Count("pk"),
        open=Count("pk", filter=~Q(status__in=Recommendation.CLOSED_STATUSES)),
        overdue=Count("pk", filter=overdue_q(today)),
        due=Count("pk", filter=due_q(today)),
        closed_on_time=Count("pk", filter=closed_on_time_q()),
    )
    counts["on_time"] = IndicatorValue(counts["closed_on_time"], counts["due"])
    return counts


@dataclass
class InspectionCheck:
    """Units a unit inspected, as its sessions record them and as its quarterly report states them."""

    unit: object
    year: int
    recorded_in_year: int  # distinct units (or departments) in the unit's sessions that started in the year
    report: QuarterlyReport | None  # the year's latest report that gives "units inspected"
    recorded_by_report: int | None  # the same count, for sessions started by the end of the report's quarter

    @property
    def report_period(self):
        return Period.quarter(self.report.year, self.report.quarter) if self.report else None

    @property
    def matches(self):
        return self.report is not None and self.report.units_inspected == self.recorded_by_report


def _distinct_units(rows):
    return rows.values("unit", "department").distinct().count()


def inspection_check(*, unit, year, statuses):
    """Compare the sessions ``unit`` held in ``year`` with the "units inspected" of its latest report of the year.

    A report's "units inspected" counts the year so far, so it is compared with the sessions that started by
    the end of its quarter. A unit or department inspected twice counts once. ``statuses``: the reports the
    reader may see.
    """
    rows = InspectedUnit.objects.filter(session__inspecting_unit=unit, session__starts_on__year=year)
    report = (
        QuarterlyReport.objects.filter(unit=unit, year=year, status__in=statuses, units_inspected__isnull=False)
        .order_by("-quarter")
        .first()
    )
    by_report = None
    if report is not None:
        end = Period.quarter(year, report.quarter).end
        by_report = _distinct_units(rows.filter(session__starts_on__lte=end))
    return InspectionCheck(unit, year, _distinct_units(rows), report, by_report)
