"""The simulated data (``cchc/simulation.py``): valid by every rule, shaped as asked, and the same every time."""

from datetime import date

import pytest
from django.db import transaction
from django.utils import timezone

from cchc import simulation
from districts.models import Level, ReformTask, Unit
from dossiers import rules
from dossiers.models import LevelFigures, QuarterlyReport, ReportEvent, ReportLevel, ReportStatus
from inspections.models import InspectedUnit, Recommendation

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(timezone.datetime(2026, 11, 20, 10, 0))


SMALL = {"districts": 4, "communes_before": 8, "communes_after": 6, "first_year": 2024}


def province(**kwargs):
    return simulation.generate_province(last_quarter=(2026, 3), now=NOW, **kwargs)


def fingerprint():
    """Everything generated, keyed by codes and periods (never by primary keys, which differ between runs)."""
    units = sorted(
        (u.code, u.name, u.kind, u.parent.code if u.parent else "", u.valid_from, u.valid_until)
        for u in Unit.objects.select_related("parent")
    )
    reports = sorted(
        (r.unit.code, r.year, r.quarter, r.status, tuple(r.figure_values().values()))
        for r in QuarterlyReport.objects.select_related("unit")
    )
    levels = sorted(
        (row.report.unit.code, row.report.year, row.report.quarter, row.level, tuple(row.figure_values().values()))
        for row in LevelFigures.objects.select_related("report__unit")
    )
    events = sorted(
        (e.report.unit.code, e.report.year, e.report.quarter, e.to_status, e.at)
        for e in ReportEvent.objects.select_related("report__unit")
    )
    tasks = sorted(
        (t.plan.unit.code, t.plan.year, t.title, t.status, t.deadline, t.completed_on)
        for t in ReformTask.objects.select_related("plan__unit")
    )
    recommendations = sorted(
        (r.unit.code, r.session.starts_on, r.text, r.status, r.deadline, r.closed_on)
        for r in Recommendation.objects.select_related("unit", "session")
    )
    return units, reports, levels, events, tasks, recommendations


class Rollback(Exception):
    pass


def test_the_same_seed_gives_the_same_province_row_for_row():
    try:
        with transaction.atomic():
            province(**SMALL)
            first = fingerprint()
            raise Rollback
    except Rollback:
        pass
    assert not Unit.objects.exists()
    province(**SMALL)
    assert fingerprint() == first
    assert len(first[1]) > 50  # not two empty lists


def test_another_seed_gives_other_figures():
    try:
        with transaction.atomic():
            province(seed=1, **SMALL)
            first = fingerprint()
            raise Rollback
    except Rollback:
        pass
    province(seed=2, **SMALL)
    second = fingerprint()
    assert first[0] == second[0]  # the same units …
    assert first[2] != second[2]  # … with other figures


def test_the_province_has_the_shape_issue_13_asks_for():
    generated = province()
    # 1 province + 10 districts + 120 communes before the reform + 40 after.
    assert generated.units == 171 == Unit.objects.count()
    the_province = Unit.objects.get(code="98")
    assert the_province.name == "Tỉnh Mô Phỏng — dữ liệu giả lập"
    assert (the_province.valid_from, the_province.valid_until) == (None, None)
    districts = Unit.objects.filter(level=Level.DISTRICT)
    assert sorted(districts.values_list("code", flat=True)) == [str(code) for code in range(980, 990)]
    assert set(districts.values_list("valid_until", flat=True)) == {date(2025, 6, 30)}
    communes_after = Unit.objects.filter(level=Level.COMMUNE, valid_from=date(2025, 7, 1))
    assert communes_after.count() == 40
    assert set(communes_after.values_list("parent__code", flat=True)) == {"98"}
    # Codes outside the real ranges: provinces up to 96, districts up to 973, communes up to about 32,300.
    assert all(int(code) > 32_300 for code in Unit.objects.filter(level=Level.COMMUNE).values_list("code", flat=True))
    # Every old commune hands over to a new one.
    old_commune = Unit.objects.get(code="98101")
    assert list(old_commune.successors.values_list("code", flat=True)) == ["98001"]
    # Every quarter from 2019Q1 to 2026Q3 has reports: 26 quarters for the districts, 5 for the communes.
    quarters = set(QuarterlyReport.objects.values_list("year", "quarter"))
    assert quarters == set(simulation.quarters_between((2019, 1), (2026, 3)))
    assert not QuarterlyReport.objects.filter(unit__level=Level.DISTRICT, year__gte=2026).exists()
    assert not QuarterlyReport.objects.filter(unit__level=Level.COMMUNE, year__lt=2025).exists()


