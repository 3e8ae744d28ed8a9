"""What the admin pages of every app share: scoping to what the user may see, and the list filters.

The admin site follows the pages' visibility rules (``districts.access``, ``inspections.access``): a user who does
not follow every province (a district officer given ``is_staff``) sees only their own units' rows, picks only
rows they may see in every foreign-key field of a form or an inline, and finds in the filter sidebar only
values of the rows they see.
"""

from datetime import date

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import ForeignKey, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from districts.access import sees_every_province, visible_provinces
from districts.models import Unit, parse_day, split_holder_value

# The 2025 reform (docs/domain.md, §Units): the last day of the old units, the first of the new ones.
LAST_OLD_DAY, REFORM_DAY = date(2025, 6, 30), date(2025, 7, 1)


def province_q(unit_path, province_id):
    """Rows whose unit at ``unit_path`` is the province, or lies under it (two levels at most)."""
    return (
        Q(**{f"{unit_path}": province_id})
        | Q(**{f"{unit_path}__parent": province_id})
        | Q(**{f"{unit_path}__parent__parent": province_id})
    )


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
            return queryset.filter(province_q(self.unit_path, value))
        return queryset


def province_filter(unit_path):
    return type(f"ProvinceFilter_{unit_path}", (ProvinceFilter,), {"unit_path": unit_path})


def _unit_prefix(unit_path):
    return "" if unit_path in ("", "pk") else f"{unit_path}__"


def valid_on_q(unit_path, day):
    """Rows whose unit at ``unit_path`` existed on ``day`` (``"pk"``: the unit itself)."""
    prefix = _unit_prefix(unit_path)
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": day})
    )


class ValidOnFilter(admin.SimpleListFilter):
    """Units that existed on a day (``?valid_on=2025-06-30`` or ``30/06/2025``): which holder a reused code meant
    then. The sidebar offers today and the two sides of the 2025 reform; any other day comes by the URL or by a
    date typed in the search box."""

    title = _("valid on")
    parameter_name = "valid_on"
    unit_path = "pk"

    def lookups(self, request, model_admin):
        days = [
            (timezone.localdate(), _("today")),
            (LAST_OLD_DAY, _("30/06/2025, the last day before the reform")),
            (REFORM_DAY, _("01/07/2025, the first day after the reform")),
        ]
        chosen = parse_day(self.value())
        if chosen is not None and chosen not in [day for day, _label in days]:
            days.append((chosen, chosen.strftime("%d/%m/%Y")))
        return [(day.isoformat(), label) for day, label in days]

    def value(self):
        # The sidebar marks the chosen day whichever way it was written.
        day = parse_day(super().value())
        return day.isoformat() if day else super().value()

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        day = parse_day(self.value())
        if day is None:
            return queryset.none()  # not a day: nothing existed on it
        return queryset.filter(valid_on_q(self.unit_path, day))


def valid_on_filter(unit_path):
    return type(f"ValidOnFilter_{unit_path}", (ValidOnFilter,), {"unit_path": unit_path})


def split_search_days(search_term):
    """The search words, and the day a word gives (``30/06/2025``, ``2025-06-30``, or a holder's value such as
    ``82@2025-06-30``, which also gives its code as a word); ``None`` when no word is a day."""
    words, day = [], None
    for word in search_term.split():
        found = parse_day(word)
        if found is None and "@" in word:
            code, found = split_holder_value(word)
            if found is not None and code:
                words.append(code)
        if found is None:
            words.append(word)
        else:
            day = found
    return " ".join(words), day


def own_units(user):
    """A user's own unit and the units directly under it: what a district officer keeps."""
    if user.unit_id is None:
        return Unit.objects.none()
    return Unit.objects.filter(Q(pk=user.unit_id) | Q(parent=user.unit_id))


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
            return own_units(request.user)
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
    (and only rows of those units in any other foreign key). ``unit_path`` leads from the model to its unit.
    """

    unit_path = "unit"

    def scoped_queryset(self, request):
        """The rows the user may see, without the list page's annotations."""
        queryset = self.model._default_manager.all()
        if sees_every_province(request.user):
            return queryset
        return queryset.filter(**{f"{self.unit_path}__in": own_units(request.user)})

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if sees_every_province(request.user):
            return queryset
        return queryset.filter(**{f"{self.unit_path}__in": own_units(request.user)})

    def _outside_scope(self, request, object_id):
        """Whether the row is not one the user may see (or does not exist): answered as the admin answers a row
        that does not exist."""
        try:
            return not self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, ValidationError):
            return True

    def history_view(self, request, object_id, extra_context=None):
        # django-simple-history's history page finds a row hidden from the user through its history rows.
        if self._outside_scope(request, object_id):
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The page of one past version (and its "revert"): the same rule as the row's own page.
        if self._outside_scope(request, object_id):
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_search_results(self, request, queryset, search_term):
        """A date among the search words (``82 30/06/2025``) keeps the rows whose unit existed that day: the unit
        that held a reused code then, and not every holder of it."""
        words, day = split_search_days(search_term)
        if day is not None:
            queryset = queryset.filter(valid_on_q(self.unit_path, day))
        return super().get_search_results(request, queryset, words)

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
