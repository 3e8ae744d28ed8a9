"""Changes of a quarterly report's status: submit, approve, return, re-open.

Each is one transaction that locks the report, checks the change is allowed from its current status, writes
the new status and records who did it, when, and why (``ReportEvent``).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.lib.versioning import bump, stale_error

from .figures import FIGURES_BY_CODE
from .models import (
    TRANSITIONS,
    UNFINISHED_STATUSES,
    LevelFigures,
    QuarterlyReport,
    ReportEvent,
    ReportLevel,
    ReportStatus,
    overlapping_figures,
)

S = ReportStatus


def report_errors(report, rows=None):
    """Every blocking problem of a report and its level rows, as ``(where, message)`` pairs: the rows saved, or
    ``rows`` (a level → its row) when given, as an import checks the figures in memory before it writes them."""
    if rows is None:
        rows = {row.level: row for row in LevelFigures.objects.filter(report=report)}
    errors = [(problem.field, problem.message) for problem in report.identity_errors()]
    for level, row in rows.items():
        errors += [(f"{level}.{problem.field}", problem.message) for problem in row.identity_errors()]
    values = {level: row.figure_values() for level, row in rows.items()}
    # Placed at the "all levels" row's figure, as check_figures places it when the figures are saved.
    errors += [(f"{ReportLevel.ALL}.{figure.code}", overlap_message(figure)) for figure in overlapping_figures(values)]
    return errors


def by_place(errors):
    """``(where, message)`` pairs as the ``ValidationError`` of a refused change: messages by place."""
    places = {}
    for where, message in errors:
        places.setdefault(where, []).append(message)
    return places


def _create(report, figures, levels):
    """Insert a new report; if someone created it meanwhile (two first saves at once), refuse as stale."""
    try:
        # A savepoint: after the unique constraint's refusal the transaction goes on, to read their report.
        with transaction.atomic():
            report.save()
    except IntegrityError:
        theirs = QuarterlyReport.objects.filter(unit=report.unit, year=report.year, quarter=report.quarter).first()
        if theirs is None:
            raise
        raise _stale(theirs, figures, levels) from None


def _stale(report, figures, levels):
    """The refusal of a save from an older copy, with what the other person saved: report and level figures."""
    rows = {row.level: row for row in report.levels.all()}
    more = []
    for level, values in levels.items():
        row = rows.get(level)
        for code, yours in values.items():
            theirs = getattr(row, code) if row is not None else None
            if theirs != yours:
                more.append((f"{ReportLevel(level).label}: {FIGURES_BY_CODE[code].label}", theirs, yours))
    return stale_error(report, figures, more=more)


def overlap_message(figure):
    return _("“%(figure)s” is given both for all levels together and for a single level: it would count twice.") % {
        "figure": figure.label
    }


# The history's change reason of a report submitted in the same step as it was created (no draft saved before).
SUBMITTED_DIRECTLY = "submitted-directly"


@transaction.atomic
def change_status(report, action, *, by, comment="", now=None, imported=False, direct=False):
    """Apply ``action`` to the report; ``ValidationError`` (nothing changed) if it is not allowed now.

    ``direct``: the report was created by this very submit (the district pressed "submit" without ever saving a
    draft). Its draft existed for an instant only, so the log says "submitted", not "draft → submitted": the
    event has no former status and the history entry carries ``SUBMITTED_DIRECTLY`` as its reason.
    """
    from_statuses, to_status, needs_comment = TRANSITIONS[action]
    locked = QuarterlyReport.objects.select_for_update().get(pk=report.pk)
    if locked.status not in from_statuses:
        raise ValidationError(
            _("A report that is %(status)s cannot be %(action)s.")
            % {"status": locked.get_status_display(), "action": ACTION_PAST[action]}
        )
    comment = (comment or "").strip()
    if needs_comment and not comment:
        raise ValidationError({"comment": _("Say why: the district will read this comment.")})
    if action == "submit":
        # A draft may keep figures that break an identity; a report handed in may not.
        errors = report_errors(locked)
        if errors:
            raise ValidationError(by_place(errors))
    direct = direct and action == "submit" and locked.status == S.DRAFT
    ReportEvent.objects.create(
        report=locked,
        from_status="" if direct else locked.status,
        to_status=to_status,
        by=by,
        at=now or timezone.now(),
        comment=comment,
        imported=imported,
    )
    locked.status = to_status
    if direct:
        locked._change_reason = SUBMITTED_DIRECTLY
    if to_status == S.RETURNED:
        locked.return_comment = comment
    locked.save(update_fields=["status", "return_comment", "updated_at"])
    locked.__dict__.pop("_change_reason", None)
    # The rows' copy of "unfinished" follows the status; once it is False the database checks the identities.
    LevelFigures.objects.filter(report=locked).update(draft=locked.is_unfinished)
    return locked


ACTION_PAST = {
    "submit": _("submitted"),
    "approve": _("approved"),
    "return": _("returned"),
    "reopen": _("re-opened"),
}

ACTION_DONE = {
    "approve": _("Report approved."),
    "return": _("Report returned to the district with your comment."),
    "reopen": _("Report re-opened: the district can correct it and submit it again."),
}


def submit(report, *, by, now=None, direct=False):
    return change_status(report, "submit", by=by, now=now, direct=direct)


def approve(report, *, by, now=None):
    return change_status(report, "approve", by=by, now=now)


def return_to_unit(report, *, by, comment, now=None):
    return change_status(report, "return", by=by, comment=comment, now=now)


def reopen(report, *, by, comment, now=None):
    return change_status(report, "reopen", by=by, comment=comment, now=now)


# Who may still change a report's figures: the district while it is a draft or was returned to it; the
# province also while it is submitted (to correct before approving). An approved report must be re-opened.
EDITABLE_BY_DISTRICT = UNFINISHED_STATUSES
EDITABLE_BY_PROVINCE = (*UNFINISHED_STATUSES, S.SUBMITTED)


def editable_statuses(*, province_staff):
    """The statuses in which a report's figures may still be changed, by the province or by the district."""
    return EDITABLE_BY_PROVINCE if province_staff else EDITABLE_BY_DISTRICT


