"""Pages of inspections: sessions and their recommendations, the follow-up list, answers and their evidence.

Every query goes through the models' ``visible_to(user)``, every action through ``inspections.access``: a
recommendation or session the user may not see does not
exist for them (404); one they may see but not change answers 403 to a change.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.lib.evidence import evidence_response
from cchc.lib.export_views import query_without
from cchc.lib.list_views import ExportableListView
from cchc.lib.steps import run_step
from districts.models import Unit

from . import access, services
from .filters import RecommendationFilter
from .forms import AnswerForm, InspectedUnitFormSet, RecommendationForm, SessionForm, TeamFormSet
from .models import InspectionSession, Recommendation
from .selectors import follow_up_counts
from .tables import RecommendationExport, RecommendationTable


def _add_errors(form, error):
    """Put a service's ``ValidationError`` next to the fields it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error)


# --- Recommendations -------------------------------------------------------------------------------------------------


class RecommendationListView(ExportableListView):
    """The follow-up list: every recommendation the user may see, filtered, sorted, counted and exported."""

    template_name = "inspections/recommendation_list.html"
    table_class = RecommendationTable
    filterset_class = RecommendationFilter
    export_class = RecommendationExport

    def get(self, request, *args, **kwargs):
        self.today = timezone.localdate()
        self.visible = Recommendation.objects.visible_to(request.user)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.visible.with_overdue(self.today).select_related("unit", "session")

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs.update(
            sessions=InspectionSession.objects.visible_to(self.request.user),
            units=Unit.objects.filter(pk__in=self.visible.values("unit")),
            today=self.today,
        )
        return kwargs

    def get_table_kwargs(self):
        return {"today": self.today}

    def get_export_filename(self, export_format):
        return f"recommendations-{self.today:%Y%m%d}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            counts=follow_up_counts(self.object_list, self.today),
            today=self.today,
            export_query=query_without(self.request.GET, "_export", "page"),
        )
        return context


def _visible_recommendation(request, pk):
    recommendations = Recommendation.objects.visible_to(request.user).select_related(
        "unit__parent", "session__inspecting_unit"
    )
    return get_object_or_404(recommendations, pk=pk)


def recommendation_detail(request, pk):
    recommendation = _visible_recommendation(request, pk)
    today = timezone.localdate()
    history = recommendation.history.select_related("history_user").order_by("-history_date", "-history_id")[:20]
    return render(
        request,
        "inspections/recommendation_detail.html",
        {
            "recommendation": recommendation,
            "today": today,
            "days_overdue": recommendation.days_overdue(today),
            "may_answer": access.may_answer(request.user, recommendation)
            and recommendation.status != Recommendation.Status.VERIFIED,
            "may_follow_up": access.may_follow_up(request.user, recommendation),
            "history": history,
        },
    )


