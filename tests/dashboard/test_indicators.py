"""Rates and how they are written (cchc/indicators.py): rounding half up, never 100,00% below 100 %, never 0,00%
above 0, "—" without a value; and the registry of the eight indicators of docs/domain.md (§Indicators).

Every expected value is worked out by hand in the comment beside it.
"""

from decimal import Decimal

import pytest

from cchc.indicators import (
    INDICATORS,
    INDICATORS_BY_CODE,
    PER_LEVEL,
    PER_ROW,
    PER_UNIT,
)
from cchc.lib.numbers import format_number, format_rate, rate

# --- rate() ----------------------------------------------------------------------------------------------------


def test_it_computes_dak_songs_on_time_rate_from_the_counts():
    # 10.840 / 12.530 = 0,865124… → 86,5124 % → 86,51 %
    assert rate(10840, 12530) == Decimal("86.51")


def test_it_gives_the_rate_as_a_decimal_with_two_places():
    value = rate(10840, 12530)

    assert isinstance(value, Decimal)
    assert value.as_tuple().exponent == -2


def test_it_rounds_exactly_two_thirds_up_to_66_67():
    # 2 / 3 = 66,666… % → 66,67 %
    assert rate(2, 3) == Decimal("66.67")


def test_it_rounds_an_exact_half_hundredth_up_not_to_even():
    # 1 / 32 = 3,125 % exactly: half up gives 3,13 (banker's rounding would give 3,12)
    assert rate(1, 32) == Decimal("3.13")
    # 1 / 160 = 0,625 % exactly → 0,63 (banker's: 0,62)
    assert rate(1, 160) == Decimal("0.63")


def test_it_rounds_down_below_the_half():
    # 1 / 3 = 33,333… % → 33,33 %
    assert rate(1, 3) == Decimal("33.33")


def test_it_keeps_thanh_binhs_seven_late_dossiers_visible():
    # 86.041 / 86.048 = 1 − 7/86.048 = 0,999918… → 99,9918 % → 99,99 %
    assert rate(86041, 86048) == Decimal("99.99")


def test_one_late_dossier_of_86048_is_99_99_not_100_00():
    # 86.047 / 86.048 = 1 − 1/86.048 = 0,9999884… → 99,99884 %, which half up would round to 100,00
    assert rate(86047, 86048) == Decimal("99.99")


def test_a_tiny_positive_rate_is_0_01_not_0_00():
    # 1 / 86.048 = 0,00116 % → would round to 0,00
    assert rate(1, 86048) == Decimal("0.01")


def test_a_whole_is_100_00_and_nothing_is_0_00():
    assert rate(14506, 14506) == Decimal("100.00")
    assert rate(0, 12530) == Decimal("0.00")


def test_a_zero_numerator_is_a_value_not_a_blank():
    # 0 of 35 tasks done is 0 %, a real value, unlike a blank figure
    assert rate(0, 35) is not None


@pytest.mark.parametrize(
    ("numerator", "denominator"),
    [(0, 0), (5, 0), (None, 10), (10, None), (None, None)],
    ids=["zero-over-zero", "something-over-zero", "blank-numerator", "blank-denominator", "both-blank"],
)
def test_it_has_no_value_for_a_zero_or_blank_denominator_or_a_blank_numerator(numerator, denominator):
    assert rate(numerator, denominator) is None


def test_it_computes_the_articles_rates_from_their_counts():
    # Seed 000: 18/35 = 0,514285… → 51,43 % (the article says 51,42 %)
    assert rate(18, 35) == Decimal("51.43")
    # Seed 000: 181/456 = 0,396929… → 39,69 %; 36/181 = 0,198895… → 19,89 %; 9/19 = 0,473684… → 47,37 %
    assert rate(181, 456) == Decimal("39.69")
    assert rate(36, 181) == Decimal("19.89")
    assert rate(9, 19) == Decimal("47.37")
    # Seed 000: 40/62 = 0,645161… → 64,52 % (the article says 64,5 %)
    assert rate(40, 62) == Decimal("64.52")
    # Seed 004: 250/295 = 0,847457… → 84,75 %; 14.506/14.607 = 1 − 101/14.607 = 0,993085… → 99,31 %
    assert rate(250, 295) == Decimal("84.75")
    assert rate(14506, 14607) == Decimal("99.31")
    # Seed 002: 12.530/15.051 = 0,832503… → 83,25 %
    assert rate(12530, 15051) == Decimal("83.25")


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

# docs/domain.md, §Indicators: numerator and denominator of each, by the figures' codes.
CORE_INDICATORS = {
    "on_time_rate": ("resolved_in_time", "resolved"),
    "resolution_rate": ("resolved", "carried_over + received"),
    "online_rate": ("received_online", "received"),
    "postal_rate": ("received_postal", "received"),
    "plan_completion": ("tasks_done", "tasks_total"),
    "procedures_reviewed_rate": ("procedures_reviewed", "procedures_total"),
    "procedures_simplified_rate": ("procedures_simplified", "procedures_reviewed"),
    "inspection_coverage": ("units_inspected", "units_planned_inspection"),
}


def _expression(codes):
    """The figure codes a numerator or denominator adds up, as docs/domain.md shows them."""
    return " + ".join(codes)


def test_the_registry_holds_the_eight_core_indicators_of_the_domain():
    assert [indicator.code for indicator in INDICATORS] == list(CORE_INDICATORS)
    assert set(INDICATORS_BY_CODE) == set(CORE_INDICATORS)


@pytest.mark.parametrize("code", list(CORE_INDICATORS))
def test_each_indicator_divides_the_figures_the_domain_names(code):
    indicator = INDICATORS_BY_CODE[code]

    assert (_expression(indicator.numerator), _expression(indicator.denominator)) == CORE_INDICATORS[code]


def test_an_indicators_row_values_are_named_after_its_code():
    indicator = INDICATORS_BY_CODE["on_time_rate"]

    assert (indicator.num, indicator.den, indicator.full, indicator.sort) == (
        "on_time_rate_num",
        "on_time_rate_den",
        "on_time_rate_full",
        "on_time_rate_sort",
    )


@pytest.mark.parametrize(
    ("code", "grain"),
    [
        # Flows over flows pair on each level row of each quarter
        ("on_time_rate", PER_ROW),
        ("online_rate", PER_ROW),
        ("postal_rate", PER_ROW),
        # Carried over (first quarter's) + received (summed): paired per level after each figure's time rule
        ("resolution_rate", PER_LEVEL),
        # Figures of the unit as a whole
        ("plan_completion", PER_UNIT),
        ("procedures_reviewed_rate", PER_UNIT),
        ("procedures_simplified_rate", PER_UNIT),
        ("inspection_coverage", PER_UNIT),
    ],
)
def test_each_indicator_pairs_its_figures_at_the_grain_of_their_rows(code, grain):
    assert INDICATORS_BY_CODE[code].grain == grain


def test_an_indicators_value_is_the_rate_of_its_pair():
    # 10.840 / 12.530 → 86,51 % (see above)
    assert INDICATORS_BY_CODE["on_time_rate"].value(10840, 12530) == Decimal("86.51")
    assert INDICATORS_BY_CODE["on_time_rate"].value(0, 0) is None