def check_editable(report, unit, *, province_staff):
    """Refuse a change to the figures of the unit's report when its status no longer allows it to this side."""
    if report.status not in editable_statuses(province_staff=province_staff):
        raise ValidationError(
            _("The report of %(unit)s for %(period)s is %(status)s and can no longer be changed.")
            % {"unit": unit.name, "period": report.period.label, "status": report.get_status_display()}
        )


def _full_clean_errors(instance, prefix=""):
    # A report's version is compared apart (a stale copy is refused with what the other person saved); a row's
    # report is the one being saved, perhaps not yet in the database.
    exclude = ["report"] if isinstance(instance, LevelFigures) else ["version"]
    try:
        # The rules behind the check constraints are checked by clean() already (dossiers/rules.py), and the
        # database enforces them again on save: asking the database once per constraint would cost a query each.
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return {f"{prefix}{field}": messages for field, messages in error.message_dict.items()}
    return {}


def _file_problems(errors, problems, prefix=""):
    for problem in problems:
        errors.setdefault(f"{prefix}{problem.field}", []).append(problem.message)


def check_figures(report, levels, *, clean, strict):
    """Put ``levels`` (a level → its dossier figures) on the report's level rows, and check the report and them.

    The report already holds its own new figures. A level whose figures are all blank has no row: a saved one is
    dropped. ``clean(instance, prefix)`` answers the model's own checks, keyed by place; with ``strict`` the
    identities are checked too (``clean()`` leaves them alone on an unfinished report). Returns ``(rows,
    dropped, errors)``: the rows to keep by level, the saved rows to delete, and every error keyed by place
    (``"procedures_total"``, ``"district.resolved"``) — empty when the figures may be saved.
    """
    errors = clean(report, "")
    if strict:
        _file_problems(errors, report.identity_errors())
    existing = {row.level: row for row in report.levels.all()} if report.pk else {}
    rows, kept = {}, {}
    for level, values in levels.items():
        if level not in existing and all(value is None for value in values.values()):
            continue  # no row, and none to make (the test below, without building one)
        row = existing.get(level) or LevelFigures(report=report, level=level)
        for code, value in values.items():
            setattr(row, code, value)
        figures = row.figure_values()
        if all(value is None for value in figures.values()):
            continue
        rows[level] = row
        kept[level] = figures
        errors.update(clean(row, f"{level}."))
        if strict:
            _file_problems(errors, row.identity_errors(), f"{level}.")
    for figure in overlapping_figures(kept):
        errors.setdefault(f"{ReportLevel.ALL}.{figure.code}", []).append(overlap_message(figure))
    dropped = [row for level, row in existing.items() if level not in rows]
    return rows, dropped, errors


@transaction.atomic
def save_report(
    *, unit, year, quarter, figures, levels, by, province_staff=False, version=None, status=None, keep_errors=False
):
    """Create or update the unit's report for the quarter, all or nothing.

    ``keep_errors``: a draft (or returned report) is saved even if its figures break an identity — the
    district's "save as draft"; ``report_errors`` lists them afterwards, and submitting is refused until they
    are mended. Without it (imports, and any report handed in) an identity error refuses the save.

    ``figures`` maps report figure codes (procedures, activities) to a whole number or ``None``; ``levels``
    maps a level (``ReportLevel``) to its dossier figures — a level whose figures are all blank has no row.
    ``version`` is the report's version the user started from: a save based on an older copy is refused.
    Raises ``ValidationError`` with errors keyed by field (``"procedures_total"``) or level and field
    (``"district.resolved"``); then nothing is saved. Returns the saved report.
    """
    report = QuarterlyReport.objects.select_for_update().filter(unit=unit, year=year, quarter=quarter).first()
    if report is None:
        report = QuarterlyReport(unit=unit, year=year, quarter=quarter, status=status or S.DRAFT)
    else:
        check_editable(report, unit, province_staff=province_staff)
        # ``version`` 0 means the user started from no report at all: someone created it meanwhile.
        if version is not None and report.version != version:
            raise _stale(report, figures, levels)
    for code, value in figures.items():
        setattr(report, code, value)

    # clean() leaves the identities of an unfinished report alone; a strict save checks them here.
    rows, dropped, errors = check_figures(
        report, levels, clean=_full_clean_errors, strict=report.is_unfinished and not keep_errors
    )
    if errors:
        raise ValidationError(errors)

    if report.pk:
        bump(report)
    # The history records ``by`` as the author even outside a request (an import from the command line).
    report._history_user = by
    if report.pk:
        report.save()
    else:
        _create(report, figures, levels)
    for row in dropped:
        row._history_user = by
        row.delete()
    for row in rows.values():
        row.report = report
        row._history_user = by
        row.save()
    return report
