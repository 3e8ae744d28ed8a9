"""Filters of the province's review list."""

from collections import Counter

import django_filters
from django.utils.translation import gettext_lazy as _

from cchc.lib.periods import Period, period_choices
from districts.access import in_provinces_q, visible_provinces
from districts.forms import UnitCodeChoiceField, unit_choice_label
from districts.models import Level, Unit

from .models import QuarterlyReport, ReportStatus
from .selectors import first_report_year


def unit_choices(provinces, period=None):
    """The units whose reports the province reviews, grouped by province: the province's own report first,
    then the units directly under it by name. With a period, only the units that existed during it.

    Values are primary keys: a code names a unit only with a date. A unit whose code or name another unit of the
    list shares, or which has closed, shows its dates beside its name (``unit_choice_label``)."""
    if period is not None:
        provinces = provinces.active_in(period)
    provinces = list(provinces.order_by("name", "code"))
    children = Unit.objects.filter(parent__in=provinces, level__in=(Level.DISTRICT, Level.COMMUNE))
    if period is not None:
        children = children.active_in(period)
    children = list(children.order_by("name", "code"))
    codes = Counter(unit.code for unit in provinces + children)
    names = Counter(unit.name for unit in provinces + children)

    def label(unit):
        return unit_choice_label(unit, shared=codes[unit.code] > 1 or names[unit.name] > 1)

    by_province = {}
    for unit in children:
        by_province.setdefault(unit.parent_id, []).append(unit)
    groups = []
    for province in provinces:
        # The province's name alone, unless its dates must tell it from another unit of the list.
        plain = label(province) == f"{province.name} ({province.code})"
        own = [(str(province.pk), _("%(name)s — own report") % {"name": province.name if plain else label(province)})]
        under = [(str(unit.pk), label(unit)) for unit in by_province.get(province.pk, [])]
        groups.append((label(province), own + under))
    return groups


class UnitCodeFilter(django_filters.ModelChoiceFilter):
    """A unit by its official code, resolved in the period of the filter (``?unit=82&period=2024Q4``)."""

    field_class = UnitCodeChoiceField


class ReviewFilter(django_filters.FilterSet):
    # A list of periods, never free text: "Quý II/2024" typed by hand once gave a server error.
    period = django_filters.ChoiceFilter(
        label=_("Period"), method="filter_period", empty_label=_("All periods"), choices=()
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Province"),
        queryset=Unit.objects.none(),
        method="filter_province",
        to_field_name="code",
        empty_label=_("All provinces"),
    )
    unit = django_filters.ChoiceFilter(label=_("Unit"), method="filter_unit", empty_label=_("All units"), choices=())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReportStatus.choices, empty_label=_("Any status"))

    class Meta:
        model = QuarterlyReport
        fields = ["period", "province", "unit", "status"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = visible_provinces(request.user) if request else Unit.objects.none()
        self.filters["province"].queryset = provinces
        self.form.fields["province"].queryset = provinces.order_by("valid_until", "name", "code")
        self.form.fields["period"].choices = period_choices(first_report_year())
        self.form.fields["period"].error_messages["invalid_choice"] = _(
            "“%(value)s” is not one of the periods in the list: choose one."
        )
        self.form.fields["unit"].choices = unit_choices(provinces, self.chosen_period())
        self.form.fields["unit"].error_messages["invalid_choice"] = _("Choose a unit from the list.")

    def chosen_period(self):
        """The period the filter was given, or ``None`` (none, or not a period: the field says so)."""
        code = str(self.data.get("period") or "") if self.data else ""
        try:
            return Period.parse(code) if code else None
        except ValueError:
            return None

    def filter_period(self, queryset, name, value):
        return queryset.in_period(Period.parse(value))

    def filter_province(self, queryset, name, value):
        return queryset.filter(in_provinces_q([value.pk], "unit"))

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit_id=value)
