"""Importing the official list of administrative units from a file: create or update units, all or none.

Columns: ``code``, ``name``, ``kind``, ``parent_code``, and optionally ``valid_from`` and ``valid_until``
(``dd/mm/yyyy`` or ISO). A unit is found by its code; a parent may be in the database or anywhere in the same
file. Kinds are written as the official lists write them (tỉnh, thành phố, thị xã, huyện, xã, phường, thị
trấn, đặc khu …) or as the codes of ``UnitKind``. Each unit is checked by the model's own validation
(``Unit.full_clean``) in a savepoint; if any row fails, nothing is saved.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.imports import CellError, ColumnSpec, ImportResult, RowOutcome, normalise, note, parse_date, text_value

from .models import CODE_LENGTH, LEVEL_OF_KIND, Unit, UnitKind

CODE, NAME, KIND, PARENT_CODE, VALID_FROM, VALID_UNTIL = (
    "code",
    "name",
    "kind",
    "parent_code",
    "valid_from",
    "valid_until",
)
REQUIRED = (CODE, NAME, KIND)
COLUMNS = (
    ColumnSpec(CODE, capfirst(gettext_lazy("code"))),
    ColumnSpec(NAME, capfirst(gettext_lazy("name"))),
    ColumnSpec(KIND, capfirst(gettext_lazy("kind"))),
    ColumnSpec(PARENT_CODE, gettext_lazy("Parent unit code")),
    ColumnSpec(VALID_FROM, capfirst(gettext_lazy("valid from"))),
    ColumnSpec(VALID_UNTIL, capfirst(gettext_lazy("valid until"))),
)
CHUNK = 500

# The words of the official lists (Decision 124/2004/QĐ-TTg and its updates). "Thành phố" alone is either
# kind of city: its code tells which (2 digits for a centrally-run city, 3 for a provincial city).
KIND_WORDS = {
    "tỉnh": UnitKind.PROVINCE,
    "thành phố trực thuộc trung ương": UnitKind.CENTRAL_CITY,
    "thành phố thuộc tỉnh": UnitKind.PROVINCIAL_CITY,
    "thành phố thuộc thành phố trực thuộc trung ương": UnitKind.PROVINCIAL_CITY,
    "thị xã": UnitKind.TOWN,
    "quận": UnitKind.URBAN_DISTRICT,
    "huyện": UnitKind.DISTRICT,
    "xã": UnitKind.COMMUNE,
    "phường": UnitKind.WARD,
    "thị trấn": UnitKind.TOWNSHIP,
    "đặc khu": UnitKind.SPECIAL_ZONE,
}
CITY = "thành phố"
CITY_BY_CODE_LENGTH = {2: UnitKind.CENTRAL_CITY, 3: UnitKind.PROVINCIAL_CITY}


def code_candidates(code):
    """A code as written, and — for a code that lost its leading zeros in a spreadsheet — as it was meant."""
    if not (code.isascii() and code.isdigit()):
        return [code]
    return [code] + sorted({code.zfill(length) for length in CODE_LENGTH.values() if length > len(code)})


def pick_code(code, known):
    """The code of ``known`` (a container of codes) that ``code`` names: itself, or else the only one it names
    once its lost leading zeros are put back; ``None`` when it names none or several."""
    if code in known:
        return code
    found = [candidate for candidate in code_candidates(code)[1:] if candidate in known]
    return found[0] if len(found) == 1 else None


def parse_kind(value, code):
    text = normalise(value or "")
    if not text:
        raise CellError(_("The kind is missing (tỉnh, huyện, xã, phường …)."))
    if text == CITY:
        kind = CITY_BY_CODE_LENGTH.get(len(code or ""))
        if kind is None:
            raise CellError(
                _(
                    "“Thành phố” with a code of %(length)s digits: write “thành phố trực thuộc trung ương” or "
                    "“thành phố thuộc tỉnh”."
                )
                % {"length": len(code or "")}
            )
        return kind
    if text in KIND_WORDS:
        return KIND_WORDS[text]
    for kind in UnitKind:
        if text in (kind.value, normalise(kind.label)):
            return kind
    raise CellError(
        _("“%(value)s” is not a kind of unit (tỉnh, thành phố, thị xã, quận, huyện, xã, phường, thị trấn, đặc khu).")
        % {"value": value}
    )


class UnitImporter:
    """One import of the unit list; ``run(commit=False)`` previews it."""

    def __init__(self, table):
        self.table = table
        self.errors, self.outcomes = [], []
        self.broken = {}  # code -> row number, of the rows refused before saving

    def error(self, row, column, message):
        self.errors.append(note(self.table, row, column, message))

    def run(self, *, commit):
        rows = self.parse_rows()
        in_file = {row["code"]: row for row in rows}
        existing = self.existing_units(rows)
        # Each row's parent code as the file or the database knows it; a row whose parent is unknown stops here.
        rows = [row for row in rows if self.resolve_parent(row, in_file, existing)]
        with transaction.atomic():
            saved = {}  # code -> unit, for the rows saved so far (parents of later rows)
            failed = set()
            for row in self.parents_first(rows, in_file):
                parent_code = row["parent"]
                if parent_code in failed or (parent_code in in_file and parent_code not in saved):
                    self.error(
                        row["row"],
                        PARENT_CODE,
                        _("The parent unit (row %(row)s) has errors.") % {"row": in_file[parent_code]["row"]},
                    )
                    failed.add(row["code"])
                    continue
                parent = (saved.get(parent_code) or existing[parent_code]) if parent_code else None
                unit = self.import_row(row, existing.get(row["code"]), parent)
                if unit is None:
                    failed.add(row["code"])
                else:
                    saved[row["code"]] = unit
            ok = commit and not self.errors
            if not ok:
                transaction.set_rollback(True)
        key = lambda item: (item.row or 0, item.letter or "")  # noqa: E731
        return ImportResult(
            rows=sorted(self.outcomes, key=lambda outcome: outcome.row),
            errors=sorted(self.errors, key=key),
            warnings=[],
            saved=ok,
        )

    def parse_rows(self):
        rows, seen = [], {}
        for number, cells in self.table.rows:
            before = len(self.errors)
            raw_code = self.table.value(cells, CODE)
            code = text_value(raw_code)
            name = text_value(self.table.value(cells, NAME))
            if not code:
                self.error(number, CODE, _("The code is missing."))
            if not name:
                self.error(number, NAME, _("The name is missing."))
            kind = None
            try:
                kind = parse_kind(text_value(self.table.value(cells, KIND)), code)
            except CellError as error:
                self.error(number, KIND, str(error))
            if code and kind and isinstance(raw_code, int | float) and code.isdigit():
                # A code typed as a number lost its leading zeros: the kind says how many digits it has.
                code = code.zfill(CODE_LENGTH[LEVEL_OF_KIND[kind]])
            dates = {}
            for column in (VALID_FROM, VALID_UNTIL):
                try:
                    dates[column] = parse_date(self.table.value(cells, column))
                except CellError as error:
                    self.error(number, column, str(error))
            if len(self.errors) > before:
                if code:
                    self.broken.setdefault(code, number)
                continue
            parent_code = text_value(self.table.value(cells, PARENT_CODE))
            if parent_code and parent_code == code:
                self.error(number, PARENT_CODE, _("A unit cannot be its own parent."))
                continue
            if code in seen:
                self.error(
                    number, CODE, _("Row %(row)s already gives the unit %(code)s.") % {"row": seen[code], "code": code}
                )
                continue
            seen[code] = number
            rows.append(
                {
                    "row": number,
                    "code": code,
                    "name": name,
                    "kind": kind,
                    "parent_code": parent_code,
                    **dates,
                }
            )
        return rows

    def existing_units(self, rows):
        codes = set()
        for row in rows:
            codes.add(row["code"])
            if row["parent_code"]:
                codes.update(code_candidates(row["parent_code"]))
        codes, found = sorted(codes), {}
        for start in range(0, len(codes), CHUNK):
            for unit in Unit.objects.filter(code__in=codes[start : start + CHUNK]).select_related("parent"):
                found[unit.code] = unit
        return found

    def resolve_parent(self, row, in_file, existing):
        """Put the code of the row's parent (in the file or the database) in ``row["parent"]``; ``False``, with
        an error, when the file names a parent that exists nowhere."""
        row["parent"] = None
        if not row["parent_code"]:
            return True
        row["parent"] = pick_code(row["parent_code"], in_file.keys() | existing.keys() | self.broken.keys())
        if row["parent"] in self.broken and row["parent"] not in in_file:
            self.error(
                row["row"],
                PARENT_CODE,
                _("The parent unit (row %(row)s) has errors.") % {"row": self.broken[row["parent"]]},
            )
            return False
        if row["parent"] is None:
            self.error(
                row["row"],
                PARENT_CODE,
                _("There is no unit with the code “%(code)s”, in the file or in the system.")
                % {"code": row["parent_code"]},
            )
            return False
        return True

    def parents_first(self, rows, in_file):
        """The rows, each after the row of its parent when the parent is in the file; a cycle is an error."""
        ordered, placed, waiting = [], set(), list(rows)
        while waiting:
            ready = [row for row in waiting if row["parent"] not in in_file or row["parent"] in placed]
            if not ready:
                for row in waiting:
                    self.error(row["row"], PARENT_CODE, _("The parent units of these rows form a loop."))
                break
            ordered += ready
            placed.update(row["code"] for row in ready)
            waiting = [row for row in waiting if row["code"] not in placed]
        return ordered

    def import_row(self, row, unit, parent):
        """Create or update the row's unit in a savepoint; the unit, or ``None`` after recording its errors."""
        is_new = unit is None
        if is_new:
            unit = Unit(code=row["code"])
        before = _snapshot(unit) if not is_new else {}
        unit.name, unit.kind, unit.parent = row["name"], row["kind"], parent
        # A date column left out of the file leaves the unit's dates as they are; an empty cell clears it.
        for column in (VALID_FROM, VALID_UNTIL):
            if self.table.has(column) or is_new:
                setattr(unit, column, row[column])
        after = _snapshot(unit)
        label = f"{row['code']} – {row['name']}"
        if not is_new and after == before:
            self.outcomes.append(RowOutcome(row["row"], label, RowOutcome.UNCHANGED))
            return unit
        try:
            with transaction.atomic():
                unit.full_clean(validate_unique=False)
                unit.save()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.error(row["row"], FIELD_COLUMNS.get(field), message)
            return None
        changes = [
            (column, str(_column_title(column)), before.get(column), after[column])
            for column in after
            if before.get(column) != after[column]
        ]
        self.outcomes.append(RowOutcome(row["row"], label, RowOutcome.NEW if is_new else RowOutcome.CHANGED, changes))
        return unit


# Model fields and the columns they come from; the interval's check constraint (a non-field error) is the dates'.
FIELD_COLUMNS = {
    "code": CODE,
    "name": NAME,
    "kind": KIND,
    "parent": PARENT_CODE,
    "valid_from": VALID_FROM,
    NON_FIELD_ERRORS: VALID_UNTIL,
}


def _snapshot(unit):
    """The unit's imported fields, as the preview shows them."""
    return {
        NAME: unit.name,
        KIND: str(UnitKind(unit.kind).label) if unit.kind else None,
        PARENT_CODE: unit.parent.code if unit.parent_id or unit.parent else None,
        VALID_FROM: unit.valid_from.strftime("%d/%m/%Y") if unit.valid_from else None,
        VALID_UNTIL: unit.valid_until.strftime("%d/%m/%Y") if unit.valid_until else None,
    }


def _column_title(code):
    return next(column.title for column in COLUMNS if column.code == code)


def import_units(table, *, commit=True):
    """Import the units of ``table``; ``commit=False`` previews. Returns an ``ImportResult``."""
    return UnitImporter(table).run(commit=commit)


def may_import_units(user):
    return user.has_perms(["districts.add_unit", "districts.change_unit"])
