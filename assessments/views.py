"""Pages of the PAR index: the criteria sets, a unit's assessment (self-assessment, appraisal, answers), the
results with their exports and JSON feed, and the evidence files.

Every query goes through ``assessments.access``: a set or an assessment the user may not see does not exist
for them (404); one they may see but not change answers 403 to a change.
"""

from decimal import Decimal
from functools import partial
from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cchc.lib import excel
from cchc.lib.evidence import evidence_response
from cchc.lib.export_views import EXPORT_FORMATS, made_lines, spreadsheet_response
from cchc.lib.import_pages import read_table
from cchc.lib.numbers import plain_points
from cchc.lib.periods import Period
from cchc.lib.steps import run_step
from districts.access import in_provinces_q, visible_provinces
from districts.models import Unit, pick_holder

from . import access, services
from .forms import (
    AnswerForm,
    AppraisalLeafForm,
    CopyForm,
    CriteriaImportForm,
    GroupScoreImportForm,
    SelfLeafForm,
    SurveyForm,
    VersionForm,
)
from .imports import (
    CRITERIA_COLUMNS,
    CRITERIA_REQUIRED,
    GROUP_COLUMNS,
    GROUP_REQUIRED,
    SURVEY_COLUMNS,
    SURVEY_REQUIRED,
    import_criteria,
    import_group_scores,
    import_survey_points,
)
from .models import SCORED_BY_UNIT, Assessment, AssessmentStatus, CriteriaSet, GroupScore, LeafScore, Method
from .selectors import results, scored_units
from .templatetags.par_index import points as shown_points
from .tree import Tree, copy_set

S = AssessmentStatus


def _visible_set(request, pk):
    return get_object_or_404(CriteriaSet.objects.visible_to(request.user).select_related("province"), pk=pk)


def _add_service_errors(error, forms_by_criterion, page_form):
    """File a service's errors at their criterion's field, the rest above the form."""
    if not hasattr(error, "error_dict"):
        page_form.add_error(None, error)
        return
    for key, messages_ in error.message_dict.items():
        criterion_id, _sep, field = key.partition(":")
        form = forms_by_criterion.get(int(criterion_id)) if criterion_id.isdigit() else None
        if form is not None and field in form.fields:
            form.add_error(field, messages_)
        elif form is not None:
            form.add_error(None, messages_)
        else:
            page_form.add_error(None, messages_)


# --- Criteria sets -------------------------------------------------------------------------------------------------


def index(request):
    """The sets the user may read, their own unit's assessments, and what waits for their appraisal."""
    user = request.user
    sets = (
        CriteriaSet.objects.visible_to(user)
        .select_related("province")
        .order_by("-year", "province__code", "scored_units")
    )
    own = []
    if user.unit_id:
        own = Assessment.objects.filter(unit=user.unit_id).select_related("criteria_set", "unit")
    return render(
        request,
        "assessments/index.html",
        {
            "sets": sets,
            "own": own,
            "awaiting": access.awaiting_appraisal(user),
            "may_write_sets": access.may_write_sets(user),
            "unit": user.unit,
        },
    )


def set_detail(request, pk):
    criteria_set = _visible_set(request, pk)
    tree = Tree(criteria_set.criteria.prefetch_related("bands"))
    may_write = access.may_appraise(request.user, criteria_set)
    copy_form = CopyForm(initial={"year": criteria_set.year + 1}, source=criteria_set)
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        copy_form = CopyForm(request.POST, source=criteria_set)
        if copy_form.is_valid():
            copy = copy_set(criteria_set, year=copy_form.cleaned_data["year"])
            messages.success(request, _("Copied as %(set)s.") % {"set": copy})
            return redirect("assessments:set_detail", pk=copy.pk)
    unit = request.user.unit
    own_unit = unit if unit is not None and scored_units(criteria_set).filter(pk=unit.pk).exists() else None
    return render(
        request,
        "assessments/set_detail.html",
        {
            "criteria_set": criteria_set,
            "tree": tree,
            "nodes": tree.in_order(),
            "self_max": tree.max_points - tree.max_by_method(Method.SURVEY),
            "survey_max": tree.max_by_method(Method.SURVEY),
            "may_write": may_write,
            "copy_form": copy_form,
            "own_unit": own_unit,
            "grade_bands": criteria_set.grade_bands.order_by("-min_points"),
        },
    )


