"""The first five seconds on the dashboard: bands on every rate, the table sorted by distance from target, the
"below target" filter, the cards' changes, the feed's target and band, the export's fills, the chart's target
line, and no query per unit."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.lib.roles import PROVINCIAL_STAFF
from cchc.models import Target
from tests.factories import make_counted_report, make_district, make_province, make_user

D = Decimal
PAGE = "/?province=87&period=2023Q1"


@pytest.fixture
def province(bands):
    """Three districts in 2023Q1: Thanh Bình 99 of 100 on time, Lấp Vò 90 of 100, Lai Vung 95 of 100.

    Targets: the province's 96 %, Lấp Vò's own 85 %. Gaps: Thanh Bình 99 − 96 = +3 (đạt), Lấp Vò 90 − 85 = +5
    (đạt), Lai Vung 95 − 96 = −1 (gần đạt). Total 284 / 300 = 94,67 %: −1,33 against 96 (gần đạt).
    A year earlier (2022Q1) Thanh Bình alone, 80 of 100 = 80 %: the total moved +14,67 points.
    """
    province = make_province()
    for code, name, in_time in (("874", "Thanh Bình", 99), ("875", "Lấp Vò", 90), ("876", "Lai Vung", 95)):
        district = make_district(province, code, name)
        make_counted_report(district, 2023, 1, resolved=100, resolved_in_time=in_time)
    make_counted_report(province.children.get(code="874"), 2022, 1, resolved=100, resolved_in_time=80)
    Target.objects.create(indicator="on_time_rate", year=2023, unit=province, value=D("96"))
    Target.objects.create(indicator="on_time_rate", year=2023, unit=province.children.get(code="875"), value=D("85"))
    return province


@pytest.fixture
def staff(client, province):
    client.force_login(make_user(PROVINCIAL_STAFF, province))
    return client


def row_codes(page):
    return [code for code in ("874", "875", "876") if f"/districts/{code}/" in page]


def table_order(page):
    body = page[page.index("<tbody") : page.index("</tbody>")]
    return sorted(("874", "875", "876"), key=lambda code: body.find(f"/districts/{code}/"))


def test_the_table_opens_sorted_by_distance_from_target_with_a_band_on_every_rate(staff):
    page = staff.get(PAGE).content.decode()
    # Most behind first: Lai Vung (−1), Thanh Bình (+3), Lấp Vò (+5).
    assert table_order(page) == ["876", "874", "875"]
    body = page[page.index("<tbody") : page.index("</tbody>")]
    assert body.count('data-band="Đạt"') == 2 and body.count('data-band="Gần đạt"') == 1
    assert "−1,00" in body and "+5,00" in body


def test_the_below_target_filter_keeps_the_units_behind(staff):
    page = staff.get(PAGE + "&below_target=on_time_rate").content.decode()
    body = page[page.index("<tbody") : page.index("</tbody>")]
    assert "/districts/876/" in body and "/districts/874/" not in body and "/districts/875/" not in body
    page = staff.get(PAGE + "&below_target=any").content.decode()
    body = page[page.index("<tbody") : page.index("</tbody>")]
    assert "/districts/876/" in body and "/districts/875/" not in body


def test_the_cards_show_target_band_and_changes_with_the_counts_a_click_away(staff):
    page = staff.get(PAGE).content.decode()
    card = page[page.index('data-testid="card-on-time"') :]
    card = card[: card.index("</div></div>")]
    assert "94,67%" in card and "≥ 96,00%" in card and 'data-band="Gần đạt"' in card
    # 94,67 − 80,00 = +14,67 a year earlier; the quarter before (2022Q4) has no report: "—".
    changes = card[card.index("card-on-time-changes") :]
    assert "+14,67" in changes and "—" in changes
    assert "/compare/?unit=87&amp;first=2022Q1&amp;second=2023Q1" in changes


def test_the_feed_carries_target_and_band(staff):
    data = staff.get("/api/indicators/?province=87&period=2023Q1").json()
    units = {unit["code"]: unit["indicators"]["on_time_rate"] for unit in data["units"]}
    assert units["875"]["target"] == {"value": 85.0, "higher_is_better": True, "unit": "875"}
    assert units["875"]["band"] == {"label": "Đạt", "colour": "#004488"}
    assert units["876"]["target"]["unit"] == "87" and units["876"]["band"]["label"] == "Gần đạt"
    assert data["total"]["indicators"]["on_time_rate"]["band"]["label"] == "Gần đạt"
    assert units["874"]["value"] == 99.0
    assert data["units"][0]["indicators"]["online_rate"]["target"] is None


def test_the_xlsx_export_fills_each_rate_with_its_band_and_names_it(staff):
    response = staff.get(PAGE + "&_export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    # The header row sits below the export's title block.
    start = next(index for index, row in enumerate(rows) if any(cell.value == "Mã" for cell in row))
    headings = [cell.value for cell in rows[start]]
    by_code = {row[headings.index("Mã")].value: row for row in rows[start + 1 :]}
    on_time = headings.index("Đúng hạn")
    band = headings.index("Tỷ lệ giải quyết đúng hạn – chỉ tiêu và mức")
    assert by_code["876"][on_time].fill.fgColor.rgb.endswith("DDAA33")
    assert by_code["876"][band].value == "≥ 96,00%: Gần đạt"
    assert by_code["875"][on_time].fill.fgColor.rgb.endswith("004488")


def test_the_by_unit_chart_draws_the_targets_as_a_line(staff):
    data = staff.get("/charts/on-time-by-unit/?province=87&period=2023Q1").json()
    target = next(dataset for dataset in data["datasets"] if dataset["label"] == "Chỉ tiêu")
    # Rows by code: Thanh Bình the province's 96, Lấp Vò its own 85, Lai Vung 96.
    assert target["data"] == [96.0, 85.0, 96.0] and target["type"] == "line"


def test_no_query_per_unit(client, bands):
    counts = []
    for code, districts in (("87", 2), ("86", 12)):
        province = make_province(code, f"Tỉnh {code}")
        for number in range(districts):
            district = make_district(province, f"{code}{number}", f"Huyện {number}")
            make_counted_report(district, 2023, 1, resolved=100, resolved_in_time=90 + number % 10)
            Target.objects.create(indicator="online_rate", year=2023, unit=district, value=D("50"))
        Target.objects.create(indicator="on_time_rate", year=2023, unit=province, value=D("95"))
        client.force_login(make_user(PROVINCIAL_STAFF, province))
        client.get(f"/?province={code}&period=2023Q1")  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/?province={code}&period=2023Q1").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
