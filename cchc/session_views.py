"""The inspection sessions' list and page: they check a unit's sessions against the "units inspected" of its
quarterly report, a read across the inspections and the reports, so they live in the dashboard. Their URLs keep
their paths and names (``inspections:session_list``, ``inspections:session_detail``; ``cchc.urls``).
"""

from django.db.models import OuterRef
from django.shortcuts import render
from django.utils import timezone

from cchc.inspection_checks import inspection_check
from cchc.lib.export_views import query_without
from cchc.lib.list_views import ExportableListView
from cchc.selectors import SubquerySum
from districts.models import Unit
from dossiers.access import statuses_counted_for
from inspections import access
from inspections.filters import SessionFilter
from inspections.models import InspectedUnit, InspectionSession, Recommendation
from inspections.selectors import follow_up_counts
from inspections.tables import SessionExport, SessionTable
from inspections.views import visible_session


class SessionListView(ExportableListView):
    """The sessions the user may see, filtered; downloadable as the follow-up list is (title block, CSV for Excel
    in Vietnamese)."""

    template_name = "inspections/session_list.html"
    table_class = SessionTable
    filterset_class = SessionFilter
    export_class = SessionExport

    def get_queryset(self):
        user = self.request.user
        units = InspectedUnit.objects.visible_to(user).filter(session=OuterRef("pk"))
        recommendations = Recommendation.objects.visible_to(user).filter(session=OuterRef("pk"))
        # Counted in subqueries: two counts over two joins in one annotate() would multiply each other.
        return (
            InspectionSession.objects.visible_to(user)
            .select_related("inspecting_unit")
            .annotate(
                unit_count=SubquerySum(units, "pk", function="COUNT"),
                recommendation_count=SubquerySum(recommendations, "pk", function="COUNT"),
            )
        )

    def get_export_filename(self, export_format):
        return f"inspection-sessions-{timezone.localdate():%Y%m%d}.{export_format}"

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        sessions = InspectionSession.objects.visible_to(self.request.user)
        kwargs["inspecting_units"] = Unit.objects.filter(pk__in=sessions.values("inspecting_unit"))
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cleaned = getattr(self.filterset.form, "cleaned_data", {})
        unit, year = cleaned.get("inspecting_unit"), cleaned.get("year")
        check = None
        if unit is not None and year is not None and not self.filterset.form.errors:
            check = inspection_check(unit=unit, year=year, statuses=statuses_counted_for(self.request.user, unit=unit))
        context.update(
            check=check,
            export_query=query_without(self.request.GET, "_export", "page"),
            may_record=access.may_record_sessions(self.request.user),
            own_unit=self.request.user.unit,
            this_year=timezone.localdate().year,
        )
        return context


def session_detail(request, pk):
    session = visible_session(request, pk)
    today = timezone.localdate()
    recommendations = (
        Recommendation.objects.visible_to(request.user)
        .filter(session=session)
        .with_overdue(today)
        .select_related("unit")
        .order_by("unit__code", "pk")
    )
    unit = session.inspecting_unit
    return render(
        request,
        "inspections/session_detail.html",
        {
            "session": session,
            "team": session.team.all(),
            "inspected_units": InspectedUnit.objects.visible_to(request.user)
            .select_related("unit")
            .filter(session=session),
            "recommendations": recommendations,
            "counts": follow_up_counts(recommendations, today),
            "today": today,
            "may_manage": access.may_manage_session(request.user, session),
            "check": inspection_check(
                unit=unit, year=session.starts_on.year, statuses=statuses_counted_for(request.user, unit=unit)
            ),
        },
    )
