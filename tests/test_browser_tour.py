"""A tour of the site in a real browser, as each demo role: every page of the menu opens without a server
error, has no serious or critical accessibility violation (axe-core, through axe-playwright-python), shows no
English on a Vietnamese page, and holds no link that answers 403 or 404 to that role."""

import re
from urllib.parse import urljoin, urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["admin", "province", "thanhbinh", "inspector"]
# Words that are English and never Vietnamese, as whole words in what the page shows (not in its markup).
ENGLISH = [
    "Dashboard",
    "Reports",
    "Report",
    "Save",
    "Submit",
    "Show",
    "Filter",
    "Download",
    "Previous",
    "Next",
    "Loading",
    "No data",
    "Inbox",
    "Inspections",
    "Recommendations",
    "Targets",
    "Log out",
    "Import",
    "Search",
    "Total",
    "Unit",
    "Status",
    "Period",
    "Province",
    "Deadline",
    "Open",
    "None",
    "True",
    "False",
]
SEVERE = {"serious", "critical"}
# Pages beyond the menu that every role may open: the unit page, a report, the reform plan editor.
FURTHER_PAGES = ["/districts/874/", "/dossiers/874/2021Q3/", "/districts/874/plan/2021/"]


def menu_links(page, base_url):
    hrefs = page.eval_on_selector_all("nav a[href]", "links => links.map(a => a.getAttribute('href'))")
    return sorted({urljoin(base_url, href) for href in hrefs if href and href.startswith("/") and href != "#"})


def page_links(page, base_url):
    hrefs = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.getAttribute('href'))")
    links = set()
    for href in hrefs:
        if not href or href.startswith(("#", "mailto:", "javascript:")):
            continue
        url = urljoin(page.url, href)
        if urlparse(url).netloc != urlparse(base_url).netloc or "_export=" in url or "/static/" in url:
            continue
        links.add(url)
    return sorted(links)


def english_words(page):
    text = page.locator("body").inner_text()
    return sorted({word for word in ENGLISH if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)})


def severe_violations(page):
    results = Axe().run(page)
    return [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results.response["violations"]
        if violation["impact"] in SEVERE
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_page_opens_is_accessible_vietnamese_and_links_only_where_the_role_may_go(
    page, live_server, live_demo, role
):
    base = live_server.url
    log_in(page, base, role)
    problems = []
    checked = set()
    for url in menu_links(page, base) + [base + path for path in FURTHER_PAGES]:
        if "/admin/" in url:
            # The admin is Django's own (tests/test_admin_vietnamese.py walks it); opening it is enough here.
            response = page.goto(url)
            assert response.status < 400, url
            continue
        response = page.goto(url)
        page.wait_for_load_state("networkidle")
        if response.status >= 500:
            problems.append((url, "server error"))
            continue
        if words := english_words(page):
            problems.append((url, "English", words))
        if violations := severe_violations(page):
            problems.append((url, "axe", violations))
        for link in page_links(page, base):
            if link in checked:
                continue
            checked.add(link)
            status = page.request.get(link, max_redirects=0).status
            if status in (403, 404) or status >= 500:
                problems.append((url, "link", link, status))

    assert not problems, "\n".join(map(repr, problems))
