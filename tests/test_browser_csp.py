"""No page breaks the Content-Security-Policy: the browser reports every blocked script, style or image in its
console, and these pages — the dashboard with its charts, the report form, the admin — must show none.
"""

import pytest
from playwright.sync_api import expect

from tests.browser import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def violations(page):
    """What the browser's console says about the policy, gathered from every page the test opens."""
    found = []
    page.on(
        "console",
        lambda message: found.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return found


@pytest.fixture
def not_found(page):
    """Every resource of the pages the test opens that the server refused, as the console reports it (the icon
    included: a browser asks for /favicon.ico of a page that names none, and the page's own events miss it)."""
    found = []
    page.on(
        "console", lambda message: found.append(message.text) if "Failed to load resource" in message.text else None
    )
    return found


def visit(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")


def test_the_dashboard_and_the_report_form_break_no_policy(page, live_server, live_demo, violations, not_found):
    log_in(page, live_server.url, "thanhbinh", PASSWORD)

    visit(page, f"{live_server.url}/?province=87&period=2021")
    # The charts drew: Chart.js runs under the policy.
    expect(page.locator("canvas").first).to_be_visible()
    visit(page, f"{live_server.url}/dossiers/874/2024Q1/")
    expect(page.locator("form input[type=text], form input[type=number]").first).to_be_visible()
    # The other pages with scripts or colours of their own: targets and bands, comparison, inbox, PAR index.
    for url in ["/districts/874/", "/targets/", "/compare/", "/inbox/", "/par-index/"]:
        visit(page, f"{live_server.url}{url}")
        expect(page.locator("main")).to_be_visible()

    assert violations == []
    assert not_found == []


def test_the_admin_breaks_no_policy(page, live_server, live_demo, violations, not_found):
    log_in(page, live_server.url, "admin", PASSWORD)

    for url in [
        "/admin/",
        "/admin/dossiers/quarterlyreport/",
        "/admin/dossiers/quarterlyreport/add/",
        "/admin/inspections/inspectionsession/add/",
        "/admin/cchc/user/",
        "/admin/axes/accessattempt/",
    ]:
        visit(page, f"{live_server.url}{url}")
        expect(page.locator("#content")).to_be_visible()

    assert violations == []
    assert not_found == []


def test_a_violation_would_be_seen(page, live_server, live_demo, violations):
    # The listener itself works: an inline script, which the policy forbids, is reported.
    log_in(page, live_server.url, "thanhbinh", PASSWORD)
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = '1'; document.body.append(s); }")
    page.wait_for_timeout(200)

    assert any("inline" in text for text in violations)
