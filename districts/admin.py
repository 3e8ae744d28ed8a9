from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import F
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.lib.versioning import VersionedAdminMixin
from districts.admin_filters import UnitScopedAdmin, province_filter, valid_on_filter

from .models import ReformPlan, ReformTask, Unit
from .services import accounts_to_move, move_accounts


@admin.register(Unit)
class UnitAdmin(UnitScopedAdmin):
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_until"]
    list_filter = ["level", "kind", valid_on_filter("pk"), province_filter("parent")]
    search_fields = ["code", "name"]
    search_help_text = _(
        "A code or a name; add a date (dd/mm/yyyy) to find the unit that held a code on that day (codes were "
        "reused in the 2025 reform)."
    )
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["successors"]
    readonly_fields = ["level"]
    fields = ["code", "name", "kind", "level", "parent", "valid_from", "valid_until", "successors"]
    actions = ["move_accounts_to_successor"]

    def has_move_permission(self, request):
        # Accounts are the provincial administrator's: whoever may change users.
        return request.user.has_perm("cchc.change_user")

    @admin.action(description=_("Move the accounts of these closed units to their successor"), permissions=["move"])
    def move_accounts_to_successor(self, request, queryset):
        """First lists each unit's accounts and successor (to choose when there are several), then moves them
        once confirmed."""
        units = list(queryset.prefetch_related("successors", "users").order_by("code", "valid_from"))
        plans = []
        for unit in units:
            successors = list(unit.successors.all())
            if unit.valid_until is None:
                problem = _("still open")
            elif not successors:
                problem = _("no successor recorded")
            elif not unit.users.all():
                problem = _("no account attached")
            else:
                problem = None
            chosen = request.POST.get(f"successor_{unit.pk}")
            successor = next((s for s in successors if str(s.pk) == chosen), successors[0] if successors else None)
            plans.append(
                {
                    "unit": unit,
                    "successors": successors,
                    "successor": successor,
                    "problem": problem,
                    "accounts": list(accounts_to_move(unit)),
                }
            )
        if request.POST.get("confirm") == "yes":
            moved = 0
            for plan in plans:
                if plan["problem"] is None:
                    try:
                        moved += len(move_accounts(plan["unit"], to=plan["successor"]))
                    except ValidationError as error:
                        self.message_user(request, "; ".join(error.messages), messages.ERROR)
            self.message_user(request, _("%(count)s accounts moved.") % {"count": moved}, messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Move accounts to the successor"),
            "opts": self.model._meta,
            "plans": plans,
            "any_to_move": any(plan["problem"] is None for plan in plans),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "selected": [unit.pk for unit in units],
        }
        return TemplateResponse(request, "admin/districts/unit/move_accounts.html", context)


class ReformTaskInline(VersionedAdminMixin, admin.TabularInline):
    model = ReformTask
    extra = 0
    fields = ["title", "area", "assigned_by", "deadline", "status", "completed_on"]


@admin.register(ReformPlan)
class ReformPlanAdmin(VersionedAdminMixin, UnitScopedAdmin):
    list_display = ["unit", "year", "title", "completion"]
    list_filter = ["year", province_filter("unit")]
    search_fields = ["unit__code", "unit__name", "title", "reference_number"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    inlines = [ReformTaskInline]

    def get_queryset(self, request):
        # Counted in the list query itself, so the list runs no query per row.
        # Done as of today, by the one definition of a task done (districts.models.done_by).
        return super().get_queryset(request).with_completion(timezone.localdate())

    @admin.display(description=_("tasks done"))
    def completion(self, plan):
        return f"{plan.tasks_done}/{plan.tasks_total}"


@admin.register(ReformTask)
class ReformTaskAdmin(VersionedAdminMixin, UnitScopedAdmin):
    list_display = ["title", "plan", "area", "assigned_by", "deadline", "status", "completed_on"]
    list_filter = ["status", "area", "assigned_by", "plan__year", province_filter("plan__unit")]
    search_fields = ["title", "plan__unit__code", "plan__unit__name"]
    list_select_related = ["plan__unit"]
    autocomplete_fields = ["plan"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A task is part of its plan: the plan editor open elsewhere must not save over this change.
        plans = {obj.plan_id, form.initial.get("plan")} - {None}
        ReformPlan.objects.filter(pk__in=plans).update(version=F("version") + 1)
