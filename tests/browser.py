"""What the browser tests share: logging in and out of the demo site (its users' password is the demo's), and
typing into a form."""

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


def type_figures(page, figures):
    """Type each text into the input of that name, as an officer would, and make sure the input holds it.

    Twice in CI on PostgreSQL, under load, a report submitted right after typing was refused for figures the
    test had not typed; the server refused what it was sent. Reading each input back after typing shows at
    once whether the browser kept what was typed, and a figure lost on the way is typed again, once: the
    browser's keystrokes are not what these tests check, the server's answer to the figures is.
    """
    for name, text in figures.items():
        field = page.locator(f"input[name={name}]")
        field.fill(text)
        if field.input_value() != text:
            field.fill(text)
        expect(field).to_have_value(text)


def field_errors(page):
    """The error texts shown beside the fields: for a failure's message."""
    return page.locator(".invalid-feedback").all_inner_texts()
