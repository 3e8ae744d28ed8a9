"""The demo data (fixtures/demo/*.yaml) says what the five source articles say.

Every expected number below is written by hand from the articles' counts in docs/domain.md, §Articles
(never read back from the fixtures).
"""

from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from districts.models import Level, ReformPlan, ReformTask, Unit
from dossiers.models import LevelFigures, QuarterlyReport, ReportEvent, ReportStatus, overlapping_figures
from inspections.models import InspectedUnit, InspectionSession, Recommendation, TeamMember
from tests.factories import errors_of

pytestmark = pytest.mark.django_db

DEMO_MODELS = (
    "districts.Unit",
    "districts.ReformPlan",
    "districts.ReformTask",
    "dossiers.QuarterlyReport",
    "dossiers.LevelFigures",
    "dossiers.ReportEvent",
    "inspections.InspectionSession",
    "inspections.InspectedUnit",
    "inspections.TeamMember",
    "inspections.Recommendation",
    "cchc.User",
)
DONG_THAP_DISTRICTS = {
    "866": "Thành phố Cao Lãnh",
    "867": "Thành phố Sa Đéc",
    "868": "Thành phố Hồng Ngự",
    "869": "Huyện Tân Hồng",
    "870": "Huyện Hồng Ngự",
    "871": "Huyện Tam Nông",
    "872": "Huyện Tháp Mười",
    "873": "Huyện Cao Lãnh",
    "874": "Huyện Thanh Bình",
    "875": "Huyện Lấp Vò",
    "876": "Huyện Lai Vung",
    "877": "Huyện Châu Thành",
}


def counts():
    return {label: apps.get_model(label).objects.count() for label in DEMO_MODELS}


def rows_of(unit_code, year, quarter):
    report = QuarterlyReport.objects.get(unit__code=unit_code, year=year, quarter=quarter)
    return report, {row.level: row for row in report.levels.all()}


def total(rows, code):
    return sum(getattr(row, code) for row in rows.values())


# --- Units ---------------------------------------------------------------------------------------------------


def test_dong_thap_has_its_twelve_districts_with_their_kinds(demo):
    districts = Unit.objects.filter(parent__code="87")
    assert {u.code: u.name for u in districts} == DONG_THAP_DISTRICTS
    cities = {u.code for u in districts if u.kind == "provincial_city"}
    assert cities == {"866", "867", "868"}
    assert all(u.level == Level.DISTRICT for u in districts)


def test_the_twelve_districts_exist_in_2023_but_not_in_2026(demo):
    assert Unit.objects.active_in("2023Q1").filter(parent__code="87").count() == 12
    assert not Unit.objects.active_in("2026Q1").filter(parent__code="87").exists()


def test_merged_provinces_hand_over_to_their_successors_on_1_july_2025(demo):
    in_2023 = set(Unit.objects.active_in("2023Q1").provinces().values_list("code", flat=True))
    in_2026 = set(Unit.objects.active_in("2026Q1").provinces().values_list("code", flat=True))
    assert in_2023 == {"87", "67", "14", "68"}
    assert in_2026 == {"82", "68", "14"}
    successors = {u.code: {s.code for s in u.successors.all()} for u in Unit.objects.filter(valid_until__isnull=False)}
    assert successors == {
        "87": {"82"},
        **{code: {"82"} for code in DONG_THAP_DISTRICTS},
        "67": {"68"},
        "665": {"68"},
        "121": {"14"},
    }
    assert all(u.valid_until == date(2025, 6, 30) for u in Unit.objects.filter(valid_until__isnull=False))


def test_levels_are_stored_although_loaddata_skips_save(demo):
    assert set(Unit.objects.filter(level=Level.PROVINCE).values_list("code", flat=True)) == {
        "87",
        "82",
        "67",
        "68",
        "14",
    }
    assert Unit.objects.get(code="665").parent.code == "67"
    assert Unit.objects.get(code="121").parent.code == "14"


# --- Plans -----------------------------------------------------------------------------------------------------


def test_thanh_binh_2021_plan_has_18_of_35_tasks_done_by_30_july(demo):
    plan = ReformPlan.objects.get(unit__code="874", year=2021)
    assert plan.completion(date(2021, 7, 30)) == (18, 35)
    assert plan.tasks.exclude(status=ReformTask.Status.DONE).count() == 17


