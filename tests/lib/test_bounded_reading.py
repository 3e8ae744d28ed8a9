"""No uploaded file can exhaust the server: bombs are refused before they are unpacked, with the limit named.

The issue's measurements of the unguarded reader: a 0.1 MB workbook with one row of 3.5 million cells took 51 s
and 1.7 GB; a shared-strings bomb took 743 MB. Memory is measured with tracemalloc (every allocation Python,
zipfile, zlib and expat make goes through it), which is a resource bound, not a timing.
"""

import io
import time
import tracemalloc
import zipfile

import pytest

from cchc.lib import imports
from cchc.lib.archives import ArchiveLimits
from cchc.lib.imports import FileError, read_table
from dossiers.imports import COLUMNS, REQUIRED
from tests.files import csv_bytes, xlsx_bytes
from tests.lib.bombs import many_rows, one_long_row, shared_strings_bomb, workbook_bytes

MB = 1024 * 1024


def read(content, name="so-lieu.xlsx"):
    return read_table(content, name, columns=COLUMNS, required=REQUIRED)


def refusal_and_peak_memory(content, name="so-lieu.xlsx"):
    """The message a file is refused with, and the most memory reading it held at once, in bytes."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        with pytest.raises(FileError) as refused:
            read(content, name)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return str(refused.value), peak


@pytest.fixture(scope="module")
def long_row_bomb():
    # 3,500,000 cells × 15 bytes of XML = 52 MB unpacked, packed about a thousand times.
    return workbook_bytes(one_long_row(3_500_000))


def no_ratio_limit(monkeypatch):
    """The ZIP directory's ratio check lifted, to show that the next line of defence holds on its own."""
    monkeypatch.setattr(
        imports, "XLSX_LIMITS", ArchiveLimits(max_total_bytes=10**12, max_member_bytes=10**12, max_ratio=10**9)
    )


# --- The bomb ---------------------------------------------------------------------------------------


def test_the_bomb_is_a_tenth_of_a_megabyte(long_row_bomb):
    assert round(len(long_row_bomb) / MB, 1) == 0.1


def test_a_tenth_of_a_megabyte_with_millions_of_cells_is_refused_in_little_memory(long_row_bomb):
    message, peak = refusal_and_peak_memory(long_row_bomb)

    # 3,500,000 / 51,000 bytes ≈ 1,000 times, above the limit of 100.
    assert "nén" in message and "giới hạn 100 lần" in message
    assert peak < 100 * MB


def test_a_tenth_of_a_megabyte_with_millions_of_cells_is_refused_at_once(long_row_bomb):
    # Not a benchmark: the unguarded reader took 51 s on this file; the guard reads only the ZIP directory.
    # 2 s leaves a margin of hundreds of times on a loaded machine, and a regression would take tens of seconds.
    started = time.monotonic()
    with pytest.raises(FileError):
        read(long_row_bomb)

    assert time.monotonic() - started < 2


def test_without_the_ratio_check_the_long_row_is_still_refused_as_it_streams(long_row_bomb, monkeypatch):
    no_ratio_limit(monkeypatch)

    message, peak = refusal_and_peak_memory(long_row_bomb)

    assert message == "Một dòng của tệp có hơn 250 cột, vượt giới hạn."
    assert peak < 100 * MB


def test_without_the_ratio_check_too_many_cells_are_refused_as_they_stream(monkeypatch):
    no_ratio_limit(monkeypatch)
    monkeypatch.setattr(imports, "MAX_CELLS", 100_000)
    # 2,000 rows × 100 cells = 200,000 cells, twice the limit.
    content = workbook_bytes(many_rows(2_000, 100))

    message, peak = refusal_and_peak_memory(content)

    assert message == "Tệp có hơn 100.000 ô, vượt giới hạn: hãy chia thành nhiều tệp."
    assert peak < 100 * MB


def test_a_shared_strings_bomb_is_refused_before_it_is_read():
    # 60 strings of 1 MB of "a": 60 MB unpacked, packed about a thousand times.
    content = workbook_bytes(
        [b'<row r="1"><c t="s"><v>0</v></c></row>'], shared_strings_chunks=shared_strings_bomb(60, MB)
    )

    message, peak = refusal_and_peak_memory(content)

    assert "nén" in message and "sharedStrings.xml" in message
    assert peak < 100 * MB


def test_without_the_ratio_check_a_shared_strings_part_above_its_limit_is_refused(monkeypatch):
    no_ratio_limit(monkeypatch)
    # 20 strings of 1 MB: 20 MB, above the 16 MB that parts read whole may take.
    content = workbook_bytes(
        [b'<row r="1"><c t="s"><v>0</v></c></row>'], shared_strings_chunks=shared_strings_bomb(20, MB)
    )

    message, peak = refusal_and_peak_memory(content)

    assert message == "Phần xl/sharedStrings.xml của tệp Excel chiếm hơn 16 MB khi giải nén, vượt giới hạn."
    assert peak < 100 * MB


