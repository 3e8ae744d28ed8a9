"""Importing targets from a file: one row per unit (or province), indicator and year; all rows or none.

Columns: ``unit_code``, ``year``, ``indicator`` (its code, ``on_time_rate``, or its name in Vietnamese or
English), ``target`` (a percentage: 98, 98,5 or 98%) and an optional ``comment``. The file is read by the
import machinery of the figures (``cchc.lib.imports``); every row's errors are collected with their row and column,
and if there is any, nothing is saved.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.indicators import INDICATORS, INDICATORS_BY_CODE
from cchc.lib.imports import (
    CellError,
    ColumnSpec,
    Formula,
    RowOutcome,
    TableImport,
    normalise,
    parse_figure,
    text_value,
)
from cchc.lib.periods import YEAR_OUT_OF_RANGE, is_known_year
from cchc.models import Target
from districts.imports import codes_in_column, holders_named
from districts.models import Unit

UNIT_CODE, YEAR, INDICATOR, TARGET, COMMENT = "unit_code", "year", "indicator", "target", "comment"
COLUMNS = (
    ColumnSpec(
        UNIT_CODE, gettext_lazy("Unit code"), gettext_lazy("A province's code: all its units; a unit's: its own.")
    ),
    ColumnSpec("unit_name", gettext_lazy("Unit name"), gettext_lazy("For reading only: the import ignores it.")),
    ColumnSpec(YEAR, gettext_lazy("Year")),
    ColumnSpec(INDICATOR, gettext_lazy("Indicator")),
    ColumnSpec(TARGET, gettext_lazy("Target (%)")),
    ColumnSpec(COMMENT, gettext_lazy("Comment")),
)
REQUIRED = (UNIT_CODE, YEAR, INDICATOR, TARGET)
PERCENT = re.compile(r"^(\d{1,3})(?:[.,](\d{1,2}))?\s*%?$")


def _indicator_names():
    names = {}
    for indicator in INDICATORS:
        names[normalise(indicator.code)] = indicator.code
        for language in ("vi", "en"):
            with translation.override(language):
                names.setdefault(normalise(str(indicator.label)), indicator.code)
    return names


def parse_percentage(value):
    """A target: a number from 0 to 100 with at most two decimals, written 98, 98,5, 98.5 or 98%."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise CellError(_("Give the target, e.g. 98."))
    if isinstance(value, Formula) or (isinstance(value, str) and value.lstrip().startswith("=")):
        raise CellError(_("Formulas are not accepted: enter the number itself."))
    if isinstance(value, bool):
        raise CellError(_("The target is a percentage, e.g. 98 or 98,5."))
    if isinstance(value, int | float):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise CellError(_("The target is a percentage, e.g. 98 or 98,5.")) from None
    else:
        match = PERCENT.match(str(value).strip())
        if not match:
            raise CellError(_("The target is a percentage, e.g. 98 or 98,5."))
        number = Decimal(f"{match[1]}.{match[2] or 0}")
    if number != number.quantize(Decimal("0.01")):
        raise CellError(_("Give the target with at most two decimals."))
    if not 0 <= number <= 100:
        raise CellError(_("A target is a percentage from 0 to 100."))
    return number.quantize(Decimal("0.01"))


class TargetImporter(TableImport):
    def run(self, *, commit=True):
        rows = self.parse_rows()
        saved = False
        if not self.errors:
            with transaction.atomic():
                for row in rows:
                    self.save_row(row)
                saved = commit and not self.errors
                if not saved:
                    transaction.set_rollback(True)
        return self.result(saved=saved)

    def parse_rows(self):
        units = {}
        codes = sorted(codes_in_column(self.table, UNIT_CODE))
        for unit in Unit.objects.filter(code__in=codes).select_related("parent"):
            units.setdefault(unit.code, []).append(unit)
        names = _indicator_names()
        parsed, seen = [], {}
        for number, cells in self.table.rows:
            before = len(self.errors)
            year = self.read(number, cells, YEAR, parse_figure)
            if year is not None and not is_known_year(year):
                self.error(number, YEAR, YEAR_OUT_OF_RANGE)
                year = None
            elif year is None and before == len(self.errors):
                self.error(number, YEAR, _("Give the year, e.g. 2023."))
            unit = self.read_unit(number, cells, units, year)
            indicator = names.get(normalise(text_value(self.table.value(cells, INDICATOR)) or ""))
            if indicator is None:
                self.error(
                    number,
                    INDICATOR,
                    _("“%(value)s” is not an indicator: write its code, e.g. on_time_rate, or its name.")
                    % {"value": text_value(self.table.value(cells, INDICATOR)) or ""},
                )
            value = self.read(number, cells, TARGET, parse_percentage)
            comment = text_value(self.table.value(cells, COMMENT)) or ""
            if len(self.errors) > before:
                continue
            key = (unit.pk, indicator, year)
            if key in seen:
                self.error(number, INDICATOR, _("Row %(row)s already gives this target.") % {"row": seen[key]})
                continue
            seen[key] = number
            parsed.append(
                {"row": number, "unit": unit, "indicator": indicator, "year": year, "value": value, "comment": comment}
            )
        return parsed

    def read(self, number, cells, column, parse):
        try:
            return parse(self.table.value(cells, column))
        except CellError as error:
            self.error(number, column, str(error))
            return None

    def read_unit(self, number, cells, units, year):
        try:
            picked, candidates = holders_named(self.table.value(cells, UNIT_CODE), units)
        except CellError as error:
            self.error(number, UNIT_CODE, str(error))
            return None
        if year is not None:
            # A code names a unit only together with a date: the unit that held it during the year.
            candidates = [u for u in candidates if u.exists_between(date(year, 1, 1), date(year, 12, 31))]
        if len(candidates) != 1:
            message = (
                _("No unit held the code “%(code)s” in %(year)s.")
                if not candidates
                else _("Two units held the code “%(code)s” in %(year)s: set this target on the targets page.")
            )
            self.error(number, UNIT_CODE, message % {"code": picked, "year": year})
            return None
        return candidates[0]

    def save_row(self, row):
        unit = row["unit"]
        label = f"{unit.code} – {unit.name} · {INDICATORS_BY_CODE[row['indicator']].label} {row['year']}"
        target = Target.objects.filter(unit=unit, indicator=row["indicator"], year=row["year"]).first()
        action = RowOutcome.NEW if target is None else RowOutcome.CHANGED
        if target is not None and target.value == row["value"] and target.comment == row["comment"]:
            self.outcomes.append(RowOutcome(row["row"], label, RowOutcome.UNCHANGED))
            return
        if target is None:
            target = Target(unit=unit, indicator=row["indicator"], year=row["year"])
        changes = [(TARGET, _("Target (%)"), target.value, row["value"])] if target.pk else []
        target.value, target.comment = row["value"], row["comment"]
        try:
            target.full_clean()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                column = {"unit": UNIT_CODE, "value": TARGET, "year": YEAR, "indicator": INDICATOR}.get(field)
                for message in messages:
                    self.error(row["row"], column, message)
            return
        if target.pk:
            target.version += 1
        target.save()
        self.outcomes.append(RowOutcome(row["row"], label, action, changes=changes))
