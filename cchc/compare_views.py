"""The comparison page: one unit or province, two periods side by side, also across the 2025 reform."""

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from cchc import comparisons
from cchc.lib.forms import parsed_period, style_fields
from cchc.lib.periods import Period
from districts.access import home_province, may_see_unit_figures
from dossiers.access import statuses_counted_for
from dossiers.selectors import latest_period_with_data


class CompareForm(forms.Form):
    unit = forms.CharField(
        label=_("Unit or province code"), max_length=5, error_messages={"required": _("Give the unit's code.")}
    )
    first = forms.CharField(label=_("First period"), max_length=6, help_text=_("e.g. 2024, 2024H1, 2024Q3"))
    second = forms.CharField(label=_("Second period"), max_length=6, help_text=_("e.g. 2026, 2026H1, 2026Q3"))

    def clean_first(self):
        return parsed_period(self.cleaned_data["first"])

    def clean_second(self):
        return parsed_period(self.cleaned_data["second"])

    def clean(self):
        cleaned = super().clean()
        code, second = cleaned.get("unit"), cleaned.get("second")
        if code and second:
            # A code names a unit together with a date: the unit that held it in the second period.
            unit = comparisons.resolve_unit(code.strip(), second.end)
            if unit is None or not may_see_unit_figures(self.user, unit):
                self.add_error("unit", _("There is no unit with this code that you may see."))
            else:
                cleaned["unit_object"] = unit
        return cleaned


def compare(request):
    user = request.user
    statuses = statuses_counted_for(user)
    data = request.GET.copy()
    if not data.get("unit"):
        unit = user.unit or home_province(user)
        if unit is None:
            raise Http404
        data["unit"] = unit.code
    if not data.get("second"):
        data["second"] = latest_period_with_data(statuses=statuses).code
    if not data.get("first"):
        try:
            data["first"] = comparisons.same_period_a_year_earlier(Period.parse(data["second"])).code
        except ValueError:
            data["first"] = ""
    form = CompareForm(data)
    form.user = user
    context = {"form": form}
    if form.is_valid():
        unit = form.cleaned_data["unit_object"]
        sides, rows = comparisons.compare(
            unit, form.cleaned_data["first"], form.cleaned_data["second"], statuses=statuses
        )
        context.update(unit=unit, sides=sides, rows=rows)
    style_fields(form)
    return render(request, "cchc/compare.html", context)
