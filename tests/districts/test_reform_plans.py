"""A unit's annual reform plan and how far it is done on a given day.

Seed 000: Thanh Bình's 2021 plan had 35 tasks, 18 of them done by 30 July 2021. Seed 004: Bắc Yên had 295
tasks assigned by the province in 2018, 250 of them done in the first half year and 45 in progress.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from districts.models import ReformPlan, ReformTask
from tests.factories import (
    clean_errors,
    make_district,
    make_plan,
    make_province,
    make_tasks,
    save_refused_by_database,
)

pytestmark = pytest.mark.django_db

DONE = ReformTask.Status.DONE
IN_PROGRESS = ReformTask.Status.IN_PROGRESS
NOT_STARTED = ReformTask.Status.NOT_STARTED


@pytest.fixture
def thanh_binh_2021(thanh_binh):
    plan = make_plan(thanh_binh, 2021)
    make_tasks(plan, 18, status=DONE, completed_on=date(2021, 7, 30))
    make_tasks(plan, 10, status=IN_PROGRESS)
    make_tasks(plan, 7, status=NOT_STARTED)
    return plan


def test_thanh_binh_had_done_18_of_its_35_tasks_on_30_july_2021(thanh_binh_2021):
    assert thanh_binh_2021.completion(as_of=date(2021, 7, 30)) == (18, 35)


def test_a_task_done_after_the_day_asked_about_does_not_count_yet(thanh_binh_2021):
    assert thanh_binh_2021.completion(as_of=date(2021, 7, 29)) == (0, 35)


def test_tasks_done_later_in_the_year_count_from_the_day_they_were_done(thanh_binh):
    plan = make_plan(thanh_binh, 2021)
    make_tasks(plan, 18, status=DONE, completed_on=date(2021, 7, 30))
    make_tasks(plan, 6, status=DONE, completed_on=date(2021, 11, 15))
    make_tasks(plan, 11, status=IN_PROGRESS)

    assert plan.completion(as_of=date(2021, 11, 14)) == (18, 35)
    assert plan.completion(as_of=date(2021, 11, 15)) == (24, 35)
    assert plan.completion(as_of=date(2021, 12, 31)) == (24, 35)


def test_a_plan_without_tasks_has_nothing_done_of_nothing(thanh_binh):
    plan = make_plan(thanh_binh, 2022)

    assert plan.completion(as_of=date(2022, 12, 31)) == (0, 0)


def test_completion_of_several_plans_is_read_in_one_query(thanh_binh_2021, django_assert_num_queries):
    bac_yen = make_district(make_province(code="14", name="Sơn La"), code="121", name="Bắc Yên")
    bac_yen_2018 = make_plan(bac_yen, 2018)
    make_tasks(bac_yen_2018, 250, status=DONE, completed_on=date(2018, 6, 30), assigned_by="province")
    make_tasks(bac_yen_2018, 45, status=IN_PROGRESS, assigned_by="province")
    empty = make_plan(bac_yen, 2019)

    with django_assert_num_queries(1):
        plans = {
            (plan.unit_id, plan.year): (plan.tasks_done, plan.tasks_total)
            for plan in ReformPlan.objects.with_completion(date(2018, 6, 30))
        }

    # On 30 June 2018 none of Thanh Bình's 2021 tasks was done yet.
    assert plans == {
        (thanh_binh_2021.unit_id, 2021): (0, 35),
        (bac_yen.pk, 2018): (250, 295),
        (empty.unit_id, 2019): (0, 0),
    }


def test_a_unit_has_one_plan_a_year(thanh_binh_2021):
    again = ReformPlan(unit=thanh_binh_2021.unit, year=2021, title="Kế hoạch CCHC năm 2021 (bản 2)")

    assert clean_errors(again)["__all__"] == ["Đơn vị này đã có kế hoạch CCHC của năm đó."]
    assert save_refused_by_database(again)


# A done task has its completion date, and only a done task has one.


def test_it_rejects_a_done_task_without_a_completion_date(thanh_binh_2021):
    task = ReformTask(plan=thanh_binh_2021, title="Nhiệm vụ 36/35", status=DONE)

    assert clean_errors(task)["completed_on"] == ["Nhiệm vụ đã hoàn thành phải có ngày hoàn thành."]
    assert save_refused_by_database(task)


@pytest.mark.parametrize("status", [IN_PROGRESS, NOT_STARTED])
def test_it_rejects_a_completion_date_on_a_task_not_done(thanh_binh_2021, status):
    task = ReformTask(plan=thanh_binh_2021, title="Nhiệm vụ 36/35", status=status, completed_on=date(2021, 7, 30))

    assert clean_errors(task)["completed_on"] == ["Chỉ nhiệm vụ đã hoàn thành mới có ngày hoàn thành."]
    assert save_refused_by_database(task)


def test_it_accepts_a_done_task_with_its_completion_date_and_an_open_task_without_one(thanh_binh_2021):
    done = ReformTask(plan=thanh_binh_2021, title="Nhiệm vụ A", status=DONE, completed_on=date(2021, 7, 30))
    open_task = ReformTask(plan=thanh_binh_2021, title="Nhiệm vụ B", status=IN_PROGRESS)

    for task in (done, open_task):
        task.full_clean()
        task.save()

    assert thanh_binh_2021.completion(as_of=date(2021, 7, 30)) == (19, 37)


def test_the_admins_list_counts_a_task_done_as_the_indicator_does_by_today(client, thanh_binh, django_user_model):
    # Two tasks done before today, one marked done with a completion date still to come, two not started:
    # the admin's "tasks done" says 2/5, as plan completion counts by today (districts.models.done_by).
    today = timezone.localdate()
    plan = make_plan(thanh_binh, today.year)
    make_tasks(plan, 2, status=ReformTask.Status.DONE, completed_on=today - timedelta(days=3))
    make_tasks(plan, 1, status=ReformTask.Status.DONE, completed_on=today + timedelta(days=3))
    make_tasks(plan, 2)
    client.force_login(django_user_model.objects.create_superuser("root", password="secret-pass-123"))

    page = client.get("/admin/districts/reformplan/").content.decode()

    assert '<td class="field-completion">2/5</td>' in page
