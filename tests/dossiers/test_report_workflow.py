"""A quarterly report's way through the report page (dossiers/views.py report_page): the district saves and
submits it, the province returns, approves or re-opens it; what is refused is refused whole.

Every step goes through ``client.post`` as the browser's form would send it. Figures are typed as officers
type them (1.500), and checked against numbers worked out by hand in conftest.py.
"""

import re

import pytest

from cchc.lib.roles import DISTRICT_OFFICER
from dossiers.models import LevelFigures, QuarterlyReport, ReportStatus
from tests.dossiers.report_data import GOOD_LEVELS, client_of, form_data
from tests.dossiers.report_pages import (
    REPORT,
    alerts,
    database_dump,
    events,
    field_attributes,
    field_errors,
    field_is_disabled,
    field_is_marked_invalid,
    field_value,
    figure_shown,
    messages,
    review_rows,
    table_rows,
    text_by_testid,
    texts_by_testid,
)
from tests.factories import make_report, make_user

pytestmark = pytest.mark.django_db

SAVED = "Đã lưu bản nháp."
SUBMITTED = "Đã gửi báo cáo lên tỉnh."
RETURNED = "Đã trả lại báo cáo cho đơn vị kèm ý kiến của bạn."
APPROVED = "Đã duyệt báo cáo."
REOPENED = "Đã mở lại báo cáo: đơn vị có thể sửa và gửi lại."
LOCKED = "Báo cáo đã được gửi, không thể sửa nữa."
SAY_WHY = "Hãy nêu lý do: đơn vị sẽ đọc ý kiến này."
FIX_THE_FIGURES = "Một số số liệu cần sửa: xem thông báo bên cạnh từng ô."
# Who saved first (the username: the officer has no name), then "thay đổi của bạn chưa được lưu".
STALE = re.compile(r"^thanhbinh đã lưu nội dung này lúc \d\d:\d\d \d\d/\d\d/\d{4}, trong khi bạn đang sửa: ")
RELOAD = "Hãy tải lại trang để xem bản họ đã lưu, rồi sửa lại phần của bạn."
RETURN_COMMENT = "Số trễ hạn cấp xã chưa khớp với phần mềm một cửa: đề nghị kiểm tra lại."
REOPEN_REASON = "Phần mềm một cửa cập nhật lại số tiếp nhận cấp huyện."


def the_report():
    return QuarterlyReport.objects.get(unit__code="874", year=2024, quarter=1)


def version_on_page(client):
    return int(field_value(client.get(REPORT), "version"))


def post(client, data, **kwargs):
    return client.post(REPORT, data, follow=True, **kwargs)


@pytest.fixture
def draft(officer_client):
    """Thanh Bình's 2024Q1 saved once as a draft through the page (version 1)."""
    response = post(officer_client, form_data(version=0))
    assert messages(response) == [SAVED]
    return the_report()


@pytest.fixture
def submitted(officer_client, draft):
    response = post(officer_client, form_data("submit", version=version_on_page(officer_client)))
    assert messages(response) == [SUBMITTED]
    return the_report()


@pytest.fixture
def approved(staff_client, submitted):
    response = post(staff_client, {"action": "approve"})
    assert messages(response) == [APPROVED]
    return the_report()


# --- The whole way ----------------------------------------------------------------------------------------------------


