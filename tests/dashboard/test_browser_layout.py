"""The dashboard's layout in a real browser at 1366 × 768 (an office laptop) and 390 × 844 (a phone), on the demo
with its simulated province: the navbar holds one row, headers wrap to at most three lines, the province's name
shows whole in its select, the unit column stays in view while a wide table scrolls under a hint, and the
columns' definitions open from the keyboard or a tap (issue 13)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo12345"
SIMULATED_2024 = "/?province=98&period=2024"
# The width the selected option's text needs, and the width the select gives it (its padding and arrow left out).
SELECT_FITS = """s => {
  const style = getComputedStyle(s);
  const context = document.createElement("canvas").getContext("2d");
  context.font = style.font;
  const needed = context.measureText(s.options[s.selectedIndex].text).width;
  return [needed, s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)];
}"""
HEADER_LINES = """table => Array.from(table.tHead.rows[0].cells, th => {
  const style = getComputedStyle(th);
  const height = th.getBoundingClientRect().height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  return [th.textContent.trim(), Math.round(height / parseFloat(style.lineHeight))];
})"""


@pytest.fixture
def demo(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher", *settings.PASSWORD_HASHERS]
    call_command("load_demo", "--simulated", verbosity=0)
    # A long name, as some officers have: the navbar must still hold one row.
    get_user_model().objects.filter(username="province").update(
        first_name="Nguyễn Thị Phương Thảo", last_name="Hoàng Lê Minh Khuê"
    )


def log_in(page, base_url, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=username]").fill("province")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_at_1366_px_the_navbar_is_one_row_and_headers_wrap_to_three_lines_at_most(page, live_server, demo):
    log_in(page, live_server.url, 1366, 768)
    page.goto(live_server.url + SIMULATED_2024)
    page.wait_for_load_state("networkidle")

    # Every item of the bar (menus, inbox, name, languages, log out) on one row, a single line each.
    items = page.locator(".site-navbar .navbar-nav > .nav-item > .nav-link, .site-navbar .user-name, .site-navbar form")
    tops = {round(box["y"] + box["height"] / 2) for box in (item.bounding_box() for item in items.all())}
    assert max(tops) - min(tops) <= 8, tops
    assert page.locator(".site-navbar").bounding_box()["height"] < 70
    # The headers wrap to three lines at most, and all the columns fit without scrolling sideways.
    table = page.locator("table.dashboard-table")
    lines = table.evaluate(HEADER_LINES)
    assert len(lines) >= 15
    assert max(count for _header, count in lines) <= 3, lines
    box = page.locator(".table-responsive").first
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth + 1")
    expect(page.locator(".scroll-hint")).to_be_hidden()
    needed, given = page.locator("#id_province").evaluate(SELECT_FITS)
    assert needed <= given, (needed, given)


def test_at_390_px_the_unit_column_stays_in_view_under_a_scroll_hint(page, live_server, demo):
    log_in(page, live_server.url, 390, 844)
    page.goto(live_server.url + SIMULATED_2024)
    page.wait_for_load_state("networkidle")

    hint = page.locator(".scroll-hint").first
    expect(hint).to_be_visible()
    expect(hint).to_have_text("Bảng rộng hơn màn hình: vuốt hoặc cuộn ngang để xem thêm cột →")
    box = page.locator(".table-responsive").first
    # The scroll box is named by the hint and takes the focus, so that the arrow keys scroll it.
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("aria-labelledby") == hint.get_attribute("id")
    unit = page.locator("table.dashboard-table tbody tr").first.locator("td").first
    received = page.locator("table.dashboard-table tbody tr").first.locator("td").nth(3)
    unit_before, received_before = unit.bounding_box()["x"], received.bounding_box()["x"]
    box.evaluate("b => { b.scrollLeft = 400; }")
    page.wait_for_timeout(100)
    assert unit.bounding_box()["x"] == pytest.approx(unit_before, abs=1)
    assert received.bounding_box()["x"] < received_before - 300
    # The province's whole name shows in its select.
    needed, given = page.locator("#id_province").evaluate(SELECT_FITS)
    assert needed <= given, (needed, given)


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_the_columns_definitions_open_from_the_keyboard_or_a_tap(page, live_server, demo, width, height):
    log_in(page, live_server.url, width, height)
    page.goto(live_server.url + SIMULATED_2024)
    page.wait_for_load_state("networkidle")
    definition = page.get_by_text("Số hồ sơ giải quyết trước hạn và đúng hạn trên tổng số hồ sơ đã giải quyết.")
    expect(definition).to_be_hidden()

    summary = page.get_by_test_id("column-definitions").locator("summary")
    if width > 1000:
        summary.focus()
        page.keyboard.press("Enter")
    else:
        summary.click()  # a tap

    expect(definition).to_be_visible()
    expect(page.get_by_test_id("column-definitions").locator("dt", has_text="Đúng hạn")).to_be_visible()
