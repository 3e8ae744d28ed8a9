"""Who may do what with quarterly reports, over every URL of the dossiers app, the JSON feed and the admin.

The demo's people: ``thanhbinh`` (district officer of Thanh Bình, 874), ``province`` (provincial staff),
``inspector`` (inspection team); plus ``caolanh``, officer of another district (Cao Lãnh district, 873).
The rules (docs/domain.md §Users, districts/access.py): a district officer sees and changes their own
district only — another district's report is "not found", whatever it holds; the inspection team reads every
report but enters no figure and approves nothing; only provincial staff approve, return and re-open. Provincial
staff may also enter figures for any unit (``may_enter_figures``).
"""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from cchc.lib.roles import DISTRICT_OFFICER
from districts.models import Unit
from dossiers.models import QuarterlyReport, ReportStatus
from tests.dossiers.report_data import GOOD_LEVELS, form_data
from tests.dossiers.report_pages import (
    REPORT,
    database_dump,
    field_is_disabled,
    messages,
    table_rows,
    texts_by_testid,
)
from tests.factories import make_commune, make_report, make_user

pytestmark = pytest.mark.django_db

PEOPLE = ["anonymous", "thanhbinh", "caolanh", "province", "inspector"]
LOGIN = "login"  # sent to the login page, with the page asked for as ``next``


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())
    make_user(DISTRICT_OFFICER, Unit.objects.get(code="873"), username="caolanh")


def client_of(username):
    client = Client()
    if username != "anonymous":
        client.force_login(get_user_model().objects.get(username=username))
    return client


def thanh_binh_report(status):
    """Thanh Bình's 2024Q1 in ``status``, with figures that satisfy every identity (version 1)."""
    return make_report(Unit.objects.get(code="874"), 2024, 1, status=status, levels=GOOD_LEVELS)


def assert_answer(response, expected, path):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={path}"
    elif isinstance(expected, str):
        assert response.status_code == 302
        assert response["Location"] == expected
    else:
        assert response.status_code == expected


# --- Pages ------------------------------------------------------------------------------------------------------------

# Every page's answer to each role for a quarter with a report: tests/test_permission_matrix.py. A quarter the
# unit has not reported yet answers the same: the form is the page, there is no report to hide.
NO_REPORT_YET = {
    # path: answer for each of PEOPLE
    REPORT: (LOGIN, 200, 404, 200, 200),
    "/dossiers/873/2024Q1/": (LOGIN, 404, 200, 200, 200),
}


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("path", NO_REPORT_YET)
def test_each_person_gets_what_the_rules_allow_from_a_quarter_not_reported_yet(demo, path, who):
    response = client_of(who).get(path)

    assert_answer(response, NO_REPORT_YET[path][PEOPLE.index(who)], path)


@pytest.mark.parametrize("status", [ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.APPROVED])
def test_another_districts_officer_gets_not_found_whatever_the_report_holds(demo, status):
    thanh_binh_report(status)

    response = client_of("caolanh").get(REPORT)

    assert response.status_code == 404
    assert "Thanh Bình" not in response.content.decode()
    assert "1.365" not in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/dossiers/874/2025Q3/",  # Thanh Bình ceased to exist on 30/06/2025
        "/dossiers/874/2024H1/",  # a report is per quarter
        "/dossiers/874/2024Q5/",
        "/dossiers/874/quy1/",
        "/dossiers/999/2024Q1/",  # no such unit
    ],
)
@pytest.mark.parametrize("who", ["thanhbinh", "province"])
def test_a_report_page_for_a_unit_or_quarter_that_does_not_exist_is_not_found(demo, who, path):
    assert client_of(who).get(path).status_code == 404


def test_a_district_officer_opens_the_reports_of_their_own_communes_but_not_of_another_districts(demo):
    make_commune(Unit.objects.get(code="874"), "29620", "Xã Tân Thạnh")
    make_commune(Unit.objects.get(code="873"), "29800", "Xã Mỹ Long")

    assert client_of("thanhbinh").get("/dossiers/29620/2024Q1/").status_code == 200
    assert client_of("thanhbinh").get("/dossiers/29800/2024Q1/").status_code == 404
    assert client_of("caolanh").get("/dossiers/29620/2024Q1/").status_code == 404


