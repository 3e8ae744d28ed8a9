"""Colour bands in spreadsheets: each rate cell of an .xlsx export filled with its band's colour (the band's
label is exported in a column of its own beside it, so that the colour is never the only sign)."""

import io

from openpyxl import load_workbook
from openpyxl.styles import Font, PatternFill

HEADER_SEARCH_ROWS = 30


def fill_rate_cells(content, records, rate_headers):
    """``content`` (the .xlsx bytes of a table export, its header row perhaps below a title block) with the cells of
    ``rate_headers`` (``{header text: indicator code}``) filled by the band of each record (``records`` in the
    order of the sheet's rows, each with ``standings``)."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    # The header row: below a title block, the first row naming one of the rate columns.
    header_row, headers = 1, {}
    for number, row in enumerate(sheet.iter_rows(max_row=HEADER_SEARCH_ROWS), start=1):
        values = {cell.value: cell.column for cell in row if cell.value is not None}
        if set(values) & set(rate_headers):
            header_row, headers = number, values
            break
    columns = {headers[header]: code for header, code in rate_headers.items() if header in headers}
    for row_number, record in enumerate(records, start=header_row + 1):
        standings = getattr(record, "standings", None) or {}
        for column, code in columns.items():
            standing = standings.get(code)
            band = standing.band if standing is not None else None
            if band is None:
                continue
            cell = sheet.cell(row=row_number, column=column)
            cell.fill = PatternFill(fill_type="solid", fgColor=band.colour.lstrip("#").upper())
            cell.font = Font(color=band.text_colour.lstrip("#").upper())
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
