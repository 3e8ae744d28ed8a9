"""Colour bands: which band a rate falls in, worked out by hand at each edge (default set: đạt from 0 points,
gần đạt from −5, chưa đạt below)."""

import dataclasses
from decimal import Decimal

import pytest

from cchc import targets as targets_module
from cchc.indicators import INDICATORS_BY_CODE
from cchc.models import Band, LegendSet, Target
from cchc.targets import TargetBook, band_of, gap
from tests.factories import make_district, make_province, save_refused_by_database

D = Decimal


def label(book, unit, code, value):
    band = book.standing(unit, code, value).band
    return band.label if band else None


@pytest.fixture
def setup(bands):
    province = make_province()
    district = make_district(province)
    Target.objects.create(indicator="on_time_rate", year=2023, unit=province, value=D("98"))
    return district


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("100.00"), "Đạt"),
        (D("98.00"), "Đạt"),  # exactly at the target: gap 0 ≥ 0
        (D("97.99"), "Gần đạt"),  # gap −0,01
        (D("93.00"), "Gần đạt"),  # gap −5 exactly: still within the margin
        (D("92.99"), "Chưa đạt"),  # gap −5,01
        (D("0.00"), "Chưa đạt"),
        (None, None),  # no value, no band: a target never colours a "—"
    ],
)
def test_higher_is_better_edges(setup, value, expected):
    book = TargetBook(year=2023, units=[setup])
    assert label(book, setup, "on_time_rate", value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("0.00"), "Đạt"),
        (D("5.00"), "Đạt"),  # exactly at a ceiling of 5 %: gap 5 − 5 = 0
        (D("5.01"), "Gần đạt"),  # gap 5 − 5,01 = −0,01
        (D("10.00"), "Gần đạt"),  # gap −5
        (D("10.01"), "Chưa đạt"),  # gap −5,01
    ],
)
def test_lower_is_better_edges(setup, value, expected, monkeypatch):
    # No core indicator is lower-is-better today; the direction comes from the registry, so make one so.
    ceiling = dataclasses.replace(INDICATORS_BY_CODE["online_rate"], higher_is_better=False)
    monkeypatch.setitem(targets_module.INDICATORS_BY_CODE, "online_rate", ceiling)
    Target.objects.create(indicator="online_rate", year=2023, unit=setup, value=D("5"))
    book = TargetBook(year=2023, units=[setup])
    assert label(book, setup, "online_rate", value) == expected
    assert book.standing(setup, "online_rate", None).target_shown == "≤ 5,00%"


def test_gap_sign_follows_the_direction():
    assert gap(D("90"), D("98"), higher_is_better=True) == D("-8")
    assert gap(D("90"), D("98"), higher_is_better=False) == D("8")
    assert gap(None, D("98"), higher_is_better=True) is None


def test_a_set_of_bands_is_data(db):
    legend_set = LegendSet.objects.create(name="Bốn mức")
    for name, points in (("Vượt", 5), ("Đạt", 0), ("Thấp", -10), ("Rất thấp", None)):
        Band.objects.create(
            legend_set=legend_set, label=name, from_points=None if points is None else D(points), colour="#004488"
        )
    bands = list(legend_set.bands.all())
    assert [band_of(D(points), bands).label for points in (7, 5, 4.99, 0, -10, -10.01)] == [
        "Vượt",
        "Vượt",
        "Đạt",
        "Đạt",
        "Thấp",
        "Rất thấp",
    ]


def test_a_target_may_name_its_own_set(setup):
    strict = LegendSet.objects.create(name="Chặt")
    Band.objects.create(legend_set=strict, label="Đạt", from_points=D(0), colour="#004488")
    Band.objects.create(legend_set=strict, label="Không đạt", from_points=None, colour="#BB5566")
    Target.objects.filter(unit=setup.parent).update(legend_set=strict)
    book = TargetBook(year=2023, units=[setup])
    assert label(book, setup, "on_time_rate", D("97.99")) == "Không đạt"


def test_two_bands_cannot_start_at_the_same_point(bands):
    assert save_refused_by_database(Band(legend_set=bands, label="X", from_points=D(0), colour="#000000"))
    assert save_refused_by_database(Band(legend_set=bands, label="Y", from_points=None, colour="#000000"))


def test_only_one_default_set(bands):
    assert save_refused_by_database(LegendSet(name="Khác", is_default=True))


def test_text_colour_reads_on_the_band(bands):
    colours = {band.label: band.text_colour for band in bands.bands.all()}
    # #004488: luminance ≈ 0.055, white reads better; #DDAA33 ≈ 0.46 and #BB5566 ≈ 0.180 (> 0.179), black does.
    assert colours == {"Đạt": "#ffffff", "Gần đạt": "#000000", "Chưa đạt": "#000000"}
