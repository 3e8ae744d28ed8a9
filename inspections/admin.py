from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cchc.lib.roles import INSPECTION_TEAM, has_role
from cchc.lib.versioning import VersionedAdminMixin
from districts.admin_filters import ScopedChoicesMixin, UnitScopedAdmin, province_filter

from . import access
from .models import InspectedUnit, InspectionSession, Recommendation, TeamMember


class TeamMemberInline(ScopedChoicesMixin, admin.TabularInline):
    model = TeamMember
    extra = 0
    fields = ["full_name", "title", "is_lead"]


class InspectedUnitInline(ScopedChoicesMixin, admin.StackedInline):
    model = InspectedUnit
    extra = 0
    autocomplete_fields = ["unit"]
    fields = [("unit", "department", "inspected_on", "score"), ("chaired_by", "attended_by"), "findings"]


@admin.display(description=_("evidence file"))
def evidence_download(recommendation):
    """A link to the login-checked download: the admin's own file widget would point at a public URL."""
    if not recommendation.pk or not recommendation.evidence_file:
        return "—"
    url = reverse("inspections:recommendation_evidence", args=[recommendation.pk])
    return format_html('<a href="{}">{}</a>', url, recommendation.evidence_file_name or _("Download"))


class RecommendationInline(VersionedAdminMixin, ScopedChoicesMixin, admin.StackedInline):
    model = Recommendation
    extra = 0
    autocomplete_fields = ["unit"]
    fields = [("unit", "area", "deadline"), "text", ("status", "closed_on"), "response", "evidence", evidence_download]
    readonly_fields = [evidence_download]


@admin.register(InspectionSession)
class InspectionSessionAdmin(VersionedAdminMixin, UnitScopedAdmin):
    # A district officer given the admin site sees the rounds their own unit made (its internal inspections).
    list_display = ["title", "inspecting_unit", "format", "starts_on", "ends_on", "unit_count"]
    list_filter = ["format", "starts_on", province_filter("inspecting_unit")]
    search_fields = ["title", "inspecting_unit__name", "inspected_units__unit__name", "inspected_units__unit__code"]
    list_select_related = ["inspecting_unit"]
    autocomplete_fields = ["inspecting_unit"]
    date_hierarchy = "starts_on"
    inlines = [TeamMemberInline, InspectedUnitInline, RecommendationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(unit_count=Count("inspected_units", distinct=True))

    @admin.display(description=InspectedUnit._meta.verbose_name_plural, ordering="unit_count")
    def unit_count(self, session):
        return session.unit_count


@admin.register(Recommendation)
class RecommendationAdmin(VersionedAdminMixin, UnitScopedAdmin):
    list_display = ["text_short", "unit", "session", "area", "deadline", "status", "closed_on"]
    list_filter = ["status", "area", "session", province_filter("unit")]
    search_fields = ["text", "unit__code", "unit__name"]
    list_select_related = ["unit", "session"]
    autocomplete_fields = ["unit", "session"]
    # Evidence files come from the district's answer page; here they are only offered for download.
    exclude = ["evidence_file"]
    readonly_fields = [evidence_download]
    # What the inspection asked, of whom and by when: the inspecting side's to write, the owner unit only answers.
    inspecting_side_fields = ["session", "unit", "text", "area", "deadline"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not access.may_follow_up(request.user, obj):
            fields += self.inspecting_side_fields
        return fields

    @admin.display(description=Recommendation._meta.get_field("text").verbose_name)
    def text_short(self, recommendation):
        return str(recommendation)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        # Only the inspection team verifies: others cannot pick that status here either.
        if db_field.name == "status" and not _is_team(request.user):
            kwargs["choices"] = [choice for choice in db_field.choices if choice[0] != Recommendation.Status.VERIFIED]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


def _is_team(user):
    return user.is_superuser or has_role(user, INSPECTION_TEAM)
