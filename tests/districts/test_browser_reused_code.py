"""Across the 2025 reform in a real browser: the administrator imports a small official list in which Tiền
Giang holds code 82 until 30/06/2025 (the demo's new Đồng Tháp holds it from 01/07/2025); provincial staff then
open the dashboard of province 82 for 2024Q4 and for 2025Q4 and see two different provinces' units."""

import pytest
from playwright.sync_api import expect

from districts.models import Unit
from tests.browser import log_in
from tests.files import csv_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICIAL_LIST = [
    ["code", "name", "kind", "parent_code", "valid_from", "valid_until", "successor_codes"],
    ["82", "Tỉnh Tiền Giang", "tỉnh", "", "", "30/06/2025", "82"],
    ["815", "Thành phố Mỹ Tho", "thành phố", "82", "", "30/06/2025", "82"],
    ["82", "Tỉnh Đồng Tháp", "tỉnh", "", "01/07/2025", "", ""],
    ["28249", "Phường Đạo Thạnh", "phường", "82", "01/07/2025", "", ""],
]


def test_province_82_shows_tien_giang_in_2024_and_the_new_dong_thap_in_2025(page, live_server, live_demo, tmp_path):
    path = tmp_path / "danh-muc-don-vi.csv"
    path.write_bytes(csv_bytes(OFFICIAL_LIST, bom=True))

    log_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/imports/")
    upload = page.get_by_test_id("unit-upload")
    upload.locator("input[type=file]").set_input_files(path)
    upload.get_by_role("button", name="Kiểm tra tệp").click()
    preview = page.get_by_test_id("preview")
    # Three new units; the row of the new Đồng Tháp is the demo's own unit, unchanged.
    expect(preview.locator("tbody tr")).to_have_count(4)
    expect(preview).to_contain_text("82 – Tỉnh Tiền Giang")
    page.get_by_test_id("confirm").click()
    page.wait_for_load_state("networkidle")
    assert Unit.objects.filter(code="82").count() == 2

    page.context.clear_cookies()
    log_in(page, live_server.url, "province")
    page.goto(f"{live_server.url}/?province=82&period=2024Q4")
    table = page.locator("table.dashboard-table tbody")
    expect(table).to_contain_text("Thành phố Mỹ Tho")
    expect(table).not_to_contain_text("Phường Đạo Thạnh")
    expect(page.locator("select[name=province] option:checked")).to_have_text("Tỉnh Tiền Giang (82, đến 30/06/2025)")

    page.locator("select[name=period]").select_option("2025Q4")
    page.get_by_role("button", name="Xem", exact=True).click()
    page.wait_for_load_state("networkidle")
    expect(table).to_contain_text("Phường Đạo Thạnh")
    expect(table).not_to_contain_text("Thành phố Mỹ Tho")
    expect(page.locator("select[name=province] option:checked")).to_have_text("Tỉnh Đồng Tháp (82)")
