"""When a quarterly report is due, whether it came in on time, and the completeness page's reporting rates
(dossiers/deadlines.py, dossiers/views.py completeness_page).

A report is due ``REPORT_DUE_DAYS`` (10) days after its quarter ends, by the calendar of Asia/Ho_Chi_Minh; it
is on time when its first submission falls on or before that day. Status changes are built with explicit
aware datetimes, so that the test says which local day each one fell on.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cchc.lib.periods import Period
from districts.models import Unit
from dossiers.deadlines import completeness, due_date, submitted_on_time, with_first_submission
from dossiers.models import QuarterlyReport, ReportEvent, ReportStatus
from tests.dossiers.report_pages import table_rows, text_by_testid
from tests.factories import make_commune, make_district, make_report

pytestmark = pytest.mark.django_db

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
S = ReportStatus


def local(*args):
    """A moment in Vietnam's local time (UTC+7)."""
    return datetime(*args, tzinfo=VIETNAM)


def record(report, at, to_status=S.SUBMITTED, from_status=S.DRAFT):
    ReportEvent.objects.create(report=report, from_status=from_status, to_status=to_status, at=at)


def handed_in_at(unit, year, quarter, at, status=S.SUBMITTED):
    """A report of ``unit`` first submitted ``at``, now in ``status``."""
    report = make_report(unit, year, quarter, status=status)
    record(report, at)
    if status == S.APPROVED:
        record(report, at + timedelta(days=1), S.APPROVED, S.SUBMITTED)
    return report


def on_time(report):
    return submitted_on_time(with_first_submission(QuarterlyReport.objects.filter(pk=report.pk)).get())


# --- The due date -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "quarter", "due"),
    [
        (2024, 1, date(2024, 4, 10)),  # 31/03 + 10 days
        (2024, 2, date(2024, 7, 10)),
        (2024, 3, date(2024, 10, 10)),
        (2023, 4, date(2024, 1, 10)),  # the year's last quarter is due in the next year
    ],
)
def test_a_report_is_due_ten_days_after_its_quarter_ends(year, quarter, due):
    assert due_date(year, quarter) == due


def test_the_number_of_days_comes_from_the_settings(settings):
    settings.REPORT_DUE_DAYS = 15

    assert due_date(2024, 1) == date(2024, 4, 15)


@pytest.mark.parametrize(("days", "shown"), [(10, "Hạn nộp: 10/04/2024."), (15, "Hạn nộp: 15/04/2024.")])
def test_the_report_page_shows_the_due_date(staff_client, thanh_binh, settings, days, shown):
    settings.REPORT_DUE_DAYS = days

    assert shown in staff_client.get("/dossiers/874/2024Q1/").content.decode()


# --- On time or late, by Vietnam's calendar ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("submitted", "expected"),
    [
        (local(2024, 4, 10, 23, 30), True),  # 16:30 UTC the same day
        (local(2024, 4, 11, 0, 30), False),  # 17:30 UTC on 10/04, but 11/04 in Vietnam
        (local(2024, 4, 1, 8, 0), True),
        (local(2024, 4, 11, 8, 0), False),
    ],
)
def test_a_submission_is_on_time_until_midnight_of_the_due_day_in_vietnam(thanh_binh, submitted, expected):
    report = handed_in_at(thanh_binh, 2024, 1, submitted)

    assert on_time(report) is expected


def test_with_fifteen_days_a_submission_on_the_eleventh_is_on_time(thanh_binh, settings):
    settings.REPORT_DUE_DAYS = 15
    report = handed_in_at(thanh_binh, 2024, 1, local(2024, 4, 11, 0, 30))

    assert on_time(report) is True


def test_the_first_submission_decides_even_when_the_report_was_returned_and_sent_again_late(thanh_binh):
    report = handed_in_at(thanh_binh, 2024, 1, local(2024, 4, 9, 9, 0))
    record(report, local(2024, 4, 12, 9, 0), S.RETURNED, S.SUBMITTED)
    record(report, local(2024, 4, 20, 9, 0), S.SUBMITTED, S.RETURNED)

    assert on_time(report) is True