def import_set(request):
    if not access.may_write_sets(request.user):
        raise PermissionDenied
    provinces = access.written_provinces(request.user).order_by("code")
    errors = []
    if request.method == "POST":
        form = CriteriaImportForm(request.POST, request.FILES, provinces=provinces)
        table = read_table(form, columns=CRITERIA_COLUMNS, required=CRITERIA_REQUIRED)
        if table is not None:
            data = form.cleaned_data
            outcome = import_criteria(
                table,
                province=data["province"],
                year=data["year"],
                scored_units=data["scored_units"],
                title=data["title"],
                decision=data["decision"],
            )
            if outcome.saved is not None:
                messages.success(
                    request, _("The criteria set is imported: %(count)s criteria.") % {"count": outcome.count}
                )
                return redirect("assessments:set_detail", pk=outcome.saved.pk)
            errors = outcome.errors
    else:
        form = CriteriaImportForm(provinces=provinces, initial={"year": timezone.localdate().year})
    return render(request, "assessments/import.html", {"form": form, "errors": errors}, status=400 if errors else 200)


# --- A unit's assessment ------------------------------------------------------------------------------------------


def _page_objects(request, pk, code):
    criteria_set = _visible_set(request, pk)
    # Codes are reused across the 2025 reform: two communes may hold one code within one year.
    unit = pick_holder(scored_units(criteria_set).filter(code=code), period=Period.parse(str(criteria_set.year)))
    if unit is None:
        raise Http404
    assessment = Assessment.objects.filter(criteria_set=criteria_set, unit=unit).first()
    probe = assessment or Assessment(criteria_set=criteria_set, unit=unit)
    if not access.may_see_assessment(request.user, probe):
        raise Http404
    return criteria_set, unit, assessment


def _leaf_totals(tree, scores):
    """``{code: (self points, appraised points)}`` summed over each node's leaves scored by the unit."""
    totals = {}
    for node in reversed(tree.in_order()):
        criterion = node.criterion
        if node.is_leaf:
            score = scores.get(criterion.pk)
            if criterion.method not in SCORED_BY_UNIT or score is None:
                totals[criterion.code] = (None, None)
                continue
            appraised = score.appraised_points if score.appraised_points is not None else score.self_points
            totals[criterion.code] = (score.self_points, appraised)
        else:
            pairs = [totals[child.criterion.code] for child in node.children]
            totals[criterion.code] = tuple(
                sum((pair[i] for pair in pairs if pair[i] is not None), Decimal(0))
                if any(pair[i] is not None for pair in pairs)
                else None
                for i in (0, 1)
            )
    return totals


def _overall(totals, index):
    """The total over the top-level areas of ``_leaf_totals`` (``index`` 0: self-assessed, 1: appraised)."""
    return sum(
        (pair[index] for code, pair in totals.items() if "." not in code and pair[index] is not None), Decimal(0)
    )


@require_GET
def assessment_totals(request, pk, code):
    """The self-assessment form's running totals as typed (``?c12-self_points=1,5`` …), computed as the saved page
    computes them (``_leaf_totals``, the points read by the form's own field): ``{"cells": {criterion code:
    "12,5 / 20", "": overall}}`` for the cells marked ``data-total-of``. The page's script asks as the officer
    types, so that no sum or rounding is written in JavaScript. 404 for a unit the user may not see."""
    criteria_set, _unit, _assessment = _page_objects(request, pk, code)
    tree = Tree(criteria_set.criteria.prefetch_related("bands"))
    typed = {}
    for leaf in tree.leaves():
        criterion = leaf.criterion
        if criterion.method not in SCORED_BY_UNIT:
            continue
        field = SelfLeafForm(request.GET, prefix=f"c{criterion.pk}")["self_points"]
        try:
            points = field.field.clean(field.value())
        except ValidationError:
            points = None  # not (yet) readable: counts as not scored, as a blank box does
        if points is not None:
            typed[criterion.pk] = SimpleNamespace(self_points=points, appraised_points=None)
    totals = _leaf_totals(tree, typed)
    has_scores = any(pair[0] is not None for pair in totals.values())
    cells = {}
    for node in tree.in_order():
        criterion = node.criterion
        cells[criterion.code] = f"{shown_points(totals[criterion.code][0])} / {shown_points(criterion.max_points)}"
    self_max = tree.max_points - tree.max_by_method(Method.SURVEY)
    cells[""] = f"{shown_points(_overall(totals, 0) if has_scores else None)} / {shown_points(self_max)}"
    return JsonResponse({"cells": cells})


