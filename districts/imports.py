"""Importing the official list of administrative units from a file: create or update units, all or none.

Columns: ``code``, ``name``, ``kind``, ``parent_code``, and optionally ``valid_from`` and ``valid_until``
(``dd/mm/yyyy`` or ISO) and ``successor_codes`` (codes separated by ``;``). A unit is a code during an interval:
the same code may come on two rows whose intervals do not overlap (codes were reused in the 2025 reform). A
parent may be in the database or anywhere in the same file, and is resolved by date, as the successors are
(on the day after the unit's last day). Kinds are written as the official lists write them (tỉnh, thành phố,
thị xã, huyện, xã, phường, thị trấn, đặc khu …) or as the codes of ``UnitKind``. Each unit is checked by the
model's own validation (``Unit.full_clean``); if any row fails, nothing is saved. Importing the same file again
changes nothing.
"""

from datetime import timedelta

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.lib.imports import (
    CellError,
    ColumnSpec,
    RowOutcome,
    TableImport,
    normalise,
    parse_date,
    text_value,
)

from .models import CODE_LENGTH, LEVEL_OF_KIND, Unit, UnitKind, contains, overlaps, pick_holder

CODE, NAME, KIND, PARENT_CODE, VALID_FROM, VALID_UNTIL, SUCCESSOR_CODES = (
    "code",
    "name",
    "kind",
    "parent_code",
    "valid_from",
    "valid_until",
    "successor_codes",
)
REQUIRED = (CODE, NAME, KIND)
BATCH = 500  # rows per INSERT: under SQLite's limit of bound parameters
COLUMNS = (
    ColumnSpec(CODE, capfirst(gettext_lazy("code"))),
    ColumnSpec(NAME, capfirst(gettext_lazy("name"))),
    ColumnSpec(KIND, capfirst(gettext_lazy("kind"))),
    ColumnSpec(PARENT_CODE, gettext_lazy("Parent unit code")),
    ColumnSpec(VALID_FROM, capfirst(gettext_lazy("valid from"))),
    ColumnSpec(VALID_UNTIL, capfirst(gettext_lazy("valid until"))),
    ColumnSpec(SUCCESSOR_CODES, gettext_lazy("Successor codes")),
)

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


def codes_in_column(table, column):
    """Every code the cells of a file's ``column`` may name (as written, and as meant: ``code_candidates``), to
    read their units in one query before the rows."""
    codes = set()
    for _number, cells in table.rows:
        code = text_value(table.value(cells, column))
        if code:
            codes.update(code_candidates(code))
    return codes


def pick_code(code, known):
    """The code of ``known`` (a container of codes) that ``code`` names: itself, or else the only one it names
    once its lost leading zeros are put back; ``None`` when it names none or several."""
    if code in known:
        return code
    found = [candidate for candidate in code_candidates(code)[1:] if candidate in known]
    return found[0] if len(found) == 1 else None


def holders_named(value, units):
    """The code a unit-code cell names and the units that held it (``units``: the holders, by code), as every
    import reads that cell; ``CellError`` when it is blank or names no unit."""
    code = text_value(value)
    if not code:
        raise CellError(_("The unit code is missing."))
    picked = pick_code(code, units)
    if picked is None:
        raise CellError(_("There is no unit with the code “%(code)s”.") % {"code": code})
    return picked, units[picked]


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