def test_a_report_never_submitted_here_has_no_on_time_answer(thanh_binh):
    report = make_report(thanh_binh, 2024, 1, status=S.APPROVED)  # entered as approved, e.g. from an article

    assert on_time(report) is None


def test_the_report_page_marks_a_late_first_submission(staff_client, thanh_binh):
    handed_in_at(thanh_binh, 2024, 1, local(2024, 4, 11, 0, 30))

    html = staff_client.get("/dossiers/874/2024Q1/").content.decode()

    assert "Gửi lần đầu lúc 11/04/2024 00:30" in html
    assert '<span class="badge text-bg-warning">trễ hạn</span>' in html


# --- Completeness: who has reported, and the reporting rates ----------------------------------------------------------


@pytest.fixture
def three_districts(dong_thap):
    """Cao Lãnh city, Sa Đéc city and Hồng Ngự city, with their reports for 2024H1.

    866 Q1 approved, submitted 05/04 (on time); Q2 submitted 10/07 at 23:30 (on time)
    867 Q1 submitted 11/04 at 00:30 (late); Q2 submitted on time but returned: not handed in
    868 Q1 approved, submitted 01/04 (on time); Q2 only a draft: not handed in
    Expected 3 × 2 = 6; handed in 4 (866 Q1, 866 Q2, 867 Q1, 868 Q1); on time 3 (866 Q1, 866 Q2, 868 Q1).
    Reporting rate 4/6 = 66,67%; on-time reporting rate 3/6 = 50,00%.
    """
    cao_lanh_city = make_district(dong_thap, "866", "Thành phố Cao Lãnh")
    sa_dec = make_district(dong_thap, "867", "Thành phố Sa Đéc")
    hong_ngu = make_district(dong_thap, "868", "Thành phố Hồng Ngự")
    handed_in_at(cao_lanh_city, 2024, 1, local(2024, 4, 5, 9, 0), S.APPROVED)
    handed_in_at(cao_lanh_city, 2024, 2, local(2024, 7, 10, 23, 30))
    handed_in_at(sa_dec, 2024, 1, local(2024, 4, 11, 0, 30))
    returned = handed_in_at(sa_dec, 2024, 2, local(2024, 7, 8, 9, 0), S.RETURNED)
    record(returned, local(2024, 7, 9, 9, 0), S.RETURNED, S.SUBMITTED)
    handed_in_at(hong_ngu, 2024, 1, local(2024, 4, 1, 9, 0), S.APPROVED)
    make_report(hong_ngu, 2024, 2, status=S.DRAFT)
    return dong_thap


def test_the_completeness_page_gives_the_rates_as_ratios_of_sums(staff_client, three_districts):
    response = staff_client.get("/dossiers/completeness/", {"province": "87", "period": "2024H1"})

    assert text_by_testid(response, "reporting-rate") == "66,67%"
    assert text_by_testid(response, "on-time-reporting-rate") == "50,00%"
    html = response.content.decode()
    assert "4/6 báo cáo đã nộp" in html
    assert "3/6 báo cáo nộp đúng hạn" in html


def test_the_completeness_page_shows_each_units_quarters_on_time_late_or_not_handed_in(staff_client, three_districts):
    response = staff_client.get("/dossiers/completeness/", {"province": "87", "period": "2024H1"})

    assert [cells for cells, _links in table_rows(response, "completeness")] == [
        ["Thành phố Cao Lãnh", "đúng hạn", "đúng hạn"],
        ["Thành phố Sa Đéc", "trễ hạn", "chưa nộp"],  # the returned Q2 is back with the district
        ["Thành phố Hồng Ngự", "đúng hạn", "chưa nộp"],
    ]


def test_a_returned_report_counts_as_not_handed_in_until_it_is_submitted_again(three_districts):
    districts = Unit.objects.filter(parent=three_districts)
    result = completeness(units=districts, period=Period.parse("2024H1"))
    assert (result.expected, result.handed_in, result.on_time) == (6, 4, 3)

    sa_dec_q2 = QuarterlyReport.objects.get(unit__code="867", year=2024, quarter=2)
    sa_dec_q2.status = S.SUBMITTED
    sa_dec_q2.save()
    record(sa_dec_q2, local(2024, 7, 15, 9, 0), S.SUBMITTED, S.RETURNED)

    result = completeness(units=districts, period=Period.parse("2024H1"))
    # Handed in again: 5 of 6; still on time, its first submission (08/07) was before 10/07
    assert (result.expected, result.handed_in, result.on_time) == (6, 5, 4)