def recommendation_answer(request, pk):
    """The owner unit's answer: response, evidence, and in progress or done."""
    recommendation = _visible_recommendation(request, pk)
    if not access.may_answer(request.user, recommendation):
        raise PermissionDenied
    if recommendation.status == Recommendation.Status.VERIFIED:
        messages.info(request, _("The inspection team has verified this recommendation; it can no longer be changed."))
        return redirect("inspections:recommendation_detail", pk=recommendation.pk)
    today = timezone.localdate()
    if request.method == "POST":
        form = AnswerForm(request.POST, request.FILES, today=today)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.answer_recommendation(
                    recommendation,
                    by=request.user,
                    status=data["status"],
                    response=data["response"],
                    evidence=data["evidence"],
                    evidence_file=data["evidence_file"],
                    remove_file=data["remove_file"],
                    closed_on=data["closed_on"],
                    today=today,
                    # A missing version (a hand-made request) is refused as a stale copy.
                    version=data["version"] if data["version"] is not None else -1,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Your answer is saved."))
                return redirect("inspections:recommendation_detail", pk=recommendation.pk)
    else:
        status = recommendation.status if recommendation.status in services.ANSWER_STATUSES else None
        form = AnswerForm(
            initial={
                "status": status or Recommendation.Status.IN_PROGRESS,
                "closed_on": recommendation.closed_on or today,
                "response": recommendation.response,
                "evidence": recommendation.evidence,
                "version": recommendation.version,
            },
            today=today,
        )
    return render(request, "inspections/recommendation_answer.html", {"recommendation": recommendation, "form": form})


def _follow_up_action(request, pk, action, done_message):
    recommendation = _visible_recommendation(request, pk)
    if not access.may_follow_up(request.user, recommendation):
        raise PermissionDenied
    run_step(request, lambda: action(recommendation), done_message)
    return redirect("inspections:recommendation_detail", pk=recommendation.pk)


@require_POST
def recommendation_verify(request, pk):
    today = timezone.localdate()
    return _follow_up_action(
        request,
        pk,
        lambda recommendation: services.verify_recommendation(recommendation, by=request.user, today=today),
        _("The recommendation is marked verified by the team."),
    )


@require_POST
def recommendation_reopen(request, pk):
    return _follow_up_action(
        request,
        pk,
        lambda recommendation: services.reopen_recommendation(recommendation, by=request.user),
        _("The recommendation is sent back to the unit, in progress again."),
    )


def recommendation_evidence(request, pk):
    """The evidence file, to those who may see the recommendation; files are never served from a public URL."""
    recommendation = _visible_recommendation(request, pk)
    if not recommendation.evidence_file:
        raise Http404
    return evidence_response(recommendation.evidence_file, recommendation.evidence_file_name)


def _recommendation_form_page(request, form, session, recommendation=None):
    return render(
        request,
        "inspections/recommendation_form.html",
        {"form": form, "session": session, "recommendation": recommendation},
    )


def recommendation_create(request, session_pk):
    session = visible_session(request, session_pk)
    if not access.may_manage_session(request.user, session):
        raise PermissionDenied
    form = RecommendationForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        form.instance._history_user = request.user
        form.save()
        messages.success(request, _("The recommendation is added."))
        if "_addanother" in request.POST:
            return redirect("inspections:recommendation_create", session_pk=session.pk)
        return redirect("inspections:session_detail", pk=session.pk)
    return _recommendation_form_page(request, form, session)


def recommendation_edit(request, pk):
    recommendation = _visible_recommendation(request, pk)
    if recommendation.session is None or not access.may_follow_up(request.user, recommendation):
        # A recommendation without a session is kept in the admin site.
        raise PermissionDenied
    form = RecommendationForm(request.POST or None, instance=recommendation, session=recommendation.session)
    if request.method == "POST" and form.is_valid():
        form.instance._history_user = request.user
        form.save()
        messages.success(request, _("The recommendation is saved."))
        return redirect("inspections:recommendation_detail", pk=recommendation.pk)
    return _recommendation_form_page(request, form, recommendation.session, recommendation)


# --- Sessions --------------------------------------------------------------------------------------------------------


def visible_session(request, pk):
    sessions = InspectionSession.objects.visible_to(request.user).select_related("inspecting_unit")
    return get_object_or_404(sessions, pk=pk)


def _session_forms(request, session, inspecting_units):
    data = request.POST if request.method == "POST" else None
    form = SessionForm(data, instance=session, inspecting_units=inspecting_units)
    team = TeamFormSet(data, instance=form.instance, prefix="team")
    units = InspectedUnitFormSet(
        data,
        instance=form.instance,
        prefix="units",
        form_kwargs={"units": access.units_in_scope(inspecting_units)},
    )
    return form, team, units


def _session_form_page(request, session=None):
    inspecting_units = access.inspecting_units_for(request.user)
    form, team, units = _session_forms(request, session, inspecting_units)
    if request.method == "POST":
        # In this order: the rows are checked against the session's dates and inspecting unit.
        valid = [form.is_valid(), team.is_valid(), units.is_valid()]
        if all(valid):
            session = services.save_session(form, team, units)
            messages.success(request, _("The inspection session is saved."))
            return redirect("inspections:session_detail", pk=session.pk)
    return render(
        request,
        "inspections/session_form.html",
        {"form": form, "team": team, "units": units, "session": session},
    )


def session_create(request):
    if not access.may_record_sessions(request.user):
        raise PermissionDenied
    return _session_form_page(request)


def session_edit(request, pk):
    session = visible_session(request, pk)
    if not access.may_manage_session(request.user, session):
        raise PermissionDenied
    return _session_form_page(request, session)
