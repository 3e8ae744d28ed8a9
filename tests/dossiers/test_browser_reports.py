"""A quarter's report in a real browser, on the demo data: Thanh Bình enters 2024Q1 with a mistake, corrects it
and submits; the province returns it with a comment; the district reads it, corrects and submits again; the
province approves; the dashboard then counts it.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import PASSWORD, field_errors, log_in, log_out, type_figures
from tests.dossiers.report_data import GOOD_FIGURES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = "/dossiers/874/2024Q1/"
RESOLVED_SPLIT = (
    "Số đã giải quyết (1.400) phải bằng số giải quyết đúng hạn và trước hạn (1.365) cộng số giải quyết trễ hạn (25)."
)
RETURN_COMMENT = "Cấp xã có 5 hồ sơ trễ hạn theo phần mềm một cửa: đề nghị sửa và gửi lại."


def message(page):
    return page.locator("main .alert-dismissible")


def type_and_see_preview(page, figures):
    """Type the figures and wait for the live preview's answer to them: no request of the page is still under way
    when the test goes on."""
    name, text = list(figures.items())[-1]
    with page.expect_response(lambda response: "/preview/?" in response.url and f"{name}={text}" in response.url):
        type_figures(page, figures)


def submit(page):
    """Press "submit" and expect the report submitted; if it is not, the failure says what the fields show."""
    page.get_by_role("button", name="Gửi báo cáo lên tỉnh").click()
    try:
        expect(message(page)).to_have_text("Đã gửi báo cáo lên tỉnh.")
    except AssertionError as refused:
        raise AssertionError(f"{refused}\nBeside the fields: {field_errors(page)}") from None


def test_a_report_is_entered_returned_corrected_approved_and_counted_on_the_dashboard(page, live_server, live_demo):
    base = live_server.url

    # Thanh Bình types 2024Q1 with 25 late dossiers at district level instead of 35
    log_in(page, base, "thanhbinh", PASSWORD)
    page.goto(f"{base}{REPORT}")
    expect(page.get_by_test_id("report-status")).to_have_text("chưa nhập")
    type_figures(page, {**GOOD_FIGURES, "district__resolved_late": "25"})
    # The page computes as the officer types: 1.365 / 1.400 = 97,50% on time; 120 + 1.500 = 1.620 to handle
    expect(page.locator('output[data-computed="on_time_rate"][data-level="0"]')).to_have_text("97,50%")
    expect(page.locator('output[data-computed="to_handle"][data-level="0"]')).to_have_text("1.620")
    page.get_by_role("button", name="Lưu nháp").click()

    # The draft is kept as typed; the error sits at the field, in Vietnamese
    resolved = page.locator("input[name=district__resolved]")
    expect(resolved).to_have_class(re.compile(r"\bis-invalid\b"))
    feedback = page.locator("td:has(input[name=district__resolved]) .invalid-feedback")
    expect(feedback).to_have_text(RESOLVED_SPLIT)
    expect(feedback).to_be_visible()
    expect(page.get_by_test_id("report-status")).to_have_text("bản nháp")
    expect(page.locator("input[name=district__resolved_late]")).to_have_value("25")

    # Corrected (35 late) and submitted
    type_and_see_preview(page, {"district__resolved_late": "35"})
    submit(page)
    expect(page.get_by_test_id("report-status")).to_have_text("đã gửi")
    expect(page.locator("input[name=district__resolved_late]")).to_be_disabled()
    log_out(page)

    # The province finds it in the review list and returns it with a comment
    log_in(page, base, "province", PASSWORD)
    page.goto(f"{base}/dossiers/review/")
    row = page.locator("table tbody tr", has_text="Thanh Bình")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Quý I/2024")
    row.get_by_role("link", name="Mở").click()
    expect(page).to_have_url(f"{base}{REPORT}")
    page.locator("textarea[name=comment]").fill(RETURN_COMMENT)
    page.get_by_role("button", name="Trả lại đơn vị").click()
    expect(message(page)).to_have_text("Đã trả lại báo cáo cho đơn vị kèm ý kiến của bạn.")
    expect(page.get_by_test_id("report-status")).to_have_text("bị trả lại")
    log_out(page)

    # Thanh Bình reads the comment in its list and on the report, corrects the commune level and submits again
    log_in(page, base, "thanhbinh", PASSWORD)
    page.goto(f"{base}/dossiers/?year=2024")
    quarter = page.get_by_test_id("my-reports").locator("tr", has_text="Quý I/2024")
    expect(quarter).to_contain_text("bị trả lại")
    expect(quarter).to_contain_text(RETURN_COMMENT)
    quarter.get_by_role("link", name="Mở").click()
    expect(page.get_by_test_id("return-comment")).to_contain_text(RETURN_COMMENT)
    type_and_see_preview(
        page,
        {"commune__resolved_in_time": "1.975", "commune__resolved_late": "5", "commune__apology_letters": "5"},
    )
    submit(page)
    expect(page.get_by_test_id("report-status")).to_have_text("đã gửi")
    log_out(page)

    # The province approves it
    log_in(page, base, "province", PASSWORD)
    page.goto(f"{base}{REPORT}")
    page.get_by_role("button", name="Duyệt", exact=True).click()
    expect(message(page)).to_have_text("Đã duyệt báo cáo.")
    expect(page.get_by_test_id("report-status")).to_have_text("đã duyệt")
    expect(page.get_by_test_id("events")).to_contain_text("bị trả lại → đã gửi")

    # The dashboard counts it: on time (1.365 + 1.975) / (1.400 + 1.980) = 3.340 / 3.380 = 98,82%
    page.goto(f"{base}/?province=87&period=2024Q1")
    page.wait_for_load_state("networkidle")
    thanh_binh = page.locator("table.dashboard-table tbody tr", has_text="Thanh Bình")
    expect(thanh_binh).to_contain_text("98,82%")
    expect(thanh_binh).to_contain_text("3.340 / 3.380")
    expect(thanh_binh).not_to_contain_text("chưa duyệt")