def test_every_row_satisfies_every_rule_of_the_models():
    province()
    for report in QuarterlyReport.objects.select_related("unit"):
        report.full_clean()
    for row in LevelFigures.objects.select_related("report__unit"):
        row.full_clean()
        problems = [p for p in rules.check(rules.LEVEL_RULES, row.figure_values()) if p.severity == rules.ERROR]
        assert problems == []
    for unit in Unit.objects.select_related("parent"):
        unit.full_clean()
        if unit.parent:  # a child's validity lies within its parent's
            assert unit.parent.valid_from is None or (unit.valid_from or date.min) >= unit.parent.valid_from
            assert unit.parent.valid_until is None or (unit.valid_until or date.max) <= unit.parent.valid_until
    for task in ReformTask.objects.all():
        task.full_clean()
    for inspected in InspectedUnit.objects.select_related("session__inspecting_unit", "unit"):
        inspected.full_clean()
    for recommendation in Recommendation.objects.select_related("session"):
        recommendation.full_clean(exclude=["evidence_file"])


def test_the_figures_carry_over_from_quarter_to_quarter():
    province()
    rows = LevelFigures.objects.filter(report__unit__code="981", level=ReportLevel.COMMUNE)
    by_quarter = {(row.report.year, row.report.quarter): row for row in rows.select_related("report")}
    for (year, quarter), row in by_quarter.items():
        previous = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        if previous in by_quarter:
            assert row.carried_over == by_quarter[previous].pending


def test_the_province_has_blanks_late_reports_and_every_status():
    generated = province()
    assert set(QuarterlyReport.objects.values_list("status", flat=True)) == set(ReportStatus.values)
    # Blanks: "fully online" is counted apart only since 2022; some units do not split early from on time.
    assert not LevelFigures.objects.filter(report__year__lt=2022, received_online_full__isnull=False).exists()
    assert LevelFigures.objects.filter(resolved_early__isnull=True).exists()
    assert LevelFigures.objects.filter(returned__isnull=True).exists()
    # A few reports came in after their due date (the quarter's end + REPORT_DUE_DAYS).
    late = [
        event
        for event in ReportEvent.objects.filter(to_status=ReportStatus.SUBMITTED).select_related("report")
        if timezone.localdate(event.at) > event.report.period.end + timezone.timedelta(days=10)
    ]
    assert 0 < len(late) < ReportEvent.objects.filter(to_status=ReportStatus.SUBMITTED).count() / 10
    # One district stopped tracking online dossiers at commune level from 2023: the 12,77% / 40,00% case.
    assert generated.stopped_online == "982"
    stopped = LevelFigures.objects.filter(report__unit__code="982")
    assert not stopped.filter(level=ReportLevel.COMMUNE, report__year__gte=2023, received_online__isnull=False).exists()
    assert not stopped.filter(report__year__lt=2023, received_online__isnull=True).exists()
    # … while its district level still gives them.
    assert stopped.filter(level=ReportLevel.DISTRICT, report__year=2023).exists()
    assert not stopped.filter(level=ReportLevel.DISTRICT, received_online__isnull=True).exists()


