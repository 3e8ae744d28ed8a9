"""Every page × every role × the district officer's own unit or another → the answer the rules give.

One table (``ROWS``) drives the test: for each URL of the URL conf (the admin site apart, whose scoping
tests/test_admin_scope.py checks), the arguments naming an object of Thanh Bình (874, the officer's own district)
and of Lấp Vò (875, another district of the same province), and the answer of each role to each. A URL added to
the URL conf without a row here fails ``test_every_url_of_the_url_conf_has_a_row``.

The rules (docs/domain.md §Users; ``districts.access``, ``cchc.lib.roles``): anyone not logged in is sent to log
in; provincial staff, the inspection team and administrators see every unit; a district officer sees their own
district's reports, plan, recommendations and PAR-index assessment, and of another district only what the
dashboard shows (its page without its details); whatever they may not see does not exist for them (404); what
they see but may not do answers 403. Actions that only take a POST are asked with an empty POST: the answer
says whether the user got past the rules (a form's errors, 200, or a redirect), not whether the data was good.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments.models import Assessment, CriteriaSet, Criterion, LeafScore, Method, ScoredUnits
from cchc.lib.roles import DISTRICT_OFFICER, INSPECTION_TEAM, PROVINCIAL_STAFF
from cchc.models import Target
from tests.factories import (
    MINIMAL_PDF,
    make_counted_report,
    make_district,
    make_inspected_unit,
    make_plan,
    make_province,
    make_recommendation,
    make_session,
    make_user,
)

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "admin", "staff", "officer", "inspector")
LOGIN = "login"  # a redirect to the login page, with the page asked for as ``next``
REDIRECT = "redirect"


@dataclass(frozen=True)
class Row:
    """A URL name, its arguments for the officer's own unit and for another, and each role's answers to them.

    ``own`` and ``other`` hold the answers in the order of ``ROLES``; a URL without arguments has ``other``
    ``None``. An answer is a status code, ``LOGIN``, or the path a redirect leads to.
    """

    name: str
    own: tuple
    other: tuple | None = None
    own_kwargs: dict = field(default_factory=dict)
    other_kwargs: dict = field(default_factory=dict)
    method: str = "get"
    own_query: dict = field(default_factory=dict)
    other_query: dict = field(default_factory=dict)


# Objects whose id is not known in advance are named by a key of the world (``{"pk@": "session"}``).
# Answers in the order of ROLES: anonymous, administrator, provincial staff, district officer of Thanh Bình,
# inspection team. ``REDIRECT``: sent on elsewhere than the login page (the action was done, or refused with a
# message on the page it returns to).
ALL = (LOGIN, 200, 200, 200, 200)
SEEN_BY_PROVINCE = (LOGIN, 200, 200, 404, 200)  # another district's details do not exist for the officer
TEAM_WRITES = (LOGIN, 200, 403, 403, 200)  # the inspecting side records sessions and follows them up
TEAM_WRITES_OTHER = (LOGIN, 200, 403, 404, 200)
TEAM_ACTS = (LOGIN, REDIRECT, 403, 403, REDIRECT)  # the inspecting side verifies and re-opens; the district does not
TEAM_ACTS_OTHER = (LOGIN, REDIRECT, 403, 404, REDIRECT)
ADMIN_HAS_NO_UNIT = (LOGIN, 404, 200, 200, 200)  # the page compares the user's own province: an admin has none
SET_STEP = (LOGIN, REDIRECT, REDIRECT, 403, 403)  # the province appraises, makes final, enters survey points
SET_STEP_OTHER = (LOGIN, REDIRECT, REDIRECT, 404, 403)
REPORT_OWN = {"unit_code": "874", "quarter_code": "2023Q1"}
REPORT_OTHER = {"unit_code": "875", "quarter_code": "2023Q1"}
SESSION = {"pk@": "session"}
RECOMMENDATION = {"pk@": "recommendation"}
ASSESSMENT_OWN = {"pk@": "assessed_set", "code": "874"}
ASSESSMENT_OTHER = {"pk@": "assessed_set", "code": "875"}
FEED_OWN, FEED_OTHER = {"province": "87", "period": "2023Q1"}, {"province": "86", "period": "2023Q1"}
TEMPLATE_OWN, TEMPLATE_OTHER = {"province": "87", "quarter": "2024Q1"}, {"province": "86", "quarter": "2024Q1"}

ROWS = [
    # The dashboard and what reads across apps
    Row("home", ALL),
    Row("chart-on-time-by-unit", ALL),
    Row("chart-trend", ALL),
    Row("chart-channels", ALL),
    # Another province's feed is refused with the reason (400), not emptied.
    Row("api-indicators", ALL, (LOGIN, 200, 200, 400, 200), own_query=FEED_OWN, other_query=FEED_OTHER),
    Row("compare", ADMIN_HAS_NO_UNIT),
    # Past the rule an empty POST names no flag (404); only provincial staff dismiss flags.
    Row("flag-dismiss", (LOGIN, 404, 404, 403, 403), method="post"),
    Row("bands-css", ALL),
    Row("brief", ALL, SEEN_BY_PROVINCE, {"code": "874", "period": "2023Q1"}, {"code": "875", "period": "2023Q1"}),
    Row("brief-pdf", ALL, SEEN_BY_PROVINCE, {"code": "874", "period": "2023Q1"}, {"code": "875", "period": "2023Q1"}),
    Row("api-par-index", ALL, own_query={"year": "2023"}),
    Row("inbox:index", ALL),
    # The admin site's unit picker: who is not staff goes to the admin's login; asked without a field, 403.
    Row("unit-autocomplete", (LOGIN, 403, REDIRECT, REDIRECT, REDIRECT)),
    # Accounts
    Row("login", (200, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    Row("logout", (LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT), method="post"),
    Row("set_language", (REDIRECT,) * 5, method="post"),
    # Targets: the province sets them, an officer only their own unit's; the team reads them.
    Row("targets:list", ALL),
    Row("targets:new", (LOGIN, 200, 200, 200, 403)),
    Row("targets:import", (LOGIN, 200, 200, 403, 403)),
    Row("targets:edit", (LOGIN, 200, 200, 200, 403), (LOGIN, 200, 200, 404, 403), {"pk@": "target"}, {"pk@": "target"}),
    Row(
        "targets:delete",
        (LOGIN, REDIRECT, REDIRECT, REDIRECT, 404),
        (LOGIN, REDIRECT, REDIRECT, 404, 404),
        {"pk@": "target"},
        {"pk@": "target"},
        method="post",
    ),
    # Units: another district's page shows its figures (without its details) to the officer.
    Row("districts:detail", ALL, ALL, {"code": "874"}, {"code": "875"}),
    Row("districts:chart", ALL, ALL, {"code": "874"}, {"code": "875"}),
    Row(
        "districts:plan",
        (LOGIN, 200, 200, 200, 403),
        (LOGIN, 200, 200, 403, 403),
        {"code": "874", "year": 2023},
        {"code": "875", "year": 2023},
    ),
    # Reports
    Row("dossiers:mine", (LOGIN, REDIRECT, REDIRECT, 200, REDIRECT)),  # those who review go to the review list
    Row("dossiers:review", (LOGIN, 200, 200, 403, 200)),
    Row("dossiers:completeness", ALL),
    Row("dossiers:report", ALL, SEEN_BY_PROVINCE, REPORT_OWN, REPORT_OTHER),
    Row("report-preview", ALL, SEEN_BY_PROVINCE, REPORT_OWN, REPORT_OTHER),
    # Imports: the team imports nothing; an empty upload is refused with the form's errors (400).
    Row("imports:index", (LOGIN, 200, 200, 200, 403)),
    Row(
        "imports:template",
        (LOGIN, 200, 200, 200, 403),
        (LOGIN, 200, 200, 400, 403),
        own_query=TEMPLATE_OWN,
        other_query=TEMPLATE_OTHER,
    ),
    Row("imports:reports", (LOGIN, 400, 400, 400, 403), method="post"),
    Row("imports:units", (LOGIN, 400, 403, 403, 403), method="post"),
    Row("imports:confirm", (LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT), own_kwargs={"token": "x"}, method="post"),
    # Inspections: the province's sessions, seen by the districts they inspected.
    Row("inspections:session_list", ALL),
    Row("inspections:session_create", (LOGIN, 200, 403, 200, 200)),  # a district records its own inspections
    Row("inspections:session_detail", ALL, SEEN_BY_PROVINCE, SESSION, SESSION),
    Row("inspections:session_edit", TEAM_WRITES, TEAM_WRITES_OTHER, SESSION, SESSION),
    Row(
        "inspections:recommendation_create",
        TEAM_WRITES,
        TEAM_WRITES_OTHER,
        {"session_pk@": "session"},
        {"session_pk@": "session"},
    ),
    Row("inspections:recommendation_list", ALL),
    Row("inspections:recommendation_detail", ALL, SEEN_BY_PROVINCE, RECOMMENDATION, RECOMMENDATION),
    Row("inspections:recommendation_edit", TEAM_WRITES, TEAM_WRITES_OTHER, RECOMMENDATION, RECOMMENDATION),
    Row(
        "inspections:recommendation_answer",
        (LOGIN, 200, 403, 200, 403),  # the district answers; the inspecting side does not answer for it
        (LOGIN, 200, 403, 404, 403),
        RECOMMENDATION,
        RECOMMENDATION,
    ),
    Row("inspections:recommendation_verify", TEAM_ACTS, TEAM_ACTS_OTHER, RECOMMENDATION, RECOMMENDATION, method="post"),
    Row("inspections:recommendation_reopen", TEAM_ACTS, TEAM_ACTS_OTHER, RECOMMENDATION, RECOMMENDATION, method="post"),
    Row("inspections:recommendation_evidence", ALL, SEEN_BY_PROVINCE, RECOMMENDATION, RECOMMENDATION),
    # The PAR index: a set of another province does not exist for the officer; before the results are published
    # another district's assessment does not either.
    Row("assessments:index", ALL),
    Row("assessments:import", (LOGIN, 200, 200, 403, 403)),
    Row("assessments:set_detail", ALL, SEEN_BY_PROVINCE, {"pk@": "set"}, {"pk@": "set"}),
    Row("assessments:results", ALL, SEEN_BY_PROVINCE, {"pk@": "set"}, {"pk@": "set"}),
    Row("assessments:assessment", ALL, SEEN_BY_PROVINCE, ASSESSMENT_OWN, ASSESSMENT_OTHER),
    Row("assessments:totals", ALL, SEEN_BY_PROVINCE, ASSESSMENT_OWN, ASSESSMENT_OTHER),
    Row("assessments:send", SET_STEP, SET_STEP_OTHER, ASSESSMENT_OWN, ASSESSMENT_OTHER, method="post"),
    Row("assessments:finalise", SET_STEP, SET_STEP_OTHER, ASSESSMENT_OWN, ASSESSMENT_OTHER, method="post"),
    Row("assessments:return", SET_STEP, SET_STEP_OTHER, ASSESSMENT_OWN, ASSESSMENT_OTHER, method="post"),
    Row("assessments:survey", SET_STEP, SET_STEP_OTHER, ASSESSMENT_OWN, ASSESSMENT_OTHER, method="post"),
    Row(
        "assessments:answer",
        (LOGIN, REDIRECT, 403, REDIRECT, 403),  # the unit's officer answers the appraisal
        (LOGIN, REDIRECT, 403, 404, 403),
        {**ASSESSMENT_OWN, "criterion_pk@": "criterion"},
        {**ASSESSMENT_OTHER, "criterion_pk@": "criterion"},
        method="post",
    ),
    Row("assessments:evidence", ALL, SEEN_BY_PROVINCE, {"pk@": "evidence"}, {"pk@": "evidence"}),
    Row("assessments:group_scores", ALL),
]


def test_every_url_of_the_url_conf_has_a_row():
    named = {name for name in url_names() if not name.startswith("admin:")}

    assert named == {row.name for row in ROWS}


def url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def pdf(name):
    return SimpleUploadedFile(f"{name}.pdf", MINIMAL_PDF, content_type="application/pdf")


def make_set(province):
    criteria_set = CriteriaSet.objects.create(
        province=province, year=2023, scored_units=ScoredUnits.DISTRICT, title=f"Bộ tiêu chí {province.code}"
    )
    Criterion.objects.create(
        criteria_set=criteria_set, code="1", text="Ban hành kế hoạch CCHC", max_points=Decimal(4), method=Method.SELF
    )
    return criteria_set


@pytest.fixture
def world(settings, tmp_path):
    """Đồng Tháp (87) with Thanh Bình (874) and Lấp Vò (875), each with one of everything a page shows, and a
    user of each role. Vĩnh Long (86) is a province of its own, with a criteria set of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    dong_thap = make_province("87", "Tỉnh Đồng Tháp")
    vinh_long = make_province("86", "Tỉnh Vĩnh Long")
    objects = {}
    for key, code, name in (("own", "874", "Huyện Thanh Bình"), ("other", "875", "Huyện Lấp Vò")):
        district = make_district(dong_thap, code, name)
        make_counted_report(district, 2023, 1, received=10, resolved=10, resolved_in_time=9, resolved_late=1)
        make_plan(district, 2023)
        session = make_session(dong_thap, title=f"Kiểm tra {name}")
        make_inspected_unit(session, district, inspected_on=date(2021, 10, 26))
        objects[key] = {
            "unit": district,
            "session": session,
            "recommendation": make_recommendation(
                district, session=session, evidence_file=pdf(code), evidence_file_name=f"{code}.pdf"
            ),
            "target": Target.objects.create(indicator="on_time_rate", year=2023, unit=district, value=Decimal(95)),
        }
    own_set = make_set(dong_thap)
    # A set of the officer's province, and one of another province; the assessments are of the first.
    objects["own"]["set"], objects["other"]["set"] = own_set, make_set(vinh_long)
    objects["own"]["assessed_set"] = objects["other"]["assessed_set"] = own_set
    criterion = own_set.criteria.get()
    for side in objects.values():
        assessment = Assessment.objects.create(criteria_set=own_set, unit=side["unit"])
        side["criterion"] = criterion
        side["evidence"] = LeafScore.objects.create(
            assessment=assessment,
            criterion=criterion,
            evidence_file=pdf(side["unit"].code),
            evidence_file_name=f"{side['unit'].code}.pdf",
        )
    thanh_binh = objects["own"]["unit"]
    users = {
        "admin": get_user_model().objects.create_superuser("admin", password="secret-pass-123"),
        "staff": make_user(PROVINCIAL_STAFF, dong_thap, username="province"),
        "officer": make_user(DISTRICT_OFFICER, thanh_binh, username="thanhbinh"),
        "inspector": make_user(INSPECTION_TEAM, dong_thap, username="inspector"),
    }
    return objects, users


