"""People follow the units: the provincial administrator moves the accounts of a closed unit to its successor,
listed first and then confirmed; the accounts keep reading the history of the unit they came from; an officer
of a closed unit is told so at login."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cchc.lib.roles import DISTRICT_OFFICER, INSPECTION_TEAM
from districts.access import may_enter_figures, may_see_unit_details, visible_provinces
from districts.services import move_accounts
from inspections.access import inspecting_units_for
from tests.factories import make_counted_report, make_district, make_province, make_user

pytestmark = pytest.mark.django_db

LAST_DAY, FIRST_DAY = date(2025, 6, 30), date(2025, 7, 1)
CHANGELIST = "/admin/districts/unit/"


@pytest.fixture
def reform():
    """Đồng Tháp (87) and Thanh Bình (874) until 30/06/2025, both succeeded by the new Đồng Tháp (82); an officer
    of Thanh Bình, and one of another district that stays."""
    old = make_province("87", "Tỉnh Đồng Tháp", valid_until=LAST_DAY)
    thanh_binh = make_district(old, "874", "Huyện Thanh Bình", valid_until=LAST_DAY)
    new = make_province("82", "Tỉnh Đồng Tháp", valid_from=FIRST_DAY)
    old.successors.add(new)
    thanh_binh.successors.add(new)
    make_counted_report(thanh_binh, 2024, 4, level="district", resolved=10, resolved_in_time=9)
    officer = make_user(DISTRICT_OFFICER, unit=thanh_binh, username="thanhbinh")
    return {"old": old, "thanh_binh": thanh_binh, "new": new, "officer": officer}


def test_moving_accounts_attaches_them_to_the_successor_and_remembers_where_they_came_from(reform):
    moved = move_accounts(reform["thanh_binh"], to=reform["new"])

    officer = reform["officer"]
    officer.refresh_from_db()
    assert moved == [officer]
    assert (officer.unit, officer.former_unit) == (reform["new"], reform["thanh_binh"])


def test_a_moved_account_keeps_reading_the_history_of_the_unit_it_came_from(reform):
    move_accounts(reform["thanh_binh"], to=reform["new"])
    officer = reform["officer"]
    officer.refresh_from_db()

    assert may_see_unit_details(officer, reform["thanh_binh"])
    assert set(visible_provinces(officer)) == {reform["old"], reform["new"]}
    # Reading, not writing: the old district's figures are history.
    assert not may_enter_figures(officer, reform["thanh_binh"])
    assert may_enter_figures(officer, reform["new"])


def test_a_moved_account_opens_its_former_districts_page_and_report(reform, client):
    move_accounts(reform["thanh_binh"], to=reform["new"])
    client.force_login(reform["officer"])

    assert client.get("/districts/874/").status_code == 200
    assert client.get("/dossiers/874/2024Q4/").status_code == 200


@pytest.mark.parametrize(
    ("unit", "successor", "says"),
    [("new", "old", "chưa kết thúc"), ("thanh_binh", "thanh_binh", "không phải đơn vị kế thừa")],
    ids=["unit still open", "not a successor"],
)
def test_moving_is_refused_from_an_open_unit_or_to_a_unit_that_did_not_take_over(reform, unit, successor, says):
    with pytest.raises(ValidationError) as refused:
        move_accounts(reform[unit], to=reform[successor])

    assert says in refused.value.messages[0]
    reform["officer"].refresh_from_db()
    assert reform["officer"].unit == reform["thanh_binh"]


def test_the_administrator_sees_the_accounts_listed_before_confirming_then_they_move(reform, admin_client):
    chosen = {"action": "move_accounts_to_successor", "_selected_action": [reform["thanh_binh"].pk]}

    listed = admin_client.post(CHANGELIST, chosen)

    assert listed.status_code == 200
    page = listed.content.decode()
    assert "thanhbinh" in page and "Chuyển tài khoản" in page
    reform["officer"].refresh_from_db()
    assert reform["officer"].unit == reform["thanh_binh"]  # nothing moved yet

    done = admin_client.post(CHANGELIST, {**chosen, "confirm": "yes"}, follow=True)

    assert "Đã chuyển 1 tài khoản." in done.content.decode()
    reform["officer"].refresh_from_db()
    assert reform["officer"].unit == reform["new"]


def test_an_officer_of_a_closed_unit_is_told_so_at_login(reform, client):
    response = client.post("/accounts/login/", {"username": "thanhbinh", "password": "secret-pass-123"}, follow=True)

    texts = [str(message) for message in response.context["messages"]]
    assert texts == [
        "Đơn vị của bạn, Huyện Thanh Bình, đã kết thúc hoạt động sau ngày 30/06/2025. Bạn vẫn xem được lịch sử của "
        "đơn vị; quản trị viên cấp tỉnh sẽ chuyển tài khoản của bạn sang đơn vị kế thừa."
    ]


def test_the_inspection_team_of_the_old_province_may_record_sessions_for_the_new_one(reform):
    team = make_user(INSPECTION_TEAM, unit=reform["old"])

    assert set(inspecting_units_for(team)) == {reform["old"], reform["new"]}
