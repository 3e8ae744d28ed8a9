"""Test-wide setup: the browser the Playwright tests launch, and the markers."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in the test thread; Django would refuse ORM calls from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DEBIAN_CHROMIUM = "/usr/bin/chromium"
# Keep the browser from reaching out to Google's services: the test machines have no network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


expect.set_options(timeout=15_000)


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives a real browser through Playwright (slower)")
    # WhiteNoise looks for STATIC_ROOT, which exists only after collectstatic; the tests serve static files
    # from the finders instead.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium (Playwright cannot download its own here) unless CHROMIUM_PATH says otherwise.

    ``make test`` sets CHROMIUM_PATH, empty when it installed Playwright's own browser instead.
    """
    path = os.environ.get("CHROMIUM_PATH")
    if path is None:
        path = DEBIAN_CHROMIUM if Path(DEBIAN_CHROMIUM).exists() else ""
    launch_args = {**browser_type_launch_args, "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS]}
    if path:
        launch_args["executable_path"] = path
    return launch_args


@pytest.fixture
def page(page):
    """Playwright's page, left only once the browser has no request under way.

    The dashboard's charts load after the page; a request still being served when the test ends would hold
    the test database while pytest-django empties it.
    """
    # A loaded machine (two cores, a live server, a browser) is slower than Playwright's 5 s defaults assume.
    page.set_default_timeout(30_000)
    yield page
    page.wait_for_load_state("networkidle")
