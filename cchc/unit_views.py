"""The page of one unit: its indicators quarter by quarter, its reform plan, inspections and reports.

A dashboard page: it reads across the apps. Its URLs keep the ``districts`` namespace (``cchc.urls``)."""

from datetime import date

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc import flags, selectors
from cchc.charts import TrendChart
from cchc.indicators import INDICATORS
from cchc.lib.periods import Period, year_in_range
from cchc.models import Target
from cchc.targets import TargetBook
from districts.access import (
    is_provincial_staff,
    may_enter_figures,
    may_see_unit_details,
    may_see_unit_figures,
)
from districts.models import ReformPlan, Unit
from districts.views import visible_unit
from dossiers.access import statuses_counted_for
from dossiers.models import QuarterlyReport
from inspections.models import InspectedUnit, Recommendation


def _year(request, unit, statuses):
    years = sorted(
        set(QuarterlyReport.objects.filter(unit=unit, status__in=statuses).values_list("year", flat=True))
        | set(ReformPlan.objects.filter(unit=unit).values_list("year", flat=True))
        # A year with only a target still opens on the page: the target shows beside "—".
        | set(Target.objects.filter(unit=unit).values_list("year", flat=True)),
        reverse=True,
    )
    year = year_in_range(request.GET.get("year"))
    if year is None:
        # The last year with data; for a unit without any, this year, or the last year of a closed unit.
        last = min(timezone.localdate(), unit.valid_until or timezone.localdate())
        year = years[0] if years else last.year
    return year, years


def unit_detail(request, code):
    unit = visible_unit(request, code)
    statuses = statuses_counted_for(request.user)
    year, years = _year(request, unit, statuses)
    today = timezone.localdate()
    periods = [Period.quarter(year, quarter) for quarter in range(1, 5)] + [Period(year, 1, 4)]
    # The four quarters, the year and the previous year's last quarter (for the warning flags) in one read.
    rows = selectors.rows_by_period(
        units=Unit.objects.filter(pk=unit.pk),
        periods=[*periods, Period.quarter(year - 1, 4)],
        statuses=statuses,
        today=today,
    )
    rows = [row for (row,) in rows]
    quarter_rows = [
        {"period": period, "row": row, "indicators": selectors.indicator_values(row)}
        for period, row in zip(periods, rows, strict=False)
    ]
    book = TargetBook(year=year, units=[unit])
    year_values = quarter_rows[-1]["indicators"]
    target_rows = [
        {"indicator": indicator, "pair": year_values[indicator.code], "standing": standing}
        for indicator in INDICATORS
        if (standing := book.standing(unit, indicator.code, year_values[indicator.code].value)).target is not None
    ]

    context = {
        "unit": unit,
        "year": year,
        "years": years,
        "indicators": INDICATORS,
        "quarter_rows": quarter_rows,
        "target_rows": target_rows,
        "target_book": book,
        "flags": flags.unit_year_flags(unit, year, statuses=statuses, rows=[rows[5], *rows[:4]]),
        "may_dismiss_flags": is_provincial_staff(request.user),
        "details": may_see_unit_details(request.user, unit),
        "may_edit": may_enter_figures(request.user, unit),
        # Each with whether the user may open its page: a link that would answer 404 is shown as plain text.
        "successors": [(s, may_see_unit_figures(request.user, s)) for s in unit.successors.all()],
        "predecessors": [(p, may_see_unit_figures(request.user, p)) for p in unit.predecessors.all()],
        "other_holders": [(other, may_see_unit_figures(request.user, other)) for other in unit.other_holders()],
        # No plan to enter for a year in which the unit did not exist (after it closed, before it started).
        "existed_in_year": unit.exists_between(date(year, 1, 1), date(year, 12, 31)),
        "unit_query": f"on={unit.valid_until.isoformat()}&" if unit.valid_until else "",
    }
    if context["details"]:
        as_of = min(today, date(year, 12, 31))
        plan = ReformPlan.objects.filter(unit=unit, year=year).with_completion(as_of).first()
        reports = QuarterlyReport.objects.visible_to(request.user).filter(unit=unit).order_by("-year", "-quarter")
        context.update(
            plan=plan,
            plan_as_of=as_of,
            tasks=plan.tasks.all() if plan else [],
            inspections=InspectedUnit.objects.filter(unit=unit).select_related("session__inspecting_unit"),
            recommendations=[
                (recommendation, recommendation.is_overdue(today))
                for recommendation in Recommendation.objects.filter(unit=unit).select_related("session")
            ],
            reports=reports,
        )
    return render(request, "districts/unit_detail.html", context)


class UnitTrendChart(TrendChart):
    """The unit's on-time and online rates over the eight quarters ending with the year shown."""

    def get(self, request, *args, **kwargs):
        self.unit = visible_unit(request, kwargs["code"])
        return super().get(request, *args, **kwargs)

    def prepare(self):
        year, _years = _year(self.request, self.unit, statuses_counted_for(self.request.user))
        self.scope.period = Period(year, 1, 4)
        super().prepare()

    def rows_by_quarter(self, quarters):
        units = Unit.objects.filter(pk=self.unit.pk)
        return selectors.rows_by_period(units=units, periods=quarters, statuses=statuses_counted_for(self.request.user))

    def get_title(self):
        return _("%(unit)s: on-time and online rates over eight quarters") % {"unit": self.unit.name}
