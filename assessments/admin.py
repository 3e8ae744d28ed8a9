"""Criteria sets are written in the admin (or imported, or copied from last year's); the rest is kept there too."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from districts.admin_filters import RaceSafeAdmin, UnitScopedAdmin, province_filter

from .models import Assessment, CriteriaSet, Criterion, GradeBand, GroupScore, LeafScore, ScoreBand, ScoreGroup
from .tree import copy_set, link_parents, tree_errors


class CriteriaFormSet(BaseInlineFormSet):
    """Checks the tree as it will be saved: every parent's maximum is the sum of its children's."""

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return  # the nodes' own errors first: a node left out would make its parent look wrong
        nodes = [
            form.instance
            for form in self.forms
            if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        errors = tree_errors(nodes)
        if errors:
            raise ValidationError([error.message for error in errors])


class CriterionInline(admin.TabularInline):
    model = Criterion
    formset = CriteriaFormSet
    fk_name = "criteria_set"
    extra = 0
    fields = ["code", "text", "max_points", "method", "halves_allowed", "source"]
    show_change_link = True


class GradeBandInline(admin.TabularInline):
    model = GradeBand
    extra = 0


@admin.register(CriteriaSet)
class CriteriaSetAdmin(UnitScopedAdmin):
    list_display = ["title", "province", "year", "scored_units", "decision", "deadline", "published_on"]
    list_filter = ["year", "scored_units", "province"]
    search_fields = ["title", "decision"]
    list_select_related = ["province"]
    inlines = [CriterionInline, GradeBandInline]
    actions = ["copy_to_next_year"]

    def get_queryset(self, request):
        # A district officer's own unit is a district: the sets of its province are what it may read.
        return admin.ModelAdmin.get_queryset(self, request).visible_to(request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        link_parents(form.instance)

    @admin.action(description=_("Copy to the next year"))
    def copy_to_next_year(self, request, queryset):
        for criteria_set in queryset:
            year = criteria_set.year + 1
            if CriteriaSet.objects.filter(
                province=criteria_set.province, year=year, scored_units=criteria_set.scored_units
            ).exists():
                self.message_user(
                    request,
                    gettext("%(set)s: the province already has a set for %(year)s.")
                    % {"set": criteria_set, "year": year},
                    messages.ERROR,
                )
                continue
            copy = copy_set(criteria_set, year=year)
            self.message_user(request, gettext("Copied as %(set)s.") % {"set": copy}, messages.SUCCESS)


class ScoreBandInline(admin.TabularInline):
    model = ScoreBand
    extra = 0


@admin.register(Criterion)
class CriterionAdmin(RaceSafeAdmin):
    """Criteria of the sets the user may read: a district officer those of their own province's sets, and only
    those sets in the filter."""

    list_display = ["code", "text", "criteria_set", "max_points", "method", "source"]
    list_filter = [("criteria_set", admin.RelatedOnlyFieldListFilter), "method"]
    search_fields = ["code", "text"]
    readonly_fields = ["criteria_set", "parent"]
    fields = ["criteria_set", "parent", "code", "text", "max_points", "method", "halves_allowed", "source"]
    inlines = [ScoreBandInline]

    def has_add_permission(self, request):
        # A criterion is added within its set, where the sums are checked over the whole tree.
        return False

    def get_queryset(self, request):
        # The sets' own visibility rule (CriteriaSetQuerySet.visible_to): the one place that says who reads a set.
        sets = CriteriaSet.objects.visible_to(request.user)
        return super().get_queryset(request).filter(criteria_set__in=sets.values("pk"))


class LeafScoreInline(admin.TabularInline):
    model = LeafScore
    extra = 0
    fields = ["criterion", "self_points", "evidence_number", "evidence_date", "explanation", "appraised_points"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(UnitScopedAdmin):
    list_display = ["unit", "criteria_set", "status", "stated_self_total", "survey_points", "submitted_at"]
    list_filter = ["status", "criteria_set__year", province_filter("unit")]
    list_select_related = ["unit", "criteria_set"]
    search_fields = ["unit__code", "unit__name"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["status", "submitted_at"]
    inlines = [LeafScoreInline]


@admin.register(ScoreGroup)
class ScoreGroupAdmin(RaceSafeAdmin):
    """The national groups of Decision 766, the same for every province: nothing in them to scope."""

    list_display = ["name", "code", "max_points", "valid_from_year", "valid_until_year", "position"]


@admin.register(GroupScore)
class GroupScoreAdmin(UnitScopedAdmin):
    list_display = ["unit", "period", "group", "points", "percent", "comment"]
    list_filter = ["period", "group", province_filter("unit")]
    list_select_related = ["unit", "group"]
    search_fields = ["unit__code", "unit__name", "comment"]
    autocomplete_fields = ["unit"]