def test_units_are_expected_only_in_the_quarters_they_existed(staff_client, dong_thap):
    """866 existed all along; 867 was created on 01/04/2024 (Q2 only); 868 ceased on 31/03/2024 (Q1 only);
    869 ceased at the end of 2023 (nothing). Expected 2 + 1 + 1 = 4; handed in 866 Q1 (on time), 867 Q2 (late),
    868 Q1 (on time) = 3 → 75,00%; on time 2 → 50,00%."""
    whole = make_district(dong_thap, "866", "Thành phố Cao Lãnh")
    created = make_district(dong_thap, "867", "Thành phố Sa Đéc", valid_from=date(2024, 4, 1))
    ceased = make_district(dong_thap, "868", "Thành phố Hồng Ngự", valid_until=date(2024, 3, 31))
    make_district(dong_thap, "869", "Huyện Tân Hồng", valid_until=date(2023, 12, 31))
    handed_in_at(whole, 2024, 1, local(2024, 4, 2, 9, 0))
    handed_in_at(created, 2024, 2, local(2024, 7, 11, 9, 0))
    handed_in_at(ceased, 2024, 1, local(2024, 4, 3, 9, 0))

    response = staff_client.get("/dossiers/completeness/", {"province": "87", "period": "2024H1"})

    assert text_by_testid(response, "reporting-rate") == "75,00%"
    assert text_by_testid(response, "on-time-reporting-rate") == "50,00%"
    result = response.context["result"]
    assert [(unit.code, [item.period.code for item in quarters if item]) for unit, quarters in result.rows] == [
        ("866", ["2024Q1", "2024Q2"]),
        ("867", ["2024Q2"]),
        ("868", ["2024Q1"]),
    ]


def test_a_unit_created_during_the_period_shows_its_result_under_the_right_quarter(staff_client, dong_thap):
    make_district(dong_thap, "866", "Thành phố Cao Lãnh", valid_from=date(2024, 4, 1))
    older = make_district(dong_thap, "867", "Thành phố Sa Đéc")
    handed_in_at(older, 2024, 1, local(2024, 4, 2, 9, 0))

    response = staff_client.get("/dossiers/completeness/", {"province": "87", "period": "2024H1"})

    html = response.content.decode()
    assert "<th>Quý I/2024</th>" in html
    assert "<th>Quý II/2024</th>" in html
    rows = {cells[0]: cells[1:] for cells, _links in table_rows(response, "completeness")}
    # Cao Lãnh city did not exist in Q1: nothing is owed there, and its missing Q2 sits under Q2
    assert rows["Thành phố Cao Lãnh"][-1] == "chưa nộp"
    assert rows["Thành phố Cao Lãnh"][0] != "chưa nộp"


def test_communes_are_not_expected_on_the_provinces_completeness_page(staff_client, dong_thap):
    district = make_district(dong_thap, "866", "Thành phố Cao Lãnh")
    make_commune(district, "29620", "Xã Tân Thạnh")

    result = staff_client.get("/dossiers/completeness/", {"province": "87", "period": "2024Q1"}).context["result"]

    assert [unit.code for unit, _quarters in result.rows] == ["866"]
    assert result.expected == 1


def test_a_quarter_not_yet_due_is_neither_missing_nor_counted_as_handed_in(staff_client, dong_thap, today):
    today(date(2024, 4, 5))
    make_district(dong_thap, "866", "Thành phố Cao Lãnh")

    response = staff_client.get("/dossiers/completeness/", {"province": "87", "period": "2024Q1"})

    assert [cells for cells, _links in table_rows(response, "completeness")] == [["Thành phố Cao Lãnh", "chưa đến hạn"]]
    assert response.context["result"].handed_in == 0
