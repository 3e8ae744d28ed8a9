"""Time the dashboard's reads on a country-sized database: ``make bench``.

It builds a throw-away test database (the one Django's test runner would: ``test_<name>``, in memory for
SQLite), fills it with a synthetic country — 63 provinces and 705 districts reporting every quarter from
2018 to mid-2025, then 34 provinces and 3,321 communes reporting straight to them — and times the reads
that the dashboard, the JSON feed and the exports make. Figures are medians of several runs, in
milliseconds, with the number of SQL queries of each read.
"""

import statistics
import time
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

from cchc import selectors
from cchc.periods import Period
from districts.models import Level, ReformPlan, ReformTask, Unit, UnitKind
from dossiers.models import LevelFigures, QuarterlyReport, ReportLevel, ReportStatus

OLD_PROVINCES = 63
OLD_DISTRICTS = 705
NEW_PROVINCES = 34
NEW_COMMUNES = 3321
FIRST_YEAR = 2018
REFORM_DAY = date(2025, 7, 1)
TASKS_PER_PLAN = 30


def _figures(seed, carried_over):
    """One level's figures for a quarter, satisfying every identity (the check constraints insist)."""
    received = 800 + (seed * 7919) % 20000
    to_handle = carried_over + received
    resolved = to_handle * (85 + seed % 14) // 100
    late = resolved * (seed % 5) // 100
    online = received * (20 + seed % 50) // 100
    postal = received * (seed % 10) // 100
    pending = to_handle - resolved
    return {
        "carried_over": carried_over,
        "received": received,
        "received_online": online,
        "received_online_full": online // 2,
        "received_postal": postal,
        "resolved": resolved,
        "resolved_in_time": resolved - late,
        "resolved_early": (resolved - late) // 3,
        "resolved_late": late,
        "pending": pending,
        "pending_overdue": pending // 10,
        "apology_letters": late,
    }


def _quarters(first, last):
    year, quarter = first
    while (year, quarter) <= last:
        yield year, quarter
        year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)


