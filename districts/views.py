"""A unit's reform plan for a year, and the rule that finds the unit of a URL's code for the user asking.

The unit page itself is a dashboard page (``cchc.unit_views``): it reads reports and inspections.
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cchc.lib.periods import Period, is_known_year, year_in_range
from districts.access import may_enter_figures, may_see_unit_figures

from . import services
from .forms import ReformPlanForm, ReformTaskFormSet
from .models import ReformPlan, Unit


def _asked_day(request):
    try:
        return date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return None


def visible_unit(request, code, *, year=None):
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


def _last_day_in(unit, year):
    """The unit's last day in ``year``: names it by its code together with the year it was shown for."""
    last = date(year, 12, 31)
    return min(last, unit.valid_until or last).isoformat()


def plan_edit(request, code, year):
    """The unit's reform plan for a year and its tasks, for those who keep the unit's figures."""
    unit = visible_unit(request, code, year=year if is_known_year(year) else None)
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
