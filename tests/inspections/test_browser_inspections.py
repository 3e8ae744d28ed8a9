"""A round followed to closure in a real browser, on the demo data.

``inspector`` records a round over Thanh Bình and Lấp Vò with three recommendations (one already past its
deadline); ``thanhbinh`` answers one with a PDF; ``inspector`` downloads the file and marks it verified. After each
step the follow-up list and the dashboard say so. Thanh Bình starts with the six open recommendations of seed 000,
which have no deadline: they are open, never overdue, never due.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser import log_in, log_out
from tests.factories import MINIMAL_PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expect_counts(page, *, total, open_, overdue, on_time, share):
    expect(page.get_by_test_id("count-total")).to_have_text(str(total))
    expect(page.get_by_test_id("count-open")).to_have_text(str(open_))
    expect(page.get_by_test_id("count-overdue")).to_have_text(str(overdue))
    expect(page.get_by_test_id("count-closed-on-time")).to_have_text(re.compile(rf"^\s*{on_time}\s*$"))
    expect(page.get_by_test_id("share-closed-on-time")).to_have_text(share)


def expect_thanh_binh_on_the_dashboard(page, base_url, *, open_cell, share_cell):
    page.goto(f"{base_url}/?province=87")
    page.wait_for_load_state("networkidle")
    headings = [text.strip() for text in page.locator("table.dashboard-table thead th").all_inner_texts()]
    row = page.locator("table.dashboard-table tbody tr").filter(has=page.locator('a[href^="/districts/874/"]'))
    cells = row.locator("td")
    # As read on screen: the second line (overdue, or the counts) is a block of its own.
    expect(cells.nth(headings.index("Kiến nghị chưa hoàn thành"))).to_have_text(open_cell, use_inner_text=True)
    expect(cells.nth(headings.index("Kiến nghị hoàn thành trong hạn"))).to_have_text(share_cell, use_inner_text=True)


def test_a_round_is_recorded_answered_with_a_file_and_verified(page, live_server, live_demo, media_root):
    base = live_server.url
    today = timezone.localdate()
    past, soon, later = today - timedelta(days=10), today + timedelta(days=30), today + timedelta(days=60)

    # 1. The inspection team records the round, its team and two units.
    log_in(page, base, "inspector")
    page.goto(f"{base}/inspections/sessions/")
    page.get_by_test_id("new-session").click()
    page.locator("#id_title").fill("Kiểm tra CCHC năm 2025")
    page.locator("#id_format").select_option("online")
    page.locator("#id_starts_on").fill("2025-03-10")
    page.locator("#id_ends_on").fill("2025-03-12")
    page.locator("#id_team-0-full_name").fill("Nguyễn Văn A")
    page.locator("#id_team-0-title").fill("Phó Giám đốc Sở Nội vụ")
    page.locator("#id_team-0-is_lead").check()
    page.locator("#id_team-1-full_name").fill("Trần Thị B")
    page.locator("#id_units-0-unit").select_option(label="874 – Huyện Thanh Bình")
    page.locator("#id_units-0-inspected_on").fill("2025-03-10")
    page.locator("#id_units-0-attended_by").fill("Phó Chủ tịch UBND huyện")
    page.locator("#id_units-1-unit").select_option(label="875 – Huyện Lấp Vò")
    page.locator("#id_units-1-inspected_on").fill("2025-03-11")
    page.get_by_test_id("save-session").click()

    expect(page.locator("h1")).to_have_text("Kiểm tra CCHC năm 2025")
    expect(page.get_by_test_id("inspected-unit")).to_have_count(2)
    expect(page.get_by_test_id("team")).to_contain_text("Nguyễn Văn A, Phó Giám đốc Sở Nội vụ")
    session_url = page.url

    # 2. Three recommendations: two to Thanh Bình (one already past its deadline), one to Lấp Vò.
    page.get_by_test_id("add-recommendation").click()
    for unit, text, deadline, last in [
        ("874 – Huyện Thanh Bình", "Rà soát lại quy trình nội bộ giải quyết thủ tục", past, False),
        ("874 – Huyện Thanh Bình", "Ban hành kế hoạch khắc phục tồn tại", soon, False),
        ("875 – Huyện Lấp Vò", "Niêm yết công khai thủ tục tại bộ phận một cửa", later, True),
    ]:
        page.locator("#id_unit").select_option(label=unit)
        page.locator("#id_text").fill(text)
        page.locator("#id_area").select_option("procedures")
        page.locator("#id_deadline").fill(deadline.isoformat())
        page.locator("button[name=_save]" if last else "button[name=_addanother]").click()
    expect(page).to_have_url(session_url)
    expect(page.get_by_test_id("session-recommendations").locator("tbody tr")).to_have_count(3)

    # The list, for this round: three open, one overdue; due only the overdue one, none on time.
    page.get_by_role("link", name="Theo dõi trong danh sách").click()
    expect_counts(page, total=3, open_=3, overdue=1, on_time="0 / 1", share="0,00%")
    # The dashboard: Thanh Bình's six demo recommendations and its two new ones are open, one overdue.
    expect_thanh_binh_on_the_dashboard(page, base, open_cell="8 1 quá hạn", share_cell="0,00% 0 / 1")
    log_out(page)

    # 3. Thanh Bình sees only its own recommendations and answers one with a PDF.
    log_in(page, base, "thanhbinh")
    page.goto(f"{base}/inspections/recommendations/")
    expect(page.get_by_test_id("recommendations-table").locator("tbody tr")).to_have_count(8)
    expect(page.get_by_test_id("recommendations-table")).not_to_contain_text("Niêm yết công khai")
    page.get_by_role("link", name="Ban hành kế hoạch khắc phục tồn tại").click()
    page.get_by_test_id("answer").click()
    page.locator("#id_status").select_option("done")
    expect(page.locator("#id_closed_on")).to_have_value(today.strftime("%d/%m/%Y"))  # dates show as dd/mm/yyyy
    page.locator("#id_response").fill("Huyện đã ban hành Kế hoạch số 45/KH-UBND khắc phục các tồn tại.")
    page.locator("#id_evidence_file").set_input_files(
        files=[{"name": "ke-hoach-45.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}]
    )
    page.get_by_role("button", name="Lưu trả lời").click()

    expect(page.get_by_test_id("status")).to_contain_text("Hoàn thành")
    expect(page.get_by_test_id("evidence-file")).to_have_text("ke-hoach-45.pdf")
    page.goto(f"{base}/inspections/recommendations/")
    # Seven open, one overdue; one on time of the two due → 50,00 %.
    expect_counts(page, total=8, open_=7, overdue=1, on_time="1 / 2", share="50,00%")
    expect_thanh_binh_on_the_dashboard(page, base, open_cell="7 1 quá hạn", share_cell="50,00% 1 / 2")
    log_out(page)

    # 4. The team downloads the file and verifies the recommendation.
    log_in(page, base, "inspector")
    page.goto(f"{base}/inspections/recommendations/?status=done")
    page.get_by_role("link", name="Ban hành kế hoạch khắc phục tồn tại").click()
    with page.expect_download() as download:
        page.get_by_test_id("evidence-file").click()
    assert download.value.suggested_filename == "ke-hoach-45.pdf"
    with open(download.value.path(), "rb") as downloaded:
        assert downloaded.read() == MINIMAL_PDF
    page.get_by_test_id("verify").click()

    expect(page.get_by_test_id("status")).to_contain_text("Đoàn đã xác nhận")
    expect(page.get_by_test_id("history")).to_contain_text("Cán bộ huyện Thanh Bình")
    page.goto(f"{base}/inspections/recommendations/?status=verified")
    expect(page.get_by_test_id("recommendations-table").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("recommendations-table")).to_contain_text("Ban hành kế hoạch khắc phục tồn tại")
    expect_counts(page, total=1, open_=0, overdue=0, on_time="1 / 1", share="100,00%")
    # Verified is still closed on time: the dashboard keeps its counts.
    expect_thanh_binh_on_the_dashboard(page, base, open_cell="7 1 quá hạn", share_cell="50,00% 1 / 2")
    assert len(list(media_root.rglob("*.pdf"))) == 1
