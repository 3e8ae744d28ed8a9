"""Recorded inspections against the quarterly report: a read across the inspections and the reports."""

from dataclasses import dataclass

from cchc.lib.periods import Period
from dossiers.models import QuarterlyReport
from inspections.models import InspectedUnit


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
