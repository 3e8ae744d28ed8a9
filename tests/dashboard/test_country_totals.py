"""The whole country's table: each province's row is its total, added up in the database (``country_rows``), and
it must be exactly the total row of that province's own table (``totals`` over ``province_rows``): the same
figures, the same paired sums, the same counts.

Every expected number is worked out by hand in the comment beside it.
"""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cchc import simulation
from cchc.lib.periods import Period
from cchc.selectors import DERIVED_CODES, EXTRA_COUNTS, FIGURE_CODES, country_rows, province_rows, totals
from districts.models import ReformTask, Unit
from dossiers.models import COUNTED_STATUSES, ReportStatus
from tests import factories

pytestmark = pytest.mark.django_db

APPROVED_ONLY = (ReportStatus.APPROVED,)
TODAY = date(2023, 6, 15)
# The simulated country of the test suite: 3 provinces and 6 districts before July 2025, 2 provinces after.


def pair(value):
    return value.numerator, value.denominator, value.full


def by_code(period, statuses=COUNTED_STATUSES):
    rows = country_rows(provinces=Unit.objects.provinces(), period=period, statuses=statuses, today=TODAY)
    return {row.code: row for row in rows}


def as_country_row(row):
    """What a row of the country's table says: every figure and count, and every rate's pair and value."""
    said = {name: getattr(row, name) for name in (*FIGURE_CODES, *DERIVED_CODES, *EXTRA_COUNTS)}
    said["reports"] = (row.reports_counted, row.reports_unapproved)
    said.update({code: (*pair(value), value.value) for code, value in row.indicators.items()})
    return said


def as_province_total(province, period, statuses=COUNTED_STATUSES):
    """The same, from the total row of the province's own table."""
    rows = province_rows(province=province, period=period, statuses=statuses, today=TODAY)
    total = totals(rows)
    said = {**total["figures"], **{name: total[name] for name in EXTRA_COUNTS}}
    said["reports"] = (sum(row.reports_counted for row in rows), sum(row.reports_unapproved for row in rows))
    indicators = {**total["indicators"], **total["follow_up"]}
    said.update({code: (*pair(value), value.value) for code, value in indicators.items()})
    return said


@pytest.fixture
def three_provinces():
    """11: two districts and a report of its own; 12: one district with a submitted report, one without any;
    13: no unit under it and no report."""
    eleven = factories.make_province("11", "Tỉnh 11")
    # District level 600 online of 1.500 received; commune level 3.200 received, online not tracked.
    factories.make_report(
        factories.make_district(eleven, "100"),
        2023,
        1,
        status=ReportStatus.APPROVED,
        levels={"district": {"received": 1500, "received_online": 600}, "commune": {"received": 3200}},
    )
    hundred_one = factories.make_district(eleven, "101")
    factories.make_counted_report(hundred_one, 2023, 1, received=1000, received_online=250)
    plan = factories.make_plan(hundred_one, 2023)
    factories.make_tasks(plan, 2)
    factories.make_tasks(plan, 1, status=ReformTask.Status.DONE, completed_on=date(2023, 3, 20))
    factories.make_tasks(plan, 1, status=ReformTask.Status.DONE, completed_on=date(2023, 5, 2))
    factories.make_recommendation(hundred_one, deadline=date(2023, 4, 30))
    # The province's own departments: resolved given only for all levels, so the resolution rate pairs over
    # the report's totals.
    factories.make_report(
        eleven,
        2023,
        1,
        status=ReportStatus.APPROVED,
        levels={"province": {"carried_over": 10, "received": 100}, "all": {"resolved": 90}},
    )
    twelve = factories.make_province("12", "Tỉnh 12")
    factories.make_counted_report(
        factories.make_district(twelve, "200"), 2023, 1, status=ReportStatus.SUBMITTED, received=40, received_online=10
    )
    factories.make_district(twelve, "201")
    factories.make_province("13", "Tỉnh 13")


def test_a_provinces_row_adds_its_units_paired_sums(three_provinces):
    eleven = by_code("2023Q1")["11"]

    # Online: 100 pairs 600 / 1.500, 101 pairs 250 / 1.000, the province's own 100 received has no online:
    # 850 / 2.500 = 34,00 %, covering 2.500 of 1.500 + 3.200 + 1.000 + 100 = 5.800 received
    assert pair(eleven.indicators["online_rate"]) == (850, 2500, 5800)
    assert eleven.indicators["online_rate"].value == Decimal("34.00")
    assert eleven.received == 5800
    # Resolution: only the province's own report has it: 90 / (10 + 100) = 0,81818… → 81,82 %
    assert pair(eleven.indicators["resolution_rate"]) == (90, 110, 110)
    assert eleven.indicators["resolution_rate"].value == Decimal("81.82")
    # Plan: 101's four tasks, one done by 31 March (the other on 2 May): 1 / 4 = 25,00 %; 100 has no plan
    assert pair(eleven.indicators["plan_completion"]) == (1, 4, 4)
    assert eleven.indicators["plan_completion"].value == Decimal("25.00")
    # One recommendation, open, its deadline (30 April) passed by 15 June: open, overdue and due
    assert (eleven.recommendations_open, eleven.recommendations_overdue, eleven.recommendations_due) == (1, 1, 1)
    # Three reports counted, all approved
    assert (eleven.reports_counted, eleven.reports_unapproved) == (3, 0)


def test_a_province_of_a_submitted_report_and_one_of_no_unit(three_provinces):
    rows = by_code("2023Q1")

    # 12: 10 / 40 = 25,00 %, one report counted and not yet approved
    assert pair(rows["12"].indicators["online_rate"]) == (10, 40, 40)
    assert (rows["12"].reports_counted, rows["12"].reports_unapproved) == (1, 1)
    # 13: a row with nothing: blank figures, not zeros
    assert rows["13"].received is None
    assert rows["13"].indicators["online_rate"].value is None
    assert (rows["13"].reports_counted, rows["13"].reports_unapproved) == (0, 0)


def test_approved_only_leaves_the_submitted_report_out_of_the_provinces_row(three_provinces):
    twelve = by_code("2023Q1", APPROVED_ONLY)["12"]

    assert twelve.received is None
    assert pair(twelve.indicators["online_rate"]) == (None, None, None)
    assert (twelve.reports_counted, twelve.reports_unapproved) == (0, 0)


@pytest.mark.parametrize("statuses", [COUNTED_STATUSES, APPROVED_ONLY])
def test_each_provinces_row_is_the_total_of_its_own_table(three_provinces, statuses):
    rows = by_code("2023Q1", statuses)

    for province in Unit.objects.provinces():
        assert as_country_row(rows[province.code]) == as_province_total(province, "2023Q1", statuses)


def test_on_a_simulated_country_each_provinces_row_is_the_total_of_its_own_table():
    simulation.generate_country(now=timezone.make_aware(datetime(2026, 11, 20, 10, 0)), **simulation.TINY)

    for period in ("2023Q1", "2023H1", "2023M9", "2023", "2026H1"):
        rows = by_code(period)
        shown = Unit.objects.provinces().active_in(Period.parse(period))
        assert sorted(rows) == sorted(shown.values_list("code", flat=True))
        for province in shown:
            assert as_country_row(rows[province.code]) == as_province_total(province, period), (period, province)
