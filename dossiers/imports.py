"""Importing quarterly figures from a file: one row per unit and quarter, all rows or none.

The columns are ``unit_code``, ``quarter`` (``2024Q1``), the 13 dossier figures of each level with a level
prefix (``district_level_received``), and the 11 procedure and activity figures (``procedures_total``); a
column is recognised by its code or its title. A missing column or an empty cell is a blank figure, and a row
with no figure at all is skipped, so that a template with every unit listed may be filled for a few.

Every row is checked in Python as ``dossiers.services.save_report`` checks a report saved from its page — the
same model ``clean()`` (identities, the unit's existence in the quarter, the levels a unit reports), the same
locked statuses, the same messages — but the whole file is read and written in bulk: the reports it may change
in one query per chunk of units, then every new or changed row with ``bulk_create``/``bulk_update`` and its
history (django-simple-history's ``*_with_history``), in one transaction. A row per query would cost some ten
queries a row (150 s for 10,000 rows); in bulk the number of queries does not grow with the rows (but for
one query per few hundred rows). Every row's errors are collected; if there is any, nothing is written. The
database's check constraints still stand behind the Python checks. A preview is the same import, always
rolled back.
"""

import functools

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.text import capfirst, format_lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from cchc.lib.imports import (
    CellError,
    ColumnSpec,
    RowOutcome,
    TableImport,
    note,
    parse_figure,
    text_value,
)
from cchc.lib.periods import Period, is_known_year
from districts.access import is_provincial_staff, may_enter_figures
from districts.imports import codes_in_column, holders_named
from districts.models import Unit, pick_holder

from . import rules
from .deadlines import due_date
from .figures import DOSSIER_FIGURES, REPORT_FIGURES
from .models import (
    TRANSITIONS,
    LevelFigures,
    QuarterlyReport,
    ReportEvent,
    ReportLevel,
    ReportStatus,
)
from .services import SUBMITTED_DIRECTLY, by_place, check_editable, check_figures, report_errors

UNIT_CODE = "unit_code"
UNIT_NAME = "unit_name"
QUARTER = "quarter"
REQUIRED = (UNIT_CODE, QUARTER)
# The levels a file gives figures for. "All levels, not split" is for published totals entered by hand; a
# file never sets it, and an import leaves it as it is.
FILE_LEVELS = (ReportLevel.PROVINCE, ReportLevel.DISTRICT, ReportLevel.COMMUNE)
# Enough codes per query to stay under SQLite's limit of bound parameters.
CHUNK = 500
# Rows per INSERT or UPDATE statement.
BATCH = 500
REPORT_FIGURE_CODES = [figure.code for figure in REPORT_FIGURES]
DOSSIER_FIGURE_CODES = [figure.code for figure in DOSSIER_FIGURES]


def level_column(level, code):
    return f"{level}_level_{code}"


# The template's second row: how to fill each column, in the user's language (the codes are on the explanation
# sheet). The importer knows these notes and reads the row as part of the header.
FIGURE_HINT = gettext_lazy("whole number ≥ 0, empty if not tracked")


def _columns():
    columns = [
        ColumnSpec(
            UNIT_CODE,
            gettext_lazy("Unit code"),
            gettext_lazy("The unit's official code (87, 874, 29620)."),
            gettext_lazy("official code, e.g. 874"),
        ),
        ColumnSpec(
            UNIT_NAME,
            gettext_lazy("Unit name"),
            gettext_lazy("For reading only: the import ignores it."),
            gettext_lazy("for reading only, not imported"),
        ),
        ColumnSpec(
            QUARTER,
            gettext_lazy("Quarter"),
            gettext_lazy("The quarter, written 2024Q1 … 2024Q4."),
            gettext_lazy("written 2024Q1 … 2024Q4"),
        ),
    ]
    for level in FILE_LEVELS:
        for figure in DOSSIER_FIGURES:
            title = format_lazy("{} – {}", capfirst(figure.label), level.label)
            columns.append(ColumnSpec(level_column(level, figure.code), title, figure.help_text, FIGURE_HINT))
    for figure in REPORT_FIGURES:
        columns.append(ColumnSpec(figure.code, capfirst(figure.label), figure.help_text, FIGURE_HINT))
    return tuple(columns)