def test_a_report_goes_from_draft_to_submitted_returned_resubmitted_approved_and_reopened(officer_client, staff_client):
    # The district saves a draft
    response = post(officer_client, form_data(version=0))
    assert response.redirect_chain == [(REPORT, 302)]
    assert messages(response) == [SAVED]
    assert text_by_testid(response, "report-status") == "bản nháp"
    report = the_report()
    assert report.status == ReportStatus.DRAFT
    assert events(report) == []

    # … and submits it
    response = post(officer_client, form_data("submit", version=version_on_page(officer_client)))
    assert messages(response) == [SUBMITTED]
    assert text_by_testid(response, "report-status") == "đã gửi"
    assert events(report) == [("draft", "submitted", "thanhbinh", "")]

    # The province returns it with a comment
    response = post(staff_client, {"action": "return", "comment": RETURN_COMMENT})
    assert messages(response) == [RETURNED]
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.return_comment == RETURN_COMMENT
    assert events(report)[-1] == ("submitted", "returned", "province", RETURN_COMMENT)

    # The district reads the comment on the report page and on its list of quarters
    page = officer_client.get(REPORT)
    assert RETURN_COMMENT in text_by_testid(page, "return-comment")
    assert not field_is_disabled(page, "commune__resolved_late")
    listing = officer_client.get("/dossiers/", {"year": "2024"})
    row = next(cells for cells, links in table_rows(listing, "my-reports") if REPORT in links)
    assert "bị trả lại" in row[1]
    assert RETURN_COMMENT in row[1]

    # It corrects the commune level (1.975 in time + 5 late, 5 apology letters) and submits again
    response = post(
        officer_client,
        form_data(
            "submit",
            version=int(field_value(page, "version")),
            commune__resolved_in_time="1.975",
            commune__resolved_late="5",
            commune__apology_letters="5",
        ),
    )
    assert messages(response) == [SUBMITTED]
    assert LevelFigures.objects.get(report=report, level="commune").resolved_late == 5
    assert events(report)[-1] == ("returned", "submitted", "thanhbinh", "")

    # The province approves it
    response = post(staff_client, {"action": "approve"})
    assert messages(response) == [APPROVED]
    assert text_by_testid(response, "report-status") == "đã duyệt"

    # … and later re-opens it, saying why: it is back with the district, which reads the reason
    response = post(staff_client, {"action": "reopen", "comment": REOPEN_REASON})
    assert messages(response) == [REOPENED]
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    shown = text_by_testid(officer_client.get(REPORT), "return-comment")
    assert REOPEN_REASON in shown
    assert RETURN_COMMENT not in shown
    assert events(report) == [
        ("draft", "submitted", "thanhbinh", ""),
        ("submitted", "returned", "province", RETURN_COMMENT),
        ("returned", "submitted", "thanhbinh", ""),
        ("submitted", "approved", "province", ""),
        ("approved", "returned", "province", REOPEN_REASON),
    ]
    # The page lists the same five changes, with who made them
    shown = texts_by_testid(officer_client.get(REPORT), "events")[0]
    assert shown.count("thanhbinh") == 2
    assert shown.count("province") == 3
    assert REOPEN_REASON in shown


@pytest.mark.parametrize("comment", ["", "   \n "])
def test_returning_a_report_without_a_comment_is_refused_beside_the_comment_box(staff_client, submitted, comment):
    before = database_dump()

    response = post(staff_client, {"action": "return", "comment": comment})

    assert response.redirect_chain == []
    assert field_errors(response, "comment") == [SAY_WHY]
    assert database_dump() == before
    assert the_report().status == ReportStatus.SUBMITTED


def test_reopening_an_approved_report_without_a_reason_is_refused(staff_client, approved):
    before = database_dump()

    response = post(staff_client, {"action": "reopen", "comment": ""})

    assert field_errors(response, "comment") == [SAY_WHY]
    assert database_dump() == before
    assert the_report().status == ReportStatus.APPROVED


@pytest.mark.parametrize(
    ("action", "refusal"),
    [
        ("approve", "Báo cáo ở trạng thái “bản nháp” không thể chuyển sang “đã duyệt”."),
        ("reopen", "Báo cáo ở trạng thái “bản nháp” không thể chuyển sang “mở lại”."),
    ],
)
def test_the_province_cannot_approve_or_reopen_a_draft(staff_client, draft, action, refusal):
    before = database_dump()

    response = post(staff_client, {"action": action, "comment": "Lý do"})

    assert messages(response) == [refusal]
    assert database_dump() == before


