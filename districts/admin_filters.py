"""What the admin pages of every app share: scoping to what the user may see, and the list filters.

The admin site follows the one unit rule (``districts.access``): a user who does not follow every province
(a district officer given ``is_staff``) sees only the rows of the units they keep (their own and those under it:
``kept_by``, never a former unit's history, which the pages show read-only), picks only rows they may see in
every foreign-key field of a form or an inline, and finds in the filter sidebar only values of the rows they see.
"""

from django.contrib import admin
from django.db.models import ForeignKey
from django.utils.translation import gettext_lazy as _

from districts.access import in_provinces_q, sees_every_province, visible_provinces
from districts.models import Unit


class ProvinceFilter(admin.SimpleListFilter):
    """Filter by province, for any model reaching a unit through ``unit_path``; only provinces the user sees."""

    title = _("province")
    parameter_name = "province"
    unit_path = "unit"

    def lookups(self, request, model_admin):
        return [(unit.pk, str(unit)) for unit in visible_provinces(request.user).order_by("code")]

    def queryset(self, request, queryset):
        value = self.value()
        if value:
            if not value.isdigit():
                return queryset.none()
            return queryset.filter(in_provinces_q([value], self.unit_path))
        return queryset


def province_filter(unit_path):
    return type(f"ProvinceFilter_{unit_path}", (ProvinceFilter,), {"unit_path": unit_path})


class ScopedChoicesMixin:
    """Foreign-key choices narrowed to the rows the user may see, for model admins and inlines alike.

    A related model with a ``UnitScopedAdmin`` offers what that admin lists to the user (its ``get_queryset``):
    one rule for what a user sees of a model, whether listed or picked. A unit is picked among the user's own
    units. An autocomplete widget searches the related admin already; this also holds what the form accepts,
    so a hand-made POST with another unit's row is refused as an invalid choice.
    """

    def scoped_choices(self, request, model):
        """The rows of ``model`` the user may pick, or ``None`` when the user may pick any."""
        if sees_every_province(request.user):
            return None
        if model is Unit:
            return Unit.objects.kept_by(request.user)
        related_admin = self.admin_site._registry.get(model)
        if isinstance(related_admin, UnitScopedAdmin):
            return related_admin.scoped_queryset(request)
        return None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        choices = self.scoped_choices(request, db_field.related_model)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class UnitScopedAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """An admin page that shows a user who does not follow every province only their own unit's rows.

    Provincial staff, the inspection team and administrators see everything; a district officer given access
    to the admin site sees the rows of their unit and of the communes under it, and can pick only those units
    (and only rows of those units in any other foreign key). The model's queryset says how a row reaches its unit
    (``districts.access.VisibleQuerySet.unit_path``).
    """

    def scoped_queryset(self, request):
        """The rows the user may see, without the list page's annotations."""
        return self.model._default_manager.kept_by(request.user)

    def get_queryset(self, request):
        return super().get_queryset(request).kept_by(request.user)

    def get_list_filter(self, request):
        """Filters by a related row list only the related rows of the rows the user sees."""
        filters = []
        for entry in super().get_list_filter(request):
            if isinstance(entry, str) and self._is_relation(entry):
                entry = (entry, admin.RelatedOnlyFieldListFilter)
            filters.append(entry)
        return filters

    def _is_relation(self, path):
        model = self.model
        field = None
        for name in path.split("__"):
            field = model._meta.get_field(name)
            if not field.is_relation:
                return False
            model = field.related_model
        return isinstance(field, ForeignKey)
