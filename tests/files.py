"""Real files for the import tests: workbooks written with openpyxl, CSV text in UTF-8 with or without BOM."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook


def xlsx_bytes(rows, *, title="Số liệu", extra_sheets=None):
    """A workbook whose first sheet holds ``rows`` (lists of cell values; a str starting with "=" is a formula)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for name, sheet_rows in (extra_sheets or {}).items():
        other = workbook.create_sheet(name)
        for row in sheet_rows:
            other.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def csv_bytes(rows, *, bom=False, delimiter=","):
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return ("\ufeff" if bom else "").encode() + text.getvalue().encode("utf-8")


def upload(name, content):
    return SimpleUploadedFile(name, content)


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def report_rows(header, *rows):
    """Rows of a figures file: ``header`` the column codes, each row a dict by code (missing codes empty)."""
    return [list(header)] + [[row.get(code) for code in header] for row in rows]