def assessment_page(request, pk, code):
    criteria_set, unit, assessment = _page_objects(request, pk, code)
    user = request.user
    status = assessment.status if assessment else S.DRAFT
    self_edit = (
        access.may_self_assess(user, unit)
        and status == S.DRAFT
        and (assessment is None or assessment.stated_self_total is None)
    )
    appraise_edit = (
        assessment is not None
        and access.may_appraise(user, criteria_set)
        and status
        in (
            S.SUBMITTED,
            S.APPRAISED,
        )
    )
    tree = Tree(criteria_set.criteria.prefetch_related("bands"))
    scores = {score.criterion_id: score for score in assessment.scores.all()} if assessment else {}
    leaves = [leaf.criterion for leaf in tree.leaves() if leaf.criterion.method in SCORED_BY_UNIT]
    proposed = (
        services.proposals(assessment or Assessment(criteria_set=criteria_set, unit=unit), tree) if self_edit else {}
    )
    page_form = VersionForm(request.POST or None, initial={"version": assessment.version if assessment else 0})
    self_forms, appraisal_forms = {}, {}
    posted = request.method == "POST"
    action = request.POST.get("action") if posted else None
    if posted and action in ("save", "submit") and not self_edit:
        raise PermissionDenied
    if posted and action == "appraise" and not appraise_edit:
        raise PermissionDenied
    for criterion in leaves:
        score = scores.get(criterion.pk)
        prefix = f"c{criterion.pk}"
        if self_edit:
            initial = {}
            if score is not None:
                initial = {
                    "self_points": shown_points(score.self_points) if score.self_points is not None else "",
                    "evidence_number": score.evidence_number,
                    "evidence_date": score.evidence_date,
                    "explanation": score.explanation,
                }
            elif criterion.pk in proposed and proposed[criterion.pk].points is not None:
                initial = {"self_points": shown_points(proposed[criterion.pk].points)}
            data = request.POST if action in ("save", "submit") else None
            files = request.FILES if data is not None else None
            self_forms[criterion.pk] = SelfLeafForm(data, files, prefix=prefix, initial=initial)
        if appraise_edit and score is not None:
            initial = {
                "appraised_points": shown_points(score.appraised_points) if score.appraised_points is not None else "",
                "appraisal_comment": score.appraisal_comment,
            }
            data = request.POST if action == "appraise" else None
            appraisal_forms[criterion.pk] = AppraisalLeafForm(data, prefix=prefix, initial=initial)
    if posted and action in ("save", "submit", "appraise"):
        forms = self_forms if action != "appraise" else appraisal_forms
        if page_form.is_valid() and all(form.is_valid() for form in forms.values()):
            version = page_form.cleaned_data["version"]
            try:
                if action == "appraise":
                    services.appraise(
                        assessment,
                        by=user,
                        version=version,
                        entries={
                            criterion_id: (
                                form.cleaned_data["appraised_points"],
                                form.cleaned_data["appraisal_comment"],
                            )
                            for criterion_id, form in forms.items()
                        },
                    )
                    messages.success(request, _("The appraisal is saved."))
                else:
                    # The assessment is created with its first save, and not at all if that save is refused.
                    with transaction.atomic():
                        target, created = Assessment.objects.get_or_create(criteria_set=criteria_set, unit=unit)
                        services.save_self_assessment(
                            target,
                            by=user,
                            version=None if created and version == 0 else version,
                            submit=action == "submit",
                            entries={criterion_id: form.cleaned_data for criterion_id, form in forms.items()},
                        )
                    messages.success(
                        request,
                        _("The self-assessment is submitted to the province.")
                        if action == "submit"
                        else _("The self-assessment is saved as a draft."),
                    )
            except ValidationError as error:
                _add_service_errors(error, forms, page_form)
            else:
                return redirect("assessments:assessment", pk=criteria_set.pk, code=unit.code)
        messages.error(request, _("Nothing was saved: correct the criteria marked below."))
    elif posted:
        raise PermissionDenied
    return _render_assessment(
        request,
        criteria_set,
        unit,
        assessment,
        tree,
        scores,
        proposed,
        page_form=page_form,
        self_forms=self_forms,
        appraisal_forms=appraisal_forms,
        status=400 if posted else 200,
    )