def test_the_inspection_team_reads_a_report_with_every_figure_greyed_out_and_no_button(demo):
    thanh_binh_report(ReportStatus.SUBMITTED)

    page = client_of("inspector").get(REPORT)
    html = page.content.decode()

    assert field_is_disabled(page, "district__received")
    assert field_is_disabled(page, "procedures_total")
    assert 'name="action"' not in html
    assert texts_by_testid(page, "review") == []


def test_the_district_officer_gets_an_open_form_and_provincial_staff_the_review_box(demo):
    thanh_binh_report(ReportStatus.SUBMITTED)

    officer_page = client_of("thanhbinh").get(REPORT)
    staff_page = client_of("province").get(REPORT)

    assert texts_by_testid(officer_page, "review") == []
    assert 'value="approve"' not in officer_page.content.decode()
    assert 'value="approve"' in staff_page.content.decode()
    assert 'value="return"' in staff_page.content.decode()


def test_a_district_officers_list_holds_their_own_district_only(demo):
    thanh_binh_report(ReportStatus.RETURNED)

    response = client_of("caolanh").get("/dossiers/", {"year": "2024"})

    links = [link for _cells, row_links in table_rows(response, "my-reports") for link in row_links]
    assert links
    assert all(link.startswith("/dossiers/873/") for link in links)
    assert "Thanh Bình" not in response.content.decode()


def test_a_district_officer_asking_the_completeness_page_for_another_province_sees_their_own(demo):
    response = client_of("thanhbinh").get("/dossiers/completeness/", {"province": "67", "period": "2023H1"})

    assert response.context["province"].code == "87"
    assert "Đắk Song" not in response.content.decode()


# --- Actions on the report page ---------------------------------------------------------------------------------------

DONE = "done"  # sent back to the page, the action applied
# The status the report starts from for each action (one it is allowed from), and the one it leads to.
ACTIONS = {
    "save": (ReportStatus.DRAFT, ReportStatus.DRAFT),
    "submit": (ReportStatus.DRAFT, ReportStatus.SUBMITTED),
    "approve": (ReportStatus.SUBMITTED, ReportStatus.APPROVED),
    "return": (ReportStatus.SUBMITTED, ReportStatus.RETURNED),
    "reopen": (ReportStatus.APPROVED, ReportStatus.RETURNED),
}
POSTS = {
    # action: answer for each of PEOPLE
    "save": (LOGIN, DONE, 404, DONE, 403),
    "submit": (LOGIN, DONE, 404, DONE, 403),
    "approve": (LOGIN, 403, 404, DONE, 403),
    "return": (LOGIN, 403, 404, DONE, 403),
    "reopen": (LOGIN, 403, 404, DONE, 403),
    "delete": (LOGIN, 403, 404, 403, 403),  # no such action
}


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("action", POSTS)
def test_each_person_may_post_exactly_the_actions_the_rules_allow(demo, action, who):
    start, end = ACTIONS.get(action, (ReportStatus.SUBMITTED, None))
    report = thanh_binh_report(start)
    before = database_dump()
    data = form_data(action, version=report.version, district__pending_overdue="12")
    data["comment"] = "Đề nghị rà soát lại số liệu cấp xã."

    response = client_of(who).post(REPORT, data)

    expected = POSTS[action][PEOPLE.index(who)]
    if expected == DONE:
        assert_answer(response, REPORT, REPORT)
        report.refresh_from_db()
        assert report.status == end
        assert database_dump() != before
    else:
        assert_answer(response, expected, REPORT)
        assert database_dump() == before


