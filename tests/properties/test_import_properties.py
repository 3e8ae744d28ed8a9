"""The import of quarterly figures, fed generated files: any cells, types and sizes, in .csv and .xlsx.

Never a server error; a file with any error saves nothing (the database compared before and after).
"""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from cchc.lib.imports import FileError, read_table
from dossiers import imports as report_imports
from dossiers.models import LevelFigures, QuarterlyReport, ReportEvent
from tests.properties.conftest import counted, database_state, examples, rolled_back
from tests.properties.strategies import any_text, numbers

MODELS = [QuarterlyReport, LevelFigures, ReportEvent]
CODES = [column.code for column in report_imports.COLUMNS]

# A cell as a spreadsheet may hold it: text, numbers as typed, real numbers, dates, booleans, nothing.
cells = st.one_of(
    numbers,
    any_text,
    st.sampled_from(["874", "875", "87", "29620", "2024Q1", "2024Q2", "2023Q4", "2024q1", "2024", "=1+1"]),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)


@st.composite
def sheets(draw):
    """A header of known and unknown columns (the required ones mostly present) and 0 to 12 rows of cells."""
    header = draw(st.lists(st.sampled_from(CODES) | st.text(max_size=12), max_size=12))
    for required in ("unit_code", "quarter"):
        if draw(st.integers(0, 9)) and required not in header:
            header.insert(draw(st.integers(0, len(header))), required)
    width = len(header) + draw(st.integers(-2, 2))
    rows = draw(st.lists(st.lists(cells, min_size=0, max_size=max(width, 0)), max_size=12))
    return header, rows


def as_csv(header, rows, encoding):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return buffer.getvalue().encode(encoding, errors="replace")


def as_xlsx(header, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [header, *rows]:
        # Characters a sheet cannot hold (control characters) are left out, as a spreadsheet program would.
        sheet.append([_xlsx_safe(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_safe(cell):
    if isinstance(cell, str):
        return "".join(ch for ch in cell if ch in "\t\n\r" or ord(ch) >= 32)[:1000]
    if isinstance(cell, float) and cell != cell:
        return None
    if isinstance(cell, float) and abs(cell) == float("inf"):
        return None
    return cell


files = st.one_of(
    st.builds(
        lambda sheet, enc: ("bao-cao.csv", as_csv(*sheet, enc)),
        sheets(),
        st.sampled_from(["utf-8", "utf-8-sig", "cp1258", "utf-16"]),
    ),
    st.builds(lambda sheet: ("bao-cao.xlsx", as_xlsx(*sheet)), sheets()),
    # Not what the name says: bytes of any kind, named .xlsx or .csv.
    st.tuples(st.sampled_from(["x.xlsx", "x.csv", "x.txt", "x"]), st.binary(max_size=400)),
)


@pytest.mark.django_db
@examples(500)
@given(file=files, approve=st.booleans())
def test_an_import_of_any_file_fails_with_messages_and_saves_all_or_nothing(world, file, approve):
    counted("import")
    initial = world.setdefault("report state", database_state(MODELS))
    name, content = file
    try:
        table = read_table(content, name, columns=report_imports.COLUMNS, required=report_imports.REQUIRED)
    except FileError:
        return
    with rolled_back():
        result = report_imports.import_reports(table, user=world["users"]["staff"], approve=approve, commit=True)
        if result.errors:
            assert not result.saved
            assert database_state(MODELS) == initial


@pytest.mark.django_db
@examples(60)
@given(file=files, who=st.sampled_from(["staff", "officer", "inspector"]))
def test_the_upload_page_never_fails_and_its_preview_saves_nothing(world, file, who):
    counted("import page")
    initial = world.setdefault("report state", database_state(MODELS))
    name, content = file
    with rolled_back():
        response = world["clients"][who].post("/imports/reports/", {"file": SimpleUploadedFile(name, content)})
        assert response.status_code < 500
        assert database_state(MODELS) == initial