COLUMNS = _columns()
COLUMNS_BY_CODE = {column.code: column for column in COLUMNS}
FIGURE_COLUMNS = tuple(column.code for column in COLUMNS if column.code not in (UNIT_CODE, UNIT_NAME, QUARTER))


class Importer(TableImport):
    """One import of quarterly figures by ``user`` (``None``: an administrator on the command line)."""

    def __init__(self, table, *, user, approve=False):
        super().__init__(table)
        self.user = user
        self.approve = approve
        self.pending = {}  # (unit id, year, quarter) -> {level: pending}, as the database and the file give it
        if user is not None:
            # may_enter_figures reads the user's groups for every unit: read them once.
            prefetch_related_objects([user], "groups")
        self.province_staff = user is None or is_provincial_staff(user)

    def run(self, *, commit):
        if self.approve and not self.province_staff:
            self.error(None, None, _("Only the Department of Home Affairs approves reports."))
            return self.result(saved=False)
        parsed = self.parse_rows()
        with transaction.atomic():
            existing = self.existing_reports(parsed)
            writes = Writes(self.user)
            # Earlier quarters first, so that a quarter's carried over is compared with the pending figure of
            # the previous quarter of the same file.
            for row in sorted(parsed, key=lambda r: (r["period"], r["row"])):
                key = (row["unit"].pk, row["period"].year, row["period"].first_quarter)
                self.import_row(row, existing.get(key), writes)
            if not self.errors:
                # Also for a preview (rolled back below): the database's constraints have their say.
                writes.save()
            saved = commit and not self.errors
            if not saved:
                transaction.set_rollback(True)
        return self.result(saved=saved)

    # --- Reading the rows ---------------------------------------------------------------------------------------

    def parse_rows(self):
        """The rows that can be saved, as dicts; every problem of the others is an error."""
        units = self.units_by_code()
        parsed, seen = [], {}
        for number, cells in self.table.rows:
            before = len(self.errors)
            period = self.read_quarter(number, self.table.value(cells, QUARTER))
            unit = self.read_unit(number, self.table.value(cells, UNIT_CODE), units, period)
            report_figures = {}
            for figure in REPORT_FIGURES:
                report_figures[figure.code] = self.read_figure(number, cells, figure.code)
            levels = {
                level: {
                    figure.code: self.read_figure(number, cells, level_column(level, figure.code))
                    for figure in DOSSIER_FIGURES
                }
                for level in FILE_LEVELS
            }
            if len(self.errors) > before:
                continue
            label = f"{unit.code} – {unit.name} · {period.code}"
            given = [v for v in report_figures.values() if v is not None]
            given += [v for values in levels.values() for v in values.values() if v is not None]
            if not given:
                self.outcomes.append(RowOutcome(number, label, RowOutcome.EMPTY))
                continue
            key = (unit.pk, period)
            if key in seen:
                self.error(
                    number,
                    QUARTER,
                    _("Row %(row)s already gives the figures of %(unit)s for this quarter.")
                    % {"row": seen[key], "unit": unit.name},
                )
                continue
            seen[key] = number
            if self.user is not None and not may_enter_figures(self.user, unit):
                self.error(number, UNIT_CODE, _("You may not enter the figures of %(unit)s.") % {"unit": unit.name})
                continue
            parsed.append(
                {
                    "row": number,
                    "unit": unit,
                    "period": period,
                    "label": label,
                    "figures": report_figures,
                    "levels": levels,
                }
            )
        return parsed

    def units_by_code(self):
        """Every unit a code of the file may name, by code, in a few queries."""
        codes = codes_in_column(self.table, UNIT_CODE)
        # Every holder of each code (codes were reused in 2025), with the parents up to the province, which the
        # preview names.
        return Unit.objects.select_related("parent__parent").holders(codes)

    def read_unit(self, number, value, units, period):
        try:
            _code, holders = holders_named(value, units)
        except CellError as error:
            self.error(number, UNIT_CODE, str(error))
            return None
        # The unit that held the code in the row's quarter; else today's, which the service then finds did not
        # exist in that quarter (an error said at the unit's column).
        return pick_holder(holders, period=period) or pick_holder(holders)

    def read_quarter(self, number, value):
        code = text_value(value)
        if not code:
            self.error(number, QUARTER, _("The quarter is missing (write it 2024Q1)."))
            return None
        try:
            period = Period.parse(code)
        except ValueError:
            period = None
        if period is None or not period.is_quarter or not is_known_year(period.year):
            self.error(number, QUARTER, _("“%(code)s” is not a quarter: write it 2024Q1 … 2024Q4.") % {"code": code})
            return None
        return period

    def read_figure(self, number, cells, column):
        try:
            return parse_figure(self.table.value(cells, column))
        except CellError as error:
            self.error(number, column, str(error))
            return None

    # --- Saving the rows ----------------------------------------------------------------------------------------

    def existing_reports(self, parsed):
        """The reports the rows would change, with their level rows, by (unit, year, quarter).

        Also keeps each level's pending figure of every report read, for the carried-over warnings: the
        previous quarter of a row is either in the database or in an earlier row of the file.
        """
        found = {}
        unit_ids = sorted({row["unit"].pk for row in parsed})
        years = {row["period"].year for row in parsed} | {row["period"].previous_quarter().year for row in parsed}
        for start in range(0, len(unit_ids), CHUNK):
            # Locked until the import ends, as save_report locks the one report it changes.
            reports = QuarterlyReport.objects.select_for_update().filter(
                unit_id__in=unit_ids[start : start + CHUNK], year__in=years
            )
            for report in reports.prefetch_related("levels"):
                key = (report.unit_id, report.year, report.quarter)
                found[key] = report
                self.pending[key] = {row.level: row.pending for row in report.levels.all()}
        return found

    def import_row(self, row, report, writes):
        new_levels = {level: values for level, values in row["levels"].items() if _any(values)}
        old_levels = {level.level: level.figure_values() for level in report.levels.all()} if report else {}
        if ReportLevel.ALL in old_levels:
            new_levels[ReportLevel.ALL] = old_levels[ReportLevel.ALL]
        old_figures = report.figure_values() if report else {}
        changes = _changes(old_figures, old_levels, row["figures"], new_levels) if report else []
        to_approve = self.approve and (report is None or report.status != ReportStatus.APPROVED)
        unit, period = row["unit"], row["period"]
        place = (unit.province.code, period.code)
        if report is not None and not changes and not to_approve:
            self.outcomes.append(RowOutcome(row["row"], row["label"], RowOutcome.UNCHANGED, place=place))
            return
        report_is_new = report is None
        try:
            if report is None or changes:
                # Every file level, so that a figure the file no longer gives is blanked.
                levels = {level: row["levels"][level] for level in FILE_LEVELS} | new_levels
                prepared = self.prepare(unit, period, row["figures"], levels, report)
            else:
                prepared = Prepared(report, {row.level: row for row in report.levels.all()}, [], changed=False)
            if to_approve:
                self.check_submission(prepared)
            self.collect_warnings(row, new_levels)
        except ValidationError as error:
            self.add_service_errors(row, error)
            return
        writes.add(prepared, approve=to_approve)
        if report_is_new:
            action, changes = RowOutcome.NEW, _changes({}, {}, row["figures"], new_levels)
        else:
            action = RowOutcome.CHANGED if changes else RowOutcome.UNCHANGED
        self.outcomes.append(RowOutcome(row["row"], row["label"], action, changes, approved=to_approve, place=place))

    def prepare(self, unit, period, figures, levels, report):
        """The report and level rows a row makes, checked as ``save_report`` checks them; nothing saved yet.

        Raises ``ValidationError`` with the errors ``save_report`` would raise, keyed the same way.
        """
        if report is None:
            report = QuarterlyReport(unit=unit, year=period.year, quarter=period.first_quarter)
        else:
            report.unit = unit  # the unit read with the file, so that clean() reads it from memory
            check_editable(report, unit, province_staff=self.province_staff)
        for code, value in figures.items():
            setattr(report, code, value)
        # clean() leaves the identities of an unfinished report (a draft) alone; an import, like save_report
        # without keep_errors, refuses them all the same.
        rows, dropped, errors = check_figures(report, levels, clean=_clean_errors, strict=report.is_unfinished)
        if errors:
            raise ValidationError(errors)
        return Prepared(report, rows, dropped, changed=True)

    def check_submission(self, prepared):
        """What ``change_status(report, "submit")`` refuses, checked on the figures in memory."""
        if not prepared.report.allows("submit"):
            return
        errors = report_errors(prepared.report, prepared.rows)
        if errors:
            raise ValidationError(by_place(errors))

    def collect_warnings(self, row, levels):
        """The report's warnings, as ``QuarterlyReport.warnings()`` gives them, without reading the previous
        quarter's report again for every row."""
        unit, period = row["unit"], row["period"]
        previous = period.previous_quarter()
        previous_pending = self.pending.get((unit.pk, previous.year, previous.first_quarter), {})
        for problem in rules.level_warnings(levels, previous_pending):
            column = level_column(problem.level, problem.field) if problem.level in FILE_LEVELS else None
            self.warnings.append(note(self.table, row["row"], column, problem.message))
        self.pending[(unit.pk, period.year, period.first_quarter)] = {
            level: values.get("pending") for level, values in levels.items()
        }

    def add_service_errors(self, row, error):
        """Place the errors of ``save_report`` and ``change_status`` at their columns."""
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.error(row["row"], None, message)
            return
        for key, messages in error.message_dict.items():
            for message in messages:
                self.error(row["row"], self.column_of(row, key), message)

    def column_of(self, row, key):
        if key == "unit":
            return UNIT_CODE
        if key in ("year", "quarter"):
            return QUARTER
        if key == NON_FIELD_ERRORS:
            return None
        level, _dot, code = key.rpartition(".")
        if not level:
            return code if code in COLUMNS_BY_CODE else None
        if level in FILE_LEVELS and code in row["levels"][level]:
            return level_column(level, code)
        # "district.level" (a level the unit does not report) or "all.received" (given twice): the first
        # column of the row that gives the figure, or any figure of that level.
        for file_level in FILE_LEVELS if level == ReportLevel.ALL else (level,):
            values = row["levels"][file_level]
            if code in values and values[code] is not None:
                return level_column(file_level, code)
            if code not in values:
                given = next((c for c, v in values.items() if v is not None), None)
                if given:
                    return level_column(file_level, given)
        return None

    def __repr__(self):
        return f"<Importer of {len(self.table.rows)} rows>"


