"""``make soak``: the site under gunicorn for a while, read and written as the four roles at once (issue 11).

In a throw-away database (``test_<name>``, created and dropped here, as ``make bench`` does) it generates the
simulated country of ``cchc/simulation.py``, gives each role an account — provincial staff, a district officer,
the inspection team, an administrator — and starts gunicorn on 127.0.0.1. ``--clients`` threads then send, each
as one role, a mix of the role's pages (reads) and of the role's saves (writes: a report's figures, a target, a
recommendation, the same target in the admin: a race for one row), submitting the forms as the pages give them
(with their CSRF token and version). It stops by itself after ``--minutes`` (or ``--seconds``) or
``--max-requests`` requests, whichever comes first, then prints the requests, the errors (an answer of 400 or
more, or no answer), the saves made and refused (a form answered again, such as "someone else saved first"),
the median and p95, and the memory (RSS) of the server's worker processes at start and at end.

Only the loopback, bounded in time and in count; each client pauses ``--pause`` seconds between requests so
that the machine stays usable. ``--port`` with ``--server-pid`` soaks a server already running (the test suite's
live server) in the current database instead.
"""

import contextlib
import http.client
import math
import os
import random
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import _TestState, setup_test_environment
from django.utils import timezone

from cchc import simulation
from cchc.indicators import INDICATORS
from cchc.lib.periods import Period
from cchc.lib.roles import DISTRICT_OFFICER, INSPECTION_TEAM, PROVINCIAL_STAFF
from cchc.management.loopback import find_gunicorn, gunicorn, load_average
from cchc.models import Target
from districts.models import Level, Unit
from inspections.models import InspectionSession

OLD_PERIOD = "2023H1"
ROLES = ("province", "district officer", "inspector", "admin")
WRITE_SHARE = 0.2  # one request in five is a save (its form's GET, then its POST)


# --- The forms of a page ---------------------------------------------------------------------------------------


