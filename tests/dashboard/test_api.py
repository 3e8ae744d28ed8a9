"""The JSON feed at ``/api/indicators/``: every figure and indicator of each unit and of the province total,
numbers as JSON numbers, null where there is no value, 400 with a JSON error for a bad question.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.lib.roles import PROVINCIAL_STAFF
from districts.models import UnitKind
from tests.factories import (
    make_counted_report,
    make_district,
    make_province_with_districts,
    make_user,
)

pytestmark = pytest.mark.django_db

FEED = "/api/indicators/"


def fully_covered(numerator, denominator, value):
    """A rate of the feed whose pair covers its whole denominator, with no target set."""
    return {
        "numerator": numerator,
        "denominator": denominator,
        "value": value,
        "coverage": {"denominator": denominator, "share": 1.0},
        "target": None,
        "band": None,
    }


def unit_of(data, code):
    return next(unit for unit in data["units"] if unit["code"] == code)


# --- The articles' figures, from the demo data ----------------------------------------------------------------------


def test_dak_songs_on_time_rate_is_a_number_with_its_integer_counts(demo_staff):
    response = demo_staff.get(FEED, {"province": "67", "period": "2023H1"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    on_time = unit_of(response.json(), "665")["indicators"]["on_time_rate"]
    # 10.840 / 12.530 → 86,51 %
    assert on_time == fully_covered(10840, 12530, 86.51)
    assert isinstance(on_time["value"], float)
    assert isinstance(on_time["numerator"], int)
    assert isinstance(on_time["denominator"], int)


def test_dak_songs_resolution_rate_and_figures(demo_staff):
    data = demo_staff.get(FEED, {"province": "67", "period": "2023H1"}).json()

    dak_song = unit_of(data, "665")
    # 12.530 / (1.727 + 13.324) = 12.530 / 15.051 → 83,25 %
    assert dak_song["indicators"]["resolution_rate"] == fully_covered(12530, 15051, 83.25)
    assert (dak_song["figures"]["carried_over"], dak_song["figures"]["received"]) == (1727, 13324)
    assert dak_song["figures"]["pending"] is None
    assert (dak_song["name"], dak_song["kind"]) == ("Huyện Đắk Song", "district")
    assert (data["period"], data["province"]) == ("2023H1", "67")


def test_bac_yens_rates(demo_staff):
    data = demo_staff.get(FEED, {"province": "14", "period": "2018H1"}).json()

    indicators = unit_of(data, "121")["indicators"]
    # 14.506/14.506 → 100; 14.506/14.607 → 99,31; 250/295 → 84,75
    assert indicators["on_time_rate"] == fully_covered(14506, 14506, 100.0)
    assert indicators["resolution_rate"] == fully_covered(14506, 14607, 99.31)
    assert indicators["plan_completion"] == fully_covered(250, 295, 84.75)


def test_thanh_binhs_rates_and_its_blank_ones(demo_staff):
    data = demo_staff.get(FEED, {"province": "87", "period": "2021"}).json()

    indicators = unit_of(data, "874")["indicators"]
    # 86.041/86.048 → 99,99 (not 100); 181/456 → 39,69; 36/181 → 19,89; 9/19 → 47,37; 18/35 → 51,43
    assert indicators["on_time_rate"] == fully_covered(86041, 86048, 99.99)
    assert indicators["procedures_reviewed_rate"]["value"] == 39.69
    assert indicators["procedures_simplified_rate"]["value"] == 19.89
    assert indicators["inspection_coverage"]["value"] == 47.37
    assert indicators["plan_completion"] == fully_covered(18, 35, 51.43)
    # Received is blank: no online rate, and neither half of its pair
    assert indicators["online_rate"] == {
        "numerator": None,
        "denominator": None,
        "value": None,
        "coverage": {"denominator": None, "share": None},
        "target": None,
        "band": None,
    }


def test_the_total_of_đồng_tháp_in_2021_is_thanh_binhs_alone(demo_staff):
    data = demo_staff.get(FEED, {"province": "87", "period": "2021"}).json()

    assert len(data["units"]) == 12
    assert data["total"]["indicators"]["on_time_rate"] == fully_covered(86041, 86048, 99.99)
    assert data["total"]["figures"]["resolved"] == 86048


def test_the_feed_writes_vietnamese_as_utf8_not_escapes(demo_staff):
    response = demo_staff.get(FEED, {"province": "67", "period": "2023H1"})

    assert "Huyện Đắk Song".encode() in response.content


def test_without_a_province_the_feed_covers_every_province_the_user_sees(demo_staff):
    data = demo_staff.get(FEED, {"period": "2023H1"}).json()

    # Provincial staff see every province: Đồng Tháp's 12 districts, Đắk Song and Bắc Yên
    assert data["province"] is None
    assert len(data["units"]) == 14
    # Only Đắk Song reported in 2023H1: 10.840 / 12.530 → 86,51 %
    assert data["total"]["indicators"]["on_time_rate"]["value"] == 86.51


# --- Built cases -----------------------------------------------------------------------------------------------------


def test_the_total_is_the_ratio_of_the_sums(staff_client, dong_thap):
    make_counted_report(
        make_district(dong_thap, "874"), 2023, 1, resolved=80000, resolved_in_time=79200, resolved_late=800
    )
    make_counted_report(make_district(dong_thap, "875"), 2023, 1, resolved=800, resolved_in_time=400, resolved_late=400)
    make_counted_report(make_district(dong_thap, "876"), 2023, 1, resolved=1000)

    total = staff_client.get(FEED, {"province": "87", "period": "2023Q1"}).json()["total"]

    # (79.200 + 400) / (80.000 + 800) = 0,985148… → 98,51; 876 has no in-time count and stays out of the pair,
    # which the coverage says: 80.800 of the 80.000 + 800 + 1.000 = 81.800 resolved, 0,987775… → 0,9878
    assert total["indicators"]["on_time_rate"] == {
        "numerator": 79600,
        "denominator": 80800,
        "value": 98.51,
        "coverage": {"denominator": 81800, "share": 0.9878},
        "target": None,
        "band": None,
    }
    assert total["figures"]["resolved"] == 81800


def test_a_zero_denominator_gives_null_and_keeps_its_zero_counts(staff_client, dong_thap):
    make_counted_report(make_district(dong_thap, "874"), 2023, 1, resolved=0, resolved_in_time=0, resolved_late=0)

    data = staff_client.get(FEED, {"province": "87", "period": "2023Q1"}).json()

    assert unit_of(data, "874")["indicators"]["on_time_rate"] == {
        "numerator": 0,
        "denominator": 0,
        "value": None,
        "coverage": {"denominator": 0, "share": None},
        "target": None,
        "band": None,
    }
    assert data["total"]["indicators"]["on_time_rate"]["value"] is None


def test_a_blank_figure_is_null_and_a_zero_is_zero(staff_client, dong_thap):
    make_counted_report(make_district(dong_thap, "874"), 2023, 1, received=0)

    figures = staff_client.get(FEED, {"province": "87", "period": "2023Q1"}).json()["units"][0]["figures"]

    assert (figures["received"], figures["resolved"]) == (0, None)


def test_a_provinces_own_report_is_a_unit_of_the_feed_and_counts_in_the_total(staff_client, dong_thap):
    make_counted_report(dong_thap, 2023, 1, level="province", resolved=1000, resolved_in_time=900, resolved_late=100)
    make_counted_report(make_district(dong_thap, "874"), 2023, 1, resolved=100, resolved_in_time=100, resolved_late=0)

    data = staff_client.get(FEED, {"province": "87", "period": "2023Q1"}).json()

    assert [unit["code"] for unit in data["units"]] == ["87", "874"]
    # (900 + 100) / (1.000 + 100) → 90,91
    assert data["total"]["indicators"]["on_time_rate"] == fully_covered(1000, 1100, 90.91)


def test_the_value_agrees_with_the_rounding_of_the_page(staff_client, dong_thap):
    # 86.047 of 86.048: 99,99884 % is shown 99,99, never 100
    make_counted_report(
        make_district(dong_thap, "874"), 2023, 1, resolved=86048, resolved_in_time=86047, resolved_late=1
    )

    on_time = staff_client.get(FEED, {"province": "87", "period": "2023Q1"}).json()["units"][0]["indicators"][
        "on_time_rate"
    ]

    assert on_time["value"] == 99.99
    assert Decimal(str(on_time["value"])) < 100


# --- Bad questions -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({}, "period", "Hãy nêu kỳ báo cáo, ví dụ period=2023H1."),
        ({"period": "2023Q5"}, "period", "“2023Q5” không phải mã kỳ báo cáo"),
        ({"period": "2023", "province": "99"}, "province", "Tỉnh này không tồn tại hoặc bạn không có quyền xem."),
    ],
    ids=["no-period", "period-2023Q5", "province-99"],
)
def test_a_bad_question_gets_400_with_a_json_error_on_its_field(staff_client, dong_thap, query, field, message):
    response = staff_client.get(FEED, query)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert errors[field][0].startswith(message)


@pytest.mark.parametrize("below", ["abc", "150"])
def test_an_invalid_threshold_gets_400_with_a_json_error(staff_client, dong_thap, below):
    response = staff_client.get(FEED, {"period": "2023Q1", "indicator": "on_time_rate", "below": below})

    assert response.status_code == 400
    assert "below" in response.json()["errors"]


def test_the_feed_keeps_only_the_rows_the_filters_keep(staff_client, dong_thap):
    make_district(dong_thap, "874")
    make_district(dong_thap, "866", "Thành phố Cao Lãnh", kind=UnitKind.PROVINCIAL_CITY)

    data = staff_client.get(FEED, {"province": "87", "period": "2023Q1", "kind": UnitKind.PROVINCIAL_CITY}).json()

    assert [unit["code"] for unit in data["units"]] == ["866"]


def test_the_feed_answers_only_get(staff_client, dong_thap):
    assert staff_client.post(FEED, {"period": "2023Q1"}).status_code == 405


# --- Query budget -------------------------------------------------------------------------------------------------


def test_the_feed_takes_as_many_queries_for_30_districts_as_for_3(client):
    few = make_province_with_districts("11", 3, first_code=100)
    make_province_with_districts("12", 30, first_code=200)
    client.force_login(make_user(PROVINCIAL_STAFF, unit=few))

    counts = {}
    for code, districts in (("11", 3), ("12", 30)):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(FEED, {"province": code, "period": "2023H1"})
        assert len(response.json()["units"]) == districts
        counts[code] = len(queries)

    assert counts["12"] == counts["11"]
