"""Concurrent and stale saves: no lost update, and no server error when two people save at once.

The concurrent tests run real threads, each with its own database connection, released together by a
barrier, on SQLite (WAL, BEGIN IMMEDIATE, a busy timeout) and on PostgreSQL (row locks) alike.
"""

import threading
from datetime import date

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from cchc.lib.roles import DISTRICT_OFFICER, INSPECTION_TEAM, PROVINCIAL_STAFF
from districts.models import ReformPlan, ReformTask
from dossiers.models import LevelFigures, QuarterlyReport
from inspections.models import InspectionSession, Recommendation
from tests.dossiers.report_data import GOOD_LEVELS, form_data
from tests.dossiers.report_pages import alerts
from tests.factories import (
    make_plan,
    make_recommendation,
    make_report,
    make_session,
    make_tasks,
    make_user,
)
from tests.formsets import management, report_admin_inlines

STALE_HEAD = "trong khi bạn đang sửa: thay đổi của bạn chưa được lưu."


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def at_once(jobs):
    """Run each job in a thread of its own, all released together; each job's result, or the exception it raised.

    Each thread opens its own database connection and closes it when done.
    """
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def work(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - every error counts, and is asserted on below
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def outcomes(results):
    """``(saved, refused as stale, anything else)`` of page responses: a redirect, the stale alert, the rest."""
    saved = [r for r in results if getattr(r, "status_code", None) == 302]
    refused = [
        r for r in results if getattr(r, "status_code", None) == 200 and any(STALE_HEAD in alert for alert in alerts(r))
    ]
    others = [r for r in results if r not in saved and r not in refused]
    return saved, refused, others


REPORT = "/dossiers/874/2024Q1/"


# --- Reports -------------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_saves_of_one_report_give_one_success_and_nineteen_clear_refusals(thanh_binh):
    make_report(thanh_binh, 2024, 1, levels=GOOD_LEVELS)
    clients = [logged_in(make_user(DISTRICT_OFFICER, thanh_binh)) for _ in range(20)]

    # All twenty opened version 1; each types a different pending-overdue figure (0 … 19 ≤ 220 pending).
    results = at_once(
        [
            lambda client=client, n=n: client.post(REPORT, form_data(version=1, district__pending_overdue=str(n)))
            for n, client in enumerate(clients)
        ]
    )

    saved, refused, others = outcomes(results)
    assert (len(saved), len(refused), others) == (1, 19, [])
    report = QuarterlyReport.objects.get()
    # One save on version 1 makes version 2; the nineteen refused saved nothing.
    assert report.version == 2
    assert report.history.count() == 1 + 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("trial", range(3))
def test_two_simultaneous_first_saves_of_a_new_report_give_one_report_and_one_clear_refusal(thanh_binh, trial):
    first, second = (logged_in(make_user(DISTRICT_OFFICER, thanh_binh)) for _ in range(2))

    results = at_once(
        [
            lambda: first.post(REPORT, form_data(version=0)),
            lambda: second.post(REPORT, form_data(version=0, district__pending_overdue="3")),
        ]
    )

    saved, refused, others = outcomes(results)
    assert (len(saved), len(refused), others) == (1, 1, [])
    assert QuarterlyReport.objects.count() == 1
    assert QuarterlyReport.objects.get().version == 1


def test_a_save_in_the_admin_raises_the_version_and_the_districts_older_form_is_then_refused(thanh_binh):
    report = make_report(thanh_binh, 2024, 1, levels=GOOD_LEVELS, procedures_total=456)
    staff = make_user(PROVINCIAL_STAFF, thanh_binh.parent, is_staff=True)
    officer = logged_in(make_user(DISTRICT_OFFICER, thanh_binh))

    response = logged_in(staff).post(
        reverse("admin:dossiers_quarterlyreport_change", args=[report.pk]),
        admin_report_post(report, procedures_total=452),
    )
    refused = officer.post(REPORT, form_data(version=1, district__pending_overdue="3"))

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.version, report.procedures_total) == (2, 452)
    assert refused.status_code == 200
    assert STALE_HEAD in alerts(refused)[0]
    assert "TTHC thuộc thẩm quyền: 452 (bạn nhập 456)" in alerts(refused)[0]
    assert LevelFigures.objects.get(report=report, level="district").pending_overdue == 10


def test_a_stale_save_in_the_admin_is_refused_and_saves_nothing(thanh_binh):
    report = make_report(thanh_binh, 2024, 1, levels=GOOD_LEVELS, procedures_total=456)
    staff = logged_in(make_user(PROVINCIAL_STAFF, thanh_binh.parent, is_staff=True))
    officer = logged_in(make_user(DISTRICT_OFFICER, thanh_binh, username="thanhbinh"))
    opened_at = admin_report_post(report, procedures_total=460)  # the admin page as opened: version 1

    officer.post(REPORT, form_data(version=1, district__pending_overdue="15"))
    response = staff.post(reverse("admin:dossiers_quarterlyreport_change", args=[report.pk]), opened_at)

    assert response.status_code == 200
    page = response.content.decode()
    assert "thanhbinh đã lưu nội dung này lúc" in page
    report.refresh_from_db()
    # The district's save (version 2) stands: its 456 procedures, its 15 pending overdue.
    assert (report.version, report.procedures_total) == (2, 456)
    assert LevelFigures.objects.get(report=report, level="district").pending_overdue == 15