def test_the_review_box_offers_approve_and_return_only_for_a_submitted_report(staff_client, officer_client, draft):
    assert "Chưa có gì để duyệt: báo cáo đang ở đơn vị." in text_by_testid(staff_client.get(REPORT), "review")

    post(officer_client, form_data("submit", version=draft.version))
    review = text_by_testid(staff_client.get(REPORT), "review")

    assert "Duyệt" in review
    assert "Trả lại đơn vị" in review


# --- The lock after submission ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["submitted", "approved"])
@pytest.mark.parametrize("action", ["save", "submit"])
def test_a_district_cannot_change_a_report_it_has_handed_in(officer_client, staff_client, submitted, status, action):
    if status == "approved":
        post(staff_client, {"action": "approve"})
    version = the_report().version
    before = database_dump()

    response = post(officer_client, form_data(action, version=version, district__received="9.999"))

    assert response.redirect_chain == [(REPORT, 302)]
    assert messages(response) == [LOCKED]
    assert database_dump() == before


def test_a_handed_in_report_shows_the_district_its_figures_greyed_out_and_no_buttons(officer_client, submitted):
    page = officer_client.get(REPORT)

    assert field_is_disabled(page, "district__received")
    assert field_is_disabled(page, "procedures_total")
    assert figure_shown(page, "district__received") == 1500
    assert 'value="save"' not in page.content.decode()
    assert 'value="submit"' not in page.content.decode()


def test_the_province_may_correct_a_submitted_report_before_approving_it(staff_client, submitted):
    response = post(staff_client, form_data(version=submitted.version, district__pending_overdue="12"))

    assert messages(response) == [SAVED]
    report = the_report()
    assert report.status == ReportStatus.SUBMITTED
    assert LevelFigures.objects.get(report=report, level="district").pending_overdue == 12


# --- Rejected saves leave the database exactly as it was --------------------------------------------------------------

RESOLVED_SPLIT = (
    "Số đã giải quyết (1.400) phải bằng số giải quyết đúng hạn và trước hạn (1.365) cộng số giải quyết trễ hạn (25)."
)


DRAFT_KEPT_WITH_ERRORS = (
    "Đã lưu bản nháp. Một số số liệu chưa đúng quy tắc (xem bên cạnh từng ô): chỉ gửi được báo cáo khi đã sửa."
)
NOT_SUBMITTED = (
    "Chưa gửi: số liệu chưa đúng các quy tắc ghi bên cạnh. Số liệu vẫn được giữ trong bản nháp; hãy sửa rồi gửi lại."
)


@pytest.mark.parametrize("existing", [False, True], ids=["new report", "existing draft"])
def test_a_draft_breaking_an_identity_is_saved_with_the_error_shown_beside_its_field(officer_client, request, existing):
    version = request.getfixturevalue("draft").version if existing else 0

    response = post(officer_client, form_data(version=version, district__resolved_late="25"))

    # Kept: a half-typed report is not lost …
    assert LevelFigures.objects.get(report=the_report(), level="district").resolved_late == 25
    assert the_report().status == ReportStatus.DRAFT
    assert messages(response) == [DRAFT_KEPT_WITH_ERRORS]
    # … and the page it comes back to says what breaks which rule, beside the field
    assert field_errors(response, "district__resolved") == [RESOLVED_SPLIT]
    assert field_is_marked_invalid(response, "district__resolved")
    assert field_errors(response, "commune__resolved") == []
    assert figure_shown(response, "district__resolved_late") == 25


def test_a_procedure_identity_error_of_a_draft_is_shown_beside_procedures_reviewed(officer_client, draft):
    response = post(officer_client, form_data(version=draft.version, procedures_reviewed="500"))

    assert the_report().procedures_reviewed == 500
    assert field_errors(response, "procedures_reviewed") == [
        "Số TTHC đã rà soát (500) không được lớn hơn số TTHC thuộc thẩm quyền (456)."
    ]


