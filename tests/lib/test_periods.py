"""Reporting periods: the codes of URLs and files, their dates, quarters and Vietnamese labels."""

from datetime import date

import pytest
from django.utils import translation

from cchc.lib import periods
from cchc.lib.periods import Period, is_known_year

# code: (first day, last day, quarters, label)
PERIODS = {
    "2023Q1": (date(2023, 1, 1), date(2023, 3, 31), [1], "Quý I/2023"),
    "2023Q2": (date(2023, 4, 1), date(2023, 6, 30), [2], "Quý II/2023"),
    "2023Q3": (date(2023, 7, 1), date(2023, 9, 30), [3], "Quý III/2023"),
    "2023Q4": (date(2023, 10, 1), date(2023, 12, 31), [4], "Quý IV/2023"),
    "2023H1": (date(2023, 1, 1), date(2023, 6, 30), [1, 2], "6 tháng đầu năm 2023"),
    "2023H2": (date(2023, 7, 1), date(2023, 12, 31), [3, 4], "6 tháng cuối năm 2023"),
    "2023M9": (date(2023, 1, 1), date(2023, 9, 30), [1, 2, 3], "9 tháng đầu năm 2023"),
    "2023": (date(2023, 1, 1), date(2023, 12, 31), [1, 2, 3, 4], "Năm 2023"),
    "2024Q1": (date(2024, 1, 1), date(2024, 3, 31), [1], "Quý I/2024"),
    "2025H1": (date(2025, 1, 1), date(2025, 6, 30), [1, 2], "6 tháng đầu năm 2025"),
}


@pytest.mark.parametrize(("code", "expected"), PERIODS.items(), ids=PERIODS)
def test_a_period_code_gives_its_first_and_last_day_and_its_quarters(code, expected):
    start, end, quarters, _label = expected
    period = Period.parse(code)

    assert (period.start, period.end) == (start, end)
    assert period.quarters == [(start.year, quarter) for quarter in quarters]
    assert period.is_quarter == (len(quarters) == 1)


@pytest.mark.parametrize("code", PERIODS)
def test_a_parsed_period_gives_back_its_code(code):
    period = Period.parse(code)

    assert period.code == code
    assert str(period) == code


@pytest.mark.parametrize(("code", "label"), [(code, expected[3]) for code, expected in PERIODS.items()], ids=PERIODS)
def test_a_period_is_labelled_in_vietnamese(code, label):
    with translation.override("vi"):
        assert Period.parse(code).label == label


@pytest.mark.parametrize("code", ["2023Q5", "2023Q0", "2023H3", "2023M6", "2023Q1Q2", "23Q1", "abc", "", "  "])
def test_it_refuses_what_is_not_a_period_code_with_a_vietnamese_message(code):
    with translation.override("vi"), pytest.raises(ValueError) as caught:
        Period.parse(code)

    assert str(caught.value) == f"“{code}” không phải mã kỳ báo cáo (ví dụ 2023Q1, 2023H1, 2023M9, 2023)."


def test_a_missing_code_is_refused_as_well():
    with pytest.raises(ValueError):
        Period.parse(None)


@pytest.mark.parametrize(
    ("day", "code"),
    [
        (date(2025, 1, 1), "2025Q1"),
        (date(2025, 3, 31), "2025Q1"),
        (date(2025, 6, 30), "2025Q2"),
        (date(2025, 7, 1), "2025Q3"),
        (date(2025, 12, 31), "2025Q4"),
    ],
)
def test_the_quarter_containing_a_day(day, code):
    assert Period.containing(day).code == code


@pytest.mark.parametrize(
    ("code", "previous"),
    [("2023Q1", "2022Q4"), ("2023Q2", "2023Q1"), ("2023H2", "2023Q2"), ("2024", "2023Q4"), ("2023M9", "2022Q4")],
)
def test_the_quarter_before_a_period(code, previous):
    assert Period.parse(code).previous_quarter().code == previous


def test_a_quarter_built_from_year_and_number_is_the_parsed_one():
    assert Period.quarter(2023, 3) == Period.parse("2023Q3")
    assert Period.quarter(2023, 3) != Period.parse("2024Q3")


# --- The one statement of years, choices and quarters (cchc.lib.periods) ------------------------------------------


def test_the_year_bounds_are_2000_and_2100_inclusive():
    assert [is_known_year(year) for year in (1999, 2000, 2100, 2101, None)] == [False, True, True, False, False]


def test_eight_quarters_ending_with_2024q2_start_in_2022q3():
    quarters = Period.parse("2024Q2").quarters_ending(8)

    assert [quarter.code for quarter in quarters] == [
        "2022Q3",
        "2022Q4",
        "2023Q1",
        "2023Q2",
        "2023Q3",
        "2023Q4",
        "2024Q1",
        "2024Q2",
    ]


def test_the_first_half_holds_its_quarters_and_no_other_years():
    half = Period.parse("2023H1")

    assert [half.contains(Period.parse(code)) for code in ("2023Q1", "2023Q2", "2023Q3", "2024Q1")] == [
        True,
        True,
        False,
        False,
    ]


def test_the_choices_of_a_year_list_its_quarters_then_its_longer_periods(monkeypatch):
    monkeypatch.setattr(periods.timezone, "localdate", lambda: date(2024, 5, 1))

    every = periods.period_choices(2024)
    quarters = periods.period_choices(2023, quarters_only=True)

    assert [code for code, _label in every[0][1]] == [
        "2024Q4",
        "2024Q3",
        "2024Q2",
        "2024Q1",
        "2024H2",
        "2024M9",
        "2024H1",
        "2024",
    ]
    assert [(year, [code for code, _label in group]) for year, group in quarters] == [
        ("2024", ["2024Q4", "2024Q3", "2024Q2", "2024Q1"]),
        ("2023", ["2023Q4", "2023Q3", "2023Q2", "2023Q1"]),
    ]
