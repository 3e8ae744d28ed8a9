"""The .xlsx template of quarterly figures: the units of a province and quarter, ready to be filled.

The first sheet is the table ``dossiers.imports`` reads: a row of titles, a row of notes on how to fill each
column (both in the user's language, Vietnamese first; the importer reads both as the header), then one row per
unit. The second sheet explains each column (with its code, for whoever writes files by program), the identities
checked on import and the warnings given.
"""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from cchc.lib.spreadsheets import neutralise
from districts.models import Unit

from . import rules
from .imports import COLUMNS, FIGURE_COLUMNS, QUARTER, UNIT_CODE, UNIT_NAME

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
NOTE_FONT = Font(italic=True, color="666666", size=9)
# Rows below the units that still accept numbers, for units added by hand.
SPARE_ROWS = 50


def template_units(*, province, period, user=None):
    """The units the template lists: the province, then the units directly under it that existed in the period
    (districts before 1 July 2025, communes after); for a district officer, the units they may enter."""
    from districts.access import may_enter_figures

    units = [province] + list(Unit.objects.active_in(period).filter(parent=province))
    if user is not None and not user.is_superuser:
        own = user.unit
        if own is not None and own.parent_id == province.pk:
            units += list(Unit.objects.active_in(period).filter(parent=own))
        units = [unit for unit in units if may_enter_figures(user, unit)]
    return units


def build_template(*, province, period, units):
    """The template as the bytes of an .xlsx file."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Figures")
    for index, column in enumerate(COLUMNS, start=1):
        title = sheet.cell(row=1, column=index, value=str(column.title))
        title.font = Font(bold=True)
        title.fill = HEADER_FILL
        title.alignment = Alignment(wrap_text=True, vertical="top")
        note = sheet.cell(row=2, column=index, value=str(column.hint))
        note.font = NOTE_FONT
        note.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = 30 if column.code == UNIT_NAME else 16
    sheet.row_dimensions[1].height = 60
    sheet.row_dimensions[2].height = 36
    sheet.freeze_panes = "D3"
    positions = {column.code: index for index, column in enumerate(COLUMNS, start=1)}
    for row, unit in enumerate(units, start=3):
        code = sheet.cell(row=row, column=positions[UNIT_CODE], value=unit.code)
        # Text, so that Excel keeps the leading zeros of codes such as 01 or 00001.
        code.number_format = "@"
        # The name is the one text a user typed: never a live formula (a unit named =HYPERLINK(…)).
        sheet.cell(row=row, column=positions[UNIT_NAME], value=neutralise(unit.name))
        sheet.cell(row=row, column=positions[QUARTER], value=period.code)
    last_row = 2 + len(units) + SPARE_ROWS
    first_figure = get_column_letter(positions[FIGURE_COLUMNS[0]])
    last_figure = get_column_letter(positions[FIGURE_COLUMNS[-1]])
    whole = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Not a figure"),
        error=_("Enter a whole number, 0 or more (e.g. 17800 or 17.800)."),
    )
    whole.add(f"{first_figure}3:{last_figure}{last_row}")
    sheet.add_data_validation(whole)
    for row in sheet.iter_rows(min_row=3, max_row=last_row, min_col=positions[FIGURE_COLUMNS[0]]):
        for cell in row:
            cell.number_format = "#,##0"
    _explanation(workbook.create_sheet(_("Explanation")), province=province, period=period)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def _explanation(sheet, *, province, period):
    bold = Font(bold=True)
    lines = [
        (
            _("Quarterly administrative reform figures: %(province)s, %(period)s")
            % {"province": province.name, "period": period.label},
            Font(bold=True, size=14),
        ),
        ("",),
        (_("How to fill in the sheet"), bold),
        (_("One row per unit and quarter: the unit code and the quarter (2024Q1) say which report it is."),),
        (_("The unit name is for reading only. Columns may be recognised by their title or by their code."),),
        (
            _(
                "The second row says how to fill each column: leave it as it is, the import reads it as part of "
                "the header."
            ),
        ),
        (_("Enter whole numbers, 0 or more: 17800 or 17.800. No decimals, no negative numbers, no formulas."),),
        (_("Leave a cell empty when the unit does not track the figure: an empty cell is blank, not zero."),),
        (_("A row without any figure is skipped: fill in only the units you have figures for."),),
        (
            _(
                "A district gives its own dossiers at district level and its communes' at commune level; the "
                "province gives the dossiers of its own departments at province level."
            ),
        ),
        (
            _(
                "The file is imported whole or not at all: if any row has an error, nothing is saved and every "
                "error is listed with its row and column. Importing the same file again changes nothing."
            ),
        ),
        (_("An approved report cannot be changed by an import: ask the Department of Home Affairs to re-open it."),),
        ("",),
        (_("Columns"), bold),
    ]
    for values in lines:
        sheet.append([values[0]])
        if len(values) > 1:
            sheet.cell(row=sheet.max_row, column=1).font = values[1]
    sheet.append([_("Column"), _("Code"), _("Title"), _("Meaning")])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
        cell.fill = HEADER_FILL
    for index, column in enumerate(COLUMNS, start=1):
        sheet.append([get_column_letter(index), column.code, str(column.title), str(column.help_text)])
    # The rules of dossiers/rules.py, errors then warnings, each list with a last word of its own.
    for severity, heading, last in (
        (
            rules.ERROR,
            _("Identities checked on import (for each level; only when every figure in them is given)"),
            _("For this identity alone an empty “returned or withdrawn” counts as 0."),
        ),
        (
            rules.WARNING,
            _("Warnings (the figures are saved, but ask for a second look)"),
            _("Carried over should equal pending at the end of the previous quarter."),
        ),
    ):
        sheet.append([])
        sheet.append([heading])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        for rule in rules.LEVEL_RULES + rules.REPORT_RULES:
            if rule.severity == severity:
                sheet.append([_rule_text(rule)])
        sheet.append([last])
    for letter, width in zip("ABCD", (12, 30, 40, 70), strict=True):
        sheet.column_dimensions[letter].width = width


def _rule_text(rule):
    """The rule's message with the column codes in place of the numbers."""
    return str(rule.message % {code: code for code in rule.needs + rule.optional})


def template_filename(province, period):
    return f"cchc-{province.code}-{period.code}.xlsx"
