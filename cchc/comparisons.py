"""Comparing a unit (or a province) in two periods, also across the 2025 reform.

A side of a comparison is the unit in a period. When the unit did not exist in that period (the new Đồng Tháp,
82, before 1 July 2025), the side is the sum of its predecessors of the same level that did (the old Đồng Tháp,
87, and Tiền Giang), added up here for the comparison and never written anywhere: the predecessors' figures stay
theirs. Every rate is the ratio of the sums, through the same selectors as the dashboard.
"""

from dataclasses import dataclass

from cchc import selectors
from cchc.indicators import INDICATORS
from cchc.lib.periods import Period
from districts.models import Level, Unit


@dataclass
class Side:
    period: Period
    units: list  # the units whose figures make up the side: the unit itself, or its predecessors
    totals: dict  # as selectors.totals
    own: bool  # False: the sum of the unit's predecessors


def resolve_unit(code, day):
    """The unit that held ``code`` on ``day``, else the one holding it today or its last (``Unit.objects.holding``,
    the one rule by which a code names a unit)."""
    units = Unit.objects.select_related("parent__parent")
    return units.holding(code, on=day) or units.holding(code)


def units_for(unit, period):
    """The units whose figures stand for ``unit`` in ``period``: itself if it existed then, else its predecessors
    of the same level that did (further back through their own predecessors when needed)."""
    if unit.exists_between(period.start, period.end):
        return [unit]
    found, queue, seen = [], [unit], {unit.pk}
    while queue:
        current = queue.pop(0)
        for predecessor in current.predecessors.filter(level=unit.level).select_related("parent__parent"):
            if predecessor.pk in seen:
                continue
            seen.add(predecessor.pk)
            if predecessor.exists_between(period.start, period.end):
                found.append(predecessor)
            else:
                queue.append(predecessor)
    return sorted(found, key=lambda u: u.code)


def side(unit, period, *, statuses):
    """The figures of ``unit`` (or of its predecessors) over ``period``, added up."""
    units = units_for(unit, period)
    rows = []
    for member in units:
        if member.level == Level.PROVINCE:
            rows += list(selectors.province_rows(province=member, period=period, statuses=statuses))
        else:
            rows += list(selectors.unit_rows(units=Unit.objects.filter(pk=member.pk), period=period, statuses=statuses))
    return Side(period, units, selectors.totals(rows), own=units == [unit])


@dataclass
class ComparedIndicator:
    indicator: object
    first: object  # IndicatorValue
    second: object

    @property
    def change(self):
        """Percentage points from the first period to the second; ``None`` unless both have a value."""
        if self.first.value is None or self.second.value is None:
            return None
        return self.second.value - self.first.value


def compare(unit, first, second, *, statuses):
    """Both sides, and each indicator's value in each."""
    sides = side(unit, first, statuses=statuses), side(unit, second, statuses=statuses)
    rows = [
        ComparedIndicator(
            indicator, sides[0].totals["indicators"][indicator.code], sides[1].totals["indicators"][indicator.code]
        )
        for indicator in INDICATORS
    ]
    return sides, rows


def same_period_a_year_earlier(period):
    return Period(period.year - 1, period.first_quarter, period.last_quarter)


def previous_period(period):
    """The period just before, of the same kind: the quarter before a quarter, the half before a half, the year
    before a year. Nine months have no period of their kind just before: the same nine months a year earlier."""
    if period.is_quarter:
        return period.previous_quarter()
    span = (period.first_quarter, period.last_quarter)
    if span == (1, 2):
        return Period(period.year - 1, 3, 4)
    if span == (3, 4):
        return Period(period.year, 1, 2)
    return same_period_a_year_earlier(period)
