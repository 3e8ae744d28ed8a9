"""List filters shared by the admin pages of every app."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from districts.models import Unit


def province_q(unit_path, province_id):
    """Rows whose unit at ``unit_path`` is the province, or lies under it (two levels at most)."""
    return (
        Q(**{f"{unit_path}": province_id})
        | Q(**{f"{unit_path}__parent": province_id})
        | Q(**{f"{unit_path}__parent__parent": province_id})
    )


class ProvinceFilter(admin.SimpleListFilter):
    """Filter by province, for any model reaching a unit through ``unit_path``."""

    title = _("province")
    parameter_name = "province"
    unit_path = "unit"

    def lookups(self, request, model_admin):
        return [(unit.pk, str(unit)) for unit in Unit.objects.provinces().order_by("code")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(province_q(self.unit_path, self.value()))
        return queryset


def province_filter(unit_path):
    return type(f"ProvinceFilter_{unit_path}", (ProvinceFilter,), {"unit_path": unit_path})