def test_submitting_figures_with_an_error_keeps_them_as_a_draft_and_refuses_the_submission(officer_client, draft):
    response = post(officer_client, form_data("submit", version=draft.version, district__resolved_late="25"))

    assert the_report().status == ReportStatus.DRAFT
    assert events(the_report()) == []
    assert LevelFigures.objects.get(report=the_report(), level="district").resolved_late == 25
    assert messages(response) == [NOT_SUBMITTED]
    assert field_errors(response, "district__resolved") == [RESOLVED_SPLIT]


def test_once_the_error_is_mended_the_draft_is_submitted(officer_client, draft):
    post(officer_client, form_data("submit", version=draft.version, district__resolved_late="25"))

    # 1.365 in time + 35 late = 1.400 resolved again
    response = post(officer_client, form_data("submit", version=draft.version + 1, district__resolved_late="35"))

    assert messages(response) == [SUBMITTED]
    assert the_report().status == ReportStatus.SUBMITTED
    assert field_errors(response, "district__resolved") == []


def test_a_returned_report_may_also_keep_an_error_until_it_is_submitted_again(officer_client, staff_client, submitted):
    post(staff_client, {"action": "return", "comment": RETURN_COMMENT})

    response = post(officer_client, form_data(version=submitted.version, district__resolved_late="25"))

    assert messages(response) == [DRAFT_KEPT_WITH_ERRORS]
    assert the_report().status == ReportStatus.RETURNED
    assert field_errors(response, "district__resolved") == [RESOLVED_SPLIT]


def test_the_province_correcting_a_submitted_report_is_held_to_every_identity(staff_client, submitted):
    before = database_dump()

    response = post(staff_client, form_data(version=submitted.version, district__resolved_late="25"))

    assert field_errors(response, "district__resolved") == [RESOLVED_SPLIT]
    assert alerts(response) == [FIX_THE_FIGURES]
    assert database_dump() == before


WHOLE_NUMBER = "Nhập số nguyên từ 0 trở lên (ví dụ 17800 hoặc 17.800)."
NOT_NEGATIVE = "Số liệu không được là số âm."


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("17,8", WHOLE_NUMBER),
        ("-3", NOT_NEGATIVE),
        ("abc", WHOLE_NUMBER),
        ("17.8", WHOLE_NUMBER),
        ("1.7800", WHOLE_NUMBER),
        ("1e4", WHOLE_NUMBER),
    ],
)
@pytest.mark.parametrize("existing", [False, True], ids=["new report", "existing draft"])
def test_a_figure_that_is_not_a_whole_number_is_refused_in_vietnamese_and_saves_nothing(
    officer_client, request, existing, typed, message
):
    version = request.getfixturevalue("draft").version if existing else 0
    before = database_dump()

    response = post(officer_client, form_data(version=version, district__received=typed))

    assert field_errors(response, "district__received") == [message]
    assert field_value(response, "district__received") == typed
    assert database_dump() == before


def test_a_figure_too_large_for_the_database_is_refused_beside_its_field_not_with_a_crash(officer_client, draft):
    before = database_dump()

    response = post(officer_client, form_data(version=draft.version, communication_news="99999999999999999999"))

    assert response.status_code == 200
    assert len(field_errors(response, "communication_news")) == 1
    assert database_dump() == before


def test_a_save_based_on_an_older_copy_is_refused_and_keeps_the_first_saves_figures(thanh_binh, officer):
    make_report(thanh_binh, 2024, 1, levels=GOOD_LEVELS, procedures_total=456)
    colleague = make_user(DISTRICT_OFFICER, thanh_binh, username="thanhbinh2")
    first, second = client_of(officer), client_of(colleague)
    # Both open the form of version 1
    assert version_on_page(first) == version_on_page(second) == 1

    saved = post(first, form_data(version=1, district__pending_overdue="15"))
    after_first = database_dump()
    refused = post(second, form_data(version=1, district__pending_overdue="3", procedures_total="460"))

    assert messages(saved) == [SAVED]
    assert refused.redirect_chain == []
    (alert,) = alerts(refused)
    assert STALE.match(alert)
    # Their values beside the colleague's, for each figure the two differ on: 456 and 15 were saved first.
    assert "Họ đã lưu: TTHC thuộc thẩm quyền: 456 (bạn nhập 460); " in alert
    assert "cấp huyện: đang giải quyết quá hạn: 15 (bạn nhập 3)." in alert
    assert alert.endswith(RELOAD)
    assert database_dump() == after_first
    report = the_report()
    assert report.version == 2
    assert report.procedures_total == 456
    assert LevelFigures.objects.get(report=report, level="district").pending_overdue == 15