class UnitImporter(TableImport):
    """One import of the unit list; ``run(commit=False)`` previews it.

    A row names a unit by its code *and* its interval: the same code may come on several rows (the old and the
    new holder of a reused code) when their intervals do not overlap. A row is the existing unit of its code
    whose interval overlaps the row's (the closest one), or a new unit. Parent and successor codes are resolved
    by date, among the file's rows and the units already in the system.
    """

    def __init__(self, table):
        super().__init__(table)
        self.broken = {}  # code -> row number, of the rows refused before saving
        self.has_dates = table.has(VALID_FROM) or table.has(VALID_UNTIL)

    def run(self, *, commit):
        rows = self.parse_rows()
        existing = Unit.objects.select_related("parent").prefetch_related("successors").holders(self.codes_named(rows))
        self.match_existing(rows, existing)
        # Every holder of each code once the file is imported: the file's units, and the others in the system.
        holders = {}
        for row in rows:
            holders.setdefault(row["code"], []).append(row["unit"])
        matched = {row["unit"].pk for row in rows if row["unit"].pk}
        for code, units in existing.items():
            holders.setdefault(code, []).extend(unit for unit in units if unit.pk not in matched)
        self.known_codes = set(holders) | set(self.broken)
        rows = [row for row in rows if self.resolve_parent(row, holders)]
        rows = [row for row in rows if self.resolve_successors(row, holders)]
        for row in rows:
            # Unit.clean() checks the code against these, as they will be once the file is saved.
            row["unit"].other_holders_known = holders[row["code"]]
        try:
            with transaction.atomic():
                self.save_rows(rows)
                ok = commit and not self.errors
                if not ok:
                    transaction.set_rollback(True)
        except IntegrityError:
            # Only a change made by someone else meanwhile gets here: every rule was checked before saving.
            self.error(None, None, _("The units changed while the file was being imported: import it again."))
            ok = False
        return self.result(saved=ok)

    # --- Reading the rows -------------------------------------------------------------------------------------

    def parse_rows(self):
        rows, seen = [], {}  # code -> [(interval, row number)]
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
            successor_codes = [
                part.strip()
                for part in (text_value(self.table.value(cells, SUCCESSOR_CODES)) or "").replace(",", ";").split(";")
                if part.strip()
            ]
            interval = (dates[VALID_FROM], dates[VALID_UNTIL])
            twin = next((row for other, row in seen.get(code, []) if overlaps(other, interval)), None)
            if twin is not None:
                self.error(
                    number,
                    CODE,
                    _("Row %(row)s already gives the unit %(code)s for dates that overlap these.")
                    % {"row": twin, "code": code},
                )
                continue
            seen.setdefault(code, []).append((interval, number))
            rows.append(
                {
                    "row": number,
                    "code": code,
                    "name": name,
                    "kind": kind,
                    "parent_code": parent_code,
                    "successor_codes": successor_codes,
                    **dates,
                }
            )
        return rows

    def codes_named(self, rows):
        codes = set()
        for row in rows:
            codes.add(row["code"])
            for named in ([row["parent_code"]] if row["parent_code"] else []) + row["successor_codes"]:
                codes.update(code_candidates(named))
        return codes

    def match_existing(self, rows, existing):
        """Give each row its unit: the existing unit of its code it describes, or a new one.

        Without date columns a row is the unit holding the code today (or its last holder). With dates, the
        existing units whose intervals overlap the row's are candidates, the closest first (same interval,
        then same first day, then same last day); each unit answers one row at most.
        """
        pairs = []
        for row in rows:
            interval = (row[VALID_FROM], row[VALID_UNTIL])
            units = existing.get(row["code"], [])
            if not self.has_dates:
                holder = pick_holder(units)
                pairs += [(3, row["row"], row, holder)] if holder else []
                continue
            for unit in units:
                if overlaps(unit.interval, interval):
                    closeness = 2 * (unit.valid_from == interval[0]) + (unit.valid_until == interval[1])
                    pairs.append((closeness, row["row"], row, unit))
        taken_rows, taken_units = set(), set()
        for _closeness, _number, row, unit in sorted(pairs, key=lambda pair: (-pair[0], pair[1])):
            if row["row"] in taken_rows or unit.pk in taken_units:
                continue
            taken_rows.add(row["row"])
            taken_units.add(unit.pk)
            row["unit"] = unit
        for row in rows:
            unit = row.setdefault("unit", None)
            row["is_new"] = unit is None
            if unit is None:
                unit = row["unit"] = Unit(code=row["code"])
            row["before"] = {} if row["is_new"] else _snapshot(unit, list(unit.successors.all()))
            row["old_interval"] = unit.interval
            row["old_parent_id"] = unit.parent_id
            unit.name, unit.kind = row["name"], row["kind"]
            unit.level = LEVEL_OF_KIND[row["kind"]]
            # A date column left out of the file leaves the unit's dates as they are; an empty cell clears it.
            for column in (VALID_FROM, VALID_UNTIL):
                if self.table.has(column) or row["is_new"]:
                    setattr(unit, column, row[column])

    def resolve_parent(self, row, holders):
        """Put the row's parent unit in ``row["parent"]``: the holder of the parent code whose interval holds the
        row's, or else the holder on the row's first (or last) day; ``False``, with an error, when none is."""
        row["parent"] = None
        if not row["parent_code"]:
            return True
        code = pick_code(row["parent_code"], self.known_codes)
        if code in self.broken and code not in holders:
            self.error(
                row["row"],
                PARENT_CODE,
                _("The parent unit (row %(row)s) has errors.") % {"row": self.broken[code]},
            )
            return False
        unit = row["unit"]
        candidates = holders.get(code, [])
        around = [holder for holder in candidates if contains(holder.interval, unit.interval)]
        day = unit.valid_from or unit.valid_until
        parent = pick_holder(around) or pick_holder(candidates, on=day)
        if parent is None:
            if candidates:
                message = _("No unit held the code “%(code)s” on %(date)s.") % {
                    "code": row["parent_code"],
                    "date": (day or timezone.localdate()).strftime("%d/%m/%Y"),
                }
            else:
                message = _("There is no unit with the code “%(code)s”, in the file or in the system.") % {
                    "code": row["parent_code"]
                }
            self.error(row["row"], PARENT_CODE, message)
            return False
        row["parent"] = parent
        return True

    def resolve_successors(self, row, holders):
        """Put the row's successors in ``row["successors"]`` (``None``: the file says nothing of them), each the
        holder of its code on the day after the row's last day; ``False``, with an error, when one is not."""
        row["successors"] = None
        if not self.table.has(SUCCESSOR_CODES):
            return True
        row["successors"] = []
        if not row["successor_codes"]:
            return True
        last = row["unit"].valid_until
        if last is None:
            self.error(row["row"], SUCCESSOR_CODES, _("Only a unit with a last day (valid until) has successors."))
            return False
        day = last + timedelta(days=1)
        for written in row["successor_codes"]:
            code = pick_code(written, self.known_codes)
            successor = pick_holder(holders.get(code, []), on=day) if code else None
            if successor is None:
                self.error(
                    row["row"],
                    SUCCESSOR_CODES,
                    _("No unit holds the code “%(code)s” on %(date)s, the day after this unit's last day.")
                    % {"code": written, "date": day.strftime("%d/%m/%Y")},
                )
                return False
            if successor not in row["successors"]:
                row["successors"].append(successor)
        return True

    # --- Saving ---------------------------------------------------------------------------------------------------

    def save_rows(self, rows):
        """Check and save every row, in an order in which each step is valid on its own: first the units whose
        interval shrinks (children before parents: a unit closes after what is under it, and frees its code for
        a new holder), then the others, parents before children, a level at a time (new units in one query).

        A shrinking unit that also moves under a parent new in the file is saved first under its old parent, and
        moved once the new parent exists: it must free its code before a new holder takes it, and cannot point to
        a parent not yet saved."""
        shrinks = [not row["is_new"] and not contains(row["unit"].interval, row["old_interval"]) for row in rows]
        shrinking = sorted(
            (row for row, shrink in zip(rows, shrinks, strict=True) if shrink),
            key=lambda row: (-CODE_LENGTH[row["unit"].level], row["row"]),
        )
        others = [row for row, shrink in zip(rows, shrinks, strict=True) if not shrink]
        ids = {id(row["unit"]): row for row in rows}
        failed = set()  # id() of the units whose rows failed
        moved_later = []  # shrinking rows saved under their old parent, until their new parent is saved
        for wave in [[row] for row in shrinking] + self.parents_first(others):
            new_units = []
            for row in wave:
                parent = row["parent"]
                if parent is not None and id(parent) in failed:
                    self.error(
                        row["row"],
                        PARENT_CODE,
                        _("The parent unit (row %(row)s) has errors.") % {"row": ids[id(parent)]["row"]},
                    )
                    failed.add(id(row["unit"]))
                elif not self.check_row(row):
                    failed.add(id(row["unit"]))
                elif row["is_new"]:
                    new_units.append(row["unit"])
                elif row["changed"]:
                    unit = row["unit"]
                    if unit.parent is not None and unit.parent.pk is None:
                        new_parent = unit.parent
                        unit.parent_id = row["old_parent_id"]
                        unit.save()
                        unit.parent = new_parent
                        moved_later.append(unit)
                    else:
                        unit.save()
            if not self.errors:
                # No use saving anything once a row failed: nothing will be kept.
                Unit.objects.bulk_create(new_units, batch_size=BATCH)
        if self.errors:
            return
        for unit in moved_later:
            unit.parent = unit.parent  # the parent's primary key, now that it is saved
            unit.save(update_fields=["parent"])
        links, Link = [], Unit.successors.through
        for row in rows:
            unit, wanted = row["unit"], row["successors"]
            if wanted is None:
                continue
            if not row["is_new"]:
                if {successor.pk for successor in unit.successors.all()} == {successor.pk for successor in wanted}:
                    continue
                Link.objects.filter(from_unit=unit).delete()
            links += [Link(from_unit=unit, to_unit=successor) for successor in wanted]
        Link.objects.bulk_create(links, batch_size=BATCH)

    def parents_first(self, rows):
        """The rows in waves, each after the wave of its parent when the parent is in the file; a cycle is an
        error."""
        waves, placed, waiting = [], set(), list(rows)
        waiting_ids = {id(row["unit"]) for row in rows}
        while waiting:
            ready = [
                row
                for row in waiting
                if row["parent"] is None or id(row["parent"]) not in waiting_ids or id(row["parent"]) in placed
            ]
            if not ready:
                for row in waiting:
                    self.error(row["row"], PARENT_CODE, _("The parent units of these rows form a loop."))
                break
            waves.append(ready)
            placed.update(id(row["unit"]) for row in ready)
            waiting = [row for row in waiting if id(row["unit"]) not in placed]
        return waves

    def check_row(self, row):
        """Check the row's unit as it will be (``row["changed"]`` says whether it changes); ``False`` after
        recording its errors."""
        unit = row["unit"]
        unit.parent = row["parent"]
        after = _snapshot(unit, row["successors"])
        label = f"{row['code']} – {row['name']}"
        if row["successors"] is None:
            after.pop(SUCCESSOR_CODES, None)
        row["changed"] = row["is_new"] or after != {key: row["before"].get(key) for key in after}
        if not row["changed"]:
            self.outcomes.append(RowOutcome(row["row"], label, RowOutcome.UNCHANGED))
            return True
        try:
            # The parent was resolved above (and may not be saved yet); the check constraints' rules are clean()'s
            # too, and asking the database once per constraint and row would cost two queries a row.
            unit.full_clean(exclude=["parent"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.error(row["row"], FIELD_COLUMNS.get(field), message)
            return False
        changes = [
            (column, str(_column_title(column)), row["before"].get(column), after[column])
            for column in after
            if row["before"].get(column) != after[column]
        ]
        action = RowOutcome.NEW if row["is_new"] else RowOutcome.CHANGED
        self.outcomes.append(RowOutcome(row["row"], label, action, changes))
        return True


# Model fields and the columns they come from; the interval's check constraint (a non-field error) is the dates'.
FIELD_COLUMNS = {
    "code": CODE,
    "name": NAME,
    "kind": KIND,
    "parent": PARENT_CODE,
    "valid_from": VALID_FROM,
    "valid_until": VALID_UNTIL,
    NON_FIELD_ERRORS: VALID_UNTIL,
}


def _snapshot(unit, successors):
    """The unit's imported fields, as the preview shows them."""
    parent = unit.parent if unit.parent_id or unit.parent else None
    return {
        NAME: unit.name,
        KIND: str(UnitKind(unit.kind).label) if unit.kind else None,
        PARENT_CODE: _named(parent) if parent else None,
        VALID_FROM: unit.valid_from.strftime("%d/%m/%Y") if unit.valid_from else None,
        VALID_UNTIL: unit.valid_until.strftime("%d/%m/%Y") if unit.valid_until else None,
        SUCCESSOR_CODES: "; ".join(_named(successor) for successor in successors or []) or None,
    }


def _named(unit):
    """A unit's code, with its interval when the code is or was held by others (the preview must tell them apart)."""
    return f"{unit.code} ({unit.interval_label})" if unit.interval_label else unit.code


def _column_title(code):
    return next(column.title for column in COLUMNS if column.code == code)


def import_units(table, *, commit=True):
    """Import the units of ``table``; ``commit=False`` previews. Returns an ``ImportResult``."""
    return UnitImporter(table).run(commit=commit)


def may_import_units(user):
    return user.has_perms(["districts.add_unit", "districts.change_unit"])
