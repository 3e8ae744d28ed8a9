"""The dashboard in a real browser, as provincial staff use it on the demo data: choose a period, sort, filter,
see the three charts drawn and download the table as .xlsx.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import log_in
from tests.spreadsheets import table_cells

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def body_rows(page):
    return page.locator("table.dashboard-table tbody tr")


def submit_choices(page):
    page.locator("#dashboard-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_provincial_staff_choose_a_period_sort_filter_see_the_charts_and_download_the_table(
    page, live_server, live_demo
):
    log_in(page, live_server.url, "province")
    expect(page).to_have_url(f"{live_server.url}/")
    # The dashboard opens on Đồng Tháp's latest reported quarter
    expect(page.locator("h1")).to_contain_text("Quý III/2021")

    # Choose the whole year 2021
    page.locator("select[name=period]").select_option("2021")
    submit_choices(page)
    expect(page).to_have_url(re.compile(r"[?&]period=2021(&|$)"))
    expect(page.locator("h1")).to_contain_text("Năm 2021")
    expect(body_rows(page)).to_have_count(12)
    # Without a sort the rows follow the codes: Cao Lãnh city (866) first
    expect(body_rows(page).first).to_contain_text("Thành phố Cao Lãnh")

    # Sort by the on-time rate: Thanh Bình, the only one with a value, comes first; blanks go last
    page.locator("table.dashboard-table thead th a", has_text="Đúng hạn").click()
    page.wait_for_load_state("networkidle")
    expect(page).to_have_url(re.compile(r"sort=on_time_rate"))
    expect(body_rows(page).first).to_contain_text("Huyện Thanh Bình")
    # 86.041 / 86.048 → 99,99 %, not 100,00 %
    expect(body_rows(page).first).to_contain_text("99,99%")
    expect(body_rows(page).first).to_contain_text("86.041 / 86.048")

    # Keep only the districts (not the three provincial cities)
    page.locator("select[name=kind]").select_option("district")
    submit_choices(page)
    expect(body_rows(page)).to_have_count(9)
    expect(page.locator("table.dashboard-table tbody")).not_to_contain_text("Thành phố")

    # Keep only the units below 100 % on time: Thanh Bình's 99,99 % is below, the others have no value
    page.locator("select[name=indicator]").select_option("on_time_rate")
    page.locator("input[name=below]").fill("100")
    submit_choices(page)
    expect(body_rows(page)).to_have_count(1)
    expect(body_rows(page).first).to_contain_text("Huyện Thanh Bình")

    # The three charts are drawn from their JSON (charts.js marks each canvas)
    # (a chart whose JSON has no figure says so: marked "empty" rather than drawn)
    expect(page.locator("canvas[data-drawn=true], canvas[data-drawn=empty]")).to_have_count(3)
    expect(page.locator("canvas[data-drawn=failed]")).to_have_count(0)

    # Download what is shown as .xlsx
    with page.expect_download() as download_info:
        page.locator("[data-testid=export-xlsx]").click()
    download = download_info.value
    assert download.suggested_filename == "cchc-87-2021.xlsx"
    rows = [[cell.value for cell in row] for row in table_cells(download.path().read_bytes())]
    headings = rows[0]
    thanh_binh = next(row for row in rows[1:] if row[headings.index("Mã")] == "874")
    # 86.041 / 86.048 → 99,99 %, as a fraction Excel shows with its % format
    assert thanh_binh[headings.index("Đúng hạn")] == pytest.approx(0.9999)
    # Only what the filters kept: Thanh Bình and the total
    assert [row[headings.index("Đơn vị")] for row in rows[1:]] == ["Huyện Thanh Bình", "Tổng cộng"]
    page.wait_for_load_state("networkidle")


def test_an_invalid_period_typed_in_the_address_shows_its_error_beside_the_field(page, live_server, live_demo):
    log_in(page, live_server.url, "province")

    page.goto(f"{live_server.url}/?period=2023Q5")
    page.wait_for_load_state("networkidle")

    error = page.locator(".invalid-feedback")
    expect(error).to_have_count(1)
    expect(error).to_contain_text("“2023Q5” không phải mã kỳ báo cáo")
    expect(page.locator("select[name=period]")).to_have_class(re.compile(r"\bis-invalid\b"))
    # The page still shows the latest period, with its charts
    expect(page.locator("h1")).to_contain_text("Quý III/2021")
    # (a chart whose JSON has no figure says so: marked "empty" rather than drawn)
    expect(page.locator("canvas[data-drawn=true], canvas[data-drawn=empty]")).to_have_count(3)
