"""Paired sums (docs/domain.md, §Paired sums): a rate adds its numerator and denominator over the rows where
both are present, and says what it covers — in the read, on the page, in the exports and in the JSON feed.

Every expected number is worked out by hand in the comment beside it.
"""

from decimal import Decimal

import pytest

from cchc.selectors import province_rows, totals, unit_rows
from districts.models import Unit
from tests.dashboard.pages import dashboard_table
from tests.factories import make_counted_report, make_district, make_report
from tests.spreadsheets import table_cells

pytestmark = pytest.mark.django_db


def row_of(code, period):
    (row,) = unit_rows(units=Unit.objects.filter(code=code), period=period)
    return row


def pair(value):
    return value.numerator, value.denominator, value.full


@pytest.fixture
def thanh_binh(dong_thap):
    """District level: 600 online of 1.500 received; commune level: 3.200 received, online not tracked."""
    district = make_district(dong_thap, "874", "Thanh Bình")
    make_report(
        district,
        2023,
        1,
        status="approved",
        levels={"district": {"received": 1500, "received_online": 600}, "commune": {"received": 3200}},
    )
    return district


@pytest.fixture
def two_districts(dong_thap):
    """Thanh Bình tracks online (600 of 1.500); Lấp Vò does not (3.200 received, online blank)."""
    make_counted_report(make_district(dong_thap, "874", "Thanh Bình"), 2023, 1, received=1500, received_online=600)
    make_counted_report(make_district(dong_thap, "875", "Lấp Vò"), 2023, 1, received=3200)


# --- The read ---------------------------------------------------------------------------------------------------------


def test_a_units_online_rate_pairs_its_levels_rows(thanh_binh):
    row = row_of("874", "2023Q1")

    # 600 / 1.500 = 40,00 %, not 600 / (1.500 + 3.200) = 600 / 4.700 = 12,77 %; it covers 1.500 of 4.700 received
    assert pair(row.indicators["online_rate"]) == (600, 1500, 4700)
    assert row.indicators["online_rate"].value == Decimal("40.00")
    # The figure itself still adds both levels
    assert row.received == 4700


def test_a_province_total_adds_the_districts_paired_sums(dong_thap, two_districts):
    result = totals(province_rows(province=dong_thap, period="2023Q1"))["indicators"]["online_rate"]

    # Only Thanh Bình has both: 600 / 1.500 = 40,00 %, covering 1.500 of 1.500 + 3.200 = 4.700 received
    assert pair(result) == (600, 1500, 4700)
    assert result.value == Decimal("40.00")
    # 1.500 / 4.700 = 0,319148… → 0,3191
    assert result.coverage() == {"denominator": 4700, "share": 0.3191}


def test_a_flow_rate_pairs_each_quarter_on_its_own(dong_thap):
    district = make_district(dong_thap, "874")
    make_counted_report(district, 2023, 1, resolved=100, resolved_in_time=90, resolved_late=10)
    make_counted_report(district, 2023, 2, resolved=300)  # in time not given

    on_time = row_of("874", "2023H1").indicators["on_time_rate"]

    # Q1 alone pairs: 90 / 100 = 90,00 % (not 90 / 400 = 22,50 %), covering 100 of 100 + 300 = 400 resolved
    assert pair(on_time) == (90, 100, 400)
    assert on_time.value == Decimal("90.00")


def test_the_resolution_rate_pairs_each_level_after_each_figures_time_rule(dong_thap):
    district = make_district(dong_thap, "874")
    levels_q1 = {
        "district": {"carried_over": 100, "received": 900, "resolved": 950},
        "commune": {"carried_over": 0, "received": 3000},  # resolved not given
    }
    levels_q2 = {
        "district": {"carried_over": 50, "received": 500, "resolved": 520},
        "commune": {"carried_over": 2000, "received": 1000},
    }
    make_report(district, 2023, 1, status="approved", levels=levels_q1)
    make_report(district, 2023, 2, status="approved", levels=levels_q2)

    resolution = row_of("874", "2023H1").indicators["resolution_rate"]

    # District level over H1: carried over 100 (Q1's), received 900 + 500 = 1.400, resolved 950 + 520 = 1.470:
    # 1.470 / 1.500 = 98,00 %. Commune level: carried over 0, received 4.000, resolved blank: left out, but its
    # 0 + 4.000 = 4.000 to handle is in the full denominator: 1.500 + 4.000 = 5.500
    assert pair(resolution) == (1470, 1500, 5500)
    assert resolution.value == Decimal("98.00")