def test_recommendations_are_in_every_state_some_overdue():
    province()
    assert set(Recommendation.objects.values_list("status", flat=True)) == set(Recommendation.Status.values)
    assert Recommendation.objects.overdue(date(2026, 9, 30)).exists()
    # The last session (autumn 2026) still has recommendations whose deadline has not come.
    assert Recommendation.objects.filter(deadline__gt=date(2026, 9, 30), status=Recommendation.Status.OPEN).exists()


def test_a_tiny_country_splits_at_the_reform():
    generated = simulation.generate_country(now=NOW, **simulation.TINY)
    # 3 + 2 provinces, 6 districts, 12 + 8 communes.
    assert generated.units == 31
    before = Unit.objects.filter(valid_until=date(2025, 6, 30))
    after = Unit.objects.filter(valid_from=date(2025, 7, 1))
    assert before.count() == 3 + 6 + 12 and after.count() == 2 + 8
    # Province 01 merges into 64, 02 into 64 (2 // 3 = 0), 03 into 65 (2 * 2 // 3 = 1).
    assert [list(Unit.objects.get(code=c).successors.values_list("code", flat=True)) for c in ["01", "02", "03"]] == [
        ["64"],
        ["64"],
        ["65"],
    ]
    # Reports 2018Q1–2026Q3: the districts' and old provinces' 30 quarters, the communes' and new provinces' 5,
    # less the few never entered (at most about 1 in 20 in the last quarters).
    expected = (6 + 3) * 30 + (8 + 2) * 5
    assert expected * 0.95 <= generated.reports == QuarterlyReport.objects.count() <= expected
    assert not QuarterlyReport.objects.filter(unit__valid_until__isnull=False, year=2025, quarter__gte=3).exists()
    for row in LevelFigures.objects.all():
        row.full_clean(exclude=["report"])


def test_ten_times_the_country_is_ten_times_the_quarters():
    first, last = simulation.country_quarters(10)
    assert (first, last) == ((2000, 1), (2048, 2))
    # 705 districts × 102 quarters (2000Q1–2025Q2) + 3,321 communes × 92 quarters (2025Q3–2048Q2) = 377,442,
    # against 705 × 30 + 3,321 × 5 = 37,755.
    assert 705 * len(list(simulation.quarters_between(first, (2025, 2)))) == 71_910
    assert 3_321 * len(list(simulation.quarters_between((2025, 3), last))) == 305_532


def test_ten_times_a_tiny_country_is_ten_times_the_reports():
    ten = simulation.generate_country(scale=10, now=NOW, **simulation.TINY)

    first, last = simulation.country_quarters(10, old_districts=6, new_communes=8)
    # 6 districts × 30 + 8 communes × 5 = 220 reports a year of issue 9's shape, times 10 = 2,200: the districts
    # from 2000Q1 (102 quarters: 612) and the communes for 2,200 − 612 = 1,588 ÷ 8 = 198.5 → 198 quarters.
    assert first == (2000, 1)
    assert len(list(simulation.quarters_between((2025, 3), last))) == 198
    assert ten.reports == QuarterlyReport.objects.count()
    assert ten.first_quarter == (2000, 1) and ten.last_quarter == last
    # A district's 2003Q2 repeats its 2024Q2: 2018 + ((2003 − 2018) mod 7) = 2018 + (−15 mod 7 = 6) = 2024.
    copy = LevelFigures.objects.filter(report__unit__code="001", report__year=2003, report__quarter=2)
    source = LevelFigures.objects.filter(report__unit__code="001", report__year=2024, report__quarter=2)
    assert copy.count() == source.count() == 2
    assert [sorted(r.figure_values().items()) for r in copy.order_by("level")] == [
        sorted(r.figure_values().items()) for r in source.order_by("level")
    ]
    for row in LevelFigures.objects.all():
        assert [p for p in rules.check(rules.LEVEL_RULES, row.figure_values()) if p.severity == rules.ERROR] == []
    # Plans follow: one per district and year from 2000 to 2025, with their tasks.
    assert ReformTask.objects.filter(plan__year=2000).count() == 6 * 20
