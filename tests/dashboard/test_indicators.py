"""Rates and how they are written (cchc/indicators.py): rounding half up, never 100,00% below 100 %, never 0,00%
above 0, "—" without a value; and the registry of the eight indicators of docs/domain.md (§Indicators).

Every expected value is worked out by hand in the comment beside it.
"""

from datetime import date
from decimal import Decimal

import pytest

from cchc.indicators import INDICATORS_BY_CODE
from cchc.lib.numbers import format_number, format_rate, rate
from cchc.selectors import indicator_values, unit_rows
from districts.models import ReformTask, Unit
from tests.factories import make_counted_report, make_plan, make_tasks

# --- rate() ----------------------------------------------------------------------------------------------------


# Each: numerator, denominator and the rate worked out by hand (percent, two places, half up).
ROUNDINGS = {
    # 10.840 / 12.530 = 0,865124… → 86,5124 % → 86,51 %
    "Đắk Song's on-time rate": (10840, 12530, "86.51"),
    # 2 / 3 = 66,666… % → 66,67 %
    "two thirds up to 66,67": (2, 3, "66.67"),
    # 1 / 32 = 3,125 % exactly: half up gives 3,13 (banker's rounding would give 3,12)
    "an exact half hundredth up, not to even": (1, 32, "3.13"),
    # 1 / 160 = 0,625 % exactly → 0,63 (banker's: 0,62)
    "another exact half hundredth up": (1, 160, "0.63"),
    # 1 / 3 = 33,333… % → 33,33 %
    "down below the half": (1, 3, "33.33"),
    # 86.041 / 86.048 = 1 − 7/86.048 = 0,999918… → 99,9918 % → 99,99 %: Thanh Bình's seven late dossiers show
    "seven late dossiers of 86.048 stay visible": (86041, 86048, "99.99"),
    # 86.047 / 86.048 = 1 − 1/86.048 = 0,9999884… → 99,99884 %, which half up would round to 100,00
    "one late dossier of 86.048 is 99,99 not 100,00": (86047, 86048, "99.99"),
    # 1 / 86.048 = 0,00116 % → would round to 0,00
    "a tiny positive rate is 0,01 not 0,00": (1, 86048, "0.01"),
    "a whole is 100,00": (14506, 14506, "100.00"),
    "nothing is 0,00": (0, 12530, "0.00"),
    # 0 of 35 tasks done is 0 %, a real value, unlike a blank figure
    "a zero numerator is a value, not a blank": (0, 35, "0.00"),
    # The articles' rates. Seed 000: 18/35 = 0,514285… → 51,43 % (the article says 51,42 %)
    "seed 000: plan 18 of 35": (18, 35, "51.43"),
    # Seed 000: 181/456 = 0,396929… → 39,69 %; 36/181 = 0,198895… → 19,89 %; 9/19 = 0,473684… → 47,37 %
    "seed 000: procedures reviewed 181 of 456": (181, 456, "39.69"),
    "seed 000: procedures simplified 36 of 181": (36, 181, "19.89"),
    "seed 000: units inspected 9 of 19": (9, 19, "47.37"),
    # Seed 000: 40/62 = 0,645161… → 64,52 % (the article says 64,5 %)
    "seed 000: 40 of 62": (40, 62, "64.52"),
    # Seed 004: 250/295 = 0,847457… → 84,75 %; 14.506/14.607 = 1 − 101/14.607 = 0,993085… → 99,31 %
    "seed 004: plan 250 of 295": (250, 295, "84.75"),
    "seed 004: resolution 14.506 of 14.607": (14506, 14607, "99.31"),
    # Seed 002: 12.530/15.051 = 0,832503… → 83,25 %
    "seed 002: resolution 12.530 of 15.051": (12530, 15051, "83.25"),
}


@pytest.mark.parametrize(("numerator", "denominator", "expected"), ROUNDINGS.values(), ids=ROUNDINGS)
def test_it_rounds_the_rate_half_up_to_two_places(numerator, denominator, expected):
    assert rate(numerator, denominator) == Decimal(expected)