def test_bac_yen_2018_has_250_of_295_provincial_tasks_done_and_45_in_progress(demo):
    plan = ReformPlan.objects.get(unit__code="121", year=2018)
    assert plan.completion(date(2018, 6, 22)) == (250, 295)
    assert plan.tasks.filter(status=ReformTask.Status.IN_PROGRESS).count() == 45
    assert not plan.tasks.exclude(assigned_by=ReformTask.AssignedBy.PROVINCE).exists()


# --- Reports ---------------------------------------------------------------------------------------------------


def test_thanh_binh_to_30_july_2021_is_one_report_in_2021q3(demo):
    report, rows = rows_of("874", 2021, 3)
    assert set(rows) == {"all", "district", "commune"}
    assert (rows["all"].resolved, rows["all"].resolved_in_time, rows["all"].resolved_late) == (86048, 86041, 7)
    assert rows["all"].received_postal == 2252
    assert (rows["district"].received_online, rows["commune"].received_online) == (293, 8672)
    assert (report.procedures_total, report.procedures_reviewed, report.procedures_simplified) == (456, 181, 36)
    assert (report.procedures_with_dossiers, report.procedures_postal) == (115, 40)
    assert (report.units_planned_inspection, report.units_inspected) == (19, 9)
    assert (report.communication_programmes, report.communication_articles, report.communication_news) == (14, 14, 42)
    assert not QuarterlyReport.objects.filter(unit__code="874").exclude(pk=report.pk).exists()


def test_cao_lanh_q1_2020_has_no_late_dossier_at_either_level(demo):
    _report, rows = rows_of("873", 2020, 1)
    assert (rows["district"].received, rows["district"].resolved_early) == (17800, 6650)
    assert (rows["commune"].received, rows["commune"].resolved_early) == (19000, 1650)
    # "không có hồ sơ trễ hạn" is a stated zero, not a blank.
    assert rows["district"].resolved_late == 0
    assert rows["commune"].resolved_late == 0
    assert (rows["all"].received_postal, rows["all"].received_online) == (1500, 484)
    # Resolved is not in the article: blank, never guessed.
    assert rows["district"].resolved is None
    assert rows["commune"].resolved is None


def test_dak_song_first_half_2023_has_15051_dossiers_to_handle(demo):
    _report, rows = rows_of("665", 2023, 2)
    assert set(rows) == {"all"}
    row = rows["all"]
    assert row.carried_over + row.received == 15051
    assert (row.resolved, row.resolved_in_time) == (12530, 10840)
    assert round(100 * row.resolved_in_time / row.resolved, 2) == 86.51
    # Not stated by the article, so blank rather than inferred.
    assert row.resolved_late is None
    assert row.pending is None


def test_bac_yen_first_half_2018_totals_over_its_levels(demo):
    _report, rows = rows_of("121", 2018, 2)
    assert set(rows) == {"district", "commune"}
    assert total(rows, "received") == 14607
    assert total(rows, "resolved") == 14506
    assert total(rows, "pending") == 101
    assert total(rows, "resolved_late") == 0
    district, commune = rows["district"], rows["commune"]
    assert (district.received, district.resolved, district.pending) == (1598, 1497, 101)
    assert (commune.received, commune.resolved, commune.pending) == (13009, 13009, 0)


def test_lap_vo_has_no_report_since_its_article_gives_only_rates(demo):
    assert not QuarterlyReport.objects.filter(unit__code="875").exists()


def test_the_reports_are_the_four_periods_of_the_articles(demo):
    periods = set(QuarterlyReport.objects.values_list("unit__code", "year", "quarter"))
    assert periods == {("874", 2021, 3), ("873", 2020, 1), ("665", 2023, 2), ("121", 2018, 2)}
    assert set(QuarterlyReport.objects.values_list("status", flat=True)) == {ReportStatus.APPROVED}
    assert all(report.note.startswith("Số liệu từ bài viết") for report in QuarterlyReport.objects.all())


def test_approval_events_carry_the_dates_of_the_articles(demo):
    events = {e.report.unit.code: e for e in ReportEvent.objects.select_related("report__unit")}
    assert {code: timezone.localtime(e.at).date() for code, e in events.items()} == {
        "874": date(2021, 10, 26),
        "665": date(2023, 7, 24),
        "121": date(2018, 6, 26),
    }
    assert all((e.from_status, e.to_status, e.by) == ("submitted", "approved", None) for e in events.values())