def admin_report_post(report, **changes):
    """The admin's change form of ``report`` as it shows now, with ``changes``, and no level row touched."""
    rows = list(report.levels.order_by("pk"))
    data = {
        "unit": report.unit_id,
        "year": report.year,
        "quarter": report.quarter,
        "note": report.note,
        "seen_version": report.version,
        **report_admin_inlines(len(rows), len(rows)),
    }
    for figure, value in report.figure_values().items():
        data[figure] = "" if value is None else value
    for index, row in enumerate(rows):
        data.update(
            {f"levels-{index}-id": row.pk, f"levels-{index}-report": report.pk, f"levels-{index}-level": row.level}
        )
        for figure, value in row.figure_values().items():
            data[f"levels-{index}-{figure}"] = "" if value is None else value
    data.update(changes)
    return data


# --- Reform plans --------------------------------------------------------------------------------------------------


def plan_post(plan, *, title=None, done=()):
    """The plan editor as it shows ``plan`` now, with the plan's title or tasks ``done`` (indexes) changed."""
    tasks = list(plan.tasks.order_by("pk"))
    data = {
        "title": title or plan.title,
        "reference_number": plan.reference_number,
        "issued_on": "",
        "note": plan.note,
        "seen_version": plan.version,
        **management("tasks", len(tasks), len(tasks)),
    }
    for index, task in enumerate(tasks):
        is_done = index in done or task.status == ReformTask.Status.DONE
        data.update(
            {
                f"tasks-{index}-id": task.pk,
                f"tasks-{index}-plan": plan.pk,
                f"tasks-{index}-seen_version": task.version,
                f"tasks-{index}-title": task.title,
                f"tasks-{index}-area": task.area,
                f"tasks-{index}-assigned_by": task.assigned_by,
                f"tasks-{index}-deadline": "",
                f"tasks-{index}-status": "done" if is_done else task.status,
                f"tasks-{index}-completed_on": "2021-07-30" if is_done else "",
            }
        )
    return data


def test_a_stale_plan_save_is_refused_and_task_19_stays_done(thanh_binh):
    plan = make_plan(thanh_binh, 2021)
    make_tasks(plan, 35)
    url = reverse("districts:plan", args=["874", 2021])
    first, second = (logged_in(make_user(DISTRICT_OFFICER, thanh_binh)) for _ in range(2))
    # Both open the editor of version 1; the first marks task 19 (index 18) done, the second renames the plan.
    marks_done, renames = plan_post(plan, done={18}), plan_post(plan, title="Kế hoạch CCHC năm 2021 (sửa đổi)")

    saved = first.post(url, marks_done)
    refused = second.post(url, renames)

    assert saved.status_code == 302
    assert refused.status_code == 200
    assert STALE_HEAD in refused.content.decode()
    task_19 = plan.tasks.order_by("pk")[18]
    assert (task_19.status, task_19.completed_on) == (ReformTask.Status.DONE, date(2021, 7, 30))
    plan.refresh_from_db()
    assert (plan.title, plan.version) == ("Kế hoạch CCHC năm 2021", 2)


def test_a_task_saved_in_the_admin_makes_an_open_plan_editor_stale(thanh_binh):
    plan = make_plan(thanh_binh, 2021)
    (task,) = make_tasks(plan, 1)
    staff = logged_in(make_user(PROVINCIAL_STAFF, thanh_binh.parent, is_staff=True))
    officer = logged_in(make_user(DISTRICT_OFFICER, thanh_binh))
    opened = plan_post(plan, title="Tên mới")

    staff.post(
        reverse("admin:districts_reformtask_change", args=[task.pk]),
        {"plan": plan.pk, "title": "Nhiệm vụ đổi tên", "area": "", "assigned_by": "unit", "status": "not_started"}
        | {"seen_version": 1},
    )
    refused = officer.post(reverse("districts:plan", args=["874", 2021]), opened)

    assert refused.status_code == 200
    plan.refresh_from_db()
    assert plan.title == "Kế hoạch CCHC năm 2021"
    assert ReformTask.objects.get().title == "Nhiệm vụ đổi tên"


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_first_saves_of_a_new_plan_give_one_plan_and_one_clear_refusal(thanh_binh):
    url = reverse("districts:plan", args=["874", 2022])
    first, second = (logged_in(make_user(DISTRICT_OFFICER, thanh_binh)) for _ in range(2))
    new_plan = {
        "title": "Kế hoạch CCHC năm 2022",
        "reference_number": "",
        "issued_on": "",
        "note": "",
        "seen_version": 0,
        **management("tasks", 1),
        "tasks-0-title": "Rà soát thủ tục",
        "tasks-0-assigned_by": "unit",
        "tasks-0-status": "not_started",
    }

    results = at_once([lambda: first.post(url, new_plan), lambda: second.post(url, new_plan)])

    saved, refused, others = outcomes(results)
    assert len(saved) == 1
    assert len(others) == 0
    assert [STALE_HEAD in r.content.decode() for r in refused] == [True]
    assert ReformPlan.objects.count() == 1
    assert ReformTask.objects.count() == 1


