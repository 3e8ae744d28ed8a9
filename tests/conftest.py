"""Test-wide setup: the cast every test may call on (units, users, the demo), the browser the Playwright tests
launch, and the markers.

The cast: Đồng Tháp (87) with Thanh Bình (874), its commune Tân Thạnh (29620), Lấp Vò (875) and Cao Lãnh
district (873); provincial staff (``province``), the inspection team (``inspector``), the district officer of
Thanh Bình (``thanhbinh``) and of Lấp Vò (``lapvo``); and code 82 held twice across the 2025 reform (``both_82``:
Tiền Giang until 30/06/2025, the new Đồng Tháp since). The units of 87 never close, unless a folder or module whose
tests need the world as it was before the 2025 reform (the imports, the units' own tests) overrides
``units_close_on``; a test folder whose tests need another world overrides a fixture in its own conftest.py.
"""

import os
import time
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from cchc.lib.roles import DISTRICT_OFFICER, INSPECTION_TEAM, PROVINCIAL_STAFF
from districts.models import Unit, UnitKind
from dossiers.models import LevelFigures, QuarterlyReport, ReportEvent
from tests.factories import logged_in, make_commune, make_district, make_province, make_user

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
    config.addinivalue_line("markers", "slow: takes minutes (a 10,000-row file); -m 'not slow' leaves it out")
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
def page(page, request):
    """Playwright's page, left only once the browser has no request under way.

    The dashboard's charts load after the page; a request still being served when the test ends would hold
    the test database while pytest-django empties it. What the browser did besides (scripts and their requests,
    console errors, refused or failed requests) is kept and shown with a failure: a page that did not update
    then says whether its script ran and what the server answered.
    """
    # A loaded machine (two cores, a live server, a browser) is slower than Playwright's 5 s defaults assume.
    page.set_default_timeout(30_000)
    log = request.node.browser_log = []
    watched = ("script", "fetch", "xhr")

    def note(text):
        log.append(f"{time.monotonic():.3f} {text}")

    page.on("console", lambda message: note(f"console {message.type}: {message.text}"))
    page.on("request", lambda sent: note(f"sent {sent.method} {sent.url}") if sent.resource_type in watched else None)
    page.on(
        "response",
        lambda answer: (
            note(f"answered {answer.status} {answer.url}")
            if answer.status >= 400 or answer.request.resource_type in watched
            else None
        ),
    )
    page.on("requestfailed", lambda failed: note(f"failed {failed.url}: {failed.failure}"))
    yield page
    page.wait_for_load_state("networkidle")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    log = getattr(item, "browser_log", None)
    if report.failed and log:
        report.sections.append(("What the browser did", "\n".join(log)))
    return report


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a fresh folder per test, never to the checkout's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# --- Units -----------------------------------------------------------------------------------------------------------


@pytest.fixture
def units_close_on():
    """The last day of the cast's units: none, they never close. Overridden with 30 June 2025 where the tests
    need the units that the 2025 reform closed."""
    return None


@pytest.fixture
def dong_thap(db, units_close_on):
    return make_province("87", "Tỉnh Đồng Tháp", valid_until=units_close_on)


@pytest.fixture
def thanh_binh(dong_thap, units_close_on):
    return make_district(dong_thap, "874", "Huyện Thanh Bình", valid_until=units_close_on)


@pytest.fixture
def lap_vo(dong_thap, units_close_on):
    return make_district(dong_thap, "875", "Huyện Lấp Vò", valid_until=units_close_on)


@pytest.fixture
def cao_lanh(dong_thap, units_close_on):
    return make_district(dong_thap, "873", "Huyện Cao Lãnh", valid_until=units_close_on)


@pytest.fixture
def tan_thanh(thanh_binh, units_close_on):
    """A commune of Thanh Bình."""
    return make_commune(thanh_binh, "29620", "Xã Tân Thạnh", valid_until=units_close_on)