def test_a_workbook_unpacking_beyond_the_total_limit_is_refused(monkeypatch):
    monkeypatch.setattr(imports, "XLSX_LIMITS", ArchiveLimits(max_total_bytes=MB, max_member_bytes=MB, max_ratio=10**9))
    # 100,000 cells × 15 bytes = 1.5 MB unpacked.
    content = workbook_bytes(many_rows(1_000, 100))

    with pytest.raises(FileError) as refused:
        read(content)

    assert str(refused.value) == "Khi giải nén, tệp sẽ vượt quá giới hạn 1 MB."


# --- Rows, columns and time ---------------------------------------------------------------------------------


def test_a_row_numbered_beyond_the_row_limit_is_refused_before_the_rows_between_are_made():
    content = workbook_bytes(
        [b'<row r="1"><c r="A1"><v>1</v></c></row>', b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>']
    )

    with pytest.raises(FileError) as refused:
        read(content)

    assert str(refused.value) == "Tệp có hơn 50.000 dòng: hãy chia thành nhiều tệp."


def test_a_cell_beyond_the_column_limit_is_refused():
    # XFD is column 16,384.
    content = workbook_bytes([b'<row r="1"><c r="XFD1"><v>1</v></c></row>'])

    with pytest.raises(FileError) as refused:
        read(content)

    assert str(refused.value) == "Một dòng của tệp có hơn 250 cột, vượt giới hạn."


def test_a_declared_extent_of_the_whole_sheet_does_not_stretch_the_rows():
    # Excel may declare any extent; the rows are as long as their cells. Two cells per row are read, not 16,384.
    rows = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>unit_code</t></is></c>'
        b'<c r="B1" t="inlineStr"><is><t>quarter</t></is></c></row>'
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>874</t></is></c>'
        b'<c r="B2" t="inlineStr"><is><t>2024Q1</t></is></c></row>'
    )
    table = read(workbook_bytes([rows], dimension="A1:XFD1048576"))

    assert table.rows == [(2, ["874", "2024Q1"])]


def test_a_row_of_too_many_characters_is_refused(monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROW_CHARS", 1_000)
    content = xlsx_bytes([["unit_code", "quarter"], ["874", "x" * 1_001]])

    with pytest.raises(FileError) as refused:
        read(content)

    assert str(refused.value) == "Dòng 2 có hơn 1.000 ký tự, vượt giới hạn."


def test_a_workbook_with_a_document_type_is_refused():
    # A spreadsheet's XML never declares a document type; one that does could define entities to expand.
    with pytest.raises(FileError) as refused:
        read(_with_doctype())

    assert "Không đọc được tệp Excel (DOCTYPE)" in str(refused.value)


def _with_doctype():
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes([b'<row r="1"><c><v>1</v></c></row>'])))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                content = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>' + content
            archive.writestr(name, content)
    return output.getvalue()


def test_reading_past_the_time_limit_is_refused(monkeypatch):
    monkeypatch.setattr(imports, "MAX_SECONDS", -1)
    content = xlsx_bytes([["unit_code", "quarter"], ["874", "2024Q1"]])

    with pytest.raises(FileError) as refused:
        read(content)

    assert str(refused.value) == "Việc đọc tệp mất hơn -1 giây, vượt giới hạn: hãy chia thành nhiều tệp."


# --- CSV --------------------------------------------------------------------------------------------------


def test_a_csv_line_of_millions_of_commas_is_refused_before_it_is_split(monkeypatch):
    # 5,000,000 commas: 5 MB, under the upload limit of 10 MB.
    content = b"unit_code,quarter\r\n" + b"," * 5_000_000 + b"\r\n"

    message, peak = refusal_and_peak_memory(content, "so-lieu.csv")

    assert message == "Dòng 2 có hơn 100.000 ký tự, vượt giới hạn."
    assert peak < 100 * MB


def test_a_csv_row_of_too_many_columns_is_refused():
    content = csv_bytes([["unit_code", "quarter"], ["874"] * 251])

    with pytest.raises(FileError) as refused:
        read(content, "so-lieu.csv")

    assert str(refused.value) == "Một dòng của tệp có hơn 250 cột, vượt giới hạn."


def test_a_csv_of_too_many_cells_is_refused(monkeypatch):
    monkeypatch.setattr(imports, "MAX_CELLS", 1_000)
    # 1 header row + 500 rows, 2 cells each = 1,002 cells, 2 above the limit.
    content = csv_bytes([["unit_code", "quarter"]] + [["874", "2024Q1"]] * 500)

    with pytest.raises(FileError) as refused:
        read(content, "so-lieu.csv")

    assert str(refused.value) == "Tệp có hơn 1.000 ô, vượt giới hạn: hãy chia thành nhiều tệp."


def test_a_file_within_every_limit_is_read(monkeypatch):
    monkeypatch.setattr(imports, "MAX_CELLS", 6)
    # 3 rows × 2 cells = 6 cells: exactly the limit.
    content = xlsx_bytes([["unit_code", "quarter"], ["874", "2024Q1"], ["875", "2024Q1"]])

    table = read(content)

    assert [cells for _number, cells in table.rows] == [["874", "2024Q1"], ["875", "2024Q1"]]