def import_reports(table, *, user, approve=False, commit=True):
    """Import the figures of ``table``; ``commit=False`` previews (checks everything, saves nothing).

    Returns an ``ImportResult``: what each row would do, every error and warning by row and column, and
    whether anything was saved (nothing is, when there is any error).
    """
    return Importer(table, user=user, approve=approve).run(commit=commit)


def may_import_reports(user):
    return user.has_perms(["dossiers.add_quarterlyreport", "dossiers.change_quarterlyreport"])


def may_approve(user):
    return is_provincial_staff(user) and user.has_perm("dossiers.approve_quarterlyreport")


def _any(values):
    return any(value is not None for value in values.values())


@functools.cache
def _titles(language):
    """Every column's title in ``language``: a lazy title costs a translation each time it is read."""
    return {column.code: str(column.title) for column in COLUMNS}


def _changes(old_figures, old_levels, new_figures, new_levels):
    """Each figure whose value the row changes: (column code, column title, old value, new value)."""
    titles = _titles(get_language())
    changes = []
    for level in FILE_LEVELS:
        old, new = old_levels.get(level, {}), new_levels.get(level, {})
        for figure in DOSSIER_FIGURES:
            if old.get(figure.code) != new.get(figure.code):
                code = level_column(level, figure.code)
                changes.append((code, titles[code], old.get(figure.code), new.get(figure.code)))
    for figure in REPORT_FIGURES:
        if old_figures.get(figure.code) != new_figures.get(figure.code):
            code = figure.code
            changes.append((code, titles[code], old_figures.get(code), new_figures.get(code)))
    return changes


