"""The admin site scoped like the pages: a district officer given ``is_staff`` writes only what the pages let them.

Every foreign-key choice goes through the visibility rules; a recommendation's text, owner, area and deadline
belong to the inspecting side; the filter sidebar names nothing the officer may not see.
"""

from datetime import date

import pytest
from django.urls import reverse

from cchc.lib.roles import DISTRICT_OFFICER, INSPECTION_TEAM
from districts.models import ReformTask
from inspections.models import Recommendation
from tests.factories import (
    make_commune,
    make_district,
    make_plan,
    make_province,
    make_recommendation,
    make_session,
    make_tasks,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Thanh Bình (the officer's district, with a commune) and Lấp Vò, their plans and inspections."""
    province = make_province("87", "Tỉnh Đồng Tháp")
    own = make_district(province, "874", "Huyện Thanh Bình")
    commune = make_commune(own, "29620", "Xã Tân Thạnh")
    other = make_district(province, "875", "Huyện Lấp Vò")
    provincial_round = make_session(province, title="Đợt kiểm tra của tỉnh 2021")
    provincial_round.inspected_units.create(unit=own)
    provincial_round.inspected_units.create(unit=other)
    own_round = make_session(
        own, title="Tự kiểm tra của Thanh Bình", starts_on=date(2021, 5, 4), ends_on=date(2021, 5, 4)
    )
    own_round.inspected_units.create(unit=commune)
    other_round = make_session(
        other, title="Tự kiểm tra bí mật của Lấp Vò", starts_on=date(2021, 6, 1), ends_on=date(2021, 6, 1)
    )
    return {
        "province": province,
        "own": own,
        "commune": commune,
        "other": other,
        "own_plan": make_plan(own, 2021),
        "other_plan": make_plan(other, 2021),
        "provincial_round": provincial_round,
        "own_round": own_round,
        "other_round": other_round,
        "from_province": make_recommendation(
            own, session=provincial_round, text="Hoàn thành 06 nhiệm vụ còn tồn đọng", deadline=date(2021, 12, 31)
        ),
        "internal": make_recommendation(commune, session=own_round, text="Niêm yết đủ thủ tục tại bộ phận một cửa"),
        "officer": make_user(DISTRICT_OFFICER, own, username="thanhbinh", is_staff=True),
    }


def _recommendation_post(recommendation, **changes):
    data = {
        "session": recommendation.session_id or "",
        "unit": recommendation.unit_id,
        "text": recommendation.text,
        "area": recommendation.area,
        "deadline": recommendation.deadline.isoformat() if recommendation.deadline else "",
        "status": "in_progress",
        "closed_on": "",
        "response": "Đang thực hiện",
        "evidence": "",
        "seen_version": recommendation.version,
    }
    data.update(changes)
    return data


def _task_post(plan, title="Nhiệm vụ chen vào", version=0):
    return {
        "plan": plan.pk,
        "title": title,
        "area": "",
        "assigned_by": "unit",
        "status": "not_started",
        "seen_version": version,
    }


def test_a_task_cannot_be_added_to_another_units_plan(client, world):
    client.force_login(world["officer"])

    response = client.post(reverse("admin:districts_reformtask_add"), _task_post(world["other_plan"]))

    assert response.status_code == 200
    assert not ReformTask.objects.filter(plan=world["other_plan"]).exists()
    # The officer's own plan is still open to them, so the refusal is about the plan, not the page.
    assert client.post(reverse("admin:districts_reformtask_add"), _task_post(world["own_plan"])).status_code == 302
    assert ReformTask.objects.filter(plan=world["own_plan"]).count() == 1


def test_a_task_cannot_be_moved_into_another_units_plan(client, world):
    (task,) = make_tasks(world["own_plan"], 1)
    client.force_login(world["officer"])

    response = client.post(
        reverse("admin:districts_reformtask_change", args=[task.pk]),
        _task_post(world["other_plan"], task.title, task.version),
    )

    assert response.status_code == 200
    task.refresh_from_db()
    assert task.plan == world["own_plan"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text", "Không cần làm gì nữa"),
        ("deadline", "2030-12-31"),
        ("unit", "commune"),
    ],
)
def test_the_provinces_recommendation_keeps_its_text_owner_and_deadline(client, world, field, value):
    recommendation = world["from_province"]
    if value == "commune":
        value = world["commune"].pk
    client.force_login(world["officer"])
    url = reverse("admin:inspections_recommendation_change", args=[recommendation.pk])

    page = client.get(url).content.decode()
    client.post(url, _recommendation_post(recommendation, **{field: value}))

    # Shown, not offered as an input: the district answers the recommendation, it does not rewrite it.
    assert f'name="{field}"' not in page
    saved = Recommendation.objects.get(pk=recommendation.pk)
    assert (saved.text, saved.unit_id, saved.deadline) == (
        "Hoàn thành 06 nhiệm vụ còn tồn đọng",
        world["own"].pk,
        date(2021, 12, 31),
    )
    # Its own part, the answer, is still the district's to write.
    assert saved.response == "Đang thực hiện"


def test_a_recommendation_cannot_be_moved_into_another_units_session(client, world):
    recommendation = world["internal"]
    client.force_login(world["officer"])
    url = reverse("admin:inspections_recommendation_change", args=[recommendation.pk])

    response = client.post(url, _recommendation_post(recommendation, session=world["other_round"].pk))

    assert response.status_code == 200
    recommendation.refresh_from_db()
    assert recommendation.session == world["own_round"]
    assert recommendation.response == ""


def test_the_officer_still_edits_the_recommendations_of_their_own_internal_inspection(client, world):
    recommendation = world["internal"]
    client.force_login(world["officer"])
    url = reverse("admin:inspections_recommendation_change", args=[recommendation.pk])

    response = client.post(url, _recommendation_post(recommendation, text="Niêm yết đủ 112 thủ tục"))

    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.text == "Niêm yết đủ 112 thủ tục"


def test_the_filter_sidebar_names_no_session_or_province_the_officer_may_not_see(client, world):
    make_province("67", "Tỉnh Đắk Nông")
    client.force_login(world["officer"])

    page = client.get(reverse("admin:inspections_recommendation_changelist")).content.decode()

    assert "Tự kiểm tra bí mật của Lấp Vò" not in page
    assert "Tỉnh Đắk Nông" not in page
    # The sessions that made the officer's own recommendations are still there to filter by.
    assert "Đợt kiểm tra của tỉnh 2021" in page
    assert "Tự kiểm tra của Thanh Bình" in page


def test_the_inspection_team_still_picks_any_session_and_rewrites_the_provinces_recommendations(client, world):
    inspector = make_user(INSPECTION_TEAM, world["province"], is_staff=True)
    recommendation = world["from_province"]
    client.force_login(inspector)
    url = reverse("admin:inspections_recommendation_change", args=[recommendation.pk])

    response = client.post(url, _recommendation_post(recommendation, text="Hoàn thành 6 nhiệm vụ trước 31/12"))

    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.text == "Hoàn thành 6 nhiệm vụ trước 31/12"
