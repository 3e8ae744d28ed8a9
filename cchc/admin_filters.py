"""List filters shared by the admin pages of every app."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.access import sees_every_province
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


class UnitScopedAdmin(admin.ModelAdmin):
    """An admin page that shows a user who does not follow every province only their own unit's rows.

    Provincial staff, the inspection team and administrators see everything; a district officer given access
    to the admin site sees the rows of their unit and of the communes under it, and can pick only those units.
    ``unit_path`` leads from the model to its unit.
    """

    unit_path = "unit"

    def _own_units(self, request):
        own = request.user.unit
        if own is None:
            return Unit.objects.none()
        return Unit.objects.filter(Q(pk=own.pk) | Q(parent=own.pk))

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if sees_every_province(request.user):
            return queryset
        return queryset.filter(**{f"{self.unit_path}__in": self._own_units(request)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Unit and not sees_every_province(request.user):
            kwargs["queryset"] = self._own_units(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
