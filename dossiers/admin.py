from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from cchc.lib.versioning import VersionedAdminMixin, VersionedModelForm
from districts.access import is_provincial_staff
from districts.admin_filters import UnitScopedAdmin, province_filter

from . import services
from .models import LevelFigures, QuarterlyReport, ReportEvent, overlapping_figures


class IdentitiesForm(forms.ModelForm):
    """The admin has no "draft with errors" view: it refuses figures that break an identity whatever the
    report's status (``clean()`` lets an unfinished report's figures through, for the district's page)."""

    def _post_clean(self):
        super()._post_clean()
        if self.instance.draft_exempt():
            for problem in self.instance.identity_errors():
                if problem.field in self.fields and problem.field not in self._errors:
                    self.add_error(problem.field, problem.message)


class ReportAdminForm(VersionedModelForm, IdentitiesForm):
    """The report's own form in the admin: identities checked whatever the status, and the version."""


class LevelFiguresFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        rows = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            rows[form.cleaned_data.get("level")] = form.cleaned_data
        doubled = overlapping_figures(rows)
        if doubled:
            raise ValidationError([services.overlap_message(figure) for figure in doubled])


class LevelFiguresInline(admin.StackedInline):
    model = LevelFigures
    form = IdentitiesForm
    formset = LevelFiguresFormSet
    extra = 0
    max_num = 3
    fields = [
        "level",
        ("carried_over", "received", "received_online", "received_online_full", "received_postal"),
        ("resolved", "resolved_in_time", "resolved_early", "resolved_late", "returned"),
        ("pending", "pending_overdue", "apology_letters"),
    ]


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    fields = ["at", "from_status", "to_status", "by", "comment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(VersionedAdminMixin, UnitScopedAdmin):
    # A save here raises the report's version like a save on the report page, and one from an older copy
    # (the district saved meanwhile) is refused: the admin's form carries the version it was opened at.
    form = ReportAdminForm
    list_display = ["unit", "year", "quarter", "status", "updated_at"]
    list_filter = ["status", "year", "quarter", province_filter("unit")]
    search_fields = ["unit__code", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["status", "return_comment", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": [("unit", "year", "quarter"), ("status", "updated_at"), "return_comment"]}),
        (
            _("Procedures"),
            {
                "fields": [
                    ("procedures_total", "procedures_reviewed", "procedures_simplified"),
                    ("procedures_with_dossiers", "procedures_postal", "procedures_online"),
                ]
            },
        ),
        (
            _("Internal inspection and communication"),
            {
                "fields": [
                    ("units_planned_inspection", "units_inspected"),
                    ("communication_programmes", "communication_articles", "communication_news"),
                ]
            },
        ),
        (None, {"fields": ["note"]}),
    ]
    inlines = [LevelFiguresInline, ReportEventInline]
    actions = ["submit_reports", "approve_reports"]

    def response_to_race(self, request, object_id):
        # Two "add report" saves of one unit and quarter at once: both passed the form's uniqueness check, the
        # database refused the second. Say so, and open the report that was saved first.
        theirs = self._added_meanwhile(request) if object_id is None else None
        if theirs is None:
            return super().response_to_race(request, object_id)
        self.message_user(
            request,
            _(
                "Someone else added the report of %(unit)s for %(period)s while you were entering this one: your "
                "figures were not saved. Here is their report: change it if needed."
            )
            % {"unit": theirs.unit.name, "period": theirs.period.label},
            messages.ERROR,
        )
        return HttpResponseRedirect(reverse("admin:dossiers_quarterlyreport_change", args=[theirs.pk]))

    def _added_meanwhile(self, request):
        """The report of the unit and quarter the add form names, saved by someone else; ``None`` without one."""
        try:
            key = {name: int(request.POST.get(name, "")) for name in ("unit", "year", "quarter")}
        except ValueError:
            return None
        return (
            self.get_queryset(request)
            .select_related("unit")
            .filter(unit_id=key["unit"], year=key["year"], quarter=key["quarter"])
            .first()
        )

    def has_change_permission(self, request, obj=None):
        # The same locks as the report page: a district changes only its drafts and returned reports; an
        # approved report is re-opened before anyone but an administrator changes it.
        if obj is not None and not request.user.is_superuser:
            editable = services.editable_statuses(province_staff=is_provincial_staff(request.user))
            if obj.status not in editable:
                return False
        return super().has_change_permission(request, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for problem in form.instance.warnings():
            self.message_user(request, problem.message, messages.WARNING)

    def _apply(self, request, queryset, action, done_message):
        """Apply ``action`` to each report; say why for each one refused, and how many were done
        (``done_message``, a plural-aware text of that number)."""
        done = 0
        for report in queryset:
            try:
                services.change_status(report, action, by=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{report}: {' '.join(error.messages)}", messages.ERROR)
        if done:
            self.message_user(request, done_message % done, messages.SUCCESS)

    @admin.action(description=_("Submit the selected reports"), permissions=["change"])
    def submit_reports(self, request, queryset):
        self._apply(request, queryset, "submit", ngettext_lazy("%d report submitted.", "%d reports submitted."))

    def has_approve_permission(self, request):
        return request.user.has_perm("dossiers.approve_quarterlyreport")

    @admin.action(description=_("Approve the selected reports"), permissions=["approve"])
    def approve_reports(self, request, queryset):
        self._apply(request, queryset, "approve", ngettext_lazy("%d report approved.", "%d reports approved."))