@pytest.fixture
def both_82(db):
    """Code 82 held twice (docs/domain.md, §Units): Tiền Giang, with its city Mỹ Tho (815), until 30/06/2025; the
    new Đồng Tháp, with its commune Tân Thạnh (29620), from 01/07/2025. By name: ``tien_giang``, ``my_tho``,
    ``dong_thap``, ``tan_thanh``."""
    tien_giang = make_province("82", "Tỉnh Tiền Giang", valid_until=date(2025, 6, 30))
    my_tho = make_district(
        tien_giang, "815", "Thành phố Mỹ Tho", kind=UnitKind.PROVINCIAL_CITY, valid_until=date(2025, 6, 30)
    )
    dong_thap = make_province("82", "Tỉnh Đồng Tháp", valid_from=date(2025, 7, 1))
    tan_thanh = make_commune(dong_thap, "29620", "Xã Tân Thạnh", valid_from=date(2025, 7, 1))
    return {"tien_giang": tien_giang, "my_tho": my_tho, "dong_thap": dong_thap, "tan_thanh": tan_thanh}


# --- Users (no first or last name, so that pages show the username) ---------------------------------------------------


@pytest.fixture
def staff(dong_thap):
    return make_user(PROVINCIAL_STAFF, dong_thap, username="province")


@pytest.fixture
def inspector(dong_thap):
    return make_user(INSPECTION_TEAM, dong_thap, username="inspector")


@pytest.fixture
def officer(thanh_binh):
    """The district officer of Thanh Bình."""
    return make_user(DISTRICT_OFFICER, thanh_binh, username="thanhbinh")


@pytest.fixture
def lap_vo_officer(lap_vo):
    return make_user(DISTRICT_OFFICER, lap_vo, username="lapvo")


@pytest.fixture
def officer_client(officer):
    """A client of its own logged in as Thanh Bình's officer: a test may hold several people's clients at once."""
    return logged_in(Client(), officer)


@pytest.fixture
def staff_client(staff):
    return logged_in(Client(), staff)


# --- The demo data ----------------------------------------------------------------------------------------------------


@pytest.fixture
def demo(db):
    """The demo data of the five articles (fixtures/demo), with its users."""
    call_command("load_demo", stdout=StringIO())


@pytest.fixture
def demo_staff(demo, client, django_user_model):
    """A client logged in as the demo's provincial staff of Đồng Tháp (87), who see every province."""
    return logged_in(client, django_user_model.objects.get(username="province"))


@pytest.fixture
def demo_officer(demo, client, django_user_model):
    """A client logged in as the demo's district officer of Thanh Bình (874, under Đồng Tháp 87)."""
    return logged_in(client, django_user_model.objects.get(username="thanhbinh"))


@pytest.fixture
def live_demo(transactional_db, settings):
    """The demo data for a browser test against the live server, its users able to log in with their password."""
    # The demo passwords are hashed with the production hasher; keep it allowed beside the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher", *settings.PASSWORD_HASHERS]
    call_command("load_demo", verbosity=0)


# --- The database as an import leaves it ------------------------------------------------------------------------------


def database_dump():
    """Every row of the tables an import may touch, with the history tables: what "unchanged" compares."""
    models = [Unit, QuarterlyReport, LevelFigures, ReportEvent]
    models += [model.history.model for model in (QuarterlyReport, LevelFigures)]
    dump = {}
    for model in models:
        fields = [field.attname for field in model._meta.concrete_fields]
        dump[model._meta.label] = sorted(model.objects.values_list(*fields), key=repr)
    return dump


@pytest.fixture
def unchanged_database():
    """``with unchanged_database():`` fails if the block changes any row an import may touch."""
    from contextlib import contextmanager

    @contextmanager
    def check():
        before = database_dump()
        yield
        after = database_dump()
        assert {label: len(rows) for label, rows in after.items()} == {
            label: len(rows) for label, rows in before.items()
        }
        assert after == before

    return check


# --- Time -------------------------------------------------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    """Set the moment ``timezone.now()`` returns; pages derive "today" from it in Asia/Ho_Chi_Minh."""

    def set_now(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_now


@pytest.fixture
def today(monkeypatch):
    """Call with a date to make it today for the code under test (``timezone.localdate()`` without argument)."""
    real_localdate = timezone.localdate

    def set_today(day):
        def localdate(value=None, timezone=None):
            return day if value is None else real_localdate(value, timezone)

        monkeypatch.setattr("django.utils.timezone.localdate", localdate)
        return day

    return set_today