class Command(BaseCommand):
    help = "Time the dashboard's reads on a synthetic country (a throw-away test database)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5, help="Timed runs of each read (median shown).")

    def handle(self, *args, **options):
        setup_test_environment()  # the test client's host, as under the test runner
        creation = connection.creation
        old_name = connection.settings_dict["NAME"]
        creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            started = time.perf_counter()
            counts = self.build()
            built = time.perf_counter() - started
            self.stdout.write(
                f"database: {connection.vendor}; built in {built:.1f} s: {counts['units']} units, "
                f"{counts['reports']} quarterly reports, {counts['levels']} level rows, {counts['tasks']} plan tasks"
            )
            self.measure(options["runs"])
        finally:
            creation.destroy_test_db(old_name, verbosity=0)

    def build(self):
        units, reports, levels, tasks = 0, 0, 0, 0
        old_provinces = Unit.objects.bulk_create(
            Unit(
                code=f"{p + 1:02d}",
                name=f"Tỉnh {p + 1}",
                kind=UnitKind.PROVINCE,
                level=Level.PROVINCE,
                valid_until=date(2025, 6, 30),
            )
            for p in range(OLD_PROVINCES)
        )
        districts = Unit.objects.bulk_create(
            Unit(
                code=f"{d + 1:03d}",
                name=f"Huyện {d + 1}",
                kind=UnitKind.DISTRICT,
                level=Level.DISTRICT,
                parent=old_provinces[d % OLD_PROVINCES],
                valid_until=date(2025, 6, 30),
            )
            for d in range(OLD_DISTRICTS)
        )
        new_provinces = Unit.objects.bulk_create(
            Unit(
                code=f"{64 + p}",
                name=f"Tỉnh mới {p + 1}",
                kind=UnitKind.PROVINCE,
                level=Level.PROVINCE,
                valid_from=REFORM_DAY,
            )
            for p in range(NEW_PROVINCES)
        )
        communes = Unit.objects.bulk_create(
            Unit(
                code=f"{c + 1:05d}",
                name=f"Xã {c + 1}",
                kind=UnitKind.COMMUNE,
                level=Level.COMMUNE,
                parent=new_provinces[c % NEW_PROVINCES],
                valid_from=REFORM_DAY,
            )
            for c in range(NEW_COMMUNES)
        )
        units = len(old_provinces) + len(districts) + len(new_provinces) + len(communes)
        reports_made, level_rows = self.reports(
            districts, (FIRST_YEAR, 1), (2025, 2), (ReportLevel.DISTRICT, ReportLevel.COMMUNE)
        )
        reports += reports_made
        levels += level_rows
        reports_made, level_rows = self.reports(communes, (2025, 3), (2026, 2), (ReportLevel.COMMUNE,))
        reports += reports_made
        levels += level_rows
        plans = ReformPlan.objects.bulk_create(
            ReformPlan(unit=district, year=year, title=f"Kế hoạch CCHC năm {year}")
            for district in districts
            for year in range(FIRST_YEAR, 2025)
        )
        new_tasks = []
        for index, plan in enumerate(plans):
            for number in range(TASKS_PER_PLAN):
                done = number < (index % TASKS_PER_PLAN)
                new_tasks.append(
                    ReformTask(
                        plan=plan,
                        title=f"Nhiệm vụ {number + 1}/{TASKS_PER_PLAN}",
                        status=ReformTask.Status.DONE if done else ReformTask.Status.IN_PROGRESS,
                        completed_on=date(plan.year, 1 + number % 12, 15) if done else None,
                    )
                )
        ReformTask.objects.bulk_create(new_tasks, batch_size=5000)
        tasks = len(new_tasks)
        return {"units": units, "reports": reports, "levels": levels, "tasks": tasks}

    @staticmethod
    def reports(units, first, last, report_levels):
        quarters = list(_quarters(first, last))
        made = QuarterlyReport.objects.bulk_create(
            (
                QuarterlyReport(
                    unit=unit,
                    year=year,
                    quarter=quarter,
                    status=ReportStatus.APPROVED,
                    procedures_total=400,
                    procedures_reviewed=100 + quarter * 40,
                    procedures_simplified=20 + quarter * 5,
                    units_planned_inspection=20,
                    units_inspected=quarter * 5,
                )
                for unit in units
                for year, quarter in quarters
            ),
            batch_size=2000,
        )
        rows = []
        pending = {}
        for report in made:
            for level in report_levels:
                key = (report.unit_id, level)
                figures = _figures(report.unit_id * 31 + report.year * 4 + report.quarter, pending.get(key, 0))
                pending[key] = figures["pending"]
                rows.append(LevelFigures(report=report, level=level, **figures))
        LevelFigures.objects.bulk_create(rows, batch_size=5000)
        return len(made), len(rows)

    def time(self, label, runs, read):
        read()  # warm-up: caches, query plans
        timings, queries = [], 0
        for _run in range(runs):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                read()
                timings.append((time.perf_counter() - started) * 1000)
            queries = len(captured)
        median = statistics.median(timings)
        self.stdout.write(
            f"  {label:<62} median {median:8.1f} ms  (min {min(timings):7.1f}, max {max(timings):7.1f})  "
            f"{queries:3d} queries"
        )

    def measure(self, runs):
        old = Unit.objects.get(code="01")
        new = Unit.objects.get(code="64")
        old_districts = Unit.objects.filter(level=Level.DISTRICT)
        communes = Unit.objects.filter(level=Level.COMMUNE)

        def rows(units, period):
            return lambda: selectors.totals(selectors.unit_rows(units=units, period=Period.parse(period)))

        self.stdout.write(f"reads (median of {runs} runs after one warm-up):")
        self.time(
            "one province, 11-12 districts, a quarter (2023Q2)",
            runs,
            rows(selectors.province_units(province=old, period=Period.parse("2023Q2")), "2023Q2"),
        )
        self.time(
            "one province, 11-12 districts, a year (2023)",
            runs,
            rows(selectors.province_units(province=old, period=Period.parse("2023")), "2023"),
        )
        self.time(
            "one new province, ~98 communes, a half year (2026H1)",
            runs,
            rows(selectors.province_units(province=new, period=Period.parse("2026H1")), "2026H1"),
        )
        self.time("the whole country, 705 districts, a year (2023)", runs, rows(old_districts, "2023"))
        self.time("the whole country, 3,321 communes, a half year (2026H1)", runs, rows(communes, "2026H1"))

        client = Client()
        user = get_user_model().objects.create_superuser("bench", password="bench-password-1")
        client.force_login(user)
        self.time(
            "dashboard page, one province, a year (HTTP, whole page)",
            runs,
            lambda: client.get("/", {"province": "01", "period": "2023"}, secure=True),
        )
        self.time(
            "JSON feed, every province, a year (HTTP)",
            runs,
            lambda: client.get("/api/indicators/", {"period": "2023"}, secure=True),
        )
        self.time(
            ".xlsx export, one province, a year (HTTP)",
            runs,
            lambda: client.get("/", {"province": "01", "period": "2023", "_export": "xlsx"}, secure=True),
        )
