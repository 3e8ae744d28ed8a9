"""The reads behind every dashboard view (cchc/selectors.py), against numbers worked out by hand.

The demo data are the articles' figures (docs/domain.md, §Articles); the other cases are built with
the factories so that each rule of "Figures and how they add up" is met by a case of its own.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.lib.periods import Period
from cchc.selectors import (
    indicator_values,
    province_rows,
    province_units,
    totals,
    unit_rows,
)
from districts.models import ReformTask, Unit, UnitKind
from dossiers.models import ReportStatus
from dossiers.selectors import latest_period_with_data
from inspections.models import Recommendation
from tests.factories import (
    make_commune,
    make_counted_report,
    make_district,
    make_plan,
    make_province,
    make_recommendation,
    make_report,
    make_tasks,
)

pytestmark = pytest.mark.django_db


def row_of(code, period):
    return unit_rows(units=Unit.objects.filter(code=code), period=period)[0]


def pair(row, code):
    value = indicator_values(row)[code]
    return value.numerator, value.denominator


def value(row, code):
    return indicator_values(row)[code].value


# --- The articles, from the demo data ----------------------------------------------------------------------------


# Each article's unit and period: its rates (numerator, denominator, value) and figures, worked out by hand.
ARTICLE_COUNTS = {
    "Đắk Song, first half of 2023": (
        "665",
        "2023H1",
        {
            # On time: 10.840 of 12.530 resolved → 86,51 %
            "on_time_rate": (10840, 12530, "86.51"),
            # Resolution: 12.530 of 1.727 + 13.324 = 15.051 to handle → 83,25 %
            "resolution_rate": (12530, 15051, "83.25"),
        },
        {"to_handle": 15051},
    ),
    "Bắc Yên, first half of 2018": (
        "121",
        "2018H1",
        {
            # On time: all 14.506 resolved were in time → 100,00 %
            "on_time_rate": (14506, 14506, "100.00"),
            # Resolution: 14.506 of 0 carried over + 14.607 received (1.598 + 13.009) → 99,31 %
            "resolution_rate": (14506, 14607, "99.31"),
            # Plan: 250 of 295 tasks done by 30 June 2018 (done on 22 June) → 84,75 %
            "plan_completion": (250, 295, "84.75"),
        },
        # Pending at the end of the half year: 101 + 0 over the two levels
        {"pending": 101},
    ),
    "Thanh Bình, 2021": (
        "874",
        "2021",
        {
            # 86.041 in time of 86.041 + 7 = 86.048 resolved → 99,99 %, not 100,00 %
            "on_time_rate": (86041, 86048, "99.99"),
            # 181/456 → 39,69 %; 36/181 → 19,89 %; 9/19 → 47,37 %; 18/35 → 51,43 %
            "procedures_reviewed_rate": (181, 456, "39.69"),
            "procedures_simplified_rate": (36, 181, "19.89"),
            "inspection_coverage": (9, 19, "47.37"),
            "plan_completion": (18, 35, "51.43"),
        },
        {},
    ),
}


@pytest.mark.parametrize(("code", "period", "rates", "figures"), ARTICLE_COUNTS.values(), ids=ARTICLE_COUNTS)
def test_an_articles_rates_from_its_counts(demo, code, period, rates, figures):
    row = row_of(code, period)

    expected = {name: (numerator, denominator, Decimal(rate)) for name, (numerator, denominator, rate) in rates.items()}
    assert {name: (*pair(row, name), value(row, name)) for name in rates} == expected
    assert {name: getattr(row, name) for name in figures} == figures


def test_thanh_binhs_online_rate_has_no_value_since_its_received_count_is_blank(demo):
    row = row_of("874", "2021")

    # 293 + 8.672 received online, but the article gives no count received: blank is not zero
    assert row.received_online == 8965
    assert row.received is None
    assert pair(row, "online_rate") == (None, None)
    assert value(row, "online_rate") is None


def test_cao_lanh_first_quarter_2020_online_rate_adds_its_two_levels(demo):
    row = row_of("873", "2020Q1")

    # 484 online of 17.800 + 19.000 = 36.800 received → 1,3152 % → 1,32 %
    assert pair(row, "online_rate") == (484, 36800)
    assert value(row, "online_rate") == Decimal("1.32")
    # Resolved is not in the article, so the on-time rate has no value although late is a stated 0
    assert value(row, "on_time_rate") is None


def test_a_district_without_a_report_has_blank_figures_not_zeros(demo):
    row = row_of("875", "2023M9")

    assert row.received is None
    assert row.reports_counted == 0
    assert all(value is None for value in (v.value for v in indicator_values(row).values()))


# --- Totals: the ratio of the sums --------------------------------------------------------------------------------


def test_the_province_total_weighs_each_district_by_its_volume(dong_thap):
    big = make_district(dong_thap, "874", "Thanh Bình")
    small = make_district(dong_thap, "875", "Lấp Vò")
    # 79.200 of 80.000 in time (99 %) and 400 of 800 (50 %)
    make_counted_report(big, 2023, 1, resolved=80000, resolved_in_time=79200, resolved_late=800)
    make_counted_report(small, 2023, 1, resolved=800, resolved_in_time=400, resolved_late=400)

    total = totals(province_rows(province=dong_thap, period="2023Q1"))["indicators"]["on_time_rate"]

    # (79.200 + 400) / (80.000 + 800) = 79.600 / 80.800 = 0,985148… → 98,51 %, not (99 + 50) / 2 = 74,50 %
    assert (total.numerator, total.denominator) == (79600, 80800)
    assert total.value == Decimal("98.51")


def test_a_unit_with_a_blank_numerator_or_denominator_takes_no_part_in_the_total(dong_thap):
    make_counted_report(
        make_district(dong_thap, "874"), 2023, 1, resolved=80000, resolved_in_time=79200, resolved_late=800
    )
    make_counted_report(make_district(dong_thap, "875"), 2023, 1, resolved=800, resolved_in_time=400)
    # Resolved given but not how many in time; in time given but not how many resolved
    make_counted_report(make_district(dong_thap, "876"), 2023, 1, resolved=1000)
    make_counted_report(make_district(dong_thap, "877"), 2023, 1, resolved_in_time=500)

    result = totals(province_rows(province=dong_thap, period="2023Q1"))
    on_time = result["indicators"]["on_time_rate"]

    # Only 874 and 875 have both: (79.200 + 400) / (80.000 + 800) → 98,51 %
    assert (on_time.numerator, on_time.denominator) == (79600, 80800)
    assert on_time.value == Decimal("98.51")
    # The figure itself still adds every unit that gave it: 80.000 + 800 + 1.000
    assert result["figures"]["resolved"] == 81800


def test_a_unit_with_one_of_the_pair_blank_has_neither_in_its_row(dong_thap):
    make_counted_report(make_district(dong_thap, "876"), 2023, 1, resolved=1000)

    row = row_of("876", "2023Q1")

    assert pair(row, "on_time_rate") == (None, None)


def test_a_total_without_any_complete_pair_has_no_value(dong_thap):
    make_counted_report(make_district(dong_thap, "876"), 2023, 1, resolved=1000)
    make_district(dong_thap, "877")

    on_time = totals(province_rows(province=dong_thap, period="2023Q1"))["indicators"]["on_time_rate"]

    assert (on_time.numerator, on_time.denominator, on_time.value) == (None, None, None)


def test_the_resolution_rate_total_adds_carried_over_and_received_of_each_unit(dong_thap):
    make_counted_report(make_district(dong_thap, "874"), 2023, 1, carried_over=100, received=900, resolved=950)
    make_counted_report(make_district(dong_thap, "875"), 2023, 1, carried_over=0, received=3000, resolved=1000)

    result = totals(province_rows(province=dong_thap, period="2023Q1"))

    # (950 + 1.000) / (100 + 900 + 0 + 3.000) = 1.950 / 4.000 = 48,75 %
    resolution = result["indicators"]["resolution_rate"]
    assert (resolution.numerator, resolution.denominator, resolution.value) == (1950, 4000, Decimal("48.75"))
    assert result["figures"]["to_handle"] == 4000


# --- Zero and blank -------------------------------------------------------------------------------------------------


def test_a_zero_denominator_keeps_its_pair_but_has_no_value(dong_thap):
    make_counted_report(make_district(dong_thap, "874"), 2023, 1, resolved=0, resolved_in_time=0, resolved_late=0)

    row = row_of("874", "2023Q1")

    assert pair(row, "on_time_rate") == (0, 0)
    assert value(row, "on_time_rate") is None
    assert row.on_time_rate_sort is None


def test_a_zero_numerator_is_zero_percent(dong_thap):
    make_counted_report(make_district(dong_thap, "874"), 2023, 1, received=500, received_online=0)

    row = row_of("874", "2023Q1")

    assert value(row, "online_rate") == Decimal("0.00")
    assert row.online_rate_sort == 0


# --- How figures add up over a longer period -------------------------------------------------------------------------

Q1 = {
    "carried_over": 100,
    "received": 1000,
    "resolved": 900,
    "resolved_in_time": 850,
    "resolved_late": 50,
    "pending": 200,
    "pending_overdue": 10,
    "procedures_total": 50,
    "procedures_reviewed": 10,
    "procedures_simplified": 2,
    "units_planned_inspection": 20,
    "units_inspected": 5,
    "communication_news": 3,
}
# Balances hold: 100 + 1.000 − 900 = 200; 200 + 500 − 600 = 100; 100 + 300 − 350 = 50.
Q2 = {
    "carried_over": 200,
    "received": 500,
    "resolved": 600,
    "resolved_in_time": 600,
    "resolved_late": 0,
    "pending": 100,
    "pending_overdue": 0,
    "procedures_total": 52,
    "procedures_reviewed": 30,
    "procedures_simplified": 8,
    "units_planned_inspection": 20,
    "units_inspected": 12,
    "communication_news": 4,
}
Q3 = {
    "carried_over": 100,
    "received": 300,
    "resolved": 350,
    "resolved_in_time": 340,
    "resolved_late": 10,
    "pending": 50,
    "pending_overdue": 5,
    "procedures_total": 52,
    "procedures_reviewed": 40,
    "procedures_simplified": 9,
    "units_planned_inspection": 21,
    "units_inspected": 18,
    "communication_news": 1,
}


@pytest.fixture
def three_quarters(dong_thap):
    district = make_district(dong_thap, "874")
    for quarter, figures in ((1, Q1), (2, Q2), (3, Q3)):
        make_counted_report(district, 2023, quarter, **figures)
    return district


def figures_of(row, *codes):
    return {code: getattr(row, code) for code in codes}


FIRST_LAST_SUM = (
    "carried_over",
    "received",
    "resolved",
    "pending",
    "pending_overdue",
    "procedures_total",
    "procedures_reviewed",
    "procedures_simplified",
    "units_planned_inspection",
    "units_inspected",
    "communication_news",
)


def test_the_first_half_takes_carried_over_from_q1_pending_and_procedures_from_q2_and_sums_the_rest(
    three_quarters,
):
    row = row_of("874", "2023H1")

    assert figures_of(row, *FIRST_LAST_SUM) == {
        "carried_over": 100,  # Q1's
        "received": 1500,  # 1.000 + 500
        "resolved": 1500,  # 900 + 600
        "pending": 100,  # Q2's
        "pending_overdue": 0,  # Q2's
        "procedures_total": 52,  # Q2's
        "procedures_reviewed": 30,  # Q2's (year to date)
        "procedures_simplified": 8,  # Q2's
        "units_planned_inspection": 20,  # Q2's
        "units_inspected": 12,  # Q2's
        "communication_news": 7,  # 3 + 4
    }
    # Resolution: 1.500 / (100 + 1.500) = 93,75 %; on time: (850 + 600) / 1.500 = 96,666… → 96,67 %
    assert value(row, "resolution_rate") == Decimal("93.75")
    assert value(row, "on_time_rate") == Decimal("96.67")
    # Reviewed 30 of 52 → 57,69 %; simplified 8 of 30 → 26,67 %; inspected 12 of 20 → 60,00 %
    assert value(row, "procedures_reviewed_rate") == Decimal("57.69")
    assert value(row, "procedures_simplified_rate") == Decimal("26.67")
    assert value(row, "inspection_coverage") == Decimal("60.00")


def test_nine_months_take_carried_over_from_q1_and_the_stocks_from_q3(three_quarters):
    row = row_of("874", "2023M9")

    assert figures_of(row, *FIRST_LAST_SUM) == {
        "carried_over": 100,
        "received": 1800,  # 1.000 + 500 + 300
        "resolved": 1850,  # 900 + 600 + 350
        "pending": 50,
        "pending_overdue": 5,
        "procedures_total": 52,
        "procedures_reviewed": 40,
        "procedures_simplified": 9,
        "units_planned_inspection": 21,
        "units_inspected": 18,
        "communication_news": 8,  # 3 + 4 + 1
    }
    # Resolution: 1.850 / (100 + 1.800) = 0,973684… → 97,37 %
    assert value(row, "resolution_rate") == Decimal("97.37")


def test_the_year_without_a_q4_report_takes_its_stocks_from_q3(three_quarters):
    year, nine_months = row_of("874", "2023"), row_of("874", "2023M9")

    assert figures_of(year, *FIRST_LAST_SUM) == figures_of(nine_months, *FIRST_LAST_SUM)


def test_the_second_half_takes_carried_over_from_its_own_first_quarter(three_quarters):
    row = row_of("874", "2023H2")

    # Only Q3 is in H2: its own carried over 100, received 300, pending 50
    assert figures_of(row, "carried_over", "received", "pending", "procedures_reviewed") == {
        "carried_over": 100,
        "received": 300,
        "pending": 50,
        "procedures_reviewed": 40,
    }


def test_a_report_only_in_q2_still_gives_the_first_half_its_carried_over(dong_thap):
    # Đắk Song's case: the half year entered as one report in Q2
    make_counted_report(make_district(dong_thap, "665"), 2023, 2, carried_over=1727, received=13324, resolved=12530)

    row = row_of("665", "2023H1")

    assert row.carried_over == 1727
    # 1.727 + 13.324 = 15.051 to handle; 12.530 / 15.051 → 83,25 %
    assert row.to_handle == 15051
    assert value(row, "resolution_rate") == Decimal("83.25")


def test_the_stocks_of_a_period_come_from_its_latest_reported_quarter_across_a_gap(dong_thap):
    district = make_district(dong_thap, "874")
    make_counted_report(district, 2023, 1, carried_over=10, received=100, resolved=80, pending=30, procedures_total=7)
    make_counted_report(district, 2023, 3, carried_over=40, received=60, resolved=90, pending=10, procedures_total=9)

    half, nine_months = row_of("874", "2023H1"), row_of("874", "2023M9")

    # H1 has only Q1; M9's latest report is Q3 (Q2 has none), its earliest Q1
    assert figures_of(half, "carried_over", "pending", "procedures_total") == {
        "carried_over": 10,
        "pending": 30,
        "procedures_total": 7,
    }
    assert figures_of(nine_months, "carried_over", "received", "pending", "procedures_total") == {
        "carried_over": 10,
        "received": 160,  # 100 + 60
        "pending": 10,
        "procedures_total": 9,
    }


def test_first_and_last_add_the_levels_of_that_one_quarter(dong_thap):
    district = make_district(dong_thap, "874")
    make_report(
        district,
        2023,
        1,
        status=ReportStatus.APPROVED,
        levels={
            "district": {"carried_over": 10, "received": 100, "pending": 20},
            "commune": {"carried_over": 30, "received": 200, "pending": 40},
        },
    )
    make_report(
        district,
        2023,
        2,
        status=ReportStatus.APPROVED,
        levels={
            "district": {"carried_over": 20, "received": 50, "pending": 5},
            "commune": {"carried_over": 40, "received": 70, "pending": 6},
        },
    )

    row = row_of("874", "2023H1")

    # carried over: Q1's 10 + 30; pending: Q2's 5 + 6; received: 100 + 200 + 50 + 70
    assert figures_of(row, "carried_over", "pending", "received") == {
        "carried_over": 40,
        "pending": 11,
        "received": 420,
    }


def test_a_draft_is_not_the_first_report_of_a_period(dong_thap):
    district = make_district(dong_thap, "874")
    make_counted_report(district, 2023, 1, status=ReportStatus.DRAFT, carried_over=999, received=1)
    make_counted_report(district, 2023, 2, carried_over=50, received=100)

    row = row_of("874", "2023H1")

    # The draft is the district's own business: H1 starts from the submitted Q2
    assert (row.carried_over, row.received) == (50, 100)


def test_a_longer_periods_rate_is_the_ratio_of_its_summed_quarters(dong_thap):
    district = make_district(dong_thap, "874")
    make_counted_report(district, 2023, 1, resolved=1000, resolved_in_time=990, resolved_late=10)
    make_counted_report(district, 2023, 2, resolved=10, resolved_in_time=0, resolved_late=10)

    row = row_of("874", "2023H1")

    # (990 + 0) / (1.000 + 10) = 990 / 1.010 = 0,980198… → 98,02 %, not (99 + 0) / 2
    assert pair(row, "on_time_rate") == (990, 1010)
    assert value(row, "on_time_rate") == Decimal("98.02")


# --- Reform plans ------------------------------------------------------------------------------------------------


def test_plan_completion_counts_the_tasks_done_by_the_end_of_the_period(dong_thap):
    district = make_district(dong_thap, "874")
    plan = make_plan(district, 2021)
    make_tasks(plan, 18, status=ReformTask.Status.DONE, completed_on=date(2021, 7, 30))
    make_tasks(plan, 17)

    # Done on 30 July: not by 30 June, by 30 September
    assert pair(row_of("874", "2021H1"), "plan_completion") == (0, 35)
    assert pair(row_of("874", "2021M9"), "plan_completion") == (18, 35)
    # 18/35 → 51,43 %
    assert value(row_of("874", "2021"), "plan_completion") == Decimal("51.43")


def test_a_unit_without_a_plan_has_no_plan_completion_rather_than_zero(dong_thap):
    make_district(dong_thap, "874")

    row = row_of("874", "2021")

    assert pair(row, "plan_completion") == (None, None)


def test_plan_completion_reads_the_plan_of_the_periods_year_only(dong_thap):
    district = make_district(dong_thap, "874")
    make_tasks(make_plan(district, 2022), 4, status=ReformTask.Status.DONE, completed_on=date(2022, 3, 1))

    assert pair(row_of("874", "2021"), "plan_completion") == (None, None)
    assert pair(row_of("874", "2022"), "plan_completion") == (4, 4)


# --- Which units make up a province ---------------------------------------------------------------------------------


def test_a_district_abolished_in_2025_is_in_2023_and_not_in_2026(dong_thap):
    make_district(dong_thap, "874", valid_until=date(2025, 6, 30))
    make_district(dong_thap, "875")

    def codes(period):
        return set(province_units(province=dong_thap, period=period).values_list("code", flat=True))

    assert codes("2023Q1") == {"874", "875"}
    assert codes("2026Q1") == {"875"}
    # It existed during the first half of 2025 and so in the year 2025, but not in its third quarter
    assert codes("2025H1") == {"874", "875"}
    assert codes("2025") == {"874", "875"}
    assert codes("2025Q3") == {"875"}


def test_communes_under_a_district_are_not_rows_of_the_province(dong_thap):
    district = make_district(dong_thap, "874")
    make_commune(district, "29620")

    units = province_units(province=dong_thap, period="2023Q1")

    assert set(units.values_list("code", flat=True)) == {"874"}


def test_communes_directly_under_the_province_after_2025_are_its_rows(dong_thap):
    make_district(dong_thap, "874", valid_until=date(2025, 6, 30))
    make_commune(dong_thap, "29620", valid_from=date(2025, 7, 1))

    assert set(province_units(province=dong_thap, period="2025Q4").values_list("code", flat=True)) == {"29620"}


def test_a_provinces_own_report_makes_it_a_row_and_counts_in_the_total(dong_thap):
    make_counted_report(dong_thap, 2023, 1, level="province", resolved=1000, resolved_in_time=900, resolved_late=100)
    make_counted_report(make_district(dong_thap, "874"), 2023, 1, resolved=100, resolved_in_time=100, resolved_late=0)

    rows = list(province_rows(province=dong_thap, period="2023Q1"))
    on_time = totals(rows)["indicators"]["on_time_rate"]

    assert [row.code for row in rows] == ["87", "874"]
    # (900 + 100) / (1.000 + 100) = 1.000 / 1.100 = 0,909090… → 90,91 %
    assert (on_time.numerator, on_time.denominator) == (1000, 1100)
    assert on_time.value == Decimal("90.91")


def test_a_province_without_a_report_of_its_own_is_not_a_row(dong_thap):
    make_counted_report(dong_thap, 2023, 1, status=ReportStatus.DRAFT, level="province", received=5)
    make_counted_report(dong_thap, 2023, 2, level="province", received=5)
    make_district(dong_thap, "874")

    # The draft does not count; the Q2 report is outside Q1
    assert set(province_units(province=dong_thap, period="2023Q1").values_list("code", flat=True)) == {"874"}
    assert set(province_units(province=dong_thap, period="2023H1").values_list("code", flat=True)) == {"87", "874"}


def test_another_provinces_districts_are_not_rows(dong_thap):
    make_district(dong_thap, "874")
    make_district(make_province("67", "Đắk Nông"), "665", "Đắk Song")

    assert set(province_units(province=dong_thap, period="2023Q1").values_list("code", flat=True)) == {"874"}


# --- Statuses ---------------------------------------------------------------------------------------------------------


def test_submitted_and_approved_reports_count_and_a_draft_or_returned_one_does_not(dong_thap):
    for code, status in (("874", "approved"), ("875", "submitted"), ("876", "draft"), ("877", "returned")):
        make_counted_report(make_district(dong_thap, code), 2023, 1, status=status, received=10)

    rows = {row.code: row for row in province_rows(province=dong_thap, period="2023Q1")}

    assert {code: row.received for code, row in rows.items()} == {"874": 10, "875": 10, "876": None, "877": None}
    assert {code: (row.reports_counted, row.reports_unapproved) for code, row in rows.items()} == {
        "874": (1, 0),
        "875": (1, 1),
        "876": (0, 0),
        "877": (0, 0),
    }


def test_approved_only_leaves_a_submitted_report_out(dong_thap):
    make_counted_report(make_district(dong_thap, "875"), 2023, 1, status="submitted", received=10)

    row = unit_rows(units=Unit.objects.filter(code="875"), period="2023Q1", statuses=(ReportStatus.APPROVED,))[0]

    assert (row.received, row.reports_counted) == (None, 0)


# --- Recommendations --------------------------------------------------------------------------------------------------


def test_open_and_overdue_recommendations_are_counted_as_of_today(dong_thap):
    district = make_district(dong_thap, "874")
    make_recommendation(district, deadline=date(2024, 1, 31))
    make_recommendation(district, deadline=date(2024, 3, 31), status=Recommendation.Status.IN_PROGRESS)
    make_recommendation(district, deadline=None)
    make_recommendation(district, deadline=date(2024, 1, 1), status="done", closed_on=date(2024, 1, 2))

    row = unit_rows(units=Unit.objects.filter(code="874"), period="2024Q1", today=date(2024, 2, 15))[0]

    # Three not closed; of them only the one due 31 January is past its deadline on 15 February
    assert (row.recommendations_open, row.recommendations_overdue) == (3, 1)


# --- The latest period with data, and the query budget ----------------------------------------------------------------


def test_the_latest_period_with_data_is_the_provinces_latest_counted_quarter(demo):
    assert latest_period_with_data(province=Unit.objects.get(code="87")) == Period.quarter(2021, 3)
    assert latest_period_with_data(province=Unit.objects.get(code="67")) == Period.quarter(2023, 2)
    assert latest_period_with_data(province=Unit.objects.get(code="14")) == Period.quarter(2018, 2)
    assert latest_period_with_data() == Period.quarter(2023, 2)


def test_the_latest_period_ignores_drafts(dong_thap):
    district = make_district(dong_thap, "874")
    make_counted_report(district, 2022, 4, received=1)
    make_counted_report(district, 2023, 1, status=ReportStatus.DRAFT, received=1)

    assert latest_period_with_data(province=dong_thap) == Period.quarter(2022, 4)


def test_without_any_report_the_latest_period_is_the_last_quarter_that_has_ended(dong_thap):
    # Not the quarter running today: provinces without figures once opened on an empty, unfinished quarter.
    assert latest_period_with_data(province=dong_thap) == Period.containing(date.today()).previous_quarter()


def test_a_report_of_the_quarter_still_running_does_not_make_it_the_default(dong_thap):
    district = make_district(dong_thap, "874")
    running = Period.containing(date.today())
    ended = running.previous_quarter()
    make_counted_report(district, ended.year, ended.first_quarter, received=1)
    make_counted_report(district, running.year, running.first_quarter, received=1)

    assert latest_period_with_data(province=dong_thap) == ended


@pytest.mark.parametrize("districts", [3, 30])
def test_a_provinces_rows_take_one_query_whatever_the_number_of_districts(dong_thap, districts):
    for number in range(districts):
        district = make_district(dong_thap, f"{800 + number}", f"Huyện {number}", kind=UnitKind.DISTRICT)
        make_counted_report(district, 2023, 1, carried_over=1, received=10, resolved=9, pending=2)
        make_counted_report(district, 2023, 2, carried_over=2, received=10, resolved=10, pending=2)

    with CaptureQueriesContext(connection) as queries:
        rows = list(province_rows(province=dong_thap, period="2023H1"))
        result = totals(rows)

    assert len(queries) == 1
    assert len(rows) == districts
    # Each district: carried over 1 (Q1), received 10 + 10, resolved 9 + 10
    assert result["figures"]["to_handle"] == districts * 21
    assert result["indicators"]["resolution_rate"].value == Decimal("90.48")  # 19/21 = 0,904761…
