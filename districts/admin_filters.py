"""What the admin pages of every app share: scoping to what the user may see, and the list filters.

The admin site follows the one unit rule (``districts.access``): a user who does not follow every province
(a district officer given ``is_staff``) sees only the rows of the units they keep (their own and those under it:
``kept_by``, never a former unit's history, which the pages show read-only), picks only rows they may see in
every foreign-key field of a form or an inline, and finds in the filter sidebar only values of the rows they see.
"""

from datetime import date

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import ForeignKey, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from districts.access import in_provinces_q, sees_every_province, visible_provinces
from districts.models import Unit, parse_day, split_holder_value

# The 2025 reform (docs/domain.md, §Units): the last day of the old units, the first of the new ones.
LAST_OLD_DAY, REFORM_DAY = date(2025, 6, 30), date(2025, 7, 1)


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
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.related_model is Unit:
            field.label_from_instance = unit_with_interval
        return field


def unit_with_interval(unit):
    """A unit as the admin names it in its pickers: "82 – Tỉnh Tiền Giang (đến 30/06/2025)", so that two holders
    of a code are told apart where one is chosen."""
    return f"{unit} ({unit.interval_label})" if unit.interval_label else str(unit)


class UnitAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete, naming each unit it finds with its interval (``unit_with_interval``); served at
    the admin's own autocomplete address (cchc/urls.py), as Django's documentation shows for such a change."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, Unit):
            result["text"] = unit_with_interval(obj)
        return result


class RaceSafeAdmin(admin.ModelAdmin):
    """An admin page that answers a save the database refused because of a row saved meanwhile with a message in
    Vietnamese, never a server error: every admin of the site, scoped to units or not (issue 11: no concurrent
    save ends in an error)."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            if request.method != "POST":
                raise
            # The form checked every constraint, so the database refusing the save means that someone else
            # saved a conflicting row meanwhile (two "add" of one unit and year at once): a message, not an error.
            return self.response_to_race(request, object_id)

    def response_to_race(self, request, object_id):
        """The answer to a save the database refused because of a row saved meanwhile: the message, then the list
        (an add) or the row as it is now (a change)."""
        self.message_user(
            request,
            gettext(
                "Someone else saved a %(name)s that conflicts with this one while you were entering it: your changes "
                "were not saved. Check the list and try again if needed."
            )
            % {"name": self.model._meta.verbose_name},
            messages.ERROR,
        )
        opts = self.model._meta
        if object_id is None:
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        return HttpResponseRedirect(request.get_full_path())


class UnitScopedAdmin(ScopedChoicesMixin, RaceSafeAdmin):
    """An admin page that shows a user who does not follow every province only their own unit's rows.

    Provincial staff, the inspection team and administrators see everything; a district officer given access
    to the admin site sees the rows of their unit and of the communes under it, and can pick only those units
    (and only rows of those units in any other foreign key). The model's queryset says how a row reaches its unit
    (``districts.access.VisibleQuerySet.unit_path``).
    """

    @property
    def unit_path(self):
        """How a row reaches its unit, as the model's queryset says (``""``: the row is a unit)."""
        return self.model._default_manager.get_queryset().unit_path

    def scoped_queryset(self, request):
        """The rows the user may see, without the list page's annotations."""
        return self.model._default_manager.kept_by(request.user)

    def get_queryset(self, request):
        return super().get_queryset(request).kept_by(request.user)

    def get_list_display(self, request):
        # A list's unit column names the unit with its interval, as the pickers do: two holders of a reused code
        # (82 until 30/06/2025, 82 since) are told apart in the list too.
        return [self.unit_shown if name == "unit" else name for name in super().get_list_display(request)]

    @admin.display(description=_("unit"), ordering="unit__code")
    def unit_shown(self, obj):
        return unit_with_interval(obj.unit)

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
