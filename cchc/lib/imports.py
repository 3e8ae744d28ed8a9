"""Reading the tables users upload (.csv and .xlsx): the header row, the cells, the numbers and dates in them.

Shared by the import of units (``districts.imports``) and of quarterly figures (``dossiers.imports``). A file
that cannot be read at all raises ``FileError`` with a message for the user; a cell that cannot be read
raises ``CellError``, which the importer turns into an error at the cell's row and column. Nothing here
touches the database.
"""

import csv
import io
import re
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from xml.parsers import expat

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string, get_column_letter

from cchc.lib import numbers
from cchc.lib.archives import ArchiveError, ArchiveLimits, check_archive
from cchc.lib.numbers import NotAFigure, format_number

# Large enough for every commune of a province over several years (a 10,000-row file is about 2 MB), small
# enough that a stray upload cannot fill the server's memory. Settings may raise it.
MAX_UPLOAD_BYTES = getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
MAX_ROWS = getattr(settings, "IMPORT_MAX_ROWS", 50_000)
# The header row is looked for in the first rows only: a title or a note may sit above it, a table may not.
HEADER_SEARCH_ROWS = 20
# What reading one file may cost the server, checked as the file streams in, before its cells are kept: a
# 0.1 MB workbook can declare millions of cells. The figures template has some 60 columns; a province's
# 10,000 communes in it are 600,000 cells. Settings (from the environment) may change each of them.
MAX_CELLS = getattr(settings, "IMPORT_MAX_CELLS", 1_500_000)
MAX_COLUMNS = getattr(settings, "IMPORT_MAX_COLUMNS", 250)
# Characters in one row (a line of a CSV file, the text of a workbook's row).
MAX_ROW_CHARS = getattr(settings, "IMPORT_MAX_ROW_CHARS", 100_000)
MAX_SECONDS = getattr(settings, "IMPORT_MAX_SECONDS", 60)
# Checked on the workbook's ZIP directory before any part of it is unpacked (cchc.lib.archives).
XLSX_LIMITS = ArchiveLimits(
    max_total_bytes=getattr(settings, "IMPORT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024),
    max_member_bytes=getattr(settings, "IMPORT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024),
    max_ratio=getattr(settings, "IMPORT_MAX_COMPRESSION_RATIO", 100),
)
# openpyxl streams the sheets but reads every other part whole into memory (shared strings, styles): those
# parts get a lower limit, or a "shared-strings bomb" fills the memory before the first row is read.
MAX_WHOLE_PART_BYTES = getattr(settings, "IMPORT_MAX_WHOLE_PART_BYTES", 16 * 1024 * 1024)
WORKSHEET_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
# The largest figure the database stores (PositiveIntegerField on PostgreSQL).
MAX_FIGURE = 2_147_483_647

DATE_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class FileError(Exception):
    """The file as a whole cannot be read; ``str(error)`` is the message for the user."""


class CellError(Exception):
    """One cell cannot be read; ``str(error)`` is the reason, shown with the cell's row and column."""


@dataclass(frozen=True)
class Formula:
    """A spreadsheet formula where a value was expected (``=A1+1``): refused, as its result is not in the file."""

    text: str


@dataclass(frozen=True)
class ColumnSpec:
    """A column an importer understands: its code (as in files and the JSON feed) and its title for people."""

    code: str
    title: object  # lazy text: recognised in every language of the site
    help_text: object = ""
    # A short note on how to fill the column ("ví dụ 2024Q1"), written under the titles in a template; a row of
    # such notes right under the header is part of the header, not data.
    hint: object = ""


@dataclass
class Table:
    """The rows of an uploaded file under its header: ``columns`` maps a column code to its position."""

    columns: dict
    headers: dict  # column code -> the header as written in the file
    rows: list  # (row number as the spreadsheet shows it, [cell values])
    ignored_headers: list = field(default_factory=list)

    def has(self, code):
        return code in self.columns

    def value(self, cells, code):
        index = self.columns.get(code)
        if index is None or index >= len(cells):
            return None
        return cells[index]

    def letter(self, code):
        """The spreadsheet letter of a column (``D``), or ``None`` when the file has no such column."""
        index = self.columns.get(code)
        return get_column_letter(index + 1) if index is not None else None

    # The upload is kept between preview and confirm as JSON: plain values, and tagged ones for the rest.
    def to_json(self):
        return {
            "columns": self.columns,
            "headers": self.headers,
            "ignored_headers": self.ignored_headers,
            "rows": [[number, [_tag(value) for value in cells]] for number, cells in self.rows],
        }

    @classmethod
    def from_json(cls, data):
        return cls(
            columns=data["columns"],
            headers=data["headers"],
            ignored_headers=data["ignored_headers"],
            rows=[(number, [_untag(value) for value in cells]) for number, cells in data["rows"]],
        )


def _tag(value):
    if isinstance(value, Formula):
        return {"formula": value.text}
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value


def _untag(value):
    if not isinstance(value, dict):
        return value
    if "formula" in value:
        return Formula(value["formula"])
    if "datetime" in value:
        return datetime.fromisoformat(value["datetime"])
    return date.fromisoformat(value["date"])


# --- Reading a file -----------------------------------------------------------------------------------------


def read_upload(uploaded, *, columns, required):
    """The table of an uploaded file (Django's ``UploadedFile``), or ``FileError``."""
    if uploaded.size is not None and uploaded.size > MAX_UPLOAD_BYTES:
        raise FileError(too_large_message())
    return read_table(uploaded.read(MAX_UPLOAD_BYTES + 1), uploaded.name, columns=columns, required=required)


def read_path(path, *, columns, required):
    """The table of a file on disk (the management commands), or ``FileError``."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_UPLOAD_BYTES + 1)
    except OSError as error:
        raise FileError(_("Cannot open %(file)s: %(reason)s") % {"file": path, "reason": error.strerror}) from error
    return read_table(data, path.name, columns=columns, required=required)


def too_large_message():
    return _("The file is larger than %(size)s MB: split it into several files.") % {
        "size": MAX_UPLOAD_BYTES // (1024 * 1024)
    }


def read_table(data, filename, *, columns, required):
    """The table in ``data`` (the file's bytes), whose format its name's extension says.

    ``columns`` are the ``ColumnSpec`` the importer understands; ``required`` the codes without which the file
    cannot be read. Raises ``FileError`` for a file that is empty, too large, of another format, unreadable,
    or without a recognisable header row.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise FileError(too_large_message())
    if not data.strip():
        raise FileError(_("The file is empty."))
    extension = Path(filename or "").suffix.lower()
    budget = Budget()
    if extension == ".xlsx":
        sheets = _xlsx_sheets(data, budget)
    elif extension == ".csv":
        sheets = [_csv_rows(data, budget)]
    elif extension == ".xls":
        raise FileError(_("Files in the old Excel format (.xls) cannot be read: save the file as .xlsx."))
    else:
        raise FileError(_("Only .xlsx and .csv files can be imported."))
    matcher = HeaderMatcher(columns)
    found = None
    for rows in sheets:
        found = _table_under_header(rows, matcher, required)
        if found is not None:
            break
    if found is None:
        if not any(any(_present(value) for value in row) for rows in sheets for row in rows):
            raise FileError(_("The file has no rows."))
        titles = {spec.code: str(spec.title) for spec in columns}
        raise FileError(
            _("No header row found: the first row must name the columns, for example %(columns)s.")
            % {"columns": ", ".join(f"“{titles.get(code, code)}” ({code})" for code in required)}
        )
    return found


class Budget:
    """What reading one file has cost so far: cells kept and time spent, each refused past its limit."""

    def __init__(self):
        self.cells = 0  # cells kept in memory
        self.scanned = 0  # cells met in the sheets' XML, before openpyxl reads them
        self.deadline = time.monotonic() + MAX_SECONDS

    def spend(self, cells):
        self.cells += cells
        if self.cells > MAX_CELLS:
            raise FileError(too_many_cells_message())
        self.check_time()

    def check_time(self):
        if time.monotonic() > self.deadline:
            raise FileError(
                _("Reading the file took longer than %(seconds)s seconds, the limit: split it into several files.")
                % {"seconds": MAX_SECONDS}
            )


def too_many_cells_message():
    return _("The file has more than %(cells)s cells, the limit: split it into several files.") % {
        "cells": format_number(MAX_CELLS)
    }


def too_many_columns_message():
    return _("A row of the file has more than %(columns)s columns, the limit.") % {
        "columns": format_number(MAX_COLUMNS)
    }


def row_too_long_message(row):
    return _("Row %(row)s holds more than %(chars)s characters, the limit.") % {
        "row": row,
        "chars": format_number(MAX_ROW_CHARS),
    }


def _xlsx_sheets(data, budget):
    """Each worksheet's rows, cells as values; formulas kept as ``Formula`` (data_only=False) to be refused.

    Bounded before openpyxl reads anything (``_check_workbook_parts``): even in read-only mode it walks a sheet
    to find its extent when opening the workbook, and holds a whole row in memory before handing it over,
    and one row can hold millions of cells.
    """
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise FileError(_("This is not an Excel workbook (.xlsx): the file is damaged or of another kind."))
    sheets = []
    try:
        _check_workbook_parts(data, budget)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            for sheet in workbook.worksheets:
                # Rows as long as their cells, not as the sheet's declared extent (which a file can set to
                # A1:XFD1048576 and so make every row 16,384 cells long).
                sheet.reset_dimensions()
                rows = []
                for row in sheet.iter_rows():
                    values = [_xlsx_value(cell) for cell in row]
                    if sum(len(value) for value in values if isinstance(value, str)) > MAX_ROW_CHARS:
                        raise FileError(row_too_long_message(len(rows) + 1))
                    rows.append(values)
                    if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                        raise FileError(too_many_rows_message())
                    budget.spend(len(values))
                sheets.append(rows)
        finally:
            workbook.close()
    except FileError:
        raise
    # openpyxl raises many kinds of errors on a damaged workbook (KeyError, ValueError, BadZipFile, XML
    # parse errors …); to the user they all mean the same thing.
    except Exception as error:
        raise FileError(_unreadable_workbook(type(error).__name__)) from error
    if not sheets:
        raise FileError(_("The workbook has no worksheet."))
    return sheets


def _unreadable_workbook(reason):
    return _("The Excel workbook cannot be read (%(reason)s): open it in Excel and save it again as .xlsx.") % {
        "reason": reason
    }


def _check_workbook_parts(data, budget):
    """Refuse a workbook whose parts would unpack, or whose sheets would read, into too much.

    The ZIP directory first (sizes, ratios); then every part streams through a scan that keeps only counts,
    so the sheets' cells, rows and columns are bounded before openpyxl builds a single row. Every part, not
    only those named like sheets: openpyxl finds the sheets through the workbook's relations, whatever their
    names.
    """
    try:
        check_archive(io.BytesIO(data), XLSX_LIMITS)
    except ArchiveError as error:
        raise FileError(str(error)) from error
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_parts = _worksheet_parts(archive)
        for member in archive.infolist():
            if member.file_size > MAX_WHOLE_PART_BYTES and member.filename not in sheet_parts:
                raise FileError(
                    _("The part %(part)s of the workbook takes more than %(limit)s MB unpacked, the limit.")
                    % {"part": member.filename, "limit": MAX_WHOLE_PART_BYTES // (1024 * 1024)}
                )
        for member in archive.infolist():
            with archive.open(member) as stream:
                _scan_part(stream, budget, is_sheet=member.filename in sheet_parts)


def _worksheet_parts(archive):
    """The names of the parts that ``[Content_Types].xml`` declares as worksheets."""
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return set()
    if info.file_size > MAX_WHOLE_PART_BYTES:
        return set()
    parts = set()

    def start(name, attrs):
        if name.rpartition("}")[2] == "Override" and attrs.get("ContentType") == WORKSHEET_CONTENT_TYPE:
            parts.add(attrs.get("PartName", "").lstrip("/"))

    parser = _xml_parser(start)
    try:
        parser.Parse(archive.read(info), True)
    except expat.ExpatError:
        return set()
    return parts


def _xml_parser(start):
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start

    # No document type, hence no entities to expand: a spreadsheet's XML never has one.
    def refuse_doctype(*args):
        raise FileError(_unreadable_workbook("DOCTYPE"))

    parser.StartDoctypeDeclHandler = refuse_doctype
    return parser


SHEET_NAMESPACE = "http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
CELL_TAG = SHEET_NAMESPACE + "c"
ROW_TAG = SHEET_NAMESPACE + "row"
WORKSHEET_TAG = SHEET_NAMESPACE + "worksheet"


def _scan_part(stream, budget, *, is_sheet):
    """Count a part's cells and check their rows and columns as its XML streams by, holding only the counts."""
    state = {"row_cells": 0, "root": None}
    last_row = MAX_ROWS + HEADER_SEARCH_ROWS

    def start(name, attrs):
        if state["root"] is None:
            state["root"] = name
            if is_sheet and name != WORKSHEET_TAG:
                # Declared a sheet but something else, perhaps the huge part a sheet may be and no other.
                raise FileError(_unreadable_workbook(name.rpartition("}")[2]))
        if name == CELL_TAG:
            state["row_cells"] += 1
            reference = attrs.get("r")
            column = state["row_cells"]
            if reference:
                try:
                    column = column_index_from_string(reference.rstrip("0123456789"))
                except ValueError:
                    column = MAX_COLUMNS + 1
            if column > MAX_COLUMNS or state["row_cells"] > MAX_COLUMNS:
                raise FileError(too_many_columns_message())
            budget.scanned += 1
            if budget.scanned > MAX_CELLS:
                raise FileError(too_many_cells_message())
        elif name == ROW_TAG:
            state["row_cells"] = 0
            number = attrs.get("r", "")
            if number.isdigit() and int(number) > last_row:
                raise FileError(too_many_rows_message())

    parser = _xml_parser(start)
    try:
        while chunk := stream.read(256 * 1024):
            parser.Parse(chunk, False)
            budget.check_time()
        parser.Parse(b"", True)
    except expat.ExpatError:
        # Not XML (an image, say), or damaged: nothing openpyxl would read as a sheet; it reports the damage.
        return


def _xlsx_value(cell):
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f" or type(value).__name__ in {"ArrayFormula", "DataTableFormula"}:
        return Formula(str(getattr(value, "text", value)))
    if isinstance(value, str):
        return value.strip() or None
    return value


def _csv_rows(data, budget):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileError(_("The CSV file is in UTF-16: save it as “CSV UTF-8 (comma delimited)”."))
    if b"\x00" in data or data.startswith(b"PK\x03\x04"):
        raise FileError(
            _("This is not a CSV text file (it looks like a binary file, perhaps a workbook renamed .csv).")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileError(
            _(
                "The CSV file is not in UTF-8 (line %(line)s): save it as “CSV UTF-8 (comma delimited)”; "
                "older Vietnamese encodings (TCVN3, VNI, Windows-1258) cannot be read."
            )
            % {"line": data[: error.start].count(b"\n") + 1}
        ) from error
    lines = text.splitlines()
    # Checked on the text, before the csv module splits a line of millions of commas into millions of cells.
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_ROW_CHARS:
            raise FileError(row_too_long_message(number))
    # Excel writes "sep=;" as a first line when asked to; Vietnamese-locale Excel separates with ";".
    first = lines[0].strip() if lines else ""
    if first.lower().startswith("sep=") and len(first) == 5:
        delimiter, lines = first[4], lines[1:]
    else:
        delimiter = max((",", ";", "\t"), key=first.count)
    rows = []
    try:
        for row in csv.reader(lines, delimiter=delimiter):
            if len(row) > MAX_COLUMNS:
                raise FileError(too_many_columns_message())
            budget.spend(len(row))
            rows.append([value.strip() or None for value in row])
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise FileError(too_many_rows_message())
    except csv.Error as error:
        raise FileError(_("The CSV file cannot be read: %(reason)s") % {"reason": error}) from error
    return rows


def too_many_rows_message():
    return _("The file has more than %(rows)s rows: split it into several files.") % {"rows": format_number(MAX_ROWS)}


def _present(value):
    return value is not None and value != ""


class HeaderMatcher:
    """Recognises a column by its code or by its title in any language of the site, ignoring case and spacing."""

    def __init__(self, columns):
        self.names = {}
        self.hints = set()
        for spec in columns:
            self.names[normalise(spec.code)] = spec.code
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    self.names.setdefault(normalise(str(spec.title)), spec.code)
                    if str(spec.hint):
                        self.hints.add(normalise(str(spec.hint)))

    def match(self, value):
        if not isinstance(value, str):
            return None
        return self.names.get(normalise(value))

    def is_hint(self, value):
        return isinstance(value, str) and normalise(value) in self.hints


def normalise(text):
    text = unicodedata.normalize("NFC", str(text)).replace("\u00a0", " ")
    text = re.sub(r"[\u2010-\u2015]", "-", text)  # the dashes people and Excel type
    return re.sub(r"\s+", " ", text).strip(" :*").casefold()


def _table_under_header(rows, matcher, required):
    """The table below the first row that names every required column, or ``None`` when no row does."""
    for position, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        matches = {index: matcher.match(value) for index, value in enumerate(row)}
        if not set(required) <= set(matches.values()):
            continue
        columns, headers, ignored = {}, {}, []
        header_rows = [row]
        # The template gives the titles on one row and, on the next, a note in Vietnamese on how to fill each
        # column ("ví dụ 2024Q1"); templates made before gave the column codes there. Either is a header row.
        following = rows[position + 1] if position + 1 < len(rows) else []
        following_matches = {index: matcher.match(value) for index, value in enumerate(following)}
        present = [index for index, value in enumerate(following) if _present(value)]
        codes_row = set(required) <= set(following_matches.values()) and all(
            following_matches[index] for index in present
        )
        notes_row = any(matcher.is_hint(following[index]) for index in present) and all(
            following_matches[index] or matcher.is_hint(following[index]) for index in present
        )
        if codes_row:
            header_rows.append(following)
            matches.update({index: code for index, code in following_matches.items() if code})
        elif notes_row:
            header_rows.append(following)
        for index, code in sorted(matches.items()):
            written = next((r[index] for r in header_rows if index < len(r) and _present(r[index])), None)
            if code is None:
                if written is not None:
                    ignored.append(str(written))
                continue
            if code in columns:
                raise FileError(
                    _("The column %(column)s appears twice (columns %(first)s and %(second)s).")
                    % {
                        "column": code,
                        "first": get_column_letter(columns[code] + 1),
                        "second": get_column_letter(index + 1),
                    }
                )
            columns[code] = index
            headers[code] = str(written)
        first_data = position + len(header_rows)
        data = [
            (number + 1, cells)
            for number, cells in enumerate(rows[first_data:], start=first_data)
            if any(_present(value) for value in cells)
        ]
        if len(data) > MAX_ROWS:
            raise FileError(too_many_rows_message())
        return Table(columns=columns, headers=headers, rows=data, ignored_headers=ignored)
    return None


# --- Reading a cell -------------------------------------------------------------------------------------------


def parse_figure(value):
    """A figure: a whole number, 0 or more, written ``17800`` or ``17.800``; ``None`` for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, Formula) or (isinstance(value, str) and value.lstrip().startswith("=")):
        raise CellError(_("Formulas are not accepted: enter the number itself."))
    if isinstance(value, bool | date):
        raise CellError(_("Enter a whole number, 0 or more (e.g. 17800 or 17.800)."))
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": _shown(value)})
        value = int(value)
    if isinstance(value, str):
        # Read as the report form reads what is typed (cchc.lib.numbers): 17800, 17.800 or 17 800.
        try:
            value = numbers.parse_figure(value)
        except NotAFigure as error:
            if error.negative:
                raise CellError(_("A figure cannot be negative.")) from None
            text = value.strip()
            raise CellError(
                _("“%(value)s” is not a whole number (write 17800 or 17.800).") % {"value": _shown(text)}
            ) from None
    if not isinstance(value, int):
        raise CellError(_("Enter a whole number, 0 or more (e.g. 17800 or 17.800)."))
    if value < 0:
        raise CellError(_("A figure cannot be negative."))
    if value > MAX_FIGURE:
        raise CellError(_("%(value)s is too large for a figure.") % {"value": format_number(value)})
    return value


def parse_date(value):
    """A date written ``dd/mm/yyyy`` or ``yyyy-mm-dd``, or a date cell; ``None`` for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        day_month_year = DATE_DMY.match(text)
        iso = DATE_ISO.match(text)
        try:
            if day_month_year:
                day, month, year = (int(part) for part in day_month_year.groups())
                return date(year, month, day)
            if iso:
                return date(*(int(part) for part in iso.groups()))
        except ValueError:
            raise CellError(_("“%(value)s” is not a date of the calendar.") % {"value": _shown(text)}) from None
    raise CellError(_("“%(value)s” is not a date (write dd/mm/yyyy, e.g. 01/07/2025).") % {"value": _shown(value)})


def text_value(value):
    """A cell as text: a number cell written 866 or 866.0 gives ``"866"``."""
    if value is None or isinstance(value, Formula):
        return None if value is None else "=" + value.text.lstrip("=")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None


def _shown(value):
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


# --- What an import found ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """An error or a warning at a place of the file: its row, its column (code and letter) and the reason."""

    row: int | None
    column: str | None
    letter: str | None
    message: str


def note(table, row, column, message):
    return Note(row, column, table.letter(column) if column else None, str(message))


@dataclass
class RowOutcome:
    """What an import does with one row: create, change (with each change old → new), leave alone."""

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    EMPTY = "empty"

    row: int
    label: str
    action: str
    changes: list = field(default_factory=list)  # (column code, column title, old value, new value)
    approved: bool = False  # the import also approves the report
    place: tuple = ()  # for a report: the codes of its province and quarter, to show it on the dashboard


@dataclass
class ImportResult:
    rows: list
    errors: list
    warnings: list
    saved: bool

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self):
        return {action: self.count(action) for action in (RowOutcome.NEW, RowOutcome.CHANGED, RowOutcome.UNCHANGED)}


class TableImport:
    """What every import of a table shares (the units, the quarterly figures, the targets): the ``table``, the
    errors, warnings and row outcomes found while reading it, and the result they give, sorted by row, then by
    column (a note of the whole file first)."""

    def __init__(self, table):
        self.table = table
        self.errors, self.warnings, self.outcomes = [], [], []

    def error(self, row, column, message):
        self.errors.append(note(self.table, row, column, message))

    def result(self, *, saved):
        key = lambda item: (item.row or 0, item.letter or "")  # noqa: E731
        return ImportResult(
            rows=sorted(self.outcomes, key=lambda outcome: outcome.row),
            errors=sorted(self.errors, key=key),
            warnings=sorted(self.warnings, key=key),
            saved=saved,
        )


def describe(note_):
    """A note as one line for the command line: "Row 5, column D (district_level_received): reason"."""
    if note_.row and note_.column:
        where = _("Row %(row)s, column %(letter)s (%(column)s)") % {
            "row": note_.row,
            "letter": note_.letter or "?",
            "column": note_.column,
        }
    elif note_.row:
        where = _("Row %(row)s") % {"row": note_.row}
    else:
        where = _("File")
    return f"{where}: {note_.message}"
