"""What the browser tests share: logging in and out of the demo site (its users' password is the demo's)."""

import re

from playwright.sync_api import expect

PASSWORD = "demo12345"


def log_in(page, base_url, username, password=PASSWORD):
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    # The dashboard loads its charts after the page: let them finish before the test moves on.
    page.wait_for_load_state("networkidle")


def log_out(page):
    page.wait_for_load_state("networkidle")
    page.locator("form[action='/accounts/logout/'] button").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