def _clean_errors(instance, prefix=""):
    """The model's ``clean()`` errors, keyed as ``save_report`` keys them (``"district.resolved"``).

    ``save_report`` runs ``full_clean()``; here its field checks would find nothing: the file's cells were read
    by ``parse_figure`` (whole numbers from 0 to the largest the database holds) and ``read_quarter`` (years
    within cchc.lib.periods' bounds, quarters 1–4), the level is one of ``FILE_LEVELS``, the unit was read from
    the database. They cost a third of the import (400,000 validator calls for 10,000 rows), so only ``clean()``
    runs: the unit's existence in the quarter, the levels it reports, the identities. As in ``save_report``, no
    unique check and no query per check constraint: the database enforces both on write.
    """
    try:
        instance.clean()
    except ValidationError as error:
        return {f"{prefix}{field}": messages for field, messages in error.message_dict.items()}
    return {}


class Prepared:
    """A row's report and level rows, checked and ready to write."""

    def __init__(self, report, rows, dropped, *, changed):
        self.report = report
        self.rows = rows  # level -> LevelFigures, new or changed
        self.dropped = dropped  # level rows the file no longer gives: deleted
        self.changed = changed  # the figures change (else only the status may)


class Writes:
    """Every write of an import, made in bulk at the end, each change recorded in the history as a save would."""

    def __init__(self, user):
        self.user = user
        self.prepared = []
        self.approvals = []
        self.created = set()  # the keys of the reports this import creates

    def add(self, prepared, *, approve):
        self.prepared.append(prepared)
        if approve:
            self.approvals.append(prepared.report)

    def save(self):
        now = timezone.now()
        changed = [p for p in self.prepared if p.changed]
        new_reports = [p.report for p in changed if p.report.pk is None]
        old_reports = [p.report for p in changed if p.report.pk is not None]
        for report in old_reports:
            report.version += 1
            report.updated_at = now  # auto_now applies to save() only
        history = {"batch_size": BATCH, "default_user": self.user, "default_date": now}
        bulk_create_with_history(new_reports, QuarterlyReport, **history)
        self.created = {report.pk for report in new_reports}
        _update_with_history(QuarterlyReport, old_reports, REPORT_FIGURE_CODES + ["version", "updated_at"], **history)
        for prepared in changed:
            for row in prepared.dropped:
                row._history_user = self.user  # rare (a whole level left out): deleted one by one
                row.delete()
        rows = [row for p in changed for row in p.rows.values()]
        new_rows = [row for row in rows if row.pk is None]
        old_rows = [row for row in rows if row.pk is not None]
        for prepared in changed:
            for row in prepared.rows.values():
                row.draft = prepared.report.is_unfinished  # as LevelFigures.save() sets it
                row.report = prepared.report  # a new report has its key now
        bulk_create_with_history(new_rows, LevelFigures, **history)
        _update_with_history(LevelFigures, old_rows, DOSSIER_FIGURE_CODES + ["draft"], **history)
        self.approve(now, history)

    def approve(self, now, history):
        """Submit (when needed) and approve, each step an event and a history entry, as ``change_status`` does."""
        comment = _("Imported from a file.")
        # The steps of the workflow's one table (dossiers.models.TRANSITIONS), taken in bulk.
        submitted, approved = TRANSITIONS["submit"][1], TRANSITIONS["approve"][1]
        events, to_submit = [], []
        for report in self.approvals:
            if report.allows("submit"):
                events.append(self.event(report, submitted, now, comment))
                to_submit.append(report)
            events.append(self.event(report, approved, now, comment))
        for report in to_submit:
            report.status = submitted
            report.updated_at = now
            if report.pk in self.created:
                # Created by this import: no draft was ever saved (as change_status(direct=True) records it).
                report._change_reason = SUBMITTED_DIRECTLY
        _update_with_history(QuarterlyReport, to_submit, ["status", "updated_at"], **history)
        for report in to_submit:
            report.__dict__.pop("_change_reason", None)  # the approval below is no direct submission
        for report in self.approvals:
            report.status = approved
            report.updated_at = now
        _update_with_history(QuarterlyReport, self.approvals, ["status", "updated_at"], **history)
        ReportEvent.objects.bulk_create(events, batch_size=BATCH)
        # As change_status does: the rows of a report handed in are held to every identity by the database.
        ids = [report.pk for report in self.approvals]
        for start in range(0, len(ids), CHUNK):
            LevelFigures.objects.filter(report_id__in=ids[start : start + CHUNK]).update(draft=False)

    def event(self, report, to_status, now, comment):
        (approve_from,), approved = TRANSITIONS["approve"][:2]
        if to_status == approved:
            from_status = approve_from
        elif report.pk in self.created:
            from_status = ""  # created and submitted by this import: there was no draft before
        else:
            from_status = report.status
        # A quarter whose due date had passed when the file was loaded (a quarter long past, loaded as history):
        # its handing-in is "imported from a file", neither on time nor late (dossiers/deadlines.py).
        historic = due_date(report.year, report.quarter) < timezone.localdate(now)
        return ReportEvent(
            report=report,
            from_status=from_status,
            to_status=to_status,
            by=self.user,
            at=now,
            comment=comment,
            imported=historic,
        )


