"""Reading the tables users upload (.csv and .xlsx): the header row, the cells, the numbers and dates in them.

Shared by the import of units (``districts.imports``) and of quarterly figures (``dossiers.imports``). A file
that cannot be read at all raises ``FileError`` with a message for the user; a cell that cannot be read
raises ``CellError``, which the importer turns into an error at the cell's row and column. Nothing here
touches the database.
"""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

# Large enough for every commune of a province over several years (a 10,000-row file is about 2 MB), small
# enough that a stray upload cannot fill the server's memory. Settings may raise it.
MAX_UPLOAD_BYTES = getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
MAX_ROWS = getattr(settings, "IMPORT_MAX_ROWS", 50_000)
# The header row is looked for in the first rows only: a title or a note may sit above it, a table may not.
HEADER_SEARCH_ROWS = 20
# The largest figure the database stores (PositiveIntegerField on PostgreSQL).
MAX_FIGURE = 2_147_483_647

VIETNAMESE_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
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
    if extension == ".xlsx":
        sheets = _xlsx_sheets(data)
    elif extension == ".csv":
        sheets = [_csv_rows(data)]
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
        raise FileError(
            _("No header row found: the first row must name the columns, for example %(columns)s.")
            % {"columns": ", ".join(required)}
        )
    return found


def _xlsx_sheets(data):
    """Each worksheet's rows, cells as values; formulas kept as ``Formula`` (data_only=False) to be refused."""
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise FileError(_("This is not an Excel workbook (.xlsx): the file is damaged or of another kind."))
    sheets = []
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            for sheet in workbook.worksheets:
                rows = []
                for row in sheet.iter_rows():
                    rows.append([_xlsx_value(cell) for cell in row])
                    if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                        raise FileError(too_many_rows_message())
                sheets.append(rows)
        finally:
            workbook.close()
    except FileError:
        raise
    # openpyxl raises many kinds of errors on a damaged workbook (KeyError, ValueError, BadZipFile, XML
    # parse errors …); to the user they all mean the same thing.
    except Exception as error:
        raise FileError(
            _("The Excel workbook cannot be read (%(reason)s): open it in Excel and save it again as .xlsx.")
            % {"reason": type(error).__name__}
        ) from error
    if not sheets:
        raise FileError(_("The workbook has no worksheet."))
    return sheets


def _xlsx_value(cell):
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f" or type(value).__name__ in {"ArrayFormula", "DataTableFormula"}:
        return Formula(str(getattr(value, "text", value)))
    if isinstance(value, str):
        return value.strip() or None
    return value


def _csv_rows(data):
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
    # Excel writes "sep=;" as a first line when asked to; Vietnamese-locale Excel separates with ";".
    first = lines[0].strip() if lines else ""
    if first.lower().startswith("sep=") and len(first) == 5:
        delimiter, lines = first[4], lines[1:]
    else:
        delimiter = max((",", ";", "\t"), key=first.count)
    try:
        rows = list(csv.reader(lines, delimiter=delimiter))
    except csv.Error as error:
        raise FileError(_("The CSV file cannot be read: %(reason)s") % {"reason": error}) from error
    if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
        raise FileError(too_many_rows_message())
    return [[value.strip() or None for value in row] for row in rows]


def too_many_rows_message():
    return _("The file has more than %(rows)s rows: split it into several files.") % {"rows": f"{MAX_ROWS:,}"}


def _present(value):
    return value is not None and value != ""


class HeaderMatcher:
    """Recognises a column by its code or by its title in any language of the site, ignoring case and spacing."""

    def __init__(self, columns):
        self.names = {}
        for spec in columns:
            self.names[normalise(spec.code)] = spec.code
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    self.names.setdefault(normalise(str(spec.title)), spec.code)

    def match(self, value):
        if not isinstance(value, str):
            return None
        return self.names.get(normalise(value))


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
        # The template gives the titles on one row and the codes on the next: both are header rows.
        following = rows[position + 1] if position + 1 < len(rows) else []
        following_matches = {index: matcher.match(value) for index, value in enumerate(following)}
        if set(required) <= set(following_matches.values()) and all(
            following_matches[index] for index, value in enumerate(following) if _present(value)
        ):
            header_rows.append(following)
            matches.update({index: code for index, code in following_matches.items() if code})
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
        text = value.strip().replace("\u00a0", "")
        if text.isascii() and text.isdigit():
            value = int(text)
        elif VIETNAMESE_THOUSANDS.match(text):
            value = int(text.replace(".", ""))
        elif re.match(r"^-\s*[\d.,]+$", text):
            raise CellError(_("A figure cannot be negative."))
        else:
            raise CellError(_("“%(value)s” is not a whole number (write 17800 or 17.800).") % {"value": _shown(text)})
    if not isinstance(value, int):
        raise CellError(_("Enter a whole number, 0 or more (e.g. 17800 or 17.800)."))
    if value < 0:
        raise CellError(_("A figure cannot be negative."))
    if value > MAX_FIGURE:
        raise CellError(_("%(value)s is too large for a figure.") % {"value": f"{value:,}".replace(",", ".")})
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
