"""The import in a real browser: provincial staff download the template of Đồng Tháp (87) for 2024Q1, fill two
districts, upload it, check the preview, confirm, and find the two districts' rates on the dashboard.

Thanh Bình (874): 970 in time of 980 resolved → 98,98 %; 400 online of 1.000 received → 40,00 %.
Cao Lãnh district (873): 16.150 in time of 17.000 resolved → 95,00 %; 8.900 online of 17.800 → 50,00 %.
"""

import openpyxl
import pytest
from django.utils import translation
from playwright.sync_api import expect

from dossiers.imports import COLUMNS
from tests.browser import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIGURES = {
    "874": {
        "district_level_carried_over": 100,
        "district_level_received": "1.000",
        "district_level_received_online": 400,
        "district_level_resolved": 980,
        "district_level_resolved_in_time": 970,
        "district_level_resolved_late": 10,
        "district_level_pending": 120,
        "district_level_apology_letters": 10,
    },
    "873": {
        "district_level_carried_over": 0,
        "district_level_received": 17800,
        "district_level_received_online": "8.900",
        "district_level_resolved": 17000,
        "district_level_resolved_in_time": 16150,
        "district_level_resolved_late": 850,
        "district_level_pending": 800,
        "district_level_apology_letters": 850,
    },
}


def fill(path):
    """Write FIGURES into the rows of the template's units, as an officer would in Excel."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    # The template's columns are the importer's, in order (its second row holds notes in Vietnamese, not codes).
    codes = [column.code for column in COLUMNS]
    with translation.override("vi"):
        assert [cell.value for cell in sheet[1]] == [str(column.title) for column in COLUMNS]
    for row in sheet.iter_rows(min_row=3):
        for code, value in FIGURES.get(row[0].value, {}).items():
            row[codes.index(code)].value = value
    workbook.save(path)


def test_staff_import_two_districts_from_the_template_and_see_their_rates(page, live_server, live_demo, tmp_path):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill("province")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")

    page.get_by_test_id("menu-reports").click()  # the "Báo cáo" menu holds reports, import and targets
    page.get_by_role("link", name="Nhập số liệu").click()
    form = page.get_by_test_id("template-form")
    form.locator("select[name=province]").select_option("87")
    form.locator("select[name=quarter]").select_option("2024Q1")
    with page.expect_download() as download:
        form.get_by_role("button").click()
    assert download.value.suggested_filename == "cchc-87-2024Q1.xlsx"
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    fill(path)

    upload = page.get_by_test_id("report-upload")
    upload.locator("input[type=file]").set_input_files(path)
    upload.get_by_label("Duyệt các báo cáo được nhập").check()
    upload.get_by_role("button", name="Kiểm tra tệp").click()

    preview = page.get_by_test_id("preview")
    expect(preview.locator("tbody tr")).to_have_count(2)
    expect(preview).to_contain_text("874 – Huyện Thanh Bình · 2024Q1")
    expect(preview).to_contain_text("Tiếp nhận mới – cấp huyện: — → 17.800")
    expect(preview.locator("tbody")).to_contain_text("báo cáo mới")
    page.get_by_test_id("confirm").click()
    page.wait_for_load_state("networkidle")

    expect(page).to_have_url(f"{live_server.url}/?province=87&period=2024Q1")
    expect(page.locator(".alert-success")).to_contain_text("2 mới")
    thanh_binh = page.locator("table.dashboard-table tbody tr", has=page.locator("a[href^='/districts/874/']"))
    cao_lanh = page.locator("table.dashboard-table tbody tr", has=page.locator("a[href^='/districts/873/']"))
    expect(thanh_binh).to_contain_text("98,98%")
    expect(thanh_binh).to_contain_text("970 / 980")
    expect(thanh_binh).to_contain_text("40,00%")
    expect(cao_lanh).to_contain_text("95,00%")
    expect(cao_lanh).to_contain_text("16.150 / 17.000")
    expect(cao_lanh).to_contain_text("50,00%")
