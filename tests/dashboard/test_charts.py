"""The dashboard's three charts (cchc/charts.py) and the unit page's chart: JSON for Chart.js with its own title,
axes, labels and datasets, numbers as numbers, following the same province, period and filters as the table.
"""

from datetime import date

import pytest

from districts.models import UnitKind
from tests.factories import make_commune, make_counted_report, make_district

pytestmark = pytest.mark.django_db

ON_TIME_BY_UNIT = "/charts/on-time-by-unit/"
TREND = "/charts/trend/"
CHANNELS = "/charts/channels/"
CHARTS = (ON_TIME_BY_UNIT, TREND, CHANNELS)


def numbers(values):
    """Whether every value is a JSON number or null (never a string such as "86.51")."""
    return all(value is None or (isinstance(value, int | float) and not isinstance(value, bool)) for value in values)


# --- Shape --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", CHARTS)
def test_each_chart_answers_json_with_title_axes_labels_and_datasets_only(demo_staff, url):
    response = demo_staff.get(url, {"province": "87", "period": "2021"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert {"title", "axes", "labels", "datasets"} <= set(data)
    # django-chartjs would put the whole template context in, the view object's repr included
    assert "view" not in data
    assert set(data["axes"]) == {"x", "y"}
    assert data["title"]
    for dataset in data["datasets"]:
        assert dataset["label"]
        assert len(dataset["data"]) == len(data["labels"])
        assert numbers(dataset["data"])


def test_the_unit_pages_chart_has_the_same_shape(demo_staff):
    data = demo_staff.get("/districts/874/chart/").json()

    assert "view" not in data
    assert data["title"].startswith("Huyện Thanh Bình")
    assert all(numbers(dataset["data"]) for dataset in data["datasets"])


# --- The articles' figures -----------------------------------------------------------------------------------------


def test_the_on_time_chart_has_dak_songs_rate_as_a_number(demo_staff):
    data = demo_staff.get(ON_TIME_BY_UNIT, {"province": "67", "period": "2023H1"}).json()

    assert data["labels"] == ["Huyện Đắk Song"]
    # 10.840 / 12.530 → 86,51 %, for the unit and for all the units shown (it is alone)
    assert [dataset["data"] for dataset in data["datasets"]] == [[86.51], [86.51]]
    assert data["percent"] is True
    assert "6 tháng đầu năm 2023" in data["title"]


def test_the_on_time_chart_shows_a_unit_without_a_value_as_null(demo_staff):
    data = demo_staff.get(ON_TIME_BY_UNIT, {"province": "87", "period": "2021"}).json()

    by_unit = dict(zip(data["labels"], data["datasets"][0]["data"], strict=True))
    assert len(by_unit) == 12
    assert by_unit["Huyện Thanh Bình"] == 99.99  # 86.041 / 86.048
    assert by_unit["Huyện Lấp Vò"] is None


def test_the_trend_covers_the_eight_quarters_ending_with_the_period(demo_staff):
    data = demo_staff.get(TREND, {"province": "87", "period": "2021"}).json()

    assert data["labels"] == [
        "Quý I/2020",
        "Quý II/2020",
        "Quý III/2020",
        "Quý IV/2020",
        "Quý I/2021",
        "Quý II/2021",
        "Quý III/2021",
        "Quý IV/2021",
    ]
    on_time, online = (dataset["data"] for dataset in data["datasets"])
    # Thanh Bình's 2021Q3: 86.041 / 86.048 → 99,99 %; Cao Lãnh's 2020Q1 has no resolved count
    assert on_time == [None, None, None, None, None, None, 99.99, None]
    # Cao Lãnh's 2020Q1: 484 online of 17.800 + 19.000 = 36.800 → 1,3152 % → 1,32 %
    assert online == [1.32, None, None, None, None, None, None, None]


def test_the_channels_chart_splits_cao_lanhs_dossiers_received_in_person_online_and_by_post(demo_staff):
    data = demo_staff.get(CHANNELS, {"province": "87", "period": "2020Q4"}).json()

    assert data["labels"][0] == "Quý I/2019"
    assert data["labels"][4] == "Quý I/2020"
    in_person, online, postal = (dataset["data"] for dataset in data["datasets"])
    # 2020Q1: 36.800 received, 484 online, 1.500 by post → 36.800 − 484 − 1.500 = 34.816 in person
    assert (in_person[4], online[4], postal[4]) == (34816, 484, 1500)
    assert all(isinstance(value, int) for value in (in_person[4], online[4], postal[4]))
    assert data["stacked"] is True
    assert data["percent"] is False


def test_the_channels_chart_leaves_out_a_quarter_it_cannot_split(demo_staff):
    data = demo_staff.get(CHANNELS, {"province": "87", "period": "2021"}).json()

    # Thanh Bình's 2021Q3 gives online and postal counts but not the count received: no bar, not a guess
    assert [dataset["data"][6] for dataset in data["datasets"]] == [None, None, None]


# --- Following the filters ---------------------------------------------------------------------------------------


@pytest.fixture
def units_of_two_kinds(dong_thap):
    for code, name, kind, in_time in (
        ("866", "Thành phố Cao Lãnh", UnitKind.PROVINCIAL_CITY, 90),
        ("874", "Huyện Thanh Bình", UnitKind.DISTRICT, 99),
        ("875", "Huyện Lấp Vò", UnitKind.DISTRICT, 50),
    ):
        district = make_district(dong_thap, code, name, kind=kind)
        make_counted_report(
            district,
            2023,
            1,
            received=100,
            received_online=40,
            received_postal=10,
            resolved=100,
            resolved_in_time=in_time,
            resolved_late=100 - in_time,
        )


def test_the_kind_filter_reduces_the_on_time_charts_units(staff_client, units_of_two_kinds):
    everyone = staff_client.get(ON_TIME_BY_UNIT, {"period": "2023Q1"}).json()
    cities = staff_client.get(ON_TIME_BY_UNIT, {"period": "2023Q1", "kind": UnitKind.PROVINCIAL_CITY}).json()

    assert everyone["labels"] == ["Thành phố Cao Lãnh", "Huyện Thanh Bình", "Huyện Lấp Vò"]
    assert cities["labels"] == ["Thành phố Cao Lãnh"]
    assert cities["datasets"][0]["data"] == [90.0]


def test_the_on_time_charts_line_is_the_ratio_of_the_sums_of_the_units_shown(staff_client, units_of_two_kinds):
    everyone = staff_client.get(ON_TIME_BY_UNIT, {"period": "2023Q1"}).json()
    districts = staff_client.get(ON_TIME_BY_UNIT, {"period": "2023Q1", "kind": UnitKind.DISTRICT}).json()

    # (90 + 99 + 50) / 300 = 239/300 = 79,666… → 79,67 %; districts only: (99 + 50) / 200 = 74,50 %
    assert everyone["datasets"][1]["data"] == [79.67, 79.67, 79.67]
    assert districts["datasets"][1]["data"] == [74.5, 74.5]


def test_the_threshold_filter_reduces_the_on_time_charts_units(staff_client, units_of_two_kinds):
    data = staff_client.get(ON_TIME_BY_UNIT, {"period": "2023Q1", "indicator": "on_time_rate", "below": "95"}).json()

    assert data["labels"] == ["Thành phố Cao Lãnh", "Huyện Lấp Vò"]


def test_the_kind_filter_reduces_the_trend_and_the_channels(staff_client, units_of_two_kinds):
    trend = staff_client.get(TREND, {"period": "2023Q1", "kind": UnitKind.DISTRICT}).json()
    channels = staff_client.get(CHANNELS, {"period": "2023Q1", "kind": UnitKind.DISTRICT}).json()

    # 2023Q1 is the last of the eight quarters. Districts: (99 + 50) / 200 = 74,50 % on time, 80/200 = 40 % online
    assert [dataset["data"][-1] for dataset in trend["datasets"]] == [74.5, 40.0]
    # 200 received, 80 online, 20 by post → 100 in person
    assert [dataset["data"][-1] for dataset in channels["datasets"]] == [100, 80, 20]


def test_an_invalid_filter_leaves_the_charts_answering(staff_client, units_of_two_kinds):
    for url in CHARTS:
        response = staff_client.get(url, {"period": "2023Q5", "indicator": "on_time_rate", "below": "abc"})
        assert response.status_code == 200, url


def test_the_trend_keeps_a_district_abolished_in_2025_in_the_quarters_it_existed(staff_client, dong_thap):
    district = make_district(dong_thap, "874", valid_until=date(2025, 6, 30))
    commune = make_commune(dong_thap, "29620", valid_from=date(2025, 7, 1))
    make_counted_report(district, 2025, 1, resolved=100, resolved_in_time=90, resolved_late=10)
    make_counted_report(commune, 2025, 4, level="commune", resolved=100, resolved_in_time=50, resolved_late=50)

    data = staff_client.get(TREND, {"period": "2025Q4"}).json()

    # 2024Q1 … 2025Q4: the district's 2025Q1 (90 %) and the commune's 2025Q4 (50 %)
    assert data["labels"][5] == "Quý II/2025"
    assert data["datasets"][0]["data"] == [None, None, None, None, 90.0, None, None, 50.0]
