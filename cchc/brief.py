"""The inspection brief: everything the team reads about a unit before an inspection meeting, on one A4 page.

One read per part: the unit's indicators in the period and the same period a year earlier (two selector
queries), its targets and bands, its on-time and online rates over the last eight quarters, its reform plan's
tasks done and overdue, its open recommendations, its last inspection's findings, and the period's warning
flags.
"""

from dataclasses import dataclass

from django.utils import timezone

from cchc import flags, selectors
from cchc.comparisons import same_period_a_year_earlier
from cchc.indicators import INDICATORS, INDICATORS_BY_CODE
from cchc.lib.periods import TREND_QUARTERS
from cchc.targets import TargetBook
from districts.models import ReformPlan, Unit, done_by
from inspections.models import InspectedUnit, Recommendation


@dataclass
class BriefIndicator:
    indicator: object
    current: object  # IndicatorValue
    last_year: object
    standing: object  # cchc.targets.Standing


def brief(unit, period, *, statuses, today=None):
    today = today or timezone.localdate()
    units = Unit.objects.filter(pk=unit.pk)
    earlier = same_period_a_year_earlier(period)
    trend_quarters = period.quarters_ending(TREND_QUARTERS)
    flag_quarters = flags.year_quarters(period.year)
    # The period, the same period a year earlier, the trend's quarters and the flags' quarters: one read.
    rows = selectors.rows_by_period(
        units=units, periods=[period, earlier, *trend_quarters, *flag_quarters], statuses=statuses, today=today
    )
    rows = [row for (row,) in rows]
    row, last_row = rows[0], rows[1]
    trend_rows, flag_rows = rows[2 : 2 + len(trend_quarters)], rows[2 + len(trend_quarters) :]
    current, last_year = selectors.indicator_values(row), selectors.indicator_values(last_row)
    book = TargetBook(year=period.year, units=[unit])
    indicators = []
    for indicator in INDICATORS:
        value = current[indicator.code]
        standing = book.standing(unit, indicator.code, value.value)
        indicators.append(BriefIndicator(indicator, value, last_year[indicator.code], standing))

    trend = []
    for quarter, quarter_row in zip(trend_quarters, trend_rows, strict=True):
        values = selectors.indicator_values(quarter_row)
        trend.append({"period": quarter, "on_time": values["on_time_rate"], "online": values["online_rate"]})

    as_of = min(today, period.end)
    plan = ReformPlan.objects.filter(unit=unit, year=period.year).with_completion(as_of).first()
    overdue_tasks = []
    if plan is not None:
        overdue_tasks = list(plan.tasks.exclude(done_by(as_of)).filter(deadline__lt=as_of))

    recommendations = list(
        Recommendation.objects.filter(unit=unit).still_open().select_related("session").order_by("deadline", "pk")
    )
    last_inspection = (
        InspectedUnit.objects.filter(unit=unit, session__starts_on__lte=as_of)
        .select_related("session__inspecting_unit")
        .order_by("-session__starts_on", "-pk")
        .first()
    )
    period_flags = [
        flag
        for flag in flags.unit_year_flags(unit, period.year, statuses=statuses, rows=flag_rows)
        if period.contains(flag.period)
    ]
    return {
        "unit": unit,
        "period": period,
        "last_year_period": earlier,
        "today": today,
        "as_of": as_of,
        "indicators": indicators,
        "trend": trend,
        "plan": plan,
        "overdue_tasks": overdue_tasks,
        "recommendations": [(item, item.is_overdue(today)) for item in recommendations],
        "recommendations_overdue": sum(1 for item in recommendations if item.is_overdue(today)),
        "last_inspection": last_inspection,
        "flags": period_flags,
        "on_time": INDICATORS_BY_CODE["on_time_rate"],
    }
