"""The admin site: every page opens for those allowed, lists run a fixed number of queries, bad input is refused."""

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cchc.lib.roles import DISTRICT_OFFICER, INSPECTION_TEAM, PROVINCIAL_STAFF
from districts.models import ReformPlan, ReformTask, Unit
from dossiers.models import LevelFigures, QuarterlyReport, ReportStatus
from inspections.models import InspectedUnit, InspectionSession, Recommendation
from tests.factories import (
    make_district,
    make_plan,
    make_recommendation,
    make_report,
    make_session,
    make_tasks,
    make_user,
)
from tests.formsets import report_admin_inlines

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:districts_unit_changelist",
    "admin:districts_reformplan_changelist",
    "admin:districts_reformtask_changelist",
    "admin:dossiers_quarterlyreport_changelist",
    "admin:inspections_inspectionsession_changelist",
    "admin:inspections_recommendation_changelist",
    "admin:cchc_user_changelist",
]
MODELS = [Unit, ReformPlan, ReformTask, QuarterlyReport, InspectionSession, Recommendation]


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher", *settings.PASSWORD_HASHERS]
    call_command("load_demo", verbosity=0)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", password="secret-pass-123")


@pytest.fixture
def admin_staff(demo):
    """Provincial staff of the demo's Đồng Tháp (87), given the admin site."""
    return make_user(PROVINCIAL_STAFF, Unit.objects.get(code="87"), is_staff=True)


@pytest.fixture
def admin_inspector(demo):
    """A member of the demo's inspection team, given the admin site."""
    return make_user(INSPECTION_TEAM, Unit.objects.get(code="87"), is_staff=True)


def page_as(client, user, url):
    """The page at ``url`` as ``user`` sees it (the client stays logged in as them)."""
    client.force_login(user)
    return client.get(url).content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _add_rows(first, copies):
    """``copies`` more districts, each with a plan and tasks, a report with two levels, a session, a recommendation."""
    province = Unit.objects.get(code="87")
    for number in range(first, first + copies):
        district = make_district(province, code=f"{900 + number}", name=f"Huyện thử {number}")
        make_tasks(make_plan(district, 2021), 3)
        make_report(
            district,
            2021,
            1,
            status=ReportStatus.APPROVED,
            levels={"district": {"received": 10}, "commune": {"received": 20}},
        )
        session = make_session(province, title=f"Đợt {number}")
        InspectedUnit.objects.create(session=session, unit=district)
        make_recommendation(district, session=session, text=f"Kiến nghị {number}")


@pytest.mark.parametrize("name", CHANGELISTS)
def test_a_list_page_runs_as_many_queries_for_many_rows_as_for_few(client, demo, superuser, name):
    client.force_login(superuser)
    url = reverse(name)
    _add_rows(0, 2)
    few = _queries(client, url)

    _add_rows(2, 12)
    many = _queries(client, url)

    assert many == few


@pytest.mark.parametrize("model", MODELS)
def test_every_change_page_opens_for_an_administrator(client, demo, superuser, model):
    client.force_login(superuser)
    obj = model.objects.order_by("pk").first()
    meta = model._meta

    change = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))
    add = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))

    assert change.status_code == 200
    assert add.status_code == 200


def test_provincial_staff_open_reports_and_the_inspection_team_only_reads_them(client, admin_staff, admin_inspector):
    report = make_report(Unit.objects.get(code="874"), 2024, 1, status=ReportStatus.SUBMITTED)
    url = reverse("admin:dossiers_quarterlyreport_change", args=[report.pk])

    staff_page = page_as(client, admin_staff, url)
    inspector_page = page_as(client, admin_inspector, url)

    assert 'name="_save"' in staff_page
    assert 'name="_save"' not in inspector_page
    assert client.get(reverse("admin:inspections_recommendation_add")).status_code == 200
    assert client.get(reverse("admin:dossiers_quarterlyreport_add")).status_code == 403


def _report_post(unit, levels):
    data = {
        "unit": unit.pk,
        "year": 2024,
        "quarter": 1,
        "note": "",
        **report_admin_inlines(len(levels)),
    }
    for index, (level, figures) in enumerate(levels.items()):
        data[f"levels-{index}-level"] = level
        for code, value in figures.items():
            data[f"levels-{index}-{code}"] = str(value)
    return data


