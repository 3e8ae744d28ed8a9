from django.contrib import admin
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from cchc.admin_filters import UnitScopedAdmin, province_filter
from cchc.versioning import VersionedAdminMixin

from .models import ReformPlan, ReformTask, Unit


@admin.register(Unit)
class UnitAdmin(UnitScopedAdmin):
    unit_path = "pk"
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_until"]
    list_filter = ["level", "kind", province_filter("parent")]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["successors"]
    readonly_fields = ["level"]
    fields = ["code", "name", "kind", "level", "parent", "valid_from", "valid_until", "successors"]


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
        return (
            super()
            .get_queryset(request)
            .annotate(
                tasks_total=Count("tasks"),
                tasks_done=Count("tasks", filter=Q(tasks__status=ReformTask.Status.DONE)),
            )
        )

    @admin.display(description=_("tasks done"))
    def completion(self, plan):
        return f"{plan.tasks_done}/{plan.tasks_total}"


@admin.register(ReformTask)
class ReformTaskAdmin(VersionedAdminMixin, UnitScopedAdmin):
    unit_path = "plan__unit"
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
