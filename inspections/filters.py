"""Filters of the follow-up list of recommendations and of the list of sessions."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.lib.periods import FIRST_YEAR, GIVE_A_YEAR, LAST_YEAR
from districts.forms import UnitCodeChoiceField
from districts.models import ReformArea, Unit

from .forms import style
from .models import InspectionSession, Recommendation


class StyledFilterForm(forms.Form):
    def full_clean(self):
        super().full_clean()
        style(self)


class UnitChoiceFilter(django_filters.ModelChoiceFilter):
    """A unit by its official code (``?unit=874``), among the units the list may show. When the list offers two
    holders of one code, each is offered with its dates and its own value (``82@2025-06-30``); a plain code is
    resolved on the chosen session's first day, or else to today's holder."""

    field_class = UnitCodeChoiceField


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class RecommendationFilter(django_filters.FilterSet):
    """Which recommendations to follow up. Choices offer only what the user may see (the view passes them)."""

    session = django_filters.ModelChoiceFilter(
        queryset=InspectionSession.objects.none(),
        label=_("Inspection session"),
        empty_label=_("All sessions"),
    )
    unit = UnitChoiceFilter(queryset=Unit.objects.none(), label=_("Unit"), empty_label=_("All units"))
    status = django_filters.ChoiceFilter(
        choices=Recommendation.Status.choices, label=_("Status"), empty_label=_("All statuses")
    )
    overdue = django_filters.ChoiceFilter(
        choices=[("yes", _("overdue")), ("no", _("not overdue"))],
        label=_("Overdue"),
        empty_label=_("Overdue or not"),
        method="filter_overdue",
    )
    area = django_filters.ChoiceFilter(
        choices=ReformArea.choices, label=_("Area of reform"), empty_label=_("All areas")
    )

    class Meta:
        model = Recommendation
        fields = ["session", "unit", "status", "overdue", "area"]
        form = StyledFilterForm

    def __init__(self, *args, sessions, units, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.filters["session"].queryset = sessions.order_by("-starts_on", "pk")
        self.filters["unit"].queryset = units
        session = self.chosen_session(sessions)
        if session is not None:
            # A code names the unit that held it when the session inspected (codes were reused in 2025).
            self.form.fields["unit"].on = session.starts_on
        invalid = _("This choice does not exist or is not yours to see.")
        for name in ("session", "unit"):
            self.form.fields[name].error_messages["invalid_choice"] = invalid
        style(self.form)

    def chosen_session(self, sessions):
        value = str(self.data.get("session") or "").strip() if self.data else ""
        return sessions.filter(pk=value).first() if value.isdigit() and len(value) < 12 else None

    def filter_overdue(self, queryset, name, value):
        # The queryset carries the ``overdue`` annotation for the same day (see the view).
        return queryset.filter(overdue=value == "yes")


class SessionFilter(django_filters.FilterSet):
    inspecting_unit = UnitChoiceFilter(
        queryset=Unit.objects.none(), label=_("Inspecting unit"), empty_label=_("All inspecting units")
    )
    year = YearFilter(
        field_name="starts_on",
        lookup_expr="year",
        label=_("Year"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={"min_value": GIVE_A_YEAR, "max_value": GIVE_A_YEAR, "invalid": GIVE_A_YEAR},
    )
    format = django_filters.ChoiceFilter(
        choices=InspectionSession.Format.choices, label=_("Format"), empty_label=_("All formats")
    )

    class Meta:
        model = InspectionSession
        fields = ["inspecting_unit", "year", "format"]
        form = StyledFilterForm

    def __init__(self, *args, inspecting_units, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["inspecting_unit"].queryset = inspecting_units
        self.form.fields["inspecting_unit"].error_messages["invalid_choice"] = _(
            "This choice does not exist or is not yours to see."
        )
        style(self.form)
