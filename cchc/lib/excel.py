"""Spreadsheets for Excel users: an .xlsx with a title block and real number formats, and a CSV that Excel set
to Vietnamese opens as columns (semicolons, decimal comma).

The machine-readable CSV (comma, decimal point, the figure codes' meaning fixed) stays as it is beside these;
this module writes only for people. Every cell is plain text or a number: no HTML, no formula (text that would
run as one is made inert, ``cchc.lib.spreadsheets.neutralise``).
"""

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal
from html import unescape

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from cchc.lib.numbers import plain_rate, spreadsheet_rate_format
from cchc.lib.spreadsheets import neutralise

RATE = "rate"  # a percentage given as 0–100 (the indicators' ``rate()``): written as a fraction with a % format
AUTO = "auto"  # whatever the value is: text, a count, a date

COUNT_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
TAG = re.compile(r"<[^>]+>")


def plain(value):
    """A cell's value as a spreadsheet should hold it: numbers and dates as they are, text without markup."""
    if value is None or isinstance(value, int | float | Decimal | date):
        return value
    text = str(value)
    if "<" in text:
        text = unescape(TAG.sub("", text))
    return neutralise(" ".join(text.split()))


def _cell_value(value, kind):
    value = plain(value)
    if kind == RATE and isinstance(value, int | float | Decimal):
        # 51.43 (percent) → 0.5143, shown by Excel as 51,43 % in Vietnamese, 51.43% in English
        return float(Decimal(str(value)) / 100)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def write_xlsx(*, sheet_title, title_lines, headers, rows, kinds):
    """The workbook as bytes.

    ``title_lines``: (label, value) pairs written above the table (province, period, filters, made when and by
    whom); ``headers`` the column titles; ``rows`` lists of values; ``kinds`` one of ``RATE`` or ``AUTO`` per
    column. The header row is frozen and carries an autofilter; columns are as wide as their content (within
    bounds).
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", str(sheet_title))[:31] or "Sheet1"
    sheet.cell(row=1, column=1, value=plain(sheet_title)).font = Font(bold=True, size=14)
    line = 2
    for label, value in title_lines:
        sheet.cell(row=line, column=1, value=plain(label)).font = Font(bold=True)
        sheet.cell(row=line, column=2, value=plain(value))
        line += 1
    header_row = line + 1
    widths = [len(str(header)) for header in headers]
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=header_row, column=index, value=plain(header))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for offset, row in enumerate(rows, start=1):
        for index, (value, kind) in enumerate(zip(row, kinds, strict=True), start=1):
            cell = sheet.cell(row=header_row + offset, column=index, value=_cell_value(value, kind))
            if kind == RATE and cell.value is not None:
                cell.number_format = spreadsheet_rate_format()
            elif isinstance(cell.value, int) and not isinstance(cell.value, bool):
                cell.number_format = COUNT_FORMAT
            elif isinstance(cell.value, float):
                cell.number_format = "#,##0.00"
            elif isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
            shown = 10 if kind == RATE else len(str(cell.value)) if cell.value is not None else 1
            widths[index - 1] = max(widths[index - 1], shown)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    last = header_row + max(len(rows), 1)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(max(len(headers), 1))}{last}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _vietnamese_number(value, kind):
    if kind == RATE and isinstance(value, int | float | Decimal):
        return plain_rate(value) + "%"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value


def write_vietnamese_csv(*, headers, rows, kinds):
    """A CSV for Excel set to Vietnamese: semicolons between cells, decimal commas, dd/mm/yyyy dates, rates as
    51,43%, and a byte-order mark so that Excel reads it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([plain(header) for header in headers])
    for row in rows:
        writer.writerow(
            [
                "" if value is None else _vietnamese_number(plain(value), kind)
                for value, kind in zip(row, kinds, strict=True)
            ]
        )
    return "\ufeff" + buffer.getvalue()
