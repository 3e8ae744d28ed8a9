"""Changes of a quarterly report's status: submit, approve, return, re-open.

Each is one transaction that locks the report, checks the change is allowed from its current status, writes
the new status and records who did it, when, and why (``ReportEvent``).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import LevelFigures, QuarterlyReport, ReportEvent, ReportStatus, overlapping_figures

S = ReportStatus
TRANSITIONS = {
    # action: (statuses it may start from, status it leads to, whether a comment is required)
    "submit": ((S.DRAFT, S.RETURNED), S.SUBMITTED, False),
    "approve": ((S.SUBMITTED,), S.APPROVED, False),
    "return": ((S.SUBMITTED,), S.RETURNED, True),
    "reopen": ((S.APPROVED,), S.RETURNED, True),
}


def report_errors(report):
    """Every blocking problem of a saved report and its level rows, as ``(where, message)`` pairs."""
    errors = []
    for problem in rules.check(rules.REPORT_RULES, report.figure_values()):
        if problem.severity == rules.ERROR:
            errors.append((problem.field, problem.message))
    rows = {row.level: row.figure_values() for row in LevelFigures.objects.filter(report=report)}
    for level, values in rows.items():
        for problem in rules.check(rules.LEVEL_RULES, values):
            if problem.severity == rules.ERROR:
                errors.append((f"{level}.{problem.field}", problem.message))
    for figure in overlapping_figures(rows):
        errors.append((figure.code, overlap_message(figure)))
    return errors


def overlap_message(figure):
    return _("“%(figure)s” is given both for all levels together and for a single level: it would count twice.") % {
        "figure": figure.label
    }


@transaction.atomic
def change_status(report, action, *, by, comment="", now=None):
    """Apply ``action`` to the report; ``ValidationError`` (nothing changed) if it is not allowed now."""
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
        errors = report_errors(locked)
        if errors:
            raise ValidationError([message for _where, message in errors])
    ReportEvent.objects.create(
        report=locked, from_status=locked.status, to_status=to_status, by=by, at=now or timezone.now(), comment=comment
    )
    locked.status = to_status
    if to_status == S.RETURNED:
        locked.return_comment = comment
    locked.save(update_fields=["status", "return_comment", "updated_at"])
    return locked


ACTION_PAST = {
    "submit": _("submitted"),
    "approve": _("approved"),
    "return": _("returned"),
    "reopen": _("re-opened"),
}


def submit(report, *, by, now=None):
    return change_status(report, "submit", by=by, now=now)


def approve(report, *, by, now=None):
    return change_status(report, "approve", by=by, now=now)


def return_to_unit(report, *, by, comment, now=None):
    return change_status(report, "return", by=by, comment=comment, now=now)


def reopen(report, *, by, comment, now=None):
    return change_status(report, "reopen", by=by, comment=comment, now=now)
