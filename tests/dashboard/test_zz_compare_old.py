"""TEMPORARY: the new read against the old one, on the demo data and on a generated multi-province dataset."""

import random
from datetime import date

import pytest

from cchc.indicators import PER_UNIT
from cchc.management.commands.bench_dashboard import _figures
from cchc.periods import Period
from cchc.selectors import ALL_INDICATORS, DERIVED_CODES, EXTRA_COUNTS, FIGURE_CODES, REPORT_COUNTS, province_rows
from districts.models import ReformTask, Unit
from dossiers.models import LevelFigures
from tests.dashboard import old_read
from tests.factories import (
    make_commune,
    make_district,
    make_plan,
    make_province,
    make_recommendation,
    make_report,
    make_tasks,
)

pytestmark = pytest.mark.django_db
PERIODS = ("2023Q1", "2023H1", "2023M9", "2023", "2026H1", "2021", "2020Q1", "2018H1", "2021Q3")
TODAY = date(2026, 11, 30)


def partial_units(period, indicator):
    """Units with a level row in the period where one figure of the indicator's pair is blank."""
    period = Period.parse(period)
    rows = LevelFigures.objects.filter(
        report__year=period.year,
        report__quarter__gte=period.first_quarter,
        report__quarter__lte=period.last_quarter,
    ).select_related("report")
    units = set()
    for row in rows:
        values = [getattr(row, code) for code in indicator.figures]
        if any(v is None for v in values) and any(v is not None for v in values):
            units.add(row.report.unit_id)
    return units


def compare(label):
    provinces = Unit.objects.provinces()
    report = []
    for code in PERIODS:
        period = Period.parse(code)
        old = {
            row.pk: row
            for row in old_read.unit_rows(
                units=old_read.province_units(provinces=provinces, period=period), period=period, today=TODAY
            )
        }
        new = {row.pk: row for row in province_rows(provinces=provinces, period=period, today=TODAY)}
        assert set(old) == set(new), code
        for name in FIGURE_CODES + DERIVED_CODES + REPORT_COUNTS + EXTRA_COUNTS:
            for pk in old:
                assert getattr(old[pk], name) == getattr(new[pk], name), (code, name, old[pk].code)
        changed = {}
        for indicator in ALL_INDICATORS:
            partial = partial_units(code, indicator) if indicator.grain != PER_UNIT else set()
            for pk in old:
                before = (getattr(old[pk], indicator.num), getattr(old[pk], indicator.den))
                after = (getattr(new[pk], indicator.num), getattr(new[pk], indicator.den))
                if before != after:
                    assert indicator.grain != PER_UNIT, (code, indicator.code)
                    assert pk in partial, (code, indicator.code, old[pk].code, before, after)
                    changed[indicator.code] = changed.get(indicator.code, 0) + 1
        report.append(f"{label} {code}: {len(old)} rows, equal but for paired rates {changed}")
    print("\n".join(report))


def test_demo(demo):
    compare("demo")


def test_generated(db):
    rng = random.Random(9)
    seed = 0
    codes = iter(range(100, 999))
    communes = iter(range(10000, 99999))
    for p in range(3):
        province = make_province(f"{10 + p}", f"Tỉnh {p}", valid_until=date(2025, 6, 30))
        units = [
            make_district(province, f"{next(codes)}", f"Huyện {d}", valid_until=date(2025, 6, 30)) for d in range(4)
        ]
        for district in units:
            make_commune(district, f"{next(communes)}", "Xã", valid_until=date(2025, 6, 30))
        for unit in [province, *units]:
            for year in (2023, 2024, 2025):
                for quarter in range(1, 5):
                    if (year, quarter) > (2025, 2) or rng.random() < 0.15:
                        continue
                    if unit == province and rng.random() < 0.6:
                        continue
                    seed += 1
                    levels = {}
                    choices = ("province",) if unit == province else ("district", "commune")
                    if rng.random() < 0.2:
                        choices = ("all",)
                    for level in choices:
                        figures = _figures(seed + len(level), rng.randint(0, 300))
                        for key in list(figures):
                            if rng.random() < 0.12:
                                figures[key] = None
                        levels[level] = figures
                    status = rng.choice(["approved", "approved", "submitted", "draft", "returned"])
                    make_report(
                        unit,
                        year,
                        quarter,
                        status=status,
                        levels=levels,
                        procedures_total=rng.choice([None, 100]),
                        procedures_reviewed=rng.choice([None, 10 * quarter]),
                        procedures_simplified=rng.choice([None, quarter]),
                        units_planned_inspection=rng.choice([None, 20]),
                        units_inspected=rng.choice([None, quarter * 3]),
                        communication_news=rng.choice([None, 5]),
                    )
            if rng.random() < 0.7:
                plan = make_plan(unit, 2023)
                make_tasks(plan, rng.randint(1, 9))
                make_tasks(
                    plan,
                    rng.randint(0, 5),
                    status=ReformTask.Status.DONE,
                    completed_on=date(2023, rng.randint(1, 12), 1),
                )
            if rng.random() < 0.5:
                make_recommendation(unit, deadline=date(2026, rng.randint(1, 12), 1))
    for p in range(2):
        province = make_province(f"{60 + p}", f"Tỉnh mới {p}", valid_from=date(2025, 7, 1))
        for c in range(6):
            commune = make_commune(province, f"{next(communes)}", f"Xã {c}", valid_from=date(2025, 7, 1))
            for quarter in (1, 2):
                if rng.random() < 0.2:
                    continue
                seed += 1
                figures = _figures(seed, rng.randint(0, 300))
                for key in list(figures):
                    if rng.random() < 0.12:
                        figures[key] = None
                make_report(commune, 2026, quarter, status="approved", levels={"commune": figures})
            if rng.random() < 0.7:
                plan = make_plan(commune, 2026)
                make_tasks(plan, 4)
                make_tasks(plan, 2, status=ReformTask.Status.DONE, completed_on=date(2026, 3, 1))
    compare("generated")
