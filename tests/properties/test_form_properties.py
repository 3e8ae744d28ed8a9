"""Every form, fed generated input: never a server error, and nothing saved when the input is refused."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from districts import services as plan_services
from districts.forms import ReformPlanForm, ReformTaskFormSet
from districts.models import ReformPlan, ReformTask, Unit
from dossiers import services
from dossiers.figures import DOSSIER_FIGURES, REPORT_FIGURES
from dossiers.forms import ReportForm, field_name
from dossiers.models import LevelFigures, QuarterlyReport, ReportEvent
from inspections import access
from inspections import services as inspection_services
from inspections.forms import AnswerForm, InspectedUnitFormSet, RecommendationForm, SessionForm, TeamFormSet
from inspections.models import InspectedUnit, InspectionSession, Recommendation, TeamMember
from tests.properties.conftest import counted, database_state, examples, rolled_back
from tests.properties.strategies import any_text, dates, field, form_count, ids, numbers

REPORT_FIELDS = [
    field_name(level, figure.code) for level in ("district", "commune", "all") for figure in DOSSIER_FIGURES
]
REPORT_FIELDS += [figure.code for figure in REPORT_FIGURES]


REPORT_MODELS = [QuarterlyReport, LevelFigures, ReportEvent]
PLAN_MODELS = [ReformPlan, ReformTask]
SESSION_MODELS = [InspectionSession, InspectedUnit, TeamMember, Recommendation]


def refused_saves_nothing(models, initial, save):
    """Run ``save`` in a savepoint undone afterwards; if it raises ``ValidationError``, nothing may have changed."""
    with rolled_back():
        try:
            save()
        except ValidationError:
            assert database_state(models) == initial


def submit(client, url, data, initial, name):
    """Post ``data``; a refusal (anything but a redirect) must leave the database as it was."""
    counted(name)
    with rolled_back():
        response = client.post(url, data)
        assert response.status_code < 500
        if response.status_code != 302:
            assert database_state() == initial, f"{url} refused {data!r} but saved something"
    return response


# --- The quarterly report ------------------------------------------------------------------------------------------

report_data = st.fixed_dictionaries(
    {
        "action": st.sampled_from(["save", "submit", "approve", "return", "reopen", "", "delete"]),
        "version": field(st.sampled_from(["0", "1", "2"])),
    },
    optional={
        "note": any_text,
        "confirm_warnings": st.sampled_from(["on", "", "yes", "0"]),
        "comment": any_text,
        **dict.fromkeys(REPORT_FIELDS, numbers),
    },
)


@pytest.mark.django_db
@examples(150)
@given(
    data=report_data,
    who=st.sampled_from(["officer", "staff", "inspector"]),
    where=st.sampled_from(["/dossiers/874/2024Q1/", "/dossiers/874/2024Q2/", "/dossiers/875/2024Q1/"]),
)
def test_the_report_page_never_fails_and_a_refusal_saves_nothing(world, data, who, where):
    initial = world.setdefault("initial", database_state())
    submit(world["clients"][who], where, data, initial, "report page")


@pytest.mark.django_db
@examples(1500)
@given(data=report_data, quarter=st.integers(min_value=1, max_value=2), staff=st.booleans())
def test_the_report_form_and_its_service_save_all_or_nothing(world, data, quarter, staff):
    """The form and ``save_report`` directly (many more inputs than the page can take in the time)."""
    counted("report form and service")
    initial = world.setdefault("report state", database_state(REPORT_MODELS))
    unit = world["thanh_binh"]
    form = ReportForm(data, unit=unit, levels=["district", "commune"])
    if not form.is_valid():
        return
    refused_saves_nothing(
        REPORT_MODELS,
        initial,
        lambda: services.save_report(
            unit=unit,
            year=2024,
            quarter=quarter,
            figures={**form.report_values(), "note": form.cleaned_data["note"]},
            levels=form.level_values(),
            by=world["users"]["staff" if staff else "officer"],
            province_staff=staff,
            version=form.cleaned_data["version"],
            keep_errors=data.get("action") == "save",
        ),
    )


# --- The reform plan -----------------------------------------------------------------------------------------------

TASK_FIELDS = ["id", "title", "area", "assigned_by", "deadline", "status", "completed_on", "seen_version", "DELETE"]
task_values = {
    "id": ids,
    "title": any_text,
    "area": field(st.sampled_from(["", "procedures", "communication"])),
    "assigned_by": field(st.sampled_from(["unit", "province"])),
    "deadline": dates,
    "status": field(st.sampled_from(["not_started", "in_progress", "done"])),
    "completed_on": dates,
    "seen_version": field(st.sampled_from(["0", "1"])),
    "DELETE": st.sampled_from(["on", ""]),
}


@st.composite
def plan_data(draw):
    rows = draw(st.integers(min_value=0, max_value=6))
    data = draw(
        st.fixed_dictionaries(
            {"title": any_text, "seen_version": field(st.sampled_from(["0", "1"]))},
            optional={"reference_number": any_text, "issued_on": dates, "note": any_text},
        )
    )
    data["tasks-TOTAL_FORMS"] = draw(form_count(rows))
    data["tasks-INITIAL_FORMS"] = draw(st.sampled_from(["0", "4", str(rows), "-1", "x"]))
    for index in range(rows):
        for name in draw(st.lists(st.sampled_from(TASK_FIELDS), unique=True)):
            data[f"tasks-{index}-{name}"] = draw(task_values[name])
    return data


@pytest.mark.django_db
@examples(100)
@given(data=plan_data(), year=st.sampled_from([2021, 2022, 1999, 2200]), who=st.sampled_from(["officer", "staff"]))
def test_the_plan_editor_never_fails_and_a_refusal_saves_nothing(world, data, year, who):
    initial = world.setdefault("initial", database_state())
    submit(world["clients"][who], f"/districts/874/plan/{year}/", data, initial, "plan editor")


@pytest.mark.django_db
@examples(1000)
@given(data=plan_data(), existing=st.booleans())
def test_the_plan_forms_and_service_save_all_or_nothing(world, data, existing):
    counted("plan forms and service")
    initial = world.setdefault("plan state", database_state(PLAN_MODELS))
    plan = ReformPlan.objects.get(pk=world["plan"].pk) if existing else ReformPlan(unit=world["thanh_binh"], year=2022)
    form = ReformPlanForm(data, instance=plan)
    tasks = ReformTaskFormSet(data, instance=plan, prefix="tasks")
    with rolled_back():
        # The forms lock and check the version inside the transaction, as the page does.
        if not (form.is_valid() and tasks.is_valid()):
            return
        refused_saves_nothing(
            PLAN_MODELS, initial, lambda: plan_services.save_plan(form, tasks, by=world["users"]["officer"])
        )


# --- Recommendations: the district's answer, the team's recommendation form ----------------------------------------


answer_data = st.fixed_dictionaries(
    {},
    optional={
        "status": field(st.sampled_from(["in_progress", "done", "verified", "open"])),
        "closed_on": dates,
        "response": any_text,
        "evidence": any_text,
        "remove_file": st.sampled_from(["on", ""]),
        "version": field(st.sampled_from(["1", "0"])),
    },
)
uploads = st.none() | st.builds(
    lambda name, content: SimpleUploadedFile(name, content),
    st.sampled_from(["bien-ban.pdf", "anh.png", "x.docx", "so-lieu.xlsx", "virus.exe", "..pdf", "a" * 300]),
    st.binary(max_size=300),
)


@pytest.mark.django_db
@examples(100)
@given(data=answer_data, upload=uploads, who=st.sampled_from(["officer", "inspector"]))
def test_the_answer_page_never_fails_and_a_refusal_saves_nothing(world, data, upload, who):
    initial = world.setdefault("initial", database_state())
    if upload is not None:
        data = {**data, "evidence_file": upload}
    url = reverse("inspections:recommendation_answer", args=[world["recommendation"].pk])
    submit(world["clients"][who], url, data, initial, "answer page")


@pytest.mark.django_db
@examples(1000)
@given(data=answer_data)
def test_the_answer_form_and_service_save_all_or_nothing(world, data):
    counted("answer form and service")
    models = [Recommendation]
    initial = world.setdefault("answer state", database_state(models))
    recommendation = world["recommendation"]
    form = AnswerForm(data, today=recommendation.deadline)
    if not form.is_valid():
        return
    cleaned = form.cleaned_data
    refused_saves_nothing(
        models,
        initial,
        lambda: inspection_services.answer_recommendation(
            recommendation,
            by=world["users"]["officer"],
            status=cleaned["status"],
            response=cleaned["response"],
            evidence=cleaned["evidence"],
            remove_file=cleaned["remove_file"],
            closed_on=cleaned["closed_on"],
            today=recommendation.deadline,
            version=cleaned["version"] if cleaned["version"] is not None else -1,
        ),
    )


recommendation_data = st.fixed_dictionaries(
    {},
    optional={
        "unit": ids,
        "text": any_text,
        "area": field(st.sampled_from(["", "procedures"])),
        "deadline": dates,
        "seen_version": field(st.sampled_from(["1", "0"])),
        "_addanother": st.just("1"),
    },
)


@pytest.mark.django_db
@examples(100)
@given(data=recommendation_data, edit=st.booleans(), who=st.sampled_from(["inspector", "officer"]))
def test_the_recommendation_form_never_fails_and_a_refusal_saves_nothing(world, data, edit, who):
    initial = world.setdefault("initial", database_state())
    if edit:
        url = reverse("inspections:recommendation_edit", args=[world["recommendation"].pk])
    else:
        url = reverse("inspections:recommendation_create", args=[world["session"].pk])
    submit(world["clients"][who], url, data, initial, "recommendation form")


@pytest.mark.django_db
@examples(500)
@given(data=recommendation_data, edit=st.booleans())
def test_the_recommendation_form_saves_all_or_nothing(world, data, edit):
    counted("recommendation form")
    models = [Recommendation]
    initial = world.setdefault("recommendation state", database_state(models))
    instance = Recommendation.objects.get(pk=world["recommendation"].pk) if edit else None
    with rolled_back():
        form = RecommendationForm(data, instance=instance, session=world["session"])
        if form.is_valid():
            form.save()
        else:
            assert database_state(models) == initial


# --- Inspection sessions -------------------------------------------------------------------------------------------

ROW_FIELDS = {
    "team": {"id": ids, "full_name": any_text, "title": any_text, "is_lead": st.sampled_from(["on", ""])},
    "units": {
        "id": ids,
        "unit": ids,
        "department": any_text,
        "inspected_on": dates,
        "chaired_by": any_text,
        "attended_by": any_text,
        "findings": any_text,
        "score": numbers,
        "DELETE": st.sampled_from(["on", ""]),
    },
}


@st.composite
def session_data(draw):
    data = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "title": any_text,
                "inspecting_unit": ids,
                "format": field(st.sampled_from(["online", "on_site"])),
                "starts_on": dates,
                "ends_on": dates,
                "note": any_text,
                "seen_version": field(st.sampled_from(["1", "0"])),
            },
        )
    )
    for prefix, fields in ROW_FIELDS.items():
        rows = draw(st.integers(min_value=0, max_value=3))
        data[f"{prefix}-TOTAL_FORMS"] = draw(form_count(rows))
        data[f"{prefix}-INITIAL_FORMS"] = draw(st.sampled_from(["0", "1", "2"]))
        for index in range(rows):
            for name in draw(st.lists(st.sampled_from(sorted(fields)), unique=True)):
                data[f"{prefix}-{index}-{name}"] = draw(fields[name])
    return data


@pytest.mark.django_db
@examples(100)
@given(data=session_data(), edit=st.booleans(), who=st.sampled_from(["inspector", "officer"]))
def test_the_session_forms_never_fail_and_a_refusal_saves_nothing(world, data, edit, who):
    initial = world.setdefault("initial", database_state())
    if edit:
        url = reverse("inspections:session_edit", args=[world["session"].pk])
    else:
        url = reverse("inspections:session_create")
    submit(world["clients"][who], url, data, initial, "session forms")


@pytest.mark.django_db
@examples(1000)
@given(data=session_data(), edit=st.booleans())
def test_the_session_forms_and_service_save_all_or_nothing(world, data, edit):
    counted("session forms and service")
    initial = world.setdefault("session state", database_state(SESSION_MODELS))
    inspecting_units = Unit.objects.filter(pk=world["province"].pk)
    session = InspectionSession.objects.get(pk=world["session"].pk) if edit else None
    with rolled_back():
        form = SessionForm(data, instance=session, inspecting_units=inspecting_units)
        team = TeamFormSet(data, instance=form.instance, prefix="team")
        units = InspectedUnitFormSet(
            data, instance=form.instance, prefix="units", form_kwargs={"units": access.units_in_scope(inspecting_units)}
        )
        valid = [form.is_valid(), team.is_valid(), units.is_valid()]
        if all(valid):
            inspection_services.save_session(form, team, units)
        else:
            assert database_state(SESSION_MODELS) == initial


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "prefix"),
    [
        ("/districts/874/plan/2021/", "tasks"),
        ("/inspections/sessions/new/", "team"),
        ("/inspections/sessions/new/", "units"),
    ],
)
def test_formset_limits(world, url, prefix):
    """A hostile form count is refused with a message, having built no more forms than the limit."""
    initial = database_state()
    data = {f"{p}-{name}": "0" for p in ("tasks", "team", "units") for name in ("TOTAL_FORMS", "INITIAL_FORMS")}
    data[f"{prefix}-TOTAL_FORMS"] = "99999999"
    client = world["clients"]["officer" if prefix == "tasks" else "inspector"]

    response = client.post(url, {"title": "Kế hoạch", **data})

    assert response.status_code == 200
    formset = response.context["formset" if prefix == "tasks" else prefix]
    # Django's own message for too many forms, shown above the rows.
    (message,) = formset.non_form_errors()
    assert message in response.content.decode()
    assert database_state() == initial
