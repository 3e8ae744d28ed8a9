"""The whole country's trend and channels: read as each province's sums (added up in the database), they give
what the units' rows give, and one read whatever the number of provinces."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.lib.roles import PROVINCIAL_STAFF
from districts.models import UnitKind
from tests.factories import make_counted_report, make_district, make_province, make_province_with_districts, make_user

pytestmark = pytest.mark.django_db

TREND = "/charts/trend/"
CHANNELS = "/charts/channels/"
COUNTRY = {"province": "", "period": "2023Q1"}


@pytest.fixture
def country(client):
    """11: its own report and two districts, one not tracking online; 12: one district with a report, one
    without; 13: no unit. All in 2023Q1, the last of the trend's eight quarters."""
    eleven = make_province("11", "Tỉnh 11")
    twelve = make_province("12", "Tỉnh 12")
    # unit, level: received, online, by post; resolved, in time. 101 leaves online blank: out of the online
    # rate's pair and out of the channels' split.
    for unit, level, received, online, postal, resolved, in_time in (
        (eleven, "province", 50, 50, 0, 10, 5),
        (make_district(eleven, "100"), "all", 100, 40, 10, 100, 90),
        (make_district(eleven, "101"), "all", 200, None, 20, 50, 25),
        (make_district(twelve, "200"), "all", 300, 150, 0, 100, 100),
    ):
        make_counted_report(
            unit,
            level=level,
            received=received,
            received_online=online,
            received_postal=postal,
            resolved=resolved,
            resolved_in_time=in_time,
            resolved_late=resolved - in_time,
        )
    make_district(twelve, "201")
    make_province("13", "Tỉnh 13")
    client.force_login(make_user(PROVINCIAL_STAFF, unit=None))
    return client


def test_the_countrys_trend_adds_every_unit_and_pairs_the_online_rate(country):
    data = country.get(TREND, COUNTRY).json()

    # On time: (5 + 90 + 25 + 100) / (10 + 100 + 50 + 100) = 220 / 260 = 84,615… → 84,62 %
    # Online, paired (101 left it blank): (50 + 40 + 150) / (50 + 100 + 300) = 240 / 450 = 53,333… → 53,33 %
    assert [dataset["data"] for dataset in data["datasets"]] == [[None] * 7 + [84.62], [None] * 7 + [53.33]]


def test_the_countrys_channels_split_only_the_units_that_give_all_three(country):
    data = country.get(CHANNELS, COUNTRY).json()

    # Without 101: received 50 + 100 + 300 = 450, online 50 + 40 + 150 = 240, by post 0 + 10 + 0 = 10
    # → 450 − 240 − 10 = 200 in person
    assert [dataset["data"] for dataset in data["datasets"]] == [[None] * 7 + [value] for value in (200, 240, 10)]


def test_the_countrys_charts_still_follow_the_kind_filter(country):
    query = {**COUNTRY, "kind": UnitKind.DISTRICT}
    trend = country.get(TREND, query).json()
    channels = country.get(CHANNELS, query).json()

    # Without the province's own report: 215 / 250 = 86 % on time; 190 / 400 = 47,5 % online
    assert [dataset["data"][-1] for dataset in trend["datasets"]] == [86.0, 47.5]
    # 400 − 190 − 10 = 200 in person
    assert [dataset["data"][-1] for dataset in channels["datasets"]] == [200, 190, 10]


@pytest.mark.parametrize("path", (TREND, CHANNELS))
def test_the_countrys_charts_read_once_whatever_the_provinces(country, path):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert country.get(path, COUNTRY).status_code == 200
        reads = [q for q in queries.captured_queries if "dossiers_levelfigures" in q["sql"] or "EXECUTE" in q["sql"]]
        return len(queries), len(reads)

    few = count()
    for code in ("14", "15"):
        make_province_with_districts(code, 3, first_code=int(code) * 10)

    assert count() == few
    assert few[1] == 1