class FormReader(HTMLParser):
    """The fields of the page's POST forms, as a browser would submit them: ``[{name: value}]``."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.current, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = {} if (attrs.get("method") or "").lower() == "post" else None
            if self.current is not None:
                self.forms.append(self.current)
        elif self.current is None or not attrs.get("name"):
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.current[attrs["name"]] = attrs.get("value") or "on"
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.current[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self.select = attrs["name"]
            self.current.setdefault(self.select, "")
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.current[self.textarea] = ""

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self.current is not None and self.textarea:
            self.current[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def post_forms(html):
    """The POST forms of a page, each as the dict of what a browser would submit unchanged."""
    reader = _SelectAwareReader()
    reader.feed(html)
    return reader.forms


class _SelectAwareReader(FormReader):
    """Selects keep their selected option, or else their first non-empty one."""

    def __init__(self):
        super().__init__()
        self.first_option = set()

    def handle_starttag(self, tag, attrs):
        if tag == "option" and self.current is not None and self.select:
            attrs = dict(attrs)
            value = attrs.get("value", "")
            # A select with nothing chosen gets its first real option: the user picks one.
            if value and ("selected" in attrs or self.select not in self.first_option):
                self.current[self.select] = value
                self.first_option.add(self.select)
            return
        super().handle_starttag(tag, attrs)


def first_error(html):
    """The first error message of a form answered again (Bootstrap's and Django admin's markup)."""
    for marker in ('class="invalid-feedback', 'class="errorlist', 'class="alert alert-danger'):
        start = html.find(marker)
        if start >= 0:
            text = html[html.find(">", start) + 1 :]
            text = re.sub(r"<[^>]+>", " ", text[:600])
            return " ".join(text.split())[:200]
    return "(no message found)"


# --- The clients -----------------------------------------------------------------------------------------------


@dataclass
class Tally:
    requests: int = 0
    errors: int = 0
    saved: int = 0
    refused: int = 0
    latencies: list = field(default_factory=list)
    failures: list = field(default_factory=list)  # (status, method, path), the first few
    refusals: dict = field(default_factory=dict)  # path -> the first message the form answered with

    def add(self, other):
        self.requests += other.requests
        self.errors += other.errors
        self.saved += other.saved
        self.refused += other.refused
        self.latencies += other.latencies
        self.failures += other.failures[: max(0, 10 - len(self.failures))]
        for path, message in other.refusals.items():
            self.refusals.setdefault(path, message)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else float("nan")


class Browser:
    """One client's connection to 127.0.0.1: its cookies (session, CSRF) and what it counted."""

    def __init__(self, port, session_cookie, tally):
        self.port, self.tally = port, tally
        self.cookies = {settings.SESSION_COOKIE_NAME: session_cookie}

    def request(self, method, path, data=None):
        body = urlencode(data) if data is not None else None
        headers = {"Host": "127.0.0.1", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get(settings.CSRF_COOKIE_NAME, "")
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
            status = response.status
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
        except OSError:
            status, content = 0, b""
        finally:
            conn.close()
        self.tally.requests += 1
        self.tally.latencies.append((time.perf_counter() - started) * 1000)
        if status == 0 or status >= 400:
            self.tally.errors += 1
            if len(self.tally.failures) < 10:
                self.tally.failures.append((status, method, path))
        return status, content.decode("utf-8", "replace")

    def save(self, path, changes, *, has_field):
        """GET the form page, submit its form (the one holding ``has_field``) with ``changes``: a redirect is a
        save, the page answered again is a refusal (a form error, such as a stale save)."""
        status, html = self.request("GET", path)
        if status != 200:
            return
        form = next((form for form in post_forms(html) if has_field in form), None)
        if form is None:
            self.tally.errors += 1
            if len(self.tally.failures) < 10:
                self.tally.failures.append(("no form", "GET", path))
            return
        form.update(changes)
        status, html = self.request("POST", path, form)
        if status in (301, 302, 303):
            self.tally.saved += 1
        elif status == 200:
            self.tally.refused += 1
            self.tally.refusals.setdefault(path.split("?")[0], first_error(html))


@dataclass
class Plan:
    """What each role reads and writes, worked out once the data exists."""

    reads: dict
    writes: dict


def make_plan(world):
    quarter = world["quarter"]
    officer_unit = world["officer_unit"]
    province = world["old_province"]
    session = world["session"]
    return Plan(
        reads={
            "province": [
                f"/?province={province.code}&period={OLD_PERIOD}",
                f"/api/indicators/?province={province.code}&period={OLD_PERIOD}",
                f"/dossiers/review/?period={OLD_PERIOD}",
                "/targets/",
                f"/districts/{world['old_district'].code}/?on={world['old_district_day'].isoformat()}",
            ],
            "district officer": [
                "/dossiers/",
                f"/districts/{officer_unit.code}/",
                f"/dossiers/{officer_unit.code}/{quarter.code}/",
                "/inspections/recommendations/",
            ],
            "inspector": [
                "/inspections/recommendations/",
                "/inspections/sessions/",
                f"/inspections/sessions/{session.pk}/",
                f"/?province={province.code}&period={OLD_PERIOD}",
            ],
            "admin": [
                "/admin/",
                f"/admin/dossiers/quarterlyreport/?q={officer_unit.code}",
                f"/admin/districts/unit/?q={province.code}",
                f"/api/indicators/?period={OLD_PERIOD}",
            ],
        },
        writes={
            "province": lambda browser, rng: browser.save(
                f"/targets/{world['province_target'].pk}/",
                {"value": str(Decimal(rng.randint(6000, 9900)) / 100)},
                has_field="value",
            ),
            "district officer": lambda browser, rng: browser.save(
                f"/dossiers/{officer_unit.code}/{quarter.code}/",
                {"note": f"Lần lưu {rng.randint(1, 10**6)}", "action": "save"},
                has_field="note",
            ),
            "inspector": lambda browser, rng: browser.save(
                f"/inspections/sessions/{session.pk}/recommendations/new/",
                {
                    "text": f"Kiến nghị thử tải {rng.randint(1, 10**6)}",
                    "deadline": (session.ends_on + timedelta(days=90)).strftime("%d/%m/%Y"),
                },
                has_field="text",
            ),
            # The admin saves the province's own target: the two roles race for one row, as an office would.
            "admin": lambda browser, rng: browser.save(
                f"/admin/cchc/target/{world['province_target'].pk}/change/",
                {"value": str(Decimal(rng.randint(6000, 9900)) / 100), "comment": f"Lần {rng.randint(1, 10**6)}"},
                has_field="seen_version",
            ),
        },
    )


def soak(port, sessions, plan, *, clients, seconds, max_requests, pause, seed=1):
    """Run ``clients`` threads against 127.0.0.1:``port`` until ``seconds`` or ``max_requests``; a ``Tally`` per
    role. Thread ``i`` acts as role ``i mod 4``; each draws its reads and writes from its own seeded generator."""
    tallies = {role: Tally() for role in ROLES}
    lock = threading.Lock()
    sent = [0]
    deadline = time.perf_counter() + seconds

    def client(index):
        role = ROLES[index % len(ROLES)]
        rng = random.Random(seed * 1000 + index)
        tally = Tally()
        browser = Browser(port, sessions[role], tally)
        while time.perf_counter() < deadline:
            with lock:
                if sent[0] >= max_requests:
                    break
                sent[0] += 1
            if rng.random() < WRITE_SHARE:
                plan.writes[role](browser, rng)
            else:
                browser.request("GET", rng.choice(plan.reads[role]))
            if pause:
                time.sleep(pause)
        with lock:
            tallies[role].add(tally)

    threads = [threading.Thread(target=client, args=(index,), daemon=True) for index in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 300)
    return tallies


# --- Memory of the server --------------------------------------------------------------------------------------


def worker_pids(master):
    """The processes whose parent is ``master`` (gunicorn's workers), from /proc."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(entry.name))
    return sorted(pids)


def rss_mb(pid):
    """Resident memory of a process in MB (VmRSS), or ``None`` once it is gone."""
    with contextlib.suppress(OSError):
        for line in (Path("/proc") / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return None


def memory_line(pids):
    sizes = [(pid, rss_mb(pid)) for pid in pids]
    known = [size for _pid, size in sizes if size is not None]
    each = ", ".join(f"{pid}: {size:.0f} MB" if size is not None else f"{pid}: gone" for pid, size in sizes)
    return f"{sum(known):.0f} MB in {len(known)} processes ({each})"


class Command(BaseCommand):
    help = "Soak the site under gunicorn: mixed reads and writes as the four roles, bounded, on the loopback."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=float, default=10, help="How long to soak (default 10).")
        parser.add_argument("--seconds", type=float, help="How long to soak, in seconds (overrides --minutes).")
        parser.add_argument("--max-requests", type=int, default=200_000, help="Stop after this many requests.")
        parser.add_argument("--clients", type=int, default=4, help="Concurrent clients, one role each (default 4).")
        parser.add_argument("--pause", type=float, default=0.05, help="Seconds each client waits between requests.")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2).")
        parser.add_argument("--port", type=int, default=8003, help="Port on 127.0.0.1 (default 8003).")
        parser.add_argument("--tiny", action="store_true", help="A country of a few units (for the test suite).")
        parser.add_argument("--in-place", action="store_true", help="Use the current database as it is (empty).")
        parser.add_argument(
            "--server-pid",
            type=int,
            help="Soak the server already answering on --port (its process id, for its memory); no gunicorn.",
        )

    def handle(self, *args, **options):
        self.options = options
        if not hasattr(_TestState, "saved_data"):
            setup_test_environment()
        self.started = time.perf_counter()
        seconds = options["seconds"] if options["seconds"] is not None else options["minutes"] * 60
        if seconds <= 0 or options["clients"] < 1:
            raise CommandError("Give a positive duration and at least one client.")
        self.seconds = seconds
        self.say(f"# make soak — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
        self.say("")
        self.say(f"- machine: {os.cpu_count()} CPUs; load average at start: {load_average()}")
        self.say(f"- database: {connection.vendor}")
        if options["in_place"] or options["server_pid"]:
            self.run()
        else:
            self.in_database(self.run)
        self.say(f"- total time {time.perf_counter() - self.started:.0f} s; load average at end: {load_average()}")

    def say(self, line=""):
        self.stdout.write(line)
        self.stdout.flush()

    def in_database(self, work):
        creation = connection.creation
        old_name = connection.settings_dict["NAME"]
        if connection.vendor == "sqlite":
            raise CommandError("The soak needs PostgreSQL (the gunicorn workers share its database): set DATABASE_URL.")
        creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            return work()
        finally:
            creation.destroy_test_db(old_name, verbosity=0)

    def run(self):
        world = self.prepare()
        plan = make_plan(world)
        if self.options["server_pid"]:
            self.measure(self.options["port"], world, plan, lambda: [self.options["server_pid"]])
            return
        with self.gunicorn() as (port, server):
            self.measure(port, world, plan, lambda: worker_pids(server.pid))

    def prepare(self):
        """The country and an account per role; a target for the province and one for the admin to save."""
        started = time.perf_counter()
        if not Unit.objects.exists():
            counts = simulation.generate_country(**(simulation.TINY if self.options["tiny"] else {}))
            self.say(
                f"- generated in {time.perf_counter() - started:.0f} s: {counts.units:,} units, "
                f"{counts.reports:,} reports, {counts.recommendations:,} recommendations"
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        today = timezone.localdate()
        old = Period.parse(OLD_PERIOD)
        old_province = Unit.objects.provinces().active_in(old).order_by("code").first()
        old_district = (
            Unit.objects.filter(parent=old_province, level=Level.DISTRICT).active_in(old).order_by("code").first()
        )
        # The officer keeps a commune that exists today, and saves its current quarter's draft.
        officer_unit = (
            Unit.objects.filter(level=Level.COMMUNE, parent__level=Level.PROVINCE).active_on(today).order_by("code")
        ).first() or old_district
        quarter = Period.quarter(today.year, (today.month - 1) // 3 + 1)
        session = InspectionSession.objects.filter(inspected_units__isnull=False).order_by("pk").first()
        if session is None:
            raise CommandError("The simulated country has no inspection session.")
        indicator = INDICATORS[0].code
        # A target of a year in which the old province existed (a target names a unit of its year).
        province_target, _created = Target.objects.get_or_create(
            indicator=indicator, year=old.year, unit=old_province, defaults={"value": Decimal(80)}
        )
        users = get_user_model().objects
        accounts = {
            "province": users.create_user("soak-province", unit=old_province),
            "district officer": users.create_user("soak-officer", unit=officer_unit),
            "inspector": users.create_user("soak-inspector", unit=old_province),
            "admin": users.create_superuser("soak-admin", is_staff=True),
        }
        from django.contrib.auth.models import Group

        for role, group in (
            ("province", PROVINCIAL_STAFF),
            ("district officer", DISTRICT_OFFICER),
            ("inspector", INSPECTION_TEAM),
        ):
            accounts[role].groups.add(Group.objects.get(name=group.group_name))
        sessions = {}
        for role, user in accounts.items():
            client = Client()
            client.force_login(user)
            sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        return {
            "sessions": sessions,
            "old_province": old_province,
            "old_district": old_district,
            "old_district_day": old_district.valid_until or today,
            "officer_unit": officer_unit,
            "quarter": quarter,
            "session": session,
            "province_target": province_target,
        }

    @contextlib.contextmanager
    def gunicorn(self):
        workers, port = self.options["workers"], self.options["port"]
        executable = find_gunicorn()
        if executable is None:
            raise CommandError("gunicorn is not installed.")
        with gunicorn(executable, port, workers, timeout=90) as server:
            self.say(f"- gunicorn, {workers} sync workers, on 127.0.0.1:{port} (process {server.pid})")
            yield port, server

    def measure(self, port, world, plan, pids):
        options = self.options
        start_pids = pids()
        self.say(f"- memory of the server's workers at start: {memory_line(start_pids)}")
        self.say(
            f"- soak: {options['clients']} clients (roles in turn: {', '.join(ROLES)}), {self.seconds:.0f} s or "
            f"{options['max_requests']:,} requests, {options['pause']} s between a client's requests, "
            f"about {WRITE_SHARE:.0%} of them saves"
        )
        tallies = soak(
            port,
            world["sessions"],
            plan,
            clients=options["clients"],
            seconds=self.seconds,
            max_requests=options["max_requests"],
            pause=options["pause"],
        )
        end_pids = pids()
        self.say(f"- memory of the server's workers at end: {memory_line(end_pids)}")
        if set(end_pids) != set(start_pids):
            self.say("- the worker processes changed during the soak (a worker was restarted)")
        self.say("")
        self.say("| role | requests | errors | saves made | saves refused | median (ms) | p95 (ms) |")
        self.say("|---|---:|---:|---:|---:|---:|---:|")
        total = Tally()
        for role in ROLES:
            tally = tallies[role]
            total.add(tally)
            self.say(_row(role, tally))
        self.say(_row("**all**", total))
        self.say("")
        self.say(f"SOAK requests={total.requests} errors={total.errors} p95_ms={percentile(total.latencies, 0.95):.1f}")
        for status, method, path in total.failures:
            self.say(f"- error: {status} on {method} {path}")
        for path, message in total.refusals.items():
            self.say(f"- a save refused on {path}: {message}")


def _row(label, tally):
    median = statistics.median(tally.latencies) if tally.latencies else float("nan")
    return (
        f"| {label} | {tally.requests:,} | {tally.errors} | {tally.saved} | {tally.refused} | {median:,.1f} | "
        f"{percentile(tally.latencies, 0.95):,.1f} |"
    )