def resolve_kwargs(kwargs, objects):
    """Keys ending in ``@`` name an object of the world: ``{"pk@": "session"}`` → ``{"pk": session.pk}``."""
    return {
        (name[:-1] if name.endswith("@") else name): (objects[value].pk if name.endswith("@") else value)
        for name, value in kwargs.items()
    }


def answer_of(world, row, role, side):
    objects, users = world
    kwargs, query = (row.own_kwargs, row.own_query) if side == "own" else (row.other_kwargs, row.other_query)
    path = reverse(row.name, kwargs=resolve_kwargs(kwargs, objects[side]))
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get(path, query) if row.method == "get" else client.post(path)
    if response.status_code == 302:
        return LOGIN if response["Location"].startswith(f"/accounts/login/?next={path}") else REDIRECT
    return response.status_code


CASES = [(row, side) for row in ROWS for side in (("own", "other") if row.other is not None else ("own",))]


@pytest.mark.parametrize(("row", "side"), CASES, ids=[f"{row.name}-{side}" for row, side in CASES])
def test_each_role_gets_the_answer_the_rules_give(world, row, side):
    # One world for the five roles (building it is most of the cost), each role's request rolled back after it,
    # so that what one role's POST changed never decides another's answer.
    answers = {}
    for role in ROLES:
        with transaction.atomic():
            answers[role] = answer_of(world, row, role, side)
            transaction.set_rollback(True)

    assert answers == dict(zip(ROLES, row.own if side == "own" else row.other, strict=True))
