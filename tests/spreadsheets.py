"""Reading back the .xlsx downloads: a title block above, then the table from its (frozen) heading row."""

import io
import re

import openpyxl


def workbook_sheet(content):
    return openpyxl.load_workbook(io.BytesIO(content)).active


def heading_row(sheet):
    """The row number of the table's headings: the one just above the frozen panes."""
    return int(re.sub(r"\D", "", sheet.freeze_panes)) - 1


def table_cells(content):
    """The table's rows as lists of openpyxl cells, the headings first (the title block left out)."""
    sheet = workbook_sheet(content)
    return [list(row) for row in sheet.iter_rows(min_row=heading_row(sheet))]


def title_block(content):
    """The title block as {label: value}: the lines between the sheet's title and the table."""
    sheet = workbook_sheet(content)
    return {
        row[0]: row[1] for row in sheet.iter_rows(min_row=2, max_row=heading_row(sheet) - 1, values_only=True) if row[0]
    }
