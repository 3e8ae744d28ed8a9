"""Who sees what on the dashboard, its feed, charts and unit pages (districts/access.py).

Anonymous visitors are sent to log in. A district officer sees their own province only and counts approved
reports only; provincial staff and the inspection team see every province and every submitted report, marked
"chưa duyệt" until it is approved, and may ask for approved reports only.
"""

import pytest

from cchc.lib.roles import DISTRICT_OFFICER, INSPECTION_TEAM, PROVINCIAL_STAFF
from dossiers.models import ReportStatus
from tests.dashboard.pages import dashboard_table, field_errors, rate_and_counts
from tests.factories import make_counted_report, make_district, make_province, make_recommendation, make_user

pytestmark = pytest.mark.django_db

FEED = "/api/indicators/"
CHARTS = ("/charts/on-time-by-unit/", "/charts/trend/", "/charts/channels/")
# The heading of the unit page's list of quarterly reports, shown only with the unit's details.
REPORTS_HEADING = '<h2 class="h5">Báo cáo quý</h2>'


# --- Anonymous visitors ----------------------------------------------------------------------------------------------


# Every page's answer to each role: tests/test_permission_matrix.py; here the exports, which it does not ask for.
@pytest.mark.parametrize("path", ["/?_export=xlsx", "/?_export=csv"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, demo, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_an_anonymous_feed_request_gets_no_figures(client, demo):
    response = client.get(FEED, {"province": "67", "period": "2023H1"})

    assert response.status_code == 302
    assert b"10840" not in response.content


# --- A district officer ----------------------------------------------------------------------------------------------


@pytest.fixture
def dak_nong():
    return make_province("67", "Tỉnh Đắk Nông")


@pytest.fixture
def thanh_binh(thanh_binh):
    """The root cast's Thanh Bình, with its approved 2023Q1 report."""
    make_counted_report(thanh_binh, 2023, 1, resolved=100, resolved_in_time=90, resolved_late=10)
    return thanh_binh


@pytest.fixture
def lap_vo(lap_vo):
    """The root cast's Lấp Vò, another district of Đồng Tháp, whose 2023Q1 report is submitted but not yet
    approved."""
    make_counted_report(
        lap_vo, 2023, 1, status=ReportStatus.SUBMITTED, resolved=100, resolved_in_time=50, resolved_late=50
    )
    return lap_vo


@pytest.fixture
def dak_song(dak_nong):
    district = make_district(dak_nong, "665", "Huyện Đắk Song")
    make_counted_report(district, 2023, 1, resolved=12530, resolved_in_time=10840)
    return district


@pytest.fixture
def officer(client, thanh_binh, lap_vo, dak_song):
    client.force_login(make_user(DISTRICT_OFFICER, unit=thanh_binh))
    return client


@pytest.fixture
def staff(client, dong_thap, thanh_binh, lap_vo, dak_song):
    client.force_login(make_user(PROVINCIAL_STAFF, unit=dong_thap))
    return client


def test_an_officer_sees_their_own_province_by_default(officer):
    response = officer.get("/", {"period": "2023Q1"})

    assert response.status_code == 200
    assert response.context["scope"].province.code == "87"
    assert dashboard_table(response).unit_codes() == ["874", "875"]


def test_an_officer_asking_for_another_province_gets_an_error_beside_the_field_and_no_rows_of_it(officer):
    response = officer.get("/", {"province": "67", "period": "2023Q1"})

    assert response.status_code == 200
    assert field_errors(response, "province") == ["Tỉnh này không tồn tại hoặc bạn không có quyền xem."]
    content = response.content.decode()
    assert "Đắk Song" not in content
    assert "10.840" not in content


def test_an_officer_can_choose_only_their_own_province(officer):
    response = officer.get("/", {"period": "2023Q1"})

    choices = [code for code, _label in response.context["form"].fields["province"].choices]
    assert [str(code) for code in choices] == ["87"]


def test_an_officer_asking_the_feed_for_another_province_gets_400(officer):
    response = officer.get(FEED, {"province": "67", "period": "2023Q1"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["province"]
    assert b"10840" not in response.content


def test_an_officers_feed_without_a_province_covers_their_province_only(officer):
    data = officer.get(FEED, {"period": "2023Q1"}).json()

    assert [unit["code"] for unit in data["units"]] == ["874", "875"]
    assert data["approved_only"] is True


@pytest.mark.parametrize("path", CHARTS)
def test_an_officers_charts_never_show_another_province(officer, path):
    response = officer.get(path, {"province": "67", "period": "2023Q1"})

    # The forbidden province is refused; the charts fall back to the officer's own province, as the page does.
    assert response.status_code == 200
    assert "Đắk Song" not in response.content.decode()


def test_an_officer_opening_a_unit_of_another_province_gets_404(officer):
    assert officer.get("/districts/665/").status_code == 404
    assert officer.get("/districts/665/chart/").status_code == 404
    assert officer.get("/districts/67/").status_code == 404


def test_an_officers_export_of_another_province_has_none_of_its_rows(officer):
    response = officer.get("/", {"province": "67", "period": "2023Q1", "_export": "csv"})

    assert "Đắk Song" not in response.content.decode("utf-8-sig")


def test_an_officer_counts_approved_reports_only(officer):
    response = officer.get("/", {"period": "2023Q1"})

    table = dashboard_table(response)
    # Lấp Vò's report is submitted, not approved: for the officer it has not reported yet
    assert table.row_of_unit("875")["on_time_rate"] == "—"
    assert "chưa báo cáo" in table.row_of_unit("875")["unit"]
    # The total is Thanh Bình's alone: 90/100
    assert rate_and_counts(table.total()["on_time_rate"]) == ("90,00%", "90 / 100")


def test_an_officers_feed_counts_approved_reports_only(officer):
    data = officer.get(FEED, {"period": "2023Q1"}).json()

    lap_vo = next(unit for unit in data["units"] if unit["code"] == "875")
    assert lap_vo["figures"]["resolved"] is None
    assert data["total"]["indicators"]["on_time_rate"] == {
        "numerator": 90,
        "denominator": 100,
        "value": 90.0,
        "coverage": {"denominator": 100, "share": 1.0},
        "target": None,
        "band": None,
    }


def test_an_officer_cannot_untick_approved_reports_only(officer):
    response = officer.get("/", {"period": "2023Q1", "approved": "0"})

    assert response.context["scope"].approved_only is True
    assert 'id="id_approved" checked disabled' in response.content.decode()


def test_an_officer_sees_their_own_units_details(officer, thanh_binh):
    make_recommendation(thanh_binh)

    content = officer.get("/districts/874/").content.decode()

    assert 'data-testid="recommendations"' in content
    assert REPORTS_HEADING in content


def test_an_officer_sees_another_district_of_the_province_without_its_details(officer, lap_vo):
    make_recommendation(lap_vo, text="Kiến nghị riêng của Lấp Vò")

    response = officer.get("/districts/875/")

    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="quarter-table"' in content
    assert "Kiến nghị riêng của Lấp Vò" not in content
    assert REPORTS_HEADING not in content
    assert 'data-testid="plan-completion"' not in content


def test_an_officers_unit_page_counts_approved_reports_only(officer):
    content = officer.get("/districts/875/", {"year": "2023"}).content.decode()

    assert "50,00%" not in content


# --- Provincial staff and the inspection team ------------------------------------------------------------------------


def test_provincial_staff_see_a_submitted_report_marked_not_yet_approved(staff):
    response = staff.get("/", {"period": "2023Q1"})

    table = dashboard_table(response)
    row = table.row_of_unit("875")
    assert "chưa duyệt" in row["unit"]
    assert rate_and_counts(row["on_time_rate"]) == ("50,00%", "50 / 100")
    assert "chưa duyệt" not in table.row_of_unit("874")["unit"]
    # Total over both: (90 + 50) / (100 + 100) = 70,00 %
    assert rate_and_counts(table.total()["on_time_rate"]) == ("70,00%", "140 / 200")


def test_approved_only_restricts_provincial_staff_to_approved_reports(staff):
    response = staff.get("/", {"period": "2023Q1", "approved": "1"})

    table = dashboard_table(response)
    assert table.row_of_unit("875")["on_time_rate"] == "—"
    assert rate_and_counts(table.total()["on_time_rate"]) == ("90,00%", "90 / 100")
    assert 'id="id_approved" checked>' in response.content.decode()


def test_approved_only_restricts_the_feed_and_the_charts_too(staff):
    data = staff.get(FEED, {"province": "87", "period": "2023Q1", "approved": "1"}).json()
    chart = staff.get("/charts/on-time-by-unit/", {"period": "2023Q1", "approved": "1"}).json()

    assert data["approved_only"] is True
    assert data["total"]["indicators"]["on_time_rate"]["value"] == 90.0
    assert chart["datasets"][0]["data"] == [90.0, None]


def test_provincial_staff_see_another_province(staff):
    response = staff.get("/", {"province": "67", "period": "2023Q1"})

    # 10.840 / 12.530 → 86,51 %
    assert rate_and_counts(dashboard_table(response).row_of_unit("665")["on_time_rate"]) == (
        "86,51%",
        "10.840 / 12.530",
    )
    assert staff.get("/districts/665/").status_code == 200


def test_the_inspection_team_sees_every_province(client, dong_thap, thanh_binh, lap_vo, dak_song):
    client.force_login(make_user(INSPECTION_TEAM, unit=dong_thap))

    assert client.get(FEED, {"province": "67", "period": "2023Q1"}).status_code == 200
    assert "chưa duyệt" in dashboard_table(client.get("/", {"period": "2023Q1"})).row_of_unit("875")["unit"]


def test_a_user_attached_to_no_unit_sees_no_province(client, dong_thap, thanh_binh, dak_song):
    client.force_login(make_user(unit=None))

    response = client.get("/", {"period": "2023Q1"})
    feed = client.get(FEED, {"period": "2023Q1"}).json()

    assert response.status_code == 200
    assert response.context["scope"].province is None
    assert "Đắk Song" not in response.content.decode()
    assert "chưa được gắn với đơn vị nào" in response.content.decode()
    assert feed["units"] == []
    assert client.get("/districts/874/").status_code == 404


# --- The demo's own accounts -----------------------------------------------------------------------------------------


def test_the_demo_officer_of_thanh_binh_cannot_open_dak_song(demo_officer):
    assert demo_officer.get("/districts/665/").status_code == 404
    assert demo_officer.get("/districts/874/").status_code == 200


def test_the_demo_officer_asking_for_dak_nong_gets_an_error(demo_officer):
    response = demo_officer.get("/", {"province": "67", "period": "2023H1"})

    assert field_errors(response, "province") == ["Tỉnh này không tồn tại hoặc bạn không có quyền xem."]
    assert "86,51%" not in response.content.decode()
    assert demo_officer.get(FEED, {"province": "67", "period": "2023H1"}).status_code == 400
