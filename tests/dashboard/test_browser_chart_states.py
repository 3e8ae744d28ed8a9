"""The dashboard's charts in a real browser: a chart with no figures says so in words instead of drawing empty
axes; one with figures is drawn and its status line goes away."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_charts_without_figures_say_so_and_charts_with_figures_are_drawn(page, live_server, live_demo):
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=username]").fill("province")
    page.locator("input[name=password]").fill("demo12345")
    page.locator("main form button[type=submit]").click()

    # Sơn La (14) reported only in 2018H1: the on-time chart of 2019Q1 has nothing (the trend's eight quarters
    # still reach back to 2018 and are drawn)
    page.goto(f"{base}/?province=14&period=2019Q1")
    expect(page.locator("canvas[data-chart-url]").first).to_have_attribute("data-drawn", "empty")
    expect(page.locator(".chart-status").first).to_contain_text("không có số liệu cho lựa chọn này")

    # Đồng Tháp 2021: seed 000's Thanh Bình figures
    page.goto(f"{base}/?province=87&period=2021")
    expect(page.locator("canvas[data-chart-url]").first).to_have_attribute("data-drawn", "true")
    expect(page.locator(".chart-status").first).to_be_hidden()
    # The table read aloud beside the on-time chart writes the rate as the server wrote it (86.041 / 86.048 →
    # 99,99%): the script neither rounds nor formats a figure.
    expect(page.locator(".chart-fallback table").first).to_contain_text("99,99%")