def test_a_district_officers_save_really_changes_the_figures(demo):
    report = thanh_binh_report(ReportStatus.DRAFT)

    response = client_of("thanhbinh").post(
        REPORT, form_data(version=report.version, district__pending_overdue="12"), follow=True
    )

    assert messages(response) == ["Đã lưu bản nháp."]
    assert report.levels.get(level="district").pending_overdue == 12


def test_provincial_staff_cannot_act_on_a_quarter_without_a_report(demo):
    before = database_dump()

    for action in ("approve", "return", "reopen"):
        response = client_of("province").post(REPORT, {"action": action, "comment": "Lý do"})
        assert response.status_code == 403

    assert database_dump() == before


# --- The JSON feed: a report's figures reach the dashboard only once handed in ----------------------------------------

FEED = "/api/indicators/"


def thanh_binh_resolved(who, **query):
    data = client_of(who).get(FEED, {"province": "87", "period": "2024Q1", **query}).json()
    return next(unit for unit in data["units"] if unit["code"] == "874")["figures"]["resolved"]


# Resolved, both levels: 1.400 + 1.980 = 3.380. District officers count approved reports only; provincial staff
# and the inspection team count submitted ones too.
FEED_RESOLVED = {
    ReportStatus.DRAFT: {"thanhbinh": None, "caolanh": None, "province": None, "inspector": None},
    ReportStatus.RETURNED: {"thanhbinh": None, "caolanh": None, "province": None, "inspector": None},
    ReportStatus.SUBMITTED: {"thanhbinh": None, "caolanh": None, "province": 3380, "inspector": 3380},
    ReportStatus.APPROVED: {"thanhbinh": 3380, "caolanh": 3380, "province": 3380, "inspector": 3380},
}


@pytest.mark.parametrize("status", FEED_RESOLVED)
def test_the_feed_shows_a_reports_figures_to_each_person_by_its_status(demo, status):
    thanh_binh_report(status)

    assert {who: thanh_binh_resolved(who) for who in FEED_RESOLVED[status]} == FEED_RESOLVED[status]


def test_the_feed_restricted_to_approved_reports_leaves_out_a_submitted_one(demo):
    thanh_binh_report(ReportStatus.SUBMITTED)

    assert thanh_binh_resolved("province", approved="1") is None


def test_an_anonymous_feed_request_is_sent_to_log_in(demo):
    thanh_binh_report(ReportStatus.APPROVED)

    response = client_of("anonymous").get(FEED, {"province": "87", "period": "2024Q1"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/api/indicators/")
    assert b"3380" not in response.content


# --- The admin site ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["thanhbinh", "caolanh"])
def test_district_officers_are_not_staff_and_are_sent_to_the_admin_login(demo, who):
    report = thanh_binh_report(ReportStatus.DRAFT)
    client = client_of(who)

    for path in ("/admin/", "/admin/dossiers/quarterlyreport/", f"/admin/dossiers/quarterlyreport/{report.pk}/change/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/admin/login/?next=/admin/"), path


def test_a_district_officer_cannot_change_another_districts_report_through_the_admin(demo):
    report = thanh_binh_report(ReportStatus.DRAFT)
    caolanh = get_user_model().objects.get(username="caolanh")
    caolanh.is_staff = True
    caolanh.save()
    before = database_dump()

    response = client_of("caolanh").post(
        f"/admin/dossiers/quarterlyreport/{report.pk}/change/",
        {"unit": report.unit_id, "year": "2024", "quarter": "1", "procedures_total": "1"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert database_dump() == before


def test_the_inspection_team_reads_reports_in_the_admin_but_cannot_change_them(demo):
    report = thanh_binh_report(ReportStatus.DRAFT)
    client = client_of("inspector")
    before = database_dump()

    assert client.get("/admin/dossiers/quarterlyreport/").status_code == 200
    response = client.post(
        f"/admin/dossiers/quarterlyreport/{report.pk}/change/",
        {"unit": report.unit_id, "year": "2024", "quarter": "1", "procedures_total": "1"},
    )

    assert response.status_code == 403
    assert database_dump() == before
    assert QuarterlyReport.objects.get(pk=report.pk).procedures_total is None
