"""The rounding of a rate is ruled in one place (``cchc.lib.numbers.RATE_PLACES``): change it there and the
dashboard page, its exports, the JSON feed, the charts and the report form's preview all follow.

Figures: Huyện 874 resolved 12.530 dossiers in 2023Q1, 10.840 in time. 10.840 / 12.530 = 86,512…%: 86,51% to
two decimals, 86,5% to one.
"""

import pytest

from cchc.lib import numbers
from cchc.lib.roles import PROVINCIAL_STAFF
from tests.dashboard.test_exports import CODE, ON_TIME, csv_rows, xlsx_row
from tests.factories import make_counted_report, make_district, make_province, make_user

pytestmark = pytest.mark.django_db

QUERY = {"province": "87", "period": "2023Q1"}


@pytest.fixture
def staff(client):
    province = make_province()
    district = make_district(province)
    make_counted_report(district, 2023, 1, resolved=12530, resolved_in_time=10840, resolved_late=1690)
    client.force_login(make_user(PROVINCIAL_STAFF, unit=province))
    return client


def everything_shown(client):
    page = client.get("/", QUERY).content.decode()
    xlsx = xlsx_row(client.get("/", {**QUERY, "_export": "xlsx"}), "874")[ON_TIME]
    csv_value = next(row for row in csv_rows(client.get("/", {**QUERY, "_export": "csv"})) if row[CODE] == "874")
    feed = next(unit for unit in client.get("/api/indicators/", QUERY).json()["units"] if unit["code"] == "874")
    chart = client.get("/charts/on-time-by-unit/", QUERY).json()
    preview = client.get(
        "/dossiers/874/2023Q1/preview/", {"district__resolved": "12.530", "district__resolved_in_time": "10.840"}
    ).json()
    return {
        "card": 'data-testid="card-on-time">' + page.split('data-testid="card-on-time">')[1].split("<")[0],
        "xlsx": (xlsx.value, xlsx.number_format),
        "csv": csv_value[ON_TIME],
        "feed": feed["indicators"]["on_time_rate"]["value"],
        "chart": (chart["datasets"][0]["data"][0], chart["shown"][0][0]),
        "preview": preview["cells"]["on_time_rate.0"],
    }


@pytest.mark.parametrize(
    ("places", "shown"),
    [
        (
            None,
            {
                "card": 'data-testid="card-on-time">86,51%',
                "xlsx": (0.8651, "0.00%"),
                "csv": "86.51",
                "feed": 86.51,
                "chart": (86.51, "86,51%"),
                "preview": "86,51%",
            },
        ),
        (
            1,
            {
                "card": 'data-testid="card-on-time">86,5%',
                "xlsx": (0.865, "0.0%"),
                "csv": "86.5",
                "feed": 86.5,
                "chart": (86.5, "86,5%"),
                "preview": "86,5%",
            },
        ),
    ],
    ids=["as shipped, two decimals: 86,51", "one decimal, set in one place: 86,5"],
)
def test_every_rate_shown_follows_the_places_set_in_one_place(staff, monkeypatch, places, shown):
    if places is not None:
        monkeypatch.setattr(numbers, "RATE_PLACES", places)

    assert everything_shown(staff) == shown
