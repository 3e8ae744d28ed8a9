"""A district officer's list of quarters at /dossiers/ (dossiers/views.py my_reports): the quarters of the year
and the year before in which the unit existed, each report's status and deadline, overdue marks, and a button
to the report due now — the latest quarter that has ended and is not handed in.

"Today" is fixed by the ``today`` fixture: the list depends on it.
"""

from datetime import date

import pytest

from cchc.lib.roles import DISTRICT_OFFICER
from dossiers.models import ReportStatus
from tests.dossiers.report_data import client_of
from tests.dossiers.report_pages import table_rows, texts_by_testid
from tests.factories import make_district, make_report, make_user

pytestmark = pytest.mark.django_db

S = ReportStatus
RETURN_COMMENT = "Thiếu số liệu cấp xã."


def quarters_shown(response):
    """Each row as (quarter, status, due date and overdue mark, link)."""
    return [(cells[0], cells[1], cells[2], links[0]) for cells, links in table_rows(response, "my-reports")]


def due_now(response):
    """The "enter the report due now" button, as (text, link), or ``None``."""
    html = response.content.decode()
    if 'data-testid="due-now"' not in html:
        return None
    start = html.rindex("<a", 0, html.index('data-testid="due-now"'))
    href = html[start:].split('href="', 1)[1].split('"', 1)[0]
    return texts_by_testid(response, "due-now")[0], href


@pytest.fixture
def reports_of_two_years(thanh_binh):
    """Thanh Bình's 2023 and 2024, seen on 20/11/2024:
    2024Q4 not entered (the quarter has not ended), 2024Q3 a draft, 2024Q2 returned with a comment,
    2024Q1 approved, 2023Q4 submitted, 2023Q3 never entered, 2023Q2 and 2023Q1 approved."""
    make_report(thanh_binh, 2024, 3, status=S.DRAFT)
    make_report(thanh_binh, 2024, 2, status=S.RETURNED, return_comment=RETURN_COMMENT)
    make_report(thanh_binh, 2024, 1, status=S.APPROVED)
    make_report(thanh_binh, 2023, 4, status=S.SUBMITTED)
    make_report(thanh_binh, 2023, 2, status=S.APPROVED)
    make_report(thanh_binh, 2023, 1, status=S.APPROVED)
    return thanh_binh


def test_the_list_shows_each_quarter_of_the_two_years_with_status_deadline_and_overdue_mark(
    officer_client, reports_of_two_years, today
):
    today(date(2024, 11, 20))

    response = officer_client.get("/dossiers/")

    assert quarters_shown(response) == [
        ("Quý IV/2024", "chưa nhập", "10/01/2025", "/dossiers/874/2024Q4/"),
        ("Quý III/2024", "bản nháp", "10/10/2024 quá hạn", "/dossiers/874/2024Q3/"),
        ("Quý II/2024", f"bị trả lại {RETURN_COMMENT}", "10/07/2024 quá hạn", "/dossiers/874/2024Q2/"),
        ("Quý I/2024", "đã duyệt", "10/04/2024", "/dossiers/874/2024Q1/"),
        ("Quý IV/2023", "đã gửi", "10/01/2024", "/dossiers/874/2023Q4/"),
        ("Quý III/2023", "chưa nhập", "10/10/2023 quá hạn", "/dossiers/874/2023Q3/"),
        ("Quý II/2023", "đã duyệt", "10/07/2023", "/dossiers/874/2023Q2/"),
        ("Quý I/2023", "đã duyệt", "10/04/2023", "/dossiers/874/2023Q1/"),
    ]


def test_the_button_opens_the_latest_ended_quarter_not_handed_in(officer_client, reports_of_two_years, today):
    today(date(2024, 11, 20))

    # 2024Q4 has not ended; 2024Q3 is a draft
    assert due_now(officer_client.get("/dossiers/")) == ("Nhập báo cáo Quý III/2024", "/dossiers/874/2024Q3/")