def test_two_people_starting_the_same_new_report_the_second_is_refused(thanh_binh, officer, staff):
    first, second = client_of(officer), client_of(staff)
    assert version_on_page(first) == version_on_page(second) == 0

    post(first, form_data(version=0))
    after_first = database_dump()
    refused = post(second, form_data(version=0, district__pending_overdue="3"))

    (alert,) = alerts(refused)
    assert STALE.match(alert)
    # GOOD_FIGURES give 10 pending overdue at district level.
    assert "cấp huyện: đang giải quyết quá hạn: 10 (bạn nhập 3)" in alert
    assert database_dump() == after_first
    assert QuarterlyReport.objects.count() == 1


# The previous quarter ended with 100 pending at district level; 120 carried over raises the warning.
CARRIED_OVER_WARNING = "Số tồn kỳ trước (120) khác số đang giải quyết cuối quý trước (100)."


@pytest.fixture
def previous_quarter(thanh_binh):
    return make_report(thanh_binh, 2023, 4, status=ReportStatus.APPROVED, levels={"district": {"pending": 100}})


def test_a_warning_not_confirmed_saves_nothing_and_asks_to_confirm_then_saves_once_ticked(
    officer_client, previous_quarter
):
    before = database_dump()

    asked = post(officer_client, form_data(version=0))

    assert asked.redirect_chain == []
    assert CARRIED_OVER_WARNING in text_by_testid(asked, "warnings")
    # The box to confirm is offered, not ticked
    assert field_attributes(asked, "confirm_warnings")["type"] == "checkbox"
    assert "checked" not in field_attributes(asked, "confirm_warnings")
    assert database_dump() == before

    confirmed = post(officer_client, form_data(version=0, confirm_warnings="on"))

    assert messages(confirmed) == [SAVED]
    assert LevelFigures.objects.get(report=the_report(), level="district").carried_over == 120
    # The saved report still shows the warning, for the province to see too
    assert CARRIED_OVER_WARNING in text_by_testid(confirmed, "warnings")


def test_a_warning_names_its_level_in_vietnamese(officer_client, previous_quarter):
    asked = post(officer_client, form_data(version=0))

    warnings = text_by_testid(asked, "warnings")
    assert "cấp huyện" in warnings.lower()
    assert "district" not in warnings


# --- What the form offers and keeps -----------------------------------------------------------------------------------


def test_the_new_form_offers_the_previous_quarters_pending_as_carried_over(officer_client, thanh_binh):
    make_report(
        thanh_binh,
        2024,
        1,
        status=ReportStatus.APPROVED,
        levels={"district": {"pending": 220}, "commune": {"pending": 50}},
    )

    page = officer_client.get("/dossiers/874/2024Q2/")

    assert figure_shown(page, "district__carried_over") == 220
    assert figure_shown(page, "commune__carried_over") == 50
    assert figure_shown(page, "district__received") is None


def test_a_quarter_after_one_without_a_report_offers_no_carried_over(officer_client):
    page = officer_client.get(REPORT)

    assert figure_shown(page, "district__carried_over") is None
    assert field_value(page, "version") == "0"


@pytest.mark.parametrize("typed", ["17.800", "17800", "17 800", " 17.800 "])
def test_figures_typed_with_thousands_dots_or_spaces_are_saved_as_whole_numbers(officer_client, typed):
    # seed 001: Cao Lãnh received over 17.800 dossiers at district level in a quarter; here Thanh Bình types it
    response = post(
        officer_client,
        form_data(
            version=0,
            district__received=typed,
            district__received_online="0",
            district__received_postal="0",
            district__carried_over="0",
            district__resolved="17.000",
            district__resolved_in_time="17.000",
            district__resolved_late="0",
            district__apology_letters="0",
            district__pending="800",
            district__pending_overdue="0",
        ),
    )

    assert messages(response) == [SAVED]
    assert LevelFigures.objects.get(report=the_report(), level="district").received == 17800
    assert figure_shown(response, "district__received") == 17800