def _update_with_history(model, objs, fields, *, batch_size, default_user, default_date):
    """Write ``fields`` of ``objs`` in a few statements, and record each row's change in its history.

    One ``UPDATE … FROM (VALUES …)`` per batch: Django's ``bulk_update`` builds a ``CASE WHEN`` per row and
    field, whose construction in Python cost more than a minute for 10,000 rows. PostgreSQL and SQLite (3.33
    and later) both read this form.
    """
    if not objs:
        return
    opts = model._meta
    targets = [opts.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    postgres = connection.vendor == "postgresql"

    def cast(field, expression):
        # PostgreSQL types a VALUES column from its values (text when they are all NULL); SQLite needs no cast.
        return f"CAST({expression} AS {field.cast_db_type(connection)})" if postgres else expression

    names = ["pk"] + [f"f{index}" for index in range(len(targets))]
    assignments = ", ".join(
        f"{quote(field.column)} = {cast(field, f'v.{name}')}" for field, name in zip(targets, names[1:], strict=True)
    )
    table = quote(opts.db_table)
    match = f"{table}.{quote(opts.pk.column)} = {cast(opts.pk, 'v.pk')}"
    size = min(batch_size, connection.ops.bulk_batch_size([opts.pk, *targets], objs) or batch_size)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            batch = objs[start : start + size]
            row = "(" + ", ".join(["%s"] * len(names)) + ")"
            params = []
            for obj in batch:
                params.append(obj.pk)
                params += [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in targets]
            cursor.execute(
                f"WITH v ({', '.join(names)}) AS (VALUES {', '.join([row] * len(batch))}) "
                f"UPDATE {table} SET {assignments} FROM v WHERE {match}",
                params,
            )
    model.history.bulk_history_create(
        objs, batch_size=batch_size, update=True, default_user=default_user, default_date=default_date
    )
