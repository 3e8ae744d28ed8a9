"""Targets in a real browser: provincial staff set a target, see the band change on the dashboard, and download
the inspection brief of Thanh Bình 2021 as a PDF whose text is read back."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from inspections.models import Recommendation
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_province_sets_a_target_sees_the_band_change_and_downloads_the_brief(page, live_server, live_demo):
    base = live_server.url
    log_in(page, base, "province")

    # A target of 100 % on time for Đồng Tháp in 2021.
    page.goto(f"{base}/targets/new/")
    page.locator("select[name=indicator]").select_option("on_time_rate")
    page.locator("input[name=year]").fill("2021")
    page.locator("select[name=unit]").select_option(label="Tỉnh Đồng Tháp (87)")
    page.locator("input[name=value]").fill("100")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("[data-testid=targets]")).to_contain_text("≥ 100,00%")

    # The province's 2021: 86.041 of 86.048 on time = 99,99 %, 0,01 short of 100: "gần đạt".
    page.goto(f"{base}/?province=87&period=2021")
    expect(page.locator("[data-testid=card-on-time]")).to_have_text("99,99%")
    expect(page.locator("[data-testid=card-on-time-target]")).to_contain_text("≥ 100,00%")
    expect(page.locator("[data-testid=card-on-time-target] [data-band]")).to_have_text("Gần đạt")

    # Lowered to 99,99 %: exactly at the target, "đạt".
    page.goto(f"{base}/targets/?year=2021")
    page.locator("[data-testid=targets] a", has_text="Sửa").first.click()
    page.locator("input[name=value]").fill("99,99")
    page.locator("main form button[type=submit]").first.click()
    page.goto(f"{base}/?province=87&period=2021")
    expect(page.locator("[data-testid=card-on-time-target] [data-band]")).to_have_text("Đạt")

    # Thanh Bình's page, its brief for 2021, and the PDF.
    page.goto(f"{base}/districts/874/?year=2021")
    page.locator("[data-testid=brief-link]").click()
    expect(page.locator("h1")).to_contain_text("Huyện Thanh Bình")
    with page.expect_download() as download_info:
        page.locator("[data-testid=brief-pdf]").click()
    content = download_info.value.path().read_bytes()
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Huyện Thanh Bình" in text
    assert "Năm 2021" in text
    assert "51,43%" in text  # 18 of 35 plan tasks
    texts = list(
        Recommendation.objects.filter(unit__code="874", session__starts_on__year=2021).values_list("text", flat=True)
    )
    assert len(texts) == 6
    for recommendation in texts:
        assert " ".join(recommendation.split()) in text
