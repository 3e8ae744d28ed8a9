"""The province's review list (/dossiers/review/): its period is a list of periods, never free text, and the
default periods of the other pages are quarters that have ended and have figures."""

from datetime import date

import pytest

from dossiers.models import ReportStatus
from tests.dossiers.report_pages import field_errors, review_rows
from tests.factories import make_province, make_report

pytestmark = pytest.mark.django_db

S = ReportStatus


@pytest.mark.parametrize("typed", ["Quý II/2024", "Q2 2024", "abc", "2024Q5", "99999"])
def test_a_period_typed_by_hand_answers_a_message_beside_the_field_not_a_server_error(staff_client, typed):
    response = staff_client.get("/dossiers/review/", {"period": typed})

    assert response.status_code == 200
    assert field_errors(response, "period") == [f"“{typed}” không phải là một kỳ trong danh sách: hãy chọn một kỳ."]


def test_the_period_is_offered_as_a_list_of_periods(staff_client, thanh_binh):
    make_report(thanh_binh, 2024, 2, status=S.SUBMITTED)

    html = staff_client.get("/dossiers/review/").content.decode()

    assert '<select name="period"' in html
    assert '<option value="2024Q2">Quý II/2024</option>' in html
    assert '<option value="2024H1">6 tháng đầu năm 2024</option>' in html


def test_a_period_from_the_list_keeps_only_its_reports(staff_client, thanh_binh, cao_lanh):
    make_report(thanh_binh, 2024, 2, status=S.SUBMITTED)
    make_report(cao_lanh, 2024, 3, status=S.SUBMITTED)

    rows = review_rows(staff_client.get("/dossiers/review/", {"period": "2024Q2"}))

    assert [cells[0] for cells in rows] == ["Huyện Thanh Bình"]


def test_the_unit_list_groups_units_under_their_province_sorted_by_name(staff_client, dong_thap, thanh_binh, cao_lanh):
    make_province("67", "Tỉnh Đắk Nông")
    html = staff_client.get("/dossiers/review/").content.decode()
    unit_select = html[html.index('<select name="unit"') : html.index("</select>", html.index('<select name="unit"'))]

    # Provinces by name (Đắk Nông before Đồng Tháp), each one's own report first, then its districts by name
    # (Cao Lãnh before Thanh Bình although 873 < 874 would say the same: the order is the name's).
    assert unit_select.index('label="Tỉnh Đắk Nông (67)"') < unit_select.index('label="Tỉnh Đồng Tháp (87)"')
    dong_thap_group = unit_select[unit_select.index('label="Tỉnh Đồng Tháp (87)"') :]
    assert (
        dong_thap_group.index("Tỉnh Đồng Tháp — báo cáo của tỉnh")
        < dong_thap_group.index("Huyện Cao Lãnh (873)")
        < dong_thap_group.index("Huyện Thanh Bình (874)")
    )


def test_the_district_list_opens_on_a_returned_report_of_an_earlier_year(officer_client, thanh_binh, today):
    today(date(2026, 12, 2))
    make_report(thanh_binh, 2024, 2, status=S.RETURNED, return_comment="Thiếu số liệu cấp xã.")

    html = officer_client.get("/dossiers/").content.decode()

    block = html[html.index('data-testid="returned-reports"') :]
    assert "Quý II/2024" in block[: block.index("</div>")]
    assert "Thiếu số liệu cấp xã." in block[: block.index("</div>")]
    assert "/dossiers/874/2024Q2/" in block[: block.index("</div>")]


def test_completeness_opens_on_the_last_quarter_that_has_ended_when_nothing_is_reported(staff_client, dong_thap, today):
    today(date(2026, 12, 2))

    html = staff_client.get("/dossiers/completeness/").content.decode()

    # 2 December 2026 lies in 2026Q4, which has not ended: the page opens on 2026Q3.
    assert '<option value="2026Q3" selected>' in html
