"""The page of one unit: its indicators quarter by quarter, its reform plan, inspections and reports."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc import flags, selectors
from cchc.charts import TrendChart
from cchc.indicators import INDICATORS
from cchc.lib.periods import Period, is_known_year, year_in_range
from cchc.models import Target
from cchc.targets import TargetBook
from districts.access import (
    is_provincial_staff,
    may_enter_figures,
    may_see_unit_details,
    may_see_unit_figures,
    sees_every_province,
)
from dossiers.models import COUNTED_STATUSES, QuarterlyReport, ReportStatus
from inspections.models import InspectedUnit, Recommendation

from . import services
from .forms import ReformPlanForm, ReformTaskFormSet
from .models import ReformPlan, Unit


def _asked_day(request):
    try:
        return date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return None


def _visible_unit(request, code, *, year=None):
    """The unit of the URL's code: the one holding it on ``?on=`` (the links of a closed unit carry its last
    day), else during the year asked, else today (or, for a retired code, its last holder)."""
    year = year or year_in_range(request.GET.get("year"))
    day = _asked_day(request)
    period = Period(year, 1, 4) if year and day is None else None
    unit = Unit.objects.select_related("parent__parent").holding(code, on=day, period=period)
    if unit is None:
        raise Http404
    # A unit of a province the user may not see does not exist for them.
    if not may_see_unit_figures(request.user, unit):
        raise Http404
    return unit


def _statuses(user):
    return COUNTED_STATUSES if sees_every_province(user) else (ReportStatus.APPROVED,)


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
    unit = _visible_unit(request, code)
    statuses = _statuses(request.user)
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
        reports = QuarterlyReport.objects.filter(unit=unit).order_by("-year", "-quarter")
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


def _last_day_in(unit, year):
    """The unit's last day in ``year``: names it by its code together with the year it was shown for."""
    last = date(year, 12, 31)
    return min(last, unit.valid_until or last).isoformat()


class UnitTrendChart(TrendChart):
    """The unit's on-time and online rates over the eight quarters ending with the year shown."""

    def get(self, request, *args, **kwargs):
        self.unit = _visible_unit(request, kwargs["code"])
        return super().get(request, *args, **kwargs)

    def prepare(self):
        year, _years = _year(self.request, self.unit, _statuses(self.request.user))
        self.scope.period = Period(year, 1, 4)
        super().prepare()

    def rows_by_quarter(self, quarters):
        units = Unit.objects.filter(pk=self.unit.pk)
        return selectors.rows_by_period(units=units, periods=quarters, statuses=_statuses(self.request.user))

    def get_title(self):
        return _("%(unit)s: on-time and online rates over eight quarters") % {"unit": self.unit.name}


def plan_edit(request, code, year):
    """The unit's reform plan for a year and its tasks, for those who keep the unit's figures."""
    unit = _visible_unit(request, code, year=year if is_known_year(year) else None)
    if not may_enter_figures(request.user, unit):
        raise PermissionDenied
    if not is_known_year(year) or not unit.exists_between(date(year, 1, 1), date(year, 12, 31)):
        raise Http404
    plan = ReformPlan.objects.filter(unit=unit, year=year).first() or ReformPlan(
        unit=unit, year=year, title=_("Administrative reform plan %(year)s") % {"year": year}
    )
    form = ReformPlanForm(request.POST or None, instance=plan)
    formset = ReformTaskFormSet(request.POST or None, instance=plan, prefix="tasks")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.save_plan(form, formset, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Reform plan saved."))
            return redirect(
                reverse("districts:detail", args=[unit.code]) + f"?year={year}&on={_last_day_in(unit, year)}"
            )
    return render(request, "districts/plan_edit.html", {"unit": unit, "year": year, "form": form, "formset": formset})
