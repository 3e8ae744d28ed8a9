"""Workbooks built by hand to exhaust a reader: tiny files that declare millions of cells or huge strings.

A real workbook from openpyxl gives the parts every reader expects; its sheet (and, for a shared-strings
bomb, a shared-strings part) is replaced by XML written in chunks straight into the ZIP, so that the test
itself never holds the unpacked bomb in memory.
"""

import io
import zipfile

from openpyxl import Workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"
SHARED_STRINGS = "xl/sharedStrings.xml"
SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def _base_parts():
    workbook = Workbook()
    workbook.active.append(["unit_code"])
    output = io.BytesIO()
    workbook.save(output)
    with zipfile.ZipFile(io.BytesIO(output.getvalue())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def workbook_bytes(sheet_chunks, *, shared_strings_chunks=None, dimension=None):
    """A workbook whose only sheet's XML is the concatenation of ``sheet_chunks`` (bytes, written one by one).

    ``shared_strings_chunks`` adds a shared-strings part made of those chunks; ``dimension`` (``A1:XFD1048576``)
    is the sheet's declared extent.
    """
    parts = _base_parts()
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in parts.items():
            if name == SHEET:
                continue
            if name == "[Content_Types].xml" and shared_strings_chunks is not None:
                override = f'<Override PartName="/{SHARED_STRINGS}" ContentType="{SHARED_STRINGS_TYPE}"/>'
                content = content.replace(b"</Types>", override.encode() + b"</Types>")
            archive.writestr(name, content)
        with archive.open(SHEET, "w", force_zip64=True) as sheet:
            sheet.write(f'<worksheet xmlns="{MAIN}">'.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for chunk in sheet_chunks:
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
        if shared_strings_chunks is not None:
            with archive.open(SHARED_STRINGS, "w", force_zip64=True) as strings:
                strings.write(f'<sst xmlns="{MAIN}">'.encode())
                for chunk in shared_strings_chunks:
                    strings.write(chunk)
                strings.write(b"</sst>")
    return output.getvalue()


def repeated(piece, times, *, per_chunk=100_000):
    """``piece`` ``times`` times over, in chunks of at most ``per_chunk`` pieces."""
    while times > 0:
        count = min(times, per_chunk)
        yield piece * count
        times -= count


def one_long_row(cells):
    """One row of ``cells`` cells holding 1: the issue's 0.1 MB file (3.5 million cells) took 51 s and 1.7 GB."""
    yield b'<row r="1">'
    yield from repeated(b"<c><v>1</v></c>", cells)
    yield b"</row>"


def many_rows(rows, cells_per_row):
    for number in range(1, rows + 1):
        yield f'<row r="{number}">'.encode() + b"<c><v>1</v></c>" * cells_per_row + b"</row>"


def shared_strings_bomb(strings, length):
    """``strings`` shared strings of ``length`` letters each; one cell of the sheet uses the first."""
    yield from repeated(b"<si><t>" + b"a" * length + b"</t></si>", strings, per_chunk=max(1, 1_000_000 // length))