def test_no_figure_is_given_both_for_all_levels_and_for_one_level(demo):
    for report in QuarterlyReport.objects.prefetch_related("levels"):
        rows = {row.level: row.figure_values() for row in report.levels.all()}
        assert overlapping_figures(rows) == [], report


def test_every_report_and_level_row_passes_full_clean(demo):
    rows = [*QuarterlyReport.objects.select_related("unit"), *LevelFigures.objects.select_related("report__unit")]

    assert {str(row): errors for row in rows if (errors := errors_of(row))} == {}


def test_every_other_demo_row_passes_full_clean(demo):
    models = (Unit, ReformPlan, ReformTask, InspectionSession, InspectedUnit, Recommendation, get_user_model())
    rows = [row for model in models for row in model.objects.all()]

    assert {repr(row): errors for row in rows if (errors := errors_of(row))} == {}


# --- Inspections -----------------------------------------------------------------------------------------------


def test_the_october_2021_session_inspected_nine_units_online(demo):
    session = InspectionSession.objects.get()
    assert session.inspecting_unit.code == "87"
    assert session.format == InspectionSession.Format.ONLINE
    assert (session.starts_on, session.ends_on) == (date(2021, 10, 26), date(2021, 10, 28))
    codes = set(session.inspected_units.values_list("unit__code", flat=True))
    assert codes == {"871", "874", "872", "873", "877", "876", "875", "866", "867"}
    dated = session.inspected_units.filter(inspected_on__isnull=False)
    assert [(i.unit.code, i.inspected_on) for i in dated] == [("874", date(2021, 10, 26))]
    assert not TeamMember.objects.exists()


def test_thanh_binh_has_six_open_recommendations_without_deadline(demo):
    recommendations = Recommendation.objects.filter(unit__code="874")
    assert recommendations.count() == 6
    assert set(recommendations.values_list("status", flat=True)) == {Recommendation.Status.OPEN}
    assert not recommendations.filter(deadline__isnull=False).exists()
    assert not recommendations.filter(session__isnull=True).exists()
    assert Recommendation.objects.count() == 6


# --- Reloading -------------------------------------------------------------------------------------------------


def test_loading_twice_changes_no_counts(demo):
    before = counts()
    call_command("load_demo", stdout=StringIO())
    assert counts() == before


def test_loading_again_restores_edited_rows(demo):
    LevelFigures.objects.filter(report__unit__code="873", level="district").update(resolved_early=1)
    ReformTask.objects.filter(plan__unit__code="874", status=ReformTask.Status.DONE).update(
        status=ReformTask.Status.IN_PROGRESS, completed_on=None
    )
    call_command("load_demo", stdout=StringIO())
    assert LevelFigures.objects.get(report__unit__code="873", level="district").resolved_early == 6650
    assert ReformPlan.objects.get(unit__code="874", year=2021).completion(date(2021, 7, 30)) == (18, 35)


# --- Users -----------------------------------------------------------------------------------------------------


def test_the_four_demo_users_have_their_roles(demo):
    users = {u.username: u for u in get_user_model().objects.all()}
    assert set(users) == {"admin", "province", "thanhbinh", "inspector"}
    roles = {name: (u.unit.code if u.unit else None, u.is_staff, u.is_superuser) for name, u in users.items()}
    assert roles == {
        "admin": (None, True, True),
        "province": ("87", True, False),
        "thanhbinh": ("874", False, False),
        "inspector": ("87", True, False),
    }
    groups = {name: set(u.groups.values_list("name", flat=True)) for name, u in users.items()}
    assert groups == {
        "admin": set(),
        "province": {"Cán bộ Sở Nội vụ"},
        "thanhbinh": {"Cán bộ Phòng Nội vụ cấp huyện"},
        "inspector": {"Đoàn kiểm tra CCHC"},
    }


def test_the_demo_users_log_in_with_the_demo_password(demo, settings):
    # The fixture stores hashes made with the production hasher; the test settings allow only a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    # django-axes, which counts failed logins per address, needs the request the login comes with.
    request = RequestFactory().post("/accounts/login/")
    for username in ("admin", "province", "thanhbinh", "inspector"):
        assert authenticate(request, username=username, password="demo12345") is not None, username
    assert authenticate(request, username="province", password="wrong") is None