def _render_assessment(
    request, criteria_set, unit, assessment, tree, scores, proposed, *, page_form, self_forms, appraisal_forms, status
):
    user = request.user
    totals = _leaf_totals(tree, scores)
    survey_max = tree.max_by_method(Method.SURVEY)
    self_max = tree.max_points - survey_max
    may_answer = assessment is not None and assessment.status == S.APPRAISED and access.may_self_assess(user, unit)
    rows = []
    for node in tree.in_order():
        criterion = node.criterion
        score = scores.get(criterion.pk)
        rows.append(
            {
                "node": node,
                "criterion": criterion,
                "score": score,
                "totals": totals.get(criterion.code),
                "scored_by_unit": node.is_leaf and criterion.method in SCORED_BY_UNIT,
                "self_form": self_forms.get(criterion.pk),
                "appraisal_form": appraisal_forms.get(criterion.pk),
                "proposal": proposed.get(criterion.pk),
                "answer_form": AnswerForm(initial={"version": assessment.version}, prefix=f"a{criterion.pk}")
                if may_answer
                and score is not None
                and score.appraised_points is not None
                and score.appraised_points != score.self_points
                and score.answered_at is None
                else None,
            }
        )
    self_total, appraised_total = _overall(totals, 0), _overall(totals, 1)
    has_scores = any(pair[0] is not None for pair in totals.values())
    may_appraise = assessment is not None and access.may_appraise(user, criteria_set)
    context = {
        "criteria_set": criteria_set,
        "unit": unit,
        "assessment": assessment,
        "rows": rows,
        "page_form": page_form,
        "self_edit": bool(self_forms),
        "appraise_edit": bool(appraisal_forms),
        "self_total": self_total if has_scores else None,
        "appraised_total": appraised_total if has_scores else None,
        "self_max": self_max,
        "survey_max": survey_max,
        "may_send": may_appraise and assessment.status == S.SUBMITTED,
        "may_return": may_appraise
        and assessment.status == S.SUBMITTED
        and not any(score.appraised_points is not None for score in scores.values()),
        "may_finalise": may_appraise and assessment.status in (S.SUBMITTED, S.APPRAISED),
        "survey_form": SurveyForm(
            initial={
                "version": assessment.version,
                "survey_points": shown_points(assessment.survey_points) if assessment.survey_points is not None else "",
            }
        )
        if may_appraise and survey_max
        else None,
        "events": assessment.events.select_related("by", "criterion") if assessment else [],
        "deadline": criteria_set.deadline,
    }
    return render(request, "assessments/assessment.html", context, status=status)


def _assessment_for_action(request, pk, code):
    criteria_set, unit, assessment = _page_objects(request, pk, code)
    if assessment is None:
        raise Http404
    return criteria_set, unit, assessment


def _appraisal_step(service, done_message):
    """The POST view of a step of the set's appraisers: ``service(assessment, by=user, version=...)`` on the unit's
    assessment, from the version of the page the appraiser saw."""

    def view(request, pk, code):
        criteria_set, unit, assessment = _assessment_for_action(request, pk, code)
        if not access.may_appraise(request.user, criteria_set):
            raise PermissionDenied
        form = VersionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The page was out of date: reload it and try again."))
        else:
            version = form.cleaned_data["version"]
            run_step(request, lambda: service(assessment, by=request.user, version=version), done_message)
        return redirect("assessments:assessment", pk=criteria_set.pk, code=unit.code)

    view.__name__ = view.__qualname__ = service.__name__
    return require_POST(view)


send_appraisal = _appraisal_step(
    services.send_appraisal,
    gettext_lazy("The appraisal is sent to the unit, which may answer once on each criterion."),
)
finalise = _appraisal_step(services.finalise, gettext_lazy("The scores are final."))
return_to_draft = _appraisal_step(
    services.return_to_draft, gettext_lazy("The self-assessment is returned to the unit as a draft.")
)