def test_a_report_breaking_an_identity_is_refused_in_vietnamese_and_nothing_is_saved(client, demo, superuser):
    client.force_login(superuser)
    unit = Unit.objects.get(code="874")
    reports_before, levels_before = QuarterlyReport.objects.count(), LevelFigures.objects.count()
    # 120 resolved, but 100 in time + 10 late make 110.
    data = _report_post(unit, {"district": {"resolved": 120, "resolved_in_time": 100, "resolved_late": 10}})

    response = client.post(reverse("admin:dossiers_quarterlyreport_add"), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Số đã giải quyết (120) phải bằng số giải quyết đúng hạn và trước hạn (100)" in page
    assert QuarterlyReport.objects.count() == reports_before
    assert LevelFigures.objects.count() == levels_before


def test_a_figure_given_for_all_levels_and_for_one_level_is_refused(client, demo, superuser):
    client.force_login(superuser)
    unit = Unit.objects.get(code="874")
    reports_before = QuarterlyReport.objects.count()
    data = _report_post(unit, {"all": {"received": 300}, "district": {"received": 100}})

    response = client.post(reverse("admin:dossiers_quarterlyreport_add"), data)

    assert response.status_code == 200
    assert "sẽ bị tính hai lần" in response.content.decode()
    assert QuarterlyReport.objects.count() == reports_before


def test_a_valid_report_is_saved_with_its_levels(client, demo, superuser):
    client.force_login(superuser)
    unit = Unit.objects.get(code="874")
    data = _report_post(
        unit,
        {
            "district": {
                "carried_over": 5,
                "received": 100,
                "resolved": 90,
                "resolved_in_time": 88,
                "resolved_late": 2,
            },
            "commune": {"received": 200},
        },
    )

    response = client.post(reverse("admin:dossiers_quarterlyreport_add"), data)

    assert response.status_code == 302
    report = QuarterlyReport.objects.get(unit=unit, year=2024, quarter=1)
    assert report.status == ReportStatus.DRAFT
    assert {row.level: row.received for row in report.levels.all()} == {"district": 100, "commune": 200}


def test_only_those_who_may_approve_see_the_approve_action(client, admin_staff, admin_inspector):
    url = reverse("admin:dossiers_quarterlyreport_changelist")

    staff_page = page_as(client, admin_staff, url)
    inspector_page = page_as(client, admin_inspector, url)

    assert 'value="approve_reports"' in staff_page
    assert 'value="approve_reports"' not in inspector_page


def test_approving_from_the_list_records_who_approved(client, admin_staff):
    report = make_report(Unit.objects.get(code="874"), 2024, 1, status=ReportStatus.SUBMITTED)
    client.force_login(admin_staff)

    response = client.post(
        reverse("admin:dossiers_quarterlyreport_changelist"),
        {"action": "approve_reports", "_selected_action": [report.pk]},
    )

    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    with translation.override("vi"):
        done = translation.ngettext("%d report approved.", "%d reports approved.", 1) % 1
    assert [(message.level_tag, message.message) for message in get_messages(response.wsgi_request)] == [
        ("success", done)
    ]
    event = report.events.get()
    assert (event.from_status, event.to_status, event.by) == (
        ReportStatus.SUBMITTED,
        ReportStatus.APPROVED,
        admin_staff,
    )


def test_a_recommendation_marked_done_without_its_date_is_refused(client, demo, superuser):
    client.force_login(superuser)
    recommendation = Recommendation.objects.filter(unit__code="874").first()
    url = reverse("admin:inspections_recommendation_change", args=[recommendation.pk])

    response = client.post(
        url,
        {"unit": recommendation.unit_id, "text": recommendation.text, "area": "", "status": "done", "response": ""},
    )

    assert response.status_code == 200
    assert "phải có ngày hoàn thành" in response.content.decode()
    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.OPEN


def test_a_district_officer_given_the_admin_site_sees_only_their_own_units_reports(client, demo):
    officer = make_user(DISTRICT_OFFICER, Unit.objects.get(code="874"), is_staff=True)
    client.force_login(officer)
    own = QuarterlyReport.objects.get(unit__code="874", year=2021, quarter=3)
    other = QuarterlyReport.objects.get(unit__code="665", year=2023, quarter=2)

    listing = client.get(reverse("admin:dossiers_quarterlyreport_changelist")).content.decode()
    other_page = client.get(reverse("admin:dossiers_quarterlyreport_change", args=[other.pk]))

    assert reverse("admin:dossiers_quarterlyreport_change", args=[own.pk]) in listing
    assert reverse("admin:dossiers_quarterlyreport_change", args=[other.pk]) not in listing
    # The admin answers a row outside the user's queryset by sending them back to the index.
    assert other_page.status_code == 302


def test_an_approved_report_cannot_be_changed_in_the_admin_by_provincial_staff(client, admin_staff):
    approved = QuarterlyReport.objects.get(unit__code="874", year=2021, quarter=3)

    page = page_as(client, admin_staff, reverse("admin:dossiers_quarterlyreport_change", args=[approved.pk]))

    assert 'name="_save"' not in page


def test_a_district_officer_given_the_admin_site_sees_only_their_own_recommendations_and_cannot_verify(client, demo):
    officer = make_user(DISTRICT_OFFICER, Unit.objects.get(code="874"), is_staff=True)
    other = make_recommendation(Unit.objects.get(code="873"), text="Kiến nghị của huyện khác")
    own = Recommendation.objects.filter(unit__code="874").first()
    client.force_login(officer)

    listing = client.get(reverse("admin:inspections_recommendation_changelist")).content.decode()
    own_page = client.get(reverse("admin:inspections_recommendation_change", args=[own.pk])).content.decode()

    assert reverse("admin:inspections_recommendation_change", args=[other.pk]) not in listing
    assert reverse("admin:inspections_recommendation_change", args=[own.pk]) in listing
    assert 'value="done"' in own_page
    assert 'value="verified"' not in own_page


def test_only_the_two_offered_formats_are_exported_from_the_dashboard(client, demo, superuser):
    client.force_login(superuser)

    for unknown in ("xls", "ods", "json", "latex"):
        response = client.get("/", {"province": "87", "period": "2021", "_export": unknown})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
