"""Filters of the province's review list."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.access import visible_provinces
from cchc.admin_filters import province_q
from cchc.periods import Period
from districts.models import Level, Unit

from .models import QuarterlyReport, ReportStatus


class ReviewFilter(django_filters.FilterSet):
    period = django_filters.CharFilter(
        label=_("Period"), method="filter_period", help_text=_("e.g. 2024Q1, 2024H1, 2024")
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Province"),
        queryset=Unit.objects.none(),
        method="filter_province",
        to_field_name="code",
        empty_label=_("All provinces"),
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("District"), queryset=Unit.objects.none(), to_field_name="code", empty_label=_("All units")
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReportStatus.choices, empty_label=_("Any status"))

    class Meta:
        model = QuarterlyReport
        fields = ["period", "province", "unit", "status"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = visible_provinces(request.user) if request else Unit.objects.none()
        self.filters["province"].queryset = provinces
        self.form.fields["province"].queryset = provinces
        units = Unit.objects.filter(level=Level.DISTRICT, parent__in=provinces) | Unit.objects.filter(
            level=Level.PROVINCE, pk__in=provinces
        )
        self.form.fields["unit"].queryset = units.order_by("code")

    def filter_period(self, queryset, name, value):
        try:
            period = Period.parse(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        return queryset.in_period(period)

    def filter_province(self, queryset, name, value):
        return queryset.filter(province_q("unit", value.pk))