def test_the_history_shows_who_changed_which_figure_from_what_to_what(officer_client, staff_client, draft):
    post(officer_client, form_data(version=draft.version, district__pending_overdue="15"))
    post(staff_client, form_data(version=draft.version + 1, district__pending_overdue="15", procedures_total="460"))

    rows = [cells for cells, _links in table_rows(officer_client.get(REPORT), "history")]

    # Newest first: who, what, old value, new value (the first column is the time)
    assert [row[1:] for row in rows] == [
        ["province", "TTHC thuộc thẩm quyền", "456", "460"],
        ["thanhbinh", "cấp huyện: đang giải quyết quá hạn", "10", "15"],
        ["thanhbinh", "nhập số liệu cấp xã", ""],
        ["thanhbinh", "nhập số liệu cấp huyện", ""],
        ["thanhbinh", "tạo báo cáo", ""],
    ]


def test_the_history_shows_a_status_change_in_vietnamese(officer_client, submitted):
    rows = [cells for cells, _links in table_rows(officer_client.get(REPORT), "history")]

    status_rows = [row[1:] for row in rows if row[2] == "trạng thái"]
    assert status_rows == [["thanhbinh", "trạng thái", "bản nháp", "đã gửi"]]


def test_a_report_submitted_without_a_saved_draft_is_logged_as_submitted_not_draft_to_submitted(officer_client):
    response = post(officer_client, form_data("submit", version=0))

    assert messages(response) == [SUBMITTED]
    assert events(the_report()) == [("", "submitted", "thanhbinh", "")]
    log = texts_by_testid(response, "events")[0]
    assert "gửi thẳng, không lưu nháp trước" in log
    assert "bản nháp" not in log
    rows = [row[1:] for row, _links in table_rows(response, "history")]
    assert ["thanhbinh", "gửi thẳng, không lưu nháp trước", ""] in rows
    assert not [row for row in rows if row[1] == "trạng thái"]


def test_a_draft_saved_then_submitted_is_logged_as_draft_to_submitted(officer_client, submitted):
    log = texts_by_testid(officer_client.get(REPORT), "events")[0]

    assert "bản nháp → đã gửi" in log
    assert "gửi thẳng" not in log


def test_the_provinces_submit_of_a_report_already_submitted_is_refused_and_saves_nothing(staff_client, submitted):
    before = database_dump()

    response = post(staff_client, form_data("submit", version=submitted.version, district__pending_overdue="12"))

    assert alerts(response) == ["Báo cáo ở trạng thái “đã gửi” không thể chuyển sang “đã gửi”."]
    assert database_dump() == before


def test_the_review_list_shows_reports_awaiting_review_and_filters_by_status(staff_client, submitted, cao_lanh):
    make_report(cao_lanh, 2024, 1, status=ReportStatus.DRAFT)

    awaiting = review_rows(staff_client.get("/dossiers/review/"))
    drafts = review_rows(staff_client.get("/dossiers/review/", {"status": "draft"}))

    assert [cells[:3] for cells in awaiting] == [["Huyện Thanh Bình", "Quý I/2024", "đã gửi"]]
    assert [cells[:3] for cells in drafts] == [["Huyện Cao Lãnh", "Quý I/2024", "bản nháp"]]


def test_the_historys_entry_for_the_reports_creation_has_no_old_and_new_values(officer_client, draft):
    rows = table_rows(officer_client.get(REPORT), "history")

    created = [cells for cells, _links in rows if cells[2] == "tạo báo cáo"]
    # "— —" once stood there: a creation has no old and no new value, so the two cells are one empty cell
    assert created and created[0][3:] == [""]
