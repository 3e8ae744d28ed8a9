from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from districts.admin_filters import RaceSafeAdmin, UnitScopedAdmin

from .admin_names import PermissionNamesMixin
from .models import Band, LegendSet, Target, User
from .services import StaleSave

admin.site.unregister(Group)


class ReadOnlyHistoryAdmin(RaceSafeAdmin, SimpleHistoryAdmin):
    """History to read, not to revert from: a revert saves a past version over the row without the version check
    that the row's own form makes (SIMPLE_HISTORY_REVERT_DISABLED hides its button; this refuses its POST). To
    bring a past value back, it is entered in the row's own form, which refuses a stale save."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            self.message_user(
                request,
                _("A past version is shown to read. To bring its values back, enter them in the row's own form."),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Group)
class GroupAdmin(PermissionNamesMixin, RaceSafeAdmin, BaseGroupAdmin):
    pass


@admin.register(User)
class UserAdmin(PermissionNamesMixin, RaceSafeAdmin, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "unit", "is_staff", "is_active"]
    list_filter = [*BaseUserAdmin.list_filter, "unit__level"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Unit"), {"fields": ["unit", "title"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Unit"), {"fields": ["unit", "title"]}),
    ]


class TargetAdminForm(forms.ModelForm):
    """The admin's target form, refusing a save made from a copy someone else has changed since."""

    # Not named "version": the admin lists the form's fields for its model form, and a non-editable model field
    # of that name there makes every add and change page fail.
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Target
        fields = ["indicator", "year", "unit", "value", "legend_set", "allows_stricter", "comment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["seen_version"] = self.instance.version

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_version")
        if self.instance.pk and not Target.objects.filter(pk=self.instance.pk, version=seen).exists():
            raise forms.ValidationError(StaleSave().messages[0])
        return cleaned


@admin.register(Target)
class TargetAdmin(UnitScopedAdmin, ReadOnlyHistoryAdmin):
    """Targets, scoped like every unit's rows: a user who does not follow every province (no role of that kind
    has the targets' permissions today; a permission given by hand must not open the others' targets) sees and
    picks only the targets of their own units."""

    form = TargetAdminForm
    list_display = ["year", "unit", "indicator", "value", "allows_stricter", "legend_set"]
    list_filter = ["year", "indicator", "allows_stricter"]
    list_select_related = ["unit", "legend_set"]
    search_fields = ["unit__name", "unit__code", "comment"]
    autocomplete_fields = ["unit"]

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            if change:
                bumped = Target.objects.filter(pk=obj.pk, version=form.cleaned_data.get("seen_version")).update(
                    version=F("version") + 1
                )
                if not bumped:
                    # Changed between the form's check and this save: keep the other change, and say so.
                    messages.error(request, StaleSave().messages[0])
                    return
                obj.version = form.cleaned_data["seen_version"] + 1
            super().save_model(request, obj, form, change)


class BandInline(admin.TabularInline):
    model = Band
    extra = 1
    fields = ["label", "label_en", "from_points", "colour"]


@admin.register(LegendSet)
class LegendSetAdmin(ReadOnlyHistoryAdmin):
    """Sets of colour bands, shared by every province (no unit): only the roles that set targets change them."""

    list_display = ["name", "is_default"]
    inlines = [BandInline]