def test_it_gives_the_rate_as_a_decimal_with_two_places():
    value = rate(10840, 12530)

    assert isinstance(value, Decimal)
    assert value.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("numerator", "denominator"),
    [(0, 0), (5, 0), (None, 10), (10, None), (None, None)],
    ids=["zero-over-zero", "something-over-zero", "blank-numerator", "blank-denominator", "both-blank"],
)
def test_it_has_no_value_for_a_zero_or_blank_denominator_or_a_blank_numerator(numerator, denominator):
    assert rate(numerator, denominator) is None


# --- format_rate() and format_number() ---------------------------------------------------------------------------


def test_it_writes_a_rate_the_vietnamese_way():
    assert format_rate(Decimal("86.51")) == "86,51%"


def test_it_writes_two_decimals_even_when_they_are_zero():
    assert format_rate(Decimal("100")) == "100,00%"
    assert format_rate(rate(0, 7)) == "0,00%"
    assert format_rate(Decimal("84.7")) == "84,70%"


def test_it_separates_thousands_with_a_dot_in_a_rate_above_1000_percent():
    assert format_rate(Decimal("1234.5")) == "1.234,50%"


def test_a_rate_without_a_value_is_written_as_a_dash():
    assert format_rate(None) == "—"
    assert format_rate(rate(3, 0)) == "—"


def test_the_written_rate_of_one_late_dossier_is_not_100_00():
    # 86.047 / 86.048 → 99,99 % (see above)
    assert format_rate(rate(86047, 86048)) == "99,99%"
    # 1 / 86.048 → 0,01 %
    assert format_rate(rate(1, 86048)) == "0,01%"


def test_it_writes_counts_with_a_dot_between_thousands():
    assert format_number(86048) == "86.048"
    assert format_number(1234567) == "1.234.567"
    assert format_number(999) == "999"


def test_it_writes_zero_as_zero_and_blank_as_a_dash():
    assert format_number(0) == "0"
    assert format_number(None) == "—"


# --- The registry -------------------------------------------------------------------------------------------------


# docs/domain.md, §Indicators: what each indicator divides, checked on one unit's quarter whose figures give each
# indicator a rate of its own (the registry's definitions are read by the selector that computes the rates).
@pytest.mark.django_db
def test_each_indicator_divides_the_figures_the_domain_names(dong_thap, thanh_binh):
    make_counted_report(
        thanh_binh,
        2023,
        1,
        carried_over=20,
        received=80,
        received_online=30,
        received_postal=10,
        resolved=90,
        resolved_in_time=72,
        resolved_late=18,
        pending=10,
        procedures_total=64,
        procedures_reviewed=40,
        procedures_simplified=10,
        units_planned_inspection=8,
        units_inspected=7,
    )
    plan = make_plan(thanh_binh, 2023)
    make_tasks(plan, 3, status=ReformTask.Status.DONE, completed_on=date(2023, 3, 1))
    make_tasks(plan, 1)

    (row,) = unit_rows(units=Unit.objects.filter(pk=thanh_binh.pk), period="2023Q1")

    assert {code: (pair.numerator, pair.denominator, pair.value) for code, pair in indicator_values(row).items()} == {
        "on_time_rate": (72, 90, Decimal("80.00")),  # resolved in time / resolved
        "resolution_rate": (90, 100, Decimal("90.00")),  # resolved / (carried over 20 + received 80)
        "online_rate": (30, 80, Decimal("37.50")),  # received online / received
        "postal_rate": (10, 80, Decimal("12.50")),  # received by post / received
        "plan_completion": (3, 4, Decimal("75.00")),  # tasks done by the end of the quarter / tasks
        "procedures_reviewed_rate": (40, 64, Decimal("62.50")),  # reviewed / procedures
        "procedures_simplified_rate": (10, 40, Decimal("25.00")),  # simplified / reviewed
        "inspection_coverage": (7, 8, Decimal("87.50")),  # units inspected / units planned
    }


def test_an_indicators_value_is_the_rate_of_its_pair():
    # 10.840 / 12.530 → 86,51 % (see above)
    assert INDICATORS_BY_CODE["on_time_rate"].value(10840, 12530) == Decimal("86.51")
    assert INDICATORS_BY_CODE["on_time_rate"].value(0, 0) is None
