"""Writes of inspections: a session with its team and units, and the follow-up of a recommendation.

Each is one transaction. A recommendation's follow-up locks its row, checks the change is allowed from its
current status, validates the whole row (``full_clean``) and saves it, or raises ``ValidationError`` having
changed nothing.
"""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cchc.lib.uploads import files_follow_the_transaction
from cchc.lib.versioning import bump, check_version

from .models import Recommendation

S = Recommendation.Status
# What a district may set when it answers: the closing states beyond "done" belong to the inspecting side.
ANSWER_STATUSES = (S.IN_PROGRESS, S.DONE)


@transaction.atomic
def save_session(form, team, units):
    """Save a session and its team members and inspected units, all or nothing (the forms are valid).

    The session form (``VersionedModelForm``) refused a copy older than the saved session; its version covers
    the team and the units, which are saved only with it.
    """
    session = form.save()
    for formset in (team, units):
        formset.instance = session
        formset.save()
    return session


def _locked(recommendation):
    # Lock the recommendation's row only: PostgreSQL cannot lock the nullable side of the join to its session.
    return (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("session", "unit")
        .get(pk=recommendation.pk)
    )


def _save(recommendation, by):
    # Every save raises the version, so that an answer or an admin page opened before it is refused.
    bump(recommendation)
    recommendation.full_clean()
    # Whoever made the change goes into the history, also outside a request (django-simple-history).
    recommendation._history_user = by
    recommendation.save()
    return recommendation


@files_follow_the_transaction()
@transaction.atomic
def answer_recommendation(
    recommendation,
    *,
    by,
    status,
    response,
    evidence="",
    evidence_file=None,
    remove_file=False,
    closed_on=None,
    today,
    version=None,
):
    """The owner unit's answer: its response and evidence, and whether the work is in progress or done.

    ``closed_on`` is the day the work was done (required for "done", not after ``today``); a new file replaces
    the old one. A recommendation the team has verified is closed for good and is refused. ``version`` is the
    recommendation's version the answer was written from: an answer from an older copy is refused.
    """
    locked = _locked(recommendation)
    if locked.status == S.VERIFIED:
        raise ValidationError(_("The inspection team has verified this recommendation; it can no longer be changed."))
    if version is not None:
        submitted = {"status": status, "response": response, "evidence": evidence, "closed_on": closed_on}
        check_version(locked, version, submitted)
    if status not in ANSWER_STATUSES:
        raise ValidationError({"status": _("A unit marks its recommendation in progress or done.")})
    if status == S.DONE:
        if closed_on is None:
            raise ValidationError({"closed_on": _("Give the day the work was done.")})
        if closed_on > today:
            raise ValidationError({"closed_on": _("The day the work was done cannot be in the future.")})
    else:
        closed_on = None
    locked.status = status
    locked.closed_on = closed_on
    locked.response = response
    locked.evidence = evidence
    if evidence_file:
        locked.evidence_file = evidence_file
        locked.evidence_file_name = PurePath(evidence_file.name).name[-255:]
    elif remove_file:
        locked.evidence_file = ""
        locked.evidence_file_name = ""
    return _save(locked, by)


@transaction.atomic
def verify_recommendation(recommendation, *, by, today):
    """The inspecting side confirms the work is done; the closing date stays the unit's, or is today's."""
    locked = _locked(recommendation)
    if locked.status == S.VERIFIED:
        raise ValidationError(_("This recommendation is already verified."))
    locked.status = S.VERIFIED
    locked.closed_on = locked.closed_on or today
    return _save(locked, by)


@transaction.atomic
def reopen_recommendation(recommendation, *, by):
    """The inspecting side sends a done or verified recommendation back to the unit: in progress again."""
    locked = _locked(recommendation)
    if locked.status not in Recommendation.CLOSED_STATUSES:
        raise ValidationError(_("Only a done or verified recommendation can be sent back."))
    locked.status = S.IN_PROGRESS
    locked.closed_on = None
    return _save(locked, by)