def test_a_figure_of_the_whole_unit_pairs_with_the_reports_total(dong_thap):
    district = make_district(dong_thap, "873", "Cao Lãnh")
    levels = {"district": {"received": 17800}, "commune": {"received": 19000}, "all": {"received_online": 484}}
    make_report(district, 2020, 1, status="approved", levels=levels)

    online = row_of("873", "2020Q1").indicators["online_rate"]

    # The "all levels" row gives the district's 484 online: it pairs with the report's 17.800 + 19.000 = 36.800
    # received → 1,3152… → 1,32 %, every row covered
    assert pair(online) == (484, 36800, 36800)
    assert online.value == Decimal("1.32")


def test_report_level_rates_pair_per_unit(dong_thap):
    make_counted_report(make_district(dong_thap, "874"), 2023, 1, procedures_total=456, procedures_reviewed=181)
    make_counted_report(make_district(dong_thap, "875"), 2023, 1, procedures_total=100)

    result = totals(province_rows(province=dong_thap, period="2023Q1"))["indicators"]["procedures_reviewed_rate"]

    # 181 / 456 = 39,69 %, covering 456 of 456 + 100 = 556 procedures
    assert pair(result) == (181, 456, 556)
    assert result.value == Decimal("39.69")


# --- What the user reads ----------------------------------------------------------------------------------------------


def test_the_page_says_what_the_rate_covers_under_the_unit_and_the_total(staff_client, two_districts):
    response = staff_client.get("/", {"province": "87", "period": "2023Q1"})
    table = dashboard_table(response)

    assert table.row_of_unit("874")["online_rate"] == "40,00% 600 / 1.500"
    assert table.row_of_unit("875")["online_rate"] == "—"
    assert table.total()["online_rate"] == "40,00% 600 / 1.500 tính trên 1.500 / 4.700 hồ sơ tiếp nhận"
    content = response.content.decode()
    card = content.split('data-testid="card-online">')[1].split("</div></div>")[0]
    assert "tính trên 1.500 / 4.700 hồ sơ tiếp nhận" in card


def test_the_unit_page_says_what_the_rate_covers(staff_client, thanh_binh):
    content = staff_client.get("/districts/874/", {"year": "2023"}).content.decode()

    assert "tính trên 1.500 / 4.700 hồ sơ tiếp nhận" in content


def test_the_export_has_the_paired_and_the_full_denominators(staff_client, two_districts):
    response = staff_client.get("/", {"province": "87", "period": "2023Q1", "_export": "xlsx"})

    sheet = [[cell.value for cell in row] for row in table_cells(response.content)]
    headings = sheet[0]
    total = dict(zip(headings, sheet[-1], strict=True))
    online = "Tỷ lệ trực tuyến"
    assert total[f"{online} – tiếp nhận trực tuyến"] == 600
    assert total[f"{online} – tiếp nhận mới"] == 1500
    assert total[f"{online} – tiếp nhận mới (toàn bộ, kể cả dòng không đủ cặp số)"] == 4700
    # 600 / 1.500 → 40,00 %, as the fraction Excel shows with its percent format
    assert total["Trực tuyến"] == 0.4


def test_the_csv_has_the_full_denominator_too(staff_client, two_districts):
    response = staff_client.get("/", {"province": "87", "period": "2023Q1", "_export": "csv"})

    text = response.content.decode("utf-8-sig")
    assert "Tỷ lệ trực tuyến – tiếp nhận mới (toàn bộ, kể cả dòng không đủ cặp số)" in text.splitlines()[0]


def test_the_feed_gives_the_paired_sums_and_the_coverage(staff_client, two_districts):
    data = staff_client.get("/api/indicators/", {"province": "87", "period": "2023Q1"}).json()

    # Thanh Bình: 600 / 1.500, all of its 1.500 covered; Lấp Vò: no pair, 3.200 received uncovered
    units = {unit["code"]: unit for unit in data["units"]}
    assert units["874"]["indicators"]["online_rate"] == {
        "numerator": 600,
        "denominator": 1500,
        "value": 40.0,
        "coverage": {"denominator": 1500, "share": 1.0},
        "target": None,
        "band": None,
    }
    assert units["875"]["indicators"]["online_rate"] == {
        "numerator": None,
        "denominator": None,
        "value": None,
        "coverage": {"denominator": 3200, "share": 0.0},
        "target": None,
        "band": None,
    }
    # The total: 600 / 1.500 = 40,00 %, covering 1.500 / 4.700 = 0,3191
    assert data["total"]["indicators"]["online_rate"] == {
        "numerator": 600,
        "denominator": 1500,
        "value": 40.0,
        "coverage": {"denominator": 4700, "share": 0.3191},
        "target": None,
        "band": None,
    }