@require_POST
def survey(request, pk, code):
    criteria_set, unit, assessment = _assessment_for_action(request, pk, code)
    if not access.may_appraise(request.user, criteria_set):
        raise PermissionDenied
    form = SurveyForm(request.POST)
    if form.is_valid():
        points, version = form.cleaned_data["survey_points"], form.cleaned_data["version"]
        save = partial(services.set_survey_points, assessment, by=request.user, points=points, version=version)
        run_step(request, save, _("The survey points are saved."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("assessments:assessment", pk=criteria_set.pk, code=unit.code)


@require_POST
def answer(request, pk, code, criterion_pk):
    criteria_set, unit, assessment = _assessment_for_action(request, pk, code)
    if not access.may_self_assess(request.user, unit):
        raise PermissionDenied
    form = AnswerForm(request.POST, prefix=f"a{criterion_pk}")
    if form.is_valid():
        text, version = form.cleaned_data["answer"], form.cleaned_data["version"]
        save = partial(
            services.answer, assessment, by=request.user, criterion_id=criterion_pk, text=text, version=version
        )
        run_step(request, save, _("Your answer is saved."))
    else:
        messages.error(request, _("Write the answer."))
    return redirect("assessments:assessment", pk=criteria_set.pk, code=unit.code)


def evidence(request, pk):
    """A criterion's evidence file, to those who may see the assessment; never served from a public URL."""
    score = get_object_or_404(LeafScore.objects.select_related("assessment__criteria_set", "assessment__unit"), pk=pk)
    if not access.may_see_assessment(request.user, score.assessment) or not score.evidence_file:
        raise Http404
    return evidence_response(score.evidence_file, score.evidence_file_name)


# --- Results -------------------------------------------------------------------------------------------------------


def _visible_rows(user, criteria_set):
    rows = results(criteria_set)
    if access.may_see_all_results(user, criteria_set):
        return rows, True
    own = [row for row in rows if row.unit.pk == user.unit_id]
    # Before publication a rank would tell how the other districts scored: it is withheld too.
    for row in own:
        row.rank = None
    return own, False


EXPORT_HEADERS = (
    ("rank", gettext_lazy("Rank")),
    ("unit_code", gettext_lazy("Unit code")),
    ("unit", gettext_lazy("Unit")),
    ("self_total", gettext_lazy("Self-assessed points")),
    ("appraised_total", gettext_lazy("Appraised points")),
    ("survey_points", gettext_lazy("Survey points")),
    ("total", gettext_lazy("Total points")),
    ("grade", gettext_lazy("Grade")),
    ("change", gettext_lazy("Change since last year")),
)


def _row_values(row):
    totals = row.totals
    return {
        "rank": row.rank,
        "unit_code": row.unit.code,
        "unit": row.unit.name,
        # Points as the page shows them: 16 whether the database summed 16 or 16.00.
        "self_total": plain_points(totals.self_total) if totals else None,
        "appraised_total": plain_points(totals.appraised_total) if totals else None,
        "survey_points": plain_points(totals.survey_points) if totals else None,
        "total": plain_points(row.total),
        "grade": row.grade,
        "change": plain_points(row.change),
    }


def _results_export(request, export, criteria_set, rows, complete):
    """The results as the list pages export theirs: .xlsx with a title block (province, year, criteria set,
    whose units, when and by whom), a CSV for Excel in Vietnamese and one for programs."""
    if criteria_set.is_published:
        status = _("published %(date)s") % {"date": date_format(criteria_set.published_on, "d/m/Y")}
    else:
        status = _("not published yet")
    title_lines = [
        (_("Province"), criteria_set.province.name),
        (_("Year"), criteria_set.year),
        (_("Criteria set"), criteria_set.title),
        (_("Status"), status),
    ]
    if not complete:
        title_lines.append((_("Units shown"), _("Until the results are published you see your own unit only.")))
    values = [_row_values(row) for row in rows]
    return spreadsheet_response(
        export,
        filename_base=f"chi-so-cchc-{criteria_set.province.code}-{criteria_set.year}",
        sheet_title=_("PAR index %(year)s – %(name)s")
        % {"year": criteria_set.year, "name": criteria_set.province.name},
        title_lines=title_lines + made_lines(request.user),
        headers=[str(title) for _code, title in EXPORT_HEADERS],
        rows=[[row[code] for code, _title in EXPORT_HEADERS] for row in values],
        kinds=[excel.AUTO] * len(EXPORT_HEADERS),
    )


def results_page(request, pk):
    criteria_set = _visible_set(request, pk)
    may_appraise = access.may_appraise(request.user, criteria_set)
    survey_form, survey_errors = None, []
    if may_appraise:
        survey_form = GroupScoreImportForm(request.POST or None, request.FILES or None)
        table = (
            read_table(survey_form, columns=SURVEY_COLUMNS, required=SURVEY_REQUIRED)
            if request.method == "POST"
            else None
        )
        if table is not None:
            outcome = import_survey_points(table, criteria_set=criteria_set, by=request.user)
            if not outcome.errors:
                messages.success(request, _("Survey points of %(count)s units imported.") % {"count": outcome.count})
                return redirect("assessments:results", pk=criteria_set.pk)
            survey_errors = outcome.errors
    elif request.method == "POST":
        raise PermissionDenied
    rows, complete = _visible_rows(request.user, criteria_set)
    export = request.GET.get("_export")
    if export in EXPORT_FORMATS:
        return _results_export(request, export, criteria_set, rows, complete)
    tree = Tree.of(criteria_set)
    return render(
        request,
        "assessments/results.html",
        {
            "criteria_set": criteria_set,
            "rows": rows,
            "complete": complete,
            "self_max": tree.max_points - tree.max_by_method(Method.SURVEY),
            "max_points": tree.max_points,
            "grade_bands": criteria_set.grade_bands.order_by("-min_points"),
            "survey_form": survey_form,
            "survey_errors": survey_errors,
        },
        status=400 if request.method == "POST" else 200,
    )


def _number(value):
    return float(value) if value is not None else None


def feed(request):
    """``/api/par-index/?year=2023&province=67``: each unit's totals, rank and grade in the province's sets."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return JsonResponse({"error": _("Give the year, e.g. ?year=2023.")}, status=400)
    sets = CriteriaSet.objects.visible_to(request.user).select_related("province").filter(year=year)
    province = request.GET.get("province")
    if province:
        sets = sets.filter(province__code=province)
    data = []
    for criteria_set in sets.order_by("province__code", "scored_units"):
        rows, complete = _visible_rows(request.user, criteria_set)
        data.append(
            {
                "province": criteria_set.province.code,
                "year": criteria_set.year,
                "units_scored": criteria_set.scored_units,
                "title": criteria_set.title,
                "decision": criteria_set.decision,
                "example": criteria_set.is_example,
                "published": criteria_set.is_published,
                "complete": complete,
                "url": request.build_absolute_uri(reverse("assessments:results", args=[criteria_set.pk])),
                "units": [
                    {
                        "code": row.unit.code,
                        "name": row.unit.name,
                        "self_total": _number(row.totals.self_total) if row.totals else None,
                        "self_total_stated_only": row.totals.stated_only if row.totals else False,
                        "appraised_total": _number(row.totals.appraised_total) if row.totals else None,
                        "survey_points": _number(row.totals.survey_points) if row.totals else None,
                        "total": _number(row.total),
                        "rank": row.rank,
                        "grade": row.grade,
                        "change": _number(row.change),
                        "status": row.assessment.status if row.assessment else None,
                    }
                    for row in rows
                ],
            }
        )
    return JsonResponse({"year": year, "sets": data})


# --- Decision 766 ----------------------------------------------------------------------------------------------


def group_scores(request):
    """The Decision-766 results of the units of the provinces the user may see; provincial staff import more."""
    provinces = visible_provinces(request.user)
    scores = (
        GroupScore.objects.filter(in_provinces_q(provinces, "unit"))
        .select_related("unit", "group")
        .order_by("unit__code", "period", "group__position")
    )
    may_import = access.may_write_sets(request.user)
    errors, form = [], None
    if may_import:
        form = GroupScoreImportForm(request.POST or None, request.FILES or None)
        table = read_table(form, columns=GROUP_COLUMNS, required=GROUP_REQUIRED) if request.method == "POST" else None
        if table is not None:
            units = Unit.objects.filter(in_provinces_q(provinces)).filter(
                in_provinces_q(access.written_provinces(request.user))
            )
            outcome = import_group_scores(table, units=units)
            if not outcome.errors:
                messages.success(request, _("%(count)s results imported.") % {"count": outcome.count})
                return redirect("assessments:group_scores")
            errors = outcome.errors
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "assessments/group_scores.html",
        {"scores": scores, "form": form, "errors": errors},
        status=400 if request.method == "POST" else 200,
    )
