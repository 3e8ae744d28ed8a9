"""Each page and chart reads the figures once (one query over the report tables), and its query count does not
grow with the number of units or quarters; the whole country's table; a province's communes, paginated."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.lib.roles import PROVINCIAL_STAFF
from cchc.selectors import country_rows, rows_by_period
from districts.models import Unit
from tests.dashboard.pages import dashboard_table
from tests.factories import (
    make_commune,
    make_counted_report,
    make_district,
    make_province,
    make_province_with_districts,
    make_user,
)

pytestmark = pytest.mark.django_db

CHARTS = ("/charts/on-time-by-unit/", "/charts/trend/", "/charts/channels/")


def _count(client, path, query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, query)
    assert response.status_code == 200
    # On PostgreSQL the read runs as a prepared statement (cchc/prepared.py): its SQL is then "EXECUTE cchc_…".
    reads = [
        q["sql"]
        for q in queries.captured_queries
        if "dossiers_levelfigures" in q["sql"] or q["sql"].startswith("EXECUTE cchc_")
    ]
    return len(queries), len(reads)


def _eight_quarters(district):
    """Reports for the eight quarters 2022Q1–2023Q4 (the trend's quarters up to 2023Q4)."""
    for year in (2022, 2023):
        for quarter in range(1, 5):
            make_counted_report(district, year, quarter, received=10, resolved=9, resolved_in_time=9, resolved_late=0)


@pytest.fixture
def small_and_large(client):
    """Province 11: 3 districts with two quarters reported; province 12: 30 districts with eight quarters.

    (Both have warning flags, "report unchanged", so that both pages look their dismissals up.)"""
    small = make_province("11", "Tỉnh 11")
    for number in range(3):
        district = make_district(small, str(100 + number))
        for quarter in (3, 4):
            make_counted_report(district, 2023, quarter, received=10, resolved=9, resolved_in_time=9, resolved_late=0)
    large = make_province("12", "Tỉnh 12")
    for number in range(30):
        _eight_quarters(make_district(large, str(200 + number)))
    client.force_login(make_user(PROVINCIAL_STAFF, unit=small))
    return client


@pytest.mark.parametrize("path", CHARTS)
def test_each_chart_reads_once_whatever_the_units_and_quarters(small_and_large, path):
    few = _count(small_and_large, path, {"province": "11", "period": "2023Q4"})
    many = _count(small_and_large, path, {"province": "12", "period": "2023Q4"})

    assert few == many
    assert many[1] == 1


def test_the_dashboard_reads_once_for_its_table_cards_and_total(small_and_large):
    few = _count(small_and_large, "/", {"province": "11", "period": "2023"})
    many = _count(small_and_large, "/", {"province": "12", "period": "2023"})

    assert few == many
    assert many[1] == 1


def test_the_dashboard_and_its_charts_keep_to_their_query_budgets(small_and_large):
    # Every query of the request counts: the session, the user and the user's groups (loaded once for every
    # role check) come first. Then a chart: the province named and the one read (the chart by unit also the
    # targets; the bands only with a target, and this province has none); the feed likewise. The page besides:
    # the keys of the flags' dismissals, the menu's permissions, the inbox (the reports to review, the
    # self-assessments to appraise), the first year of data (the period list) and the PAR-index block (the
    # province's sets, its Decision-766 results); the province list is read once, with the province asked for:
    # to resolve its code, for the options and to show it as chosen.
    budgets = {"/": 15, CHARTS[0]: 6, CHARTS[1]: 5, CHARTS[2]: 5, "/api/indicators/": 6}
    counts = {path: _count(small_and_large, path, {"province": "12", "period": "2023"})[0] for path in budgets}

    assert counts == budgets


def test_the_dashboard_reads_the_provinces_once_for_the_province_asked_and_the_list(small_and_large):
    with CaptureQueriesContext(connection) as queries:
        response = small_and_large.get("/", {"province": "12", "period": "2023"})

    provinces = [q["sql"] for q in queries.captured_queries if '"districts_unit"."code" = ' in q["sql"]]
    # One read of the period's provinces with every holder of the code asked for, not one more for the code.
    assert len(provinces) == 1
    assert '"districts_unit"."valid_until" >= ' in provinces[0]
    assert '<option value="12" selected>Tỉnh 12 (12)</option>' in response.content.decode()


def test_the_unit_page_reads_its_quarters_and_year_once(small_and_large):
    few = _count(small_and_large, "/districts/100/", {"year": "2023"})
    many = _count(small_and_large, "/districts/200/", {"year": "2023"})

    assert few == many
    assert many[1] == 1


def test_the_unit_pages_chart_reads_once(small_and_large):
    few = _count(small_and_large, "/districts/100/chart/", {"year": "2023"})
    many = _count(small_and_large, "/districts/200/chart/", {"year": "2023"})

    assert few == many
    assert many[1] == 1


def test_several_periods_are_one_query(small_and_large):
    units = Unit.objects.filter(parent__code="12")
    with CaptureQueriesContext(connection) as queries:
        quarters = rows_by_period(units=units, periods=[f"2023Q{q}" for q in range(1, 5)] + ["2023"])

    assert len(queries) == 1
    # Each quarter 9 of 10 resolved per district; the year 4 × 9 = 36 per district
    assert [len(rows) for rows in quarters] == [30] * 5
    assert quarters[4][0].resolved == 36


# --- The whole country ------------------------------------------------------------------------------------------------


@pytest.fixture
def country(client):
    """Two provinces: 11 with its own report and two districts, 12 with three districts."""
    one = make_province_with_districts("11", 2, first_code=100)
    make_counted_report(one, 2023, 1, level="province", resolved=100, resolved_in_time=50, resolved_late=50)
    make_province_with_districts("12", 3, first_code=200)
    user = make_user(PROVINCIAL_STAFF, unit=one)
    client.force_login(user)
    return client


def test_the_country_read_gives_each_province_its_total(country):
    rows = {row.code: row for row in country_rows(provinces=Unit.objects.provinces(), period="2023Q1")}

    # Province 11: its own 50 of 100 + 9 of 9 in each of its two districts = 68 / 118 → 57,627… → 57,63 %
    assert (rows["11"].on_time_rate_num, rows["11"].on_time_rate_den) == (68, 118)
    assert rows["11"].indicators["on_time_rate"].value == Decimal("57.63")
    # Province 12: 3 × 9 / 3 × 9 → 100,00 %; received 3 × 10
    assert (rows["12"].on_time_rate_num, rows["12"].on_time_rate_den, rows["12"].received) == (27, 27, 30)


def test_the_dashboard_without_a_province_shows_the_provinces_each_a_link_to_it(country):
    response = country.get("/", {"province": "", "period": "2023Q1"})

    table = dashboard_table(response)
    assert [cells[0].links for cells in table.body] == [
        ["/?province=11&period=2023Q1"],
        ["/?province=12&period=2023Q1"],
    ]
    # The country: (68 + 27) / (118 + 27) = 95 / 145 = 0,655172… → 65,52 %
    assert table.total()["on_time_rate"].startswith("65,52% 95 / 145")
    assert "Cả nước" in response.content.decode()


def test_the_country_takes_as_many_queries_for_five_provinces_as_for_two(country):
    two = _count(country, "/", {"province": "", "period": "2023Q1"})
    for code in ("13", "14", "15"):
        make_province_with_districts(code, 4, first_code=int(code) * 10 + 200)
    five = _count(country, "/", {"province": "", "period": "2023Q1"})

    assert two == five
    # The provinces are read once, for the list and the rows: the country's rows are the provinces of the period
    # (and whether there is a province at all is asked only of a table without rows).
    assert five == (12, 1)


def test_without_the_province_in_the_query_the_page_opens_the_users_province(country):
    assert dashboard_table(country.get("/", {"period": "2023Q1"})).unit_codes() == ["11", "100", "101"]


def test_without_the_province_in_the_query_an_administrator_of_no_unit_opens_on_the_whole_country(client, country):
    # Before: the first province of the list, an arbitrary page (the demo's administrator landed on a province
    # whose only reports are of 2018).
    client.force_login(make_user(PROVINCIAL_STAFF, unit=None))

    response = client.get("/", {"period": "2023Q1"})

    assert "Cả nước" in response.content.decode()
    links = [cells[0].links for cells in dashboard_table(response).body]
    assert links == [["/?province=11&period=2023Q1"], ["/?province=12&period=2023Q1"]]


def test_an_officer_cannot_ask_for_the_whole_country(client, country):
    from cchc.lib.roles import DISTRICT_OFFICER

    client.force_login(make_user(DISTRICT_OFFICER, unit=Unit.objects.get(code="100")))

    response = client.get("/", {"province": "", "period": "2023Q1"})

    # Their own province, never the country
    assert "Cả nước" not in response.content.decode()
    assert dashboard_table(response).unit_codes() == ["11", "100", "101"]


# --- A province of communes (since 1 July 2025) -----------------------------------------------------------------------


@pytest.fixture
def sixty_communes(client):
    province = make_province("82", "Đồng Tháp")
    for number in range(60):
        commune = make_commune(province, f"{29000 + number}", f"Xã {number:02d}", valid_from=date(2025, 7, 1))
        # Commune n resolves 10, of them n % 10 in time (so rates 0 %, 10 % … 90 %)
        make_counted_report(commune, 2026, 1, resolved=10, resolved_in_time=number % 10, resolved_late=10 - number % 10)
    client.force_login(make_user(PROVINCIAL_STAFF, unit=province))
    return client


def test_a_province_of_communes_is_paginated_with_the_total_over_all(sixty_communes):
    first = sixty_communes.get("/", {"province": "82", "period": "2026Q1"})
    second = sixty_communes.get("/", {"province": "82", "period": "2026Q1", "page": "2"})

    assert len(dashboard_table(first).unit_codes()) == 50
    assert dashboard_table(second).unit_codes() == [f"{29050 + n}" for n in range(10)]
    # 6 × (0 + 1 + … + 9) = 270 in time of 600 resolved → 45,00 %, on both pages
    assert dashboard_table(second).total()["on_time_rate"].startswith("45,00% 270 / 600")


def test_sorting_communes_ends_with_their_codes_so_pages_neither_repeat_nor_skip(sixty_communes):
    pages = [
        dashboard_table(
            sixty_communes.get("/", {"province": "82", "period": "2026Q1", "sort": "-on_time_rate", "page": page})
        ).unit_codes()
        for page in ("1", "2")
    ]

    codes = pages[0] + pages[1]
    assert sorted(codes) == [f"{29000 + n}" for n in range(60)]
    # 90 % first: communes 9, 19, … 59, by code
    assert codes[:6] == ["29009", "29019", "29029", "29039", "29049", "29059"]
