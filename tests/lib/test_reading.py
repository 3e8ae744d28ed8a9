"""Reading uploaded tables: formats, encodings, header rows, and the numbers and dates in the cells."""

from datetime import date

import pytest

from cchc.lib.imports import CellError, FileError, Formula, parse_date, parse_figure, read_table
from dossiers.imports import COLUMNS, REQUIRED
from tests.files import csv_bytes, xlsx_bytes


def read(content, name):
    return read_table(content, name, columns=COLUMNS, required=REQUIRED)


# --- Numbers ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "value"),
    [("17800", 17800), ("17.800", 17800), ("1.234.567", 1234567), (" 0 ", 0), (17800, 17800), (17800.0, 17800)],
)
def test_a_figure_is_read_with_or_without_vietnamese_thousands_dots(written, value):
    assert parse_figure(written) == value


@pytest.mark.parametrize("written", [None, "", "   "])
def test_an_empty_cell_is_a_blank_figure_not_zero(written):
    assert parse_figure(written) is None


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("17,8", "không phải là số nguyên"),
        ("17,800", "không phải là số nguyên"),
        ("1.78", "không phải là số nguyên"),
        (17.8, "không phải là số nguyên"),
        ("abc", "không phải là số nguyên"),
        ("-3", "không được là số âm"),
        (-3, "không được là số âm"),
        ("=A1+1", "công thức"),
        (Formula("=SUM(D3:D9)"), "công thức"),
        (True, "số nguyên"),
        (date(2024, 1, 1), "số nguyên"),
        ("9999999999", "quá lớn"),
    ],
)
def test_anything_else_is_refused_with_the_reason(written, reason):
    with pytest.raises(CellError) as refused:
        parse_figure(written)

    assert reason in str(refused.value)


@pytest.mark.parametrize(
    ("written", "value"),
    [("01/07/2025", date(2025, 7, 1)), ("1/7/2025", date(2025, 7, 1)), ("2025-06-30", date(2025, 6, 30))],
)
def test_a_date_is_read_as_dd_mm_yyyy_or_iso(written, value):
    assert parse_date(written) == value


@pytest.mark.parametrize("written", ["31/02/2025", "2025/07/01", "07-01-2025", "tháng 7"])
def test_a_date_that_is_not_one_is_refused(written):
    with pytest.raises(CellError):
        parse_date(written)


# --- Files --------------------------------------------------------------------------------------------------

HEADER = ["unit_code", "quarter", "district_level_received"]
ROWS = [HEADER, ["874", "2024Q1", "17.800"]]


@pytest.mark.parametrize("bom", [False, True], ids=["without BOM", "with BOM"])
def test_a_utf8_csv_is_read_with_or_without_byte_order_mark(bom):
    table = read(csv_bytes(ROWS, bom=bom), "so-lieu.csv")

    assert table.columns == {"unit_code": 0, "quarter": 1, "district_level_received": 2}
    assert table.rows == [(2, ["874", "2024Q1", "17.800"])]


def test_a_csv_separated_by_semicolons_as_vietnamese_excel_writes_it_is_read():
    table = read(csv_bytes(ROWS, delimiter=";"), "so-lieu.csv")

    assert table.value(table.rows[0][1], "district_level_received") == "17.800"


def test_columns_are_recognised_by_their_vietnamese_titles():
    rows = [
        ["Mã đơn vị", "Tên đơn vị", "Quý", "Tiếp nhận mới – cấp huyện", "TTHC đã rà soát"],
        ["874", "x", "2024Q1", 5, 6],
    ]

    table = read(xlsx_bytes(rows), "so-lieu.xlsx")

    assert set(table.columns) == {"unit_code", "unit_name", "quarter", "district_level_received", "procedures_reviewed"}


def test_titles_are_recognised_whatever_their_case_spacing_and_dash():
    rows = [["  MÃ ĐƠN VỊ ", "quý", "Tiếp nhận mới - cấp huyện"], ["874", "2024Q1", 5]]

    table = read(csv_bytes(rows), "so-lieu.csv")

    assert set(table.columns) == {"unit_code", "quarter", "district_level_received"}


def test_the_templates_second_header_row_of_codes_is_not_read_as_data():
    rows = [["Mã đơn vị", "Quý", "Tiếp nhận mới – cấp huyện"], HEADER, ["874", "2024Q1", 5]]

    table = read(xlsx_bytes(rows), "so-lieu.xlsx")

    assert table.rows == [(3, ["874", "2024Q1", 5])]