# --- Recommendations and sessions ----------------------------------------------------------------------------------


@pytest.fixture
def recommendation(thanh_binh):
    session = make_session(thanh_binh.parent)
    session.inspected_units.create(unit=thanh_binh)
    return make_recommendation(thanh_binh, session=session, deadline=date(2021, 12, 31))


def answer(client, recommendation, version, response):
    return client.post(
        reverse("inspections:recommendation_answer", args=[recommendation.pk]),
        {"status": "in_progress", "closed_on": "", "response": response, "evidence": "", "version": version},
    )


def test_an_answer_from_an_older_copy_is_refused_with_the_other_answer_shown(thanh_binh, recommendation):
    first = logged_in(make_user(DISTRICT_OFFICER, thanh_binh, username="thanhbinh"))
    second = logged_in(make_user(DISTRICT_OFFICER, thanh_binh))

    answer(first, recommendation, 1, "Đã giao Phòng Nội vụ rà soát")
    refused = answer(second, recommendation, 1, "Chưa làm")

    page = refused.content.decode()
    assert "thanhbinh đã lưu nội dung này lúc" in page
    assert "“Đã giao Phòng Nội vụ rà soát” (bạn nhập “Chưa làm”)" in page
    recommendation.refresh_from_db()
    assert (recommendation.response, recommendation.version) == ("Đã giao Phòng Nội vụ rà soát", 2)


def test_an_answer_open_while_the_team_verified_is_refused(thanh_binh, recommendation):
    team = logged_in(make_user(INSPECTION_TEAM, thanh_binh.parent))
    officer = logged_in(make_user(DISTRICT_OFFICER, thanh_binh))
    answer(officer, recommendation, 1, "Đã xong")  # version 2, in progress

    team.post(reverse("inspections:recommendation_reopen", args=[recommendation.pk]))  # refused: not closed
    Recommendation.objects.filter(pk=recommendation.pk).update(status="done", closed_on=date(2021, 12, 1))
    team.post(reverse("inspections:recommendation_reopen", args=[recommendation.pk]))  # version 3
    refused = answer(officer, recommendation, 2, "Sửa lại câu trả lời")

    assert refused.status_code == 200
    recommendation.refresh_from_db()
    assert (recommendation.response, recommendation.version) == ("Đã xong", 3)


def test_an_answer_without_a_version_is_refused(thanh_binh, recommendation):
    officer = logged_in(make_user(DISTRICT_OFFICER, thanh_binh))

    response = officer.post(
        reverse("inspections:recommendation_answer", args=[recommendation.pk]),
        {"status": "in_progress", "response": "Không có phiên bản"},
    )

    assert response.status_code == 200
    recommendation.refresh_from_db()
    assert recommendation.response == ""


def test_sessions_inspected_units_and_findings_keep_their_history(thanh_binh):
    team = make_user(INSPECTION_TEAM, thanh_binh.parent)
    session = make_session(thanh_binh.parent, title="Kiểm tra CCHC năm 2021")
    row = session.inspected_units.create(unit=thanh_binh, findings="Còn 6 nhiệm vụ chưa hoàn thành")
    url = reverse("inspections:session_edit", args=[session.pk])
    data = {
        "title": "Kiểm tra CCHC năm 2021 (trực tuyến)",
        "inspecting_unit": thanh_binh.parent_id,
        "format": "online",
        "starts_on": "2021-10-26",
        "ends_on": "2021-10-28",
        "note": "",
        "seen_version": 1,
        "team-TOTAL_FORMS": 0,
        "team-INITIAL_FORMS": 0,
        "units-TOTAL_FORMS": 1,
        "units-INITIAL_FORMS": 1,
        "units-0-id": row.pk,
        "units-0-unit": thanh_binh.pk,
        "units-0-findings": "Còn 6 nhiệm vụ chưa hoàn thành; chưa tự kiểm tra nội bộ",
    }

    logged_in(team).post(url, data)
    stale = logged_in(team).post(url, {**data, "title": "Đè lên"})

    session.refresh_from_db()
    assert (session.title, session.version) == ("Kiểm tra CCHC năm 2021 (trực tuyến)", 2)
    assert STALE_HEAD in stale.content.decode()
    latest = session.history.order_by("-history_date").first()
    assert (latest.title, latest.history_user) == ("Kiểm tra CCHC năm 2021 (trực tuyến)", team)
    findings = [record.findings for record in row.history.order_by("history_date")]
    assert findings == ["Còn 6 nhiệm vụ chưa hoàn thành", "Còn 6 nhiệm vụ chưa hoàn thành; chưa tự kiểm tra nội bộ"]
    assert InspectionSession.history.model.objects.filter(id=session.pk).count() == 2


# --- SQLite --------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sqlite_writes_wait_for_each_other_in_wal_mode():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's settings")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        (mode,) = cursor.fetchone()
    assert mode == "wal"
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert connection.settings_dict["OPTIONS"]["timeout"] >= 5
