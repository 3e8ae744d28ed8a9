"""The demo site in a real browser: logging in, failing to, and reaching the admin site."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_anonymous_visitor_is_sent_to_the_login_page(page, live_server, live_demo):
    page.goto(f"{live_server.url}/")

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


# Vietnamese is the site's language until the user chooses English: most office browsers ask for English.
@pytest.mark.browser_context_args(locale="en-US")
def test_the_login_page_is_in_vietnamese_even_for_an_english_browser(page, live_server, live_demo):
    page.goto(f"{live_server.url}/accounts/login/")

    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()


@pytest.mark.browser_context_args(locale="vi-VN")
def test_the_login_page_is_in_vietnamese_for_a_vietnamese_browser(page, live_server, live_demo):
    page.goto(f"{live_server.url}/accounts/login/")

    expect(page.locator("html")).to_have_attribute("lang", "vi")


def test_a_wrong_password_shows_an_error_and_does_not_log_in(page, live_server, live_demo):
    log_in(page, live_server.url, "province", "not-the-password")

    expect(page.locator(".alert-danger")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_provincial_staff_log_in_and_open_the_admin_site(page, live_server, live_demo):
    log_in(page, live_server.url, "province", PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("h1")).to_contain_text("Tỉnh Đồng Tháp")

    page.goto(f"{live_server.url}/admin/")
    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.locator("#content-main")).to_be_visible()
    expect(page.locator("#site-name")).to_be_visible()


def test_a_logged_in_user_switches_the_language(page, live_server, live_demo):
    log_in(page, live_server.url, "thanhbinh", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")

    page.locator("button[name=language][value=vi]").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.locator("button[name=language][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server.url}/")


def test_logging_out_returns_to_the_login_page(page, live_server, live_demo):
    log_in(page, live_server.url, "inspector", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")

    page.locator("form[action='/accounts/logout/'] button").click()

    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
