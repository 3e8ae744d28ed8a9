"""A report's way from the district to the province: submit, return, approve, re-open (dossiers/services.py)."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cchc.lib.roles import DISTRICT_OFFICER, PROVINCIAL_STAFF
from dossiers.models import QuarterlyReport, ReportEvent, ReportStatus
from dossiers.services import approve, reopen, return_to_unit, submit
from tests.factories import make_district, make_province, make_report, make_user

pytestmark = pytest.mark.django_db

MONDAY = datetime(2023, 7, 10, 8, 0, tzinfo=UTC)
TUESDAY = datetime(2023, 7, 11, 8, 0, tzinfo=UTC)
WEDNESDAY = datetime(2023, 7, 12, 8, 0, tzinfo=UTC)
THURSDAY = datetime(2023, 7, 13, 8, 0, tzinfo=UTC)
FRIDAY = datetime(2023, 7, 14, 8, 0, tzinfo=UTC)


@pytest.fixture
def province():
    return make_province(code="67", name="Đắk Nông")


@pytest.fixture
def district(province):
    return make_district(province, code="665", name="Đắk Song")


@pytest.fixture
def officer(district):
    return make_user(role=DISTRICT_OFFICER, unit=district, username="dakson")


@pytest.fixture
def staff(province):
    return make_user(role=PROVINCIAL_STAFF, unit=province, username="sonoivu")


def make_report_with(unit, status=ReportStatus.DRAFT, levels=None):
    # Đắk Song, Q2 2023: H1's figures entered in the half year's last quarter (seed 002).
    levels = levels or {
        "district": {"carried_over": 1727, "received": 13324, "resolved": 12530, "resolved_in_time": 10840}
    }
    return make_report(unit, 2023, 2, status=status, levels=levels)


def snapshot(report):
    """Everything stored about a report: its row, its level rows and its events."""
    return (
        QuarterlyReport.objects.filter(pk=report.pk).values().get(),
        list(report.levels.order_by("level").values()),
        list(ReportEvent.objects.filter(report=report).values()),
    )


def events(report):
    return list(
        ReportEvent.objects.filter(report=report)
        .order_by("at", "id")
        .values_list("from_status", "to_status", "by__username", "at", "comment")
    )


def test_submitting_a_draft_makes_it_submitted_and_records_who_and_when(district, officer):
    report = make_report_with(district)

    returned = submit(report, by=officer, now=MONDAY)

    report.refresh_from_db()
    assert report.status == returned.status == ReportStatus.SUBMITTED
    assert events(report) == [("draft", "submitted", "dakson", MONDAY, "")]


def test_returning_a_report_needs_a_comment_and_keeps_it_for_the_district(district, officer, staff):
    report = submit(make_report_with(district), by=officer, now=MONDAY)

    return_to_unit(report, by=staff, comment="Thiếu số liệu cấp xã.", now=TUESDAY)

    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.return_comment == "Thiếu số liệu cấp xã."
    assert events(report)[-1] == ("submitted", "returned", "sonoivu", TUESDAY, "Thiếu số liệu cấp xã.")


@pytest.mark.parametrize("comment", ["", "   \n "])
def test_it_refuses_to_return_a_report_without_a_comment(district, officer, staff, comment):
    report = submit(make_report_with(district), by=officer, now=MONDAY)
    before = snapshot(report)

    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        return_to_unit(report, by=staff, comment=comment, now=TUESDAY)

    with translation.override("vi"):
        assert caught.value.message_dict == {"comment": ["Hãy nêu lý do: đơn vị sẽ đọc ý kiến này."]}
    assert snapshot(report) == before


def test_a_report_goes_round_the_whole_way_and_every_change_is_one_event(district, officer, staff):
    report = make_report_with(district)

    submit(report, by=officer, now=MONDAY)
    return_to_unit(report, by=staff, comment="Thiếu số liệu cấp xã.", now=TUESDAY)
    submit(report, by=officer, now=WEDNESDAY)
    approve(report, by=staff, now=THURSDAY)
    reopen(report, by=staff, comment="Số tồn kỳ trước chưa khớp quý I.", now=FRIDAY)

    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.return_comment == "Số tồn kỳ trước chưa khớp quý I."
    assert events(report) == [
        ("draft", "submitted", "dakson", MONDAY, ""),
        ("submitted", "returned", "sonoivu", TUESDAY, "Thiếu số liệu cấp xã."),
        ("returned", "submitted", "dakson", WEDNESDAY, ""),
        ("submitted", "approved", "sonoivu", THURSDAY, ""),
        ("approved", "returned", "sonoivu", FRIDAY, "Số tồn kỳ trước chưa khớp quý I."),
    ]


def test_approving_a_submitted_report_makes_it_approved(district, staff):
    report = make_report_with(district, status=ReportStatus.SUBMITTED)

    approve(report, by=staff, now=THURSDAY)

    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert events(report) == [("submitted", "approved", "sonoivu", THURSDAY, "")]


@pytest.mark.parametrize("comment", ["", "  "])
def test_it_refuses_to_reopen_an_approved_report_without_a_comment(district, staff, comment):
    report = make_report_with(district, status=ReportStatus.APPROVED)
    before = snapshot(report)

    with pytest.raises(ValidationError) as caught:
        reopen(report, by=staff, comment=comment, now=FRIDAY)

    assert list(caught.value.message_dict) == ["comment"]
    assert snapshot(report) == before


# (status the report is in, the change tried, its arguments, how the Vietnamese message names both statuses)
WRONG_CHANGES = {
    "approve a draft": (ReportStatus.DRAFT, approve, {}, "“bản nháp” không thể chuyển sang “đã duyệt”"),
    "approve a returned report": (ReportStatus.RETURNED, approve, {}, "“bị trả lại” không thể chuyển sang “đã duyệt”"),
    "submit a submitted report": (ReportStatus.SUBMITTED, submit, {}, "“đã gửi” không thể chuyển sang “đã gửi”"),
    "submit an approved report": (ReportStatus.APPROVED, submit, {}, "“đã duyệt” không thể chuyển sang “đã gửi”"),
    "return a draft": (
        ReportStatus.DRAFT,
        return_to_unit,
        {"comment": "Thiếu số liệu."},
        "“bản nháp” không thể chuyển sang “bị trả lại”",
    ),
    "return an approved report": (
        ReportStatus.APPROVED,
        return_to_unit,
        {"comment": "Thiếu số liệu."},
        "“đã duyệt” không thể chuyển sang “bị trả lại”",
    ),
    "reopen a submitted report": (
        ReportStatus.SUBMITTED,
        reopen,
        {"comment": "Sai số liệu."},
        "“đã gửi” không thể chuyển sang “mở lại”",
    ),
    "reopen a draft": (
        ReportStatus.DRAFT,
        reopen,
        {"comment": "Sai số liệu."},
        "“bản nháp” không thể chuyển sang “mở lại”",
    ),
}


@pytest.mark.parametrize(("status", "change", "arguments", "says"), WRONG_CHANGES.values(), ids=WRONG_CHANGES)
def test_a_change_not_allowed_from_the_current_status_leaves_the_database_as_it_was(
    district, staff, status, change, arguments, says
):
    report = make_report_with(district, status=status)
    before = snapshot(report)

    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        change(report, by=staff, now=MONDAY, **arguments)

    with translation.override("vi"):
        [message] = caught.value.messages
    assert message == f"Báo cáo ở trạng thái {says}."
    assert snapshot(report) == before


def test_the_status_check_reads_the_database_not_a_stale_copy(district, officer, staff):
    report = make_report_with(district)
    stale = QuarterlyReport.objects.get(pk=report.pk)
    submit(report, by=officer, now=MONDAY)
    approve(report, by=staff, now=TUESDAY)

    # The stale copy still says "draft"; submitting it again must not be allowed.
    with pytest.raises(ValidationError):
        submit(stale, by=officer, now=WEDNESDAY)

    assert QuarterlyReport.objects.get(pk=report.pk).status == ReportStatus.APPROVED
    assert ReportEvent.objects.filter(report=report).count() == 2


def test_submit_refuses_a_figure_given_both_for_all_levels_and_for_the_district_level(district, officer):
    # Bắc Yên, H1 2018 (seed 004): 14.607 received in all; 1.598 of them at the district level.
    report = make_report_with(district, levels={"all": {"received": 14607}, "district": {"received": 1598}})
    before = snapshot(report)

    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        submit(report, by=officer, now=MONDAY)

    with translation.override("vi"):
        # At the "all levels" row's figure, where saving the figures places it too (services.check_figures).
        assert caught.value.message_dict == {
            "all.received": [
                "Chỉ tiêu “tiếp nhận mới” được nhập cả ở dòng tổng các cấp và ở một cấp riêng: "
                "số liệu sẽ bị tính hai lần."
            ]
        }
    assert snapshot(report) == before


def test_submit_accepts_an_all_levels_row_beside_a_level_row_with_other_figures(district, officer):
    report = make_report_with(
        district, levels={"all": {"received": 14607, "resolved": 14506}, "district": {"pending": 101}}
    )

    submit(report, by=officer, now=MONDAY)

    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_submit_accepts_a_report_with_no_level_rows(district, officer):
    report = make_report(district, 2023, 2, procedures_total=456, procedures_reviewed=181)

    submit(report, by=officer, now=MONDAY)

    assert QuarterlyReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


# Which reports a period and the dashboard take.


def test_a_period_takes_the_reports_of_its_quarters_only(district):
    for year, quarter in [(2022, 4), (2023, 1), (2023, 2), (2023, 3), (2024, 1)]:
        make_report(district, year, quarter)

    def quarters(code):
        return sorted((report.year, report.quarter) for report in QuarterlyReport.objects.in_period(code))

    assert quarters("2023H1") == [(2023, 1), (2023, 2)]
    assert quarters("2023M9") == [(2023, 1), (2023, 2), (2023, 3)]
    assert quarters("2023H2") == [(2023, 3)]
    assert quarters("2023") == [(2023, 1), (2023, 2), (2023, 3)]
    assert quarters("2024Q1") == [(2024, 1)]


def test_only_submitted_and_approved_reports_are_counted(district):
    for quarter, status in enumerate(ReportStatus, start=1):
        make_report(district, 2023, quarter, status=status)

    assert {report.status for report in QuarterlyReport.objects.counted()} == {"submitted", "approved"}