def test_once_the_draft_is_submitted_the_button_moves_to_the_returned_quarter(
    officer_client, reports_of_two_years, today
):
    today(date(2024, 11, 20))
    reports_of_two_years.reports.filter(year=2024, quarter=3).update(status=S.SUBMITTED)

    assert due_now(officer_client.get("/dossiers/")) == ("Nhập báo cáo Quý II/2024", "/dossiers/874/2024Q2/")


def test_a_quarter_just_ended_is_due_now_before_it_is_overdue(officer_client, thanh_binh, today):
    today(date(2024, 10, 5))  # 2024Q3 ended on 30/09 and is due on 10/10

    response = officer_client.get("/dossiers/")

    assert due_now(response) == ("Nhập báo cáo Quý III/2024", "/dossiers/874/2024Q3/")
    assert quarters_shown(response)[1] == ("Quý III/2024", "chưa nhập", "10/10/2024", "/dossiers/874/2024Q3/")


def test_no_button_when_every_ended_quarter_is_handed_in(officer_client, thanh_binh, today):
    today(date(2024, 11, 20))
    for year, quarter in [(2024, 3), (2024, 2), (2024, 1), (2023, 4), (2023, 3), (2023, 2), (2023, 1)]:
        make_report(thanh_binh, year, quarter, status=S.SUBMITTED if quarter == 3 else S.APPROVED)

    response = officer_client.get("/dossiers/")

    assert due_now(response) is None
    assert not any("quá hạn" in due for _quarter, _status, due, _link in quarters_shown(response))


def test_a_unit_abolished_in_the_2025_reform_lists_only_the_quarters_it_existed(dong_thap, today):
    today(date(2025, 11, 20))
    # Law 72/2025/QH15: the district level ended on 30 June 2025
    abolished = make_district(dong_thap, "874", "Huyện Thanh Bình", valid_until=date(2025, 6, 30))
    client = client_of(make_user(DISTRICT_OFFICER, abolished))

    response = client.get("/dossiers/")

    assert [quarter for quarter, *_rest in quarters_shown(response)] == [
        "Quý II/2025",
        "Quý I/2025",
        "Quý IV/2024",
        "Quý III/2024",
        "Quý II/2024",
        "Quý I/2024",
    ]
    assert due_now(response) == ("Nhập báo cáo Quý II/2025", "/dossiers/874/2025Q2/")
    assert "Đơn vị này tồn tại đến 30/06/2025" in response.content.decode()


def test_a_unit_created_during_the_year_before_lists_its_quarters_from_its_creation(dong_thap, today):
    today(date(2024, 11, 20))
    created = make_district(dong_thap, "874", "Huyện Thanh Bình", valid_from=date(2023, 7, 1))
    client = client_of(make_user(DISTRICT_OFFICER, created))

    quarters = [quarter for quarter, *_rest in quarters_shown(client.get("/dossiers/"))]

    assert quarters == ["Quý IV/2024", "Quý III/2024", "Quý II/2024", "Quý I/2024", "Quý IV/2023", "Quý III/2023"]


def test_an_earlier_pair_of_years_can_be_chosen(officer_client, reports_of_two_years, today):
    today(date(2024, 11, 20))

    response = officer_client.get("/dossiers/", {"year": "2023"})

    quarters = [quarter for quarter, *_rest in quarters_shown(response)]
    assert quarters[0] == "Quý IV/2023"
    assert quarters[-1] == "Quý I/2022"
    assert 'href="?year=2024"' in response.content.decode()


@pytest.mark.parametrize("asked", ["2030", "abc", "1999"])
def test_a_year_outside_the_reachable_range_falls_back_to_this_year(officer_client, thanh_binh, today, asked):
    today(date(2024, 11, 20))

    response = officer_client.get("/dossiers/", {"year": asked})

    assert quarters_shown(response)[0][0] == "Quý IV/2024"


def test_an_officer_attached_to_no_unit_is_told_so(db):
    client = client_of(make_user(DISTRICT_OFFICER, None))

    response = client.get("/dossiers/")

    assert response.status_code == 200
    assert "Tài khoản của bạn chưa được gắn với đơn vị nào nên chưa có báo cáo để nhập." in response.content.decode()
    assert table_rows(response, "my-reports") == []
