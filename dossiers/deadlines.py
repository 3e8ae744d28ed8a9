"""When a quarterly report is due, and whether it came in on time."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Min, Q
from django.utils import timezone

from cchc.lib.numbers import IndicatorValue
from cchc.lib.periods import Period
from districts.models import Unit

from .models import QuarterlyReport, ReportStatus


def due_date(year, quarter):
    """The last day to submit a quarter's report: ``REPORT_DUE_DAYS`` days after the quarter ends."""
    return Period.quarter(year, quarter).end + timedelta(days=settings.REPORT_DUE_DAYS)


def with_first_submission(reports):
    """Reports annotated with ``first_submitted_at``: when the district first submitted them (or ``None``), and
    ``imported_at``: when a file of quarters long past handed them in (``ReportEvent.imported``), or ``None``."""
    submitted = Q(events__to_status=ReportStatus.SUBMITTED)
    return reports.annotate(
        first_submitted_at=Min("events__at", filter=submitted & Q(events__imported=False)),
        imported_at=Min("events__at", filter=submitted & Q(events__imported=True)),
    )


def submitted_on_time(report):
    """``True`` or ``False`` once known; ``None`` for a report whose submission was never recorded here, or that
    was loaded from a file as history (neither on time nor late)."""
    if report.first_submitted_at is None:
        return None
    return timezone.localdate(report.first_submitted_at) <= due_date(report.year, report.quarter)


@dataclass
class Expected:
    """One report a unit owed for one quarter, and what became of it."""

    unit: Unit
    period: Period
    due: object
    report: QuarterlyReport | None = None

    @property
    def handed_in(self):
        return self.report is not None and self.report.is_handed_in

    @property
    def on_time(self):
        return submitted_on_time(self.report) if self.handed_in else False

    @property
    def state(self):
        if not self.handed_in:
            return "missing" if self.due < timezone.localdate() else "not_yet_due"
        on_time = self.on_time
        if on_time is None:
            return "imported" if getattr(self.report, "imported_at", None) else "unknown"
        return "on_time" if on_time else "late"


@dataclass
class Completeness:
    quarters: list = field(default_factory=list)  # the period's quarters, the table's columns
    rows: list = field(default_factory=list)  # [(unit, [Expected, or None where the unit owed nothing])]

    def items(self):
        return [item for _unit, quarters in self.rows for item in quarters if item is not None]

    @property
    def expected(self):
        return len(self.items())

    @property
    def handed_in(self):
        return sum(item.handed_in for item in self.items())

    @property
    def on_time(self):
        return sum(bool(item.on_time) for item in self.items())

    @property
    def imported(self):
        """Reports loaded from a file as history: handed in, but neither on time nor late."""
        return sum(item.state == "imported" for item in self.items())

    @property
    def timed(self):
        """The reports whose timeliness counts: every one owed but those loaded as history (the on-time
        reporting rate's denominator)."""
        return self.expected - self.imported

    @property
    def reporting_rate(self):
        """Reports handed in over reports owed, as a rate with its counts (rounded as every rate is)."""
        return IndicatorValue(self.handed_in, self.expected)

    @property
    def on_time_rate(self):
        """Reports handed in by their due date over those whose timeliness counts (``timed``)."""
        return IndicatorValue(self.on_time, self.timed)


def completeness(*, units, period):
    """For each unit (a queryset) and each quarter of the period in which it existed, its report's fate.

    Two queries, whatever the number of units and quarters. The reporting rate is handed in ÷ expected and
    the on-time reporting rate on time ÷ expected, both over all the units together (ratio of sums).
    """
    units = list(units.active_in(period).order_by("code"))
    reports = with_first_submission(
        QuarterlyReport.objects.in_period(period).filter(unit__in=[unit.pk for unit in units])
    )
    by_key = {(report.unit_id, report.quarter): report for report in reports}
    result = Completeness(quarters=[Period.quarter(year, quarter) for year, quarter in period.quarters])
    for unit in units:
        quarters = [
            Expected(
                unit,
                quarter,
                due_date(quarter.year, quarter.first_quarter),
                by_key.get((unit.pk, quarter.first_quarter)),
            )
            if unit.exists_between(quarter.start, quarter.end)
            else None
            for quarter in result.quarters
        ]
        if any(quarters):
            result.rows.append((unit, quarters))
    return result