def test_the_templates_second_header_row_of_vietnamese_notes_is_not_read_as_data():
    notes = ["mã chính thức, ví dụ 874", "ghi dạng 2024Q1 … 2024Q4", "Số nguyên ≥ 0, để trống nếu không theo dõi"]
    rows = [["Mã đơn vị", "Quý", "Tiếp nhận mới – cấp huyện"], notes, ["874", "2024Q1", 5]]

    from_xlsx = read(xlsx_bytes(rows), "so-lieu.xlsx")
    from_csv = read(csv_bytes(rows), "so-lieu.csv")

    assert from_xlsx.rows == [(3, ["874", "2024Q1", 5])]
    assert from_csv.rows == [(3, ["874", "2024Q1", "5"])]
    for table in (from_xlsx, from_csv):
        assert table.columns == {"unit_code": 0, "quarter": 1, "district_level_received": 2}
        assert table.headers["quarter"] == "Quý"


def test_a_row_under_the_header_with_a_note_and_a_figure_is_data_not_header():
    # Only a row made of notes alone is header: a unit's row that someone began over the notes stays data.
    rows = [["Mã đơn vị", "Quý", "Tiếp nhận mới – cấp huyện"], ["874", "ghi dạng 2024Q1 … 2024Q4", 5]]

    table = read(xlsx_bytes(rows), "so-lieu.xlsx")

    assert table.rows == [(2, ["874", "ghi dạng 2024Q1 … 2024Q4", 5])]


def test_a_title_above_the_header_row_is_skipped_and_rows_keep_their_spreadsheet_numbers():
    rows = [["Báo cáo quý I/2024"], [], HEADER, ["874", "2024Q1", 5], [], ["873", "2024Q1", 6]]

    table = read(xlsx_bytes(rows), "so-lieu.xlsx")

    assert [number for number, _cells in table.rows] == [4, 6]


def test_unknown_columns_are_listed_as_ignored():
    table = read(csv_bytes([HEADER + ["Ghi chú"], ["874", "2024Q1", "5", "x"]]), "so-lieu.csv")

    assert table.ignored_headers == ["Ghi chú"]


def test_a_column_given_twice_is_refused():
    with pytest.raises(FileError, match="xuất hiện hai lần"):
        read(csv_bytes([HEADER + ["Tiếp nhận mới – cấp huyện"], ["874", "2024Q1", "5", "6"]]), "so-lieu.csv")


def test_a_formula_in_a_workbook_is_read_as_a_formula_not_as_its_result():
    table = read(xlsx_bytes([HEADER, ["874", "2024Q1", "=10+7"]]), "so-lieu.xlsx")

    assert table.rows[0][1][2] == Formula("=10+7")


def test_the_parsed_table_survives_its_round_trip_through_json():
    table = read(xlsx_bytes([HEADER + ["valid_from"], ["874", "2024Q1", "=1+1", date(2025, 7, 1)]]), "so-lieu.xlsx")

    from cchc.lib.imports import Table

    assert Table.from_json(table.to_json()) == table


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "so-lieu.csv", "Tệp rỗng"),
        (b"  \r\n ", "so-lieu.xlsx", "Tệp rỗng"),
        (b"PK\x03\x04 this is no workbook", "so-lieu.xlsx", "tệp bị hỏng"),
        (b"unit_code,quarter\r\n874,2024Q1\r\n", "so-lieu.xlsx", "không phải là tệp Excel"),
        (bytes(range(256)) * 4, "so-lieu.csv", "không phải là tệp CSV"),
        (xlsx_bytes(ROWS), "so-lieu.csv", "không phải là tệp CSV"),
        ("unit_code,quarter\r\n874,2024Q1\r\n".encode("utf-16"), "so-lieu.csv", "UTF-16"),
        # "Đơn vị" as Windows-1258 writes it: Đ, ơ, then i with a combining dot below.
        (b"unit_code,quarter,\xd0\xf5n vi\xf2\r\n874,2024Q1,x\r\n", "so-lieu.csv", "không phải UTF-8"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "so-lieu.xls", ".xls"),
        (b"%PDF-1.4", "so-lieu.pdf", "Chỉ nhập được tệp .xlsx và .csv"),
        (csv_bytes([["874", "2024Q1", "5"], ["873", "2024Q1", "6"]]), "so-lieu.csv", "Không tìm thấy dòng tiêu đề"),
        (xlsx_bytes([[None], [None]]), "so-lieu.xlsx", "Tệp không có dòng nào"),
    ],
    ids=[
        "empty",
        "blank",
        "corrupt xlsx",
        "csv renamed xlsx",
        "binary renamed csv",
        "workbook renamed csv",
        "utf-16",
        "windows-1258",
        "old xls",
        "pdf",
        "no header row",
        "empty workbook",
    ],
)
def test_a_file_that_cannot_be_read_gets_a_clear_vietnamese_message(content, name, message):
    with pytest.raises(FileError) as refused:
        read(content, name)

    assert message in str(refused.value)


def test_a_file_above_the_size_limit_is_refused(settings):
    from cchc.lib import imports

    with pytest.raises(FileError, match="lớn hơn"):
        read(b"x" * (imports.MAX_UPLOAD_BYTES + 1), "so-lieu.csv")
