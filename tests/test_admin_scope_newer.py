"""The admins added since the admin was scoped (issue 11, item 2) follow the same rule: a district officer given
``is_staff`` sees and writes only what the pages let them — targets, colour bands, criteria, Decision-766 groups,
reminders, accounts.

Đồng Tháp (87) with Thanh Bình (the officer's district) and Lấp Vò; Tiền Giang (82) with its own criteria set.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from assessments.models import ScoreGroup
from cchc.lib.roles import DISTRICT_OFFICER
from cchc.models import LegendSet, Target
from inbox.models import ReminderSetting
from tests.factories import make_district, make_province, make_set, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    dong_thap = make_province("87", "Tỉnh Đồng Tháp")
    own = make_district(dong_thap, "874", "Huyện Thanh Bình")
    other = make_district(dong_thap, "875", "Huyện Lấp Vò")
    tien_giang = make_province("82", "Tỉnh Tiền Giang", valid_until=date(2025, 6, 30))
    officer = make_user(DISTRICT_OFFICER, own, username="thanhbinh", is_staff=True)
    return {
        "dong_thap": dong_thap,
        "own": own,
        "other": other,
        "officer": officer,
        "own_set": make_set(dong_thap, 2023, title="Bộ tiêu chí Đồng Tháp 2023"),
        "other_set": make_set(tien_giang, 2023, title="Bộ tiêu chí Tiền Giang 2023"),
        "own_target": Target.objects.create(indicator="on_time_rate", year=2024, unit=own, value=Decimal(90)),
        "other_target": Target.objects.create(indicator="on_time_rate", year=2024, unit=other, value=Decimal(85)),
    }


def grant(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))


@pytest.mark.parametrize(
    "url",
    [
        "admin:cchc_target_changelist",
        "admin:cchc_target_add",
        "admin:cchc_legendset_changelist",
        "admin:cchc_legendset_add",
        "admin:cchc_user_changelist",
        "admin:auth_group_changelist",
        "admin:inbox_sentreminder_changelist",
        "admin:inbox_remindersetting_changelist",
        "admin:assessments_criteriaset_add",
        "admin:assessments_scoregroup_add",
    ],
)
def test_the_officer_cannot_open_the_admins_their_role_has_no_permission_for(client, world, url):
    client.force_login(world["officer"])

    assert client.get(reverse(url)).status_code == 403


def test_the_officer_does_not_learn_anything_of_a_legend_set_or_a_reminder_setting_by_its_address(client, world):
    legend_set = LegendSet.objects.create(name="Dải màu của tỉnh")
    setting = ReminderSetting.objects.create(user=make_user(username="landau"), email_reminders=False)
    client.force_login(world["officer"])

    assert client.get(reverse("admin:cchc_legendset_change", args=[legend_set.pk])).status_code == 403
    assert client.get(reverse("admin:inbox_remindersetting_change", args=[setting.pk])).status_code == 403


def test_given_target_permissions_by_hand_the_officer_sees_only_the_own_units_targets(client, world):
    grant(world["officer"], "view_target", "change_target", "add_target")
    client.force_login(world["officer"])

    listed = client.get(reverse("admin:cchc_target_changelist")).context["cl"].result_list
    other = client.get(reverse("admin:cchc_target_change", args=[world["other_target"].pk]))
    history = client.get(reverse("admin:cchc_target_history", args=[world["other_target"].pk]))

    assert [target.unit.name for target in listed] == ["Huyện Thanh Bình"]
    # Another unit's target is as if it did not exist: the admin sends back to its index.
    assert other.status_code == 302 and history.status_code == 302


def test_given_target_permissions_the_officer_cannot_set_another_units_target(client, world):
    grant(world["officer"], "view_target", "add_target", "change_target")
    client.force_login(world["officer"])
    data = {"indicator": "on_time_rate", "year": "2025", "value": "95", "comment": "", "seen_version": ""}

    refused = client.post(reverse("admin:cchc_target_add"), {**data, "unit": world["other"].pk})
    moved = client.post(
        reverse("admin:cchc_target_change", args=[world["own_target"].pk]),
        {**data, "year": "2024", "unit": world["other"].pk, "seen_version": "1"},
    )

    assert refused.status_code == 200 and "unit" in refused.context["adminform"].form.errors
    assert moved.status_code == 200 and "unit" in moved.context["adminform"].form.errors
    assert not Target.objects.filter(year=2025).exists()
    assert Target.objects.get(pk=world["own_target"].pk).unit == world["own"]
    # The own unit is still open to them: the refusal is about the unit.
    assert client.post(reverse("admin:cchc_target_add"), {**data, "unit": world["own"].pk}).status_code == 302


def test_the_officer_reads_only_the_criteria_of_the_own_provinces_sets(client, world):
    client.force_login(world["officer"])

    response = client.get(reverse("admin:assessments_criterion_changelist"))
    other_criterion = world["other_set"].criteria.get(code="1")

    assert {criterion.criteria_set for criterion in response.context["cl"].result_list} == {world["own_set"]}
    page = response.content.decode()
    assert "Bộ tiêu chí Đồng Tháp 2023" in page and "Bộ tiêu chí Tiền Giang 2023" not in page
    assert client.get(reverse("admin:assessments_criterion_change", args=[other_criterion.pk])).status_code == 302


def test_the_officer_cannot_change_a_criterion_even_of_the_own_province(client, world):
    criterion = world["own_set"].criteria.get(code="1")
    client.force_login(world["officer"])
    url = reverse("admin:assessments_criterion_change", args=[criterion.pk])

    response = client.post(url, {"code": "1", "text": "Viết lại", "max_points": "99", "method": "self"})

    assert response.status_code == 403
    criterion.refresh_from_db()
    assert criterion.text != "Viết lại"


def test_the_decision_766_groups_are_national_read_only_for_the_officer(client, world):
    group = ScoreGroup.objects.create(code="thu_nghiem", name="Nhóm thử", max_points=Decimal(10), valid_from_year=2022)
    client.force_login(world["officer"])
    url = reverse("admin:assessments_scoregroup_change", args=[group.pk])

    assert client.get(url).status_code == 200
    assert client.post(url, {"code": "thu_nghiem", "name": "Đổi tên", "max_points": "1"}).status_code == 403
    group.refresh_from_db()
    assert group.name == "Nhóm thử"


def test_another_units_target_has_no_history_page_for_the_officer(client, world):
    grant(world["officer"], "view_target", "change_target")
    target = world["other_target"]
    target.value = Decimal(70)
    target.save()
    version = target.history.order_by("history_id").first()
    client.force_login(world["officer"])

    history = client.get(reverse("admin:cchc_target_history", args=[target.pk]))
    past = client.get(reverse("admin:cchc_target_simple_history", args=[target.pk, version.history_id]))
    reverted = client.post(
        reverse("admin:cchc_target_simple_history", args=[target.pk, version.history_id]), {"_change_history": "1"}
    )

    assert (history.status_code, past.status_code, reverted.status_code) == (302, 302, 302)
    assert Target.objects.get(pk=target.pk).value == Decimal(70)
    # Its own unit's target's history stays open to it.
    own = world["own_target"]
    assert client.get(reverse("admin:cchc_target_history", args=[own.pk])).status_code == 200


def test_a_past_version_is_read_not_reverted_to_even_by_a_superuser(admin_client, world):
    # A revert saved the past version over the row without the version check of the row's own form.
    target = world["own_target"]
    target.value = Decimal(70)
    target.save()
    version = target.history.order_by("history_id").first()  # the value 90
    url = reverse("admin:cchc_target_simple_history", args=[target.pk, version.history_id])
    page = admin_client.get(url)
    form = page.context["adminform"].form

    reverted = admin_client.post(
        url, {**{name: form[name].value() for name in form.fields if form[name].value() is not None}}, follow=True
    )

    assert page.status_code == 200
    assert page.context["revert_disabled"] and 'name="_save"' not in page.content.decode()  # no revert button
    assert Target.objects.get(pk=target.pk).value == Decimal(70)
    assert "Phiên bản cũ chỉ để xem" in reverted.content.decode()
