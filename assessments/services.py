"""Writes of the PAR index: the unit's self-assessment, the appraisal, the unit's answers, final scores, survey.

Each is one transaction that locks the assessment's row and checks the version the user started from, so two
people saving the same assessment never overwrite each other unseen. A step either saves everything it was
given or raises ``ValidationError`` having saved nothing; errors about one criterion are keyed
``"<criterion id>:<field>"`` so the page puts them at that criterion. Every step is recorded as an ``Event``.
"""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.lib.versioning import stale_error

from .computed import figures_for, propose
from .models import SCORED_BY_UNIT, Assessment, AssessmentStatus, Event, LeafScore, Method, _points
from .tree import Tree

S = AssessmentStatus


def key(criterion, field):
    return f"{criterion.pk}:{field}"


def start_assessment(criteria_set, unit):
    """The unit's assessment of the set, created as an empty draft the first time."""
    assessment, _created = Assessment.objects.get_or_create(criteria_set=criteria_set, unit=unit)
    return assessment


def _locked(assessment, version):
    locked = Assessment.objects.select_for_update().select_related("criteria_set", "unit").get(pk=assessment.pk)
    if version is not None and locked.version != version:
        # The project's stale-save refusal (cchc.lib.versioning): who saved first and when, from the history.
        raise stale_error(locked)
    return locked


def _event(assessment, action, by, criterion=None, detail=""):
    Event.objects.create(
        assessment=assessment, action=action, criterion=criterion, by=by, at=timezone.now(), detail=detail
    )


def _bump(assessment, by):
    assessment.version += 1
    assessment._history_user = by
    assessment.save()


def _scores(assessment):
    return {score.criterion_id: score for score in assessment.scores.all()}


def _leaf_errors(score, errors):
    """Run the row's own checks (the model's ``clean``), filing each message at its criterion."""
    try:
        score.clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(key(score.criterion, field), []).extend(messages)
    for field in ("self_points", "appraised_points"):
        if getattr(score, field) is not None:
            try:
                score._meta.get_field(field).run_validators(getattr(score, field))
            except ValidationError as error:
                errors.setdefault(key(score.criterion, field), []).extend(error.messages)


def proposals(assessment, tree):
    """``{criterion id: Proposal}`` for the computed leaves, from the unit's figures for the set's year."""
    computed = [leaf.criterion for leaf in tree.leaves() if leaf.criterion.method == Method.COMPUTED]
    if not computed:
        return {}
    figures = figures_for(assessment.unit, assessment.criteria_set.year)
    return {criterion.pk: propose(criterion, figures) for criterion in computed}


@transaction.atomic
def save_self_assessment(assessment, *, by, entries, version, submit=False, today=None):
    """Save the unit's points and evidence, leaf by leaf; with ``submit``, hand the assessment to the province.

    ``entries`` maps a criterion id to ``self_points``, ``evidence_number``, ``evidence_date``,
    ``evidence_file`` (a new upload or ``None``), ``remove_file`` and ``explanation``. A computed leaf stores the
    proposal from the figures as they stand now; points other than it need an explanation.
    """
    locked = _locked(assessment, version)
    if locked.status != S.DRAFT:
        raise ValidationError(_("This self-assessment has been submitted; it can no longer be changed."))
    today = today or timezone.localdate()
    deadline = locked.criteria_set.deadline
    if submit and deadline and today > deadline:
        raise ValidationError(
            _("The deadline for submitting was %(date)s.") % {"date": deadline.strftime("%d/%m/%Y")}, code="late"
        )
    tree = Tree(locked.criteria_set.criteria.prefetch_related("bands"))
    proposed = proposals(locked, tree)
    existing = _scores(locked)
    errors, changed = {}, []
    for leaf in tree.leaves():
        criterion = leaf.criterion
        if criterion.method not in SCORED_BY_UNIT:
            continue
        score = existing.get(criterion.pk) or LeafScore(assessment=locked, criterion=criterion)
        score.criterion = criterion
        entry = entries.get(criterion.pk)
        if entry is not None:
            score.self_points = entry.get("self_points")
            score.evidence_number = entry.get("evidence_number", "") or ""
            score.evidence_date = entry.get("evidence_date")
            score.explanation = entry.get("explanation", "") or ""
            upload = entry.get("evidence_file")
            if upload:
                score.evidence_file = upload
                score.evidence_file_name = PurePath(upload.name).name[-255:]
                try:
                    score._meta.get_field("evidence_file").run_validators(upload)
                except ValidationError as error:
                    errors.setdefault(key(criterion, "evidence_file"), []).extend(error.messages)
            elif entry.get("remove_file"):
                score.evidence_file = ""
                score.evidence_file_name = ""
        if criterion.pk in proposed:
            proposal = proposed[criterion.pk]
            score.proposed_points, score.proposal_basis = proposal.points, proposal.basis[:200]
        _leaf_errors(score, errors)
        if submit and score.self_points is None:
            errors.setdefault(key(criterion, "self_points"), []).append(_("Score this criterion before submitting."))
        if entry is not None or score.pk is None or criterion.pk in proposed:
            changed.append(score)
    if errors:
        raise ValidationError(errors)
    for score in changed:
        score._history_user = by
        score.save()
    if submit:
        locked.status = S.SUBMITTED
        locked.submitted_at = timezone.now()
    _bump(locked, by)
    _event(locked, Event.Action.SUBMITTED if submit else Event.Action.SAVED, by)
    return locked


@transaction.atomic
def appraise(assessment, *, by, entries, version):
    """The appraisal council's points, leaf by leaf, with a comment where they differ from the unit's.

    ``entries`` maps a criterion id to ``(appraised points or None, comment)``. Allowed once the unit has
    submitted, and again after the unit's answers, until the scores are final.
    """
    locked = _locked(assessment, version)
    if locked.status not in (S.SUBMITTED, S.APPRAISED):
        raise ValidationError(_("Only a submitted self-assessment can be appraised."))
    existing = {
        score.criterion_id: score for score in locked.scores.select_related("criterion").filter(criterion__in=entries)
    }
    errors, changed = {}, []
    for criterion_id, (points, comment) in entries.items():
        score = existing.get(criterion_id)
        if score is None or score.criterion.method not in SCORED_BY_UNIT:
            continue
        before = (score.appraised_points, score.appraisal_comment)
        score.appraised_points, score.appraisal_comment = points, comment or ""
        _leaf_errors(score, errors)
        if (score.appraised_points, score.appraisal_comment) != before:
            changed.append((score, before[0]))
    if errors:
        raise ValidationError(errors)
    for score, old in changed:
        score._history_user = by
        score.save()
        _event(
            locked,
            Event.Action.APPRAISED,
            by,
            score.criterion,
            f"{_points(score.self_points)} → {_points(score.appraised_points)}"
            + (" " + _("(before: %(points)s)") % {"points": _points(old)} if old is not None else ""),
        )
    _bump(locked, by)
    return locked


def _move(assessment, version, by, *, allowed, to, action, refusal):
    """Move the assessment from one of the ``allowed`` statuses to ``to``, recorded as ``action``; else refuse."""
    locked = _locked(assessment, version)
    if locked.status not in allowed:
        raise ValidationError(refusal)
    locked.status = to
    _bump(locked, by)
    _event(locked, action, by)
    return locked


@transaction.atomic
def send_appraisal(assessment, *, by, version):
    """The appraisal goes back to the unit, which may answer once per criterion."""
    refusal = _("Only a submitted self-assessment can be sent back with its appraisal.")
    return _move(
        assessment, version, by, allowed=(S.SUBMITTED,), to=S.APPRAISED, action=Event.Action.SENT, refusal=refusal
    )


@transaction.atomic
def answer(assessment, *, by, criterion_id, text, version):
    """The unit's one answer to the appraisal of a criterion."""
    locked = _locked(assessment, version)
    if locked.status != S.APPRAISED:
        raise ValidationError(_("The unit answers once the appraisal has been sent to it."))
    score = locked.scores.select_related("criterion").filter(criterion_id=criterion_id).first()
    if score is None or score.appraised_points is None:
        raise ValidationError(_("This criterion has not been appraised."))
    if score.answered_at is not None:
        raise ValidationError({f"{criterion_id}:answer": [_("The unit has already answered on this criterion.")]})
    if not (text or "").strip():
        raise ValidationError({f"{criterion_id}:answer": [_("Write the answer.")]})
    score.answer, score.answered_at = text.strip(), timezone.now()
    score._history_user = by
    score.save()
    _bump(locked, by)
    _event(locked, Event.Action.ANSWERED, by, score.criterion, text.strip()[:500])
    return locked


@transaction.atomic
def finalise(assessment, *, by, version):
    """The scores become final: a criterion the council did not re-score keeps the unit's points."""
    refusal = _("Only a submitted or appraised assessment can be made final.")
    allowed = (S.SUBMITTED, S.APPRAISED)
    return _move(assessment, version, by, allowed=allowed, to=S.FINAL, action=Event.Action.FINALISED, refusal=refusal)


@transaction.atomic
def set_survey_points(assessment, *, by, points, version=None):
    """The unit's points from the set's surveys of citizens and businesses (at most the survey leaves' maxima)."""
    locked = _locked(assessment, version)
    maximum = Tree.of(locked.criteria_set).max_by_method(Method.SURVEY)
    if points is not None and points > maximum:
        raise ValidationError(
            {"survey_points": [_("At most %(max)s survey points in this set.") % {"max": _points(maximum)}]}
        )
    if points is not None and points < 0:
        raise ValidationError({"survey_points": [_("Points are 0 or more.")]})
    locked.survey_points = points
    _bump(locked, by)
    _event(locked, Event.Action.SURVEY, by, detail=_points(points))
    return locked


@transaction.atomic
def return_to_draft(assessment, *, by, version, comment=""):
    """The province hands a submitted self-assessment back to the unit, as a draft, before appraising it."""
    locked = _locked(assessment, version)
    if locked.status != S.SUBMITTED or locked.scores.filter(appraised_points__isnull=False).exists():
        raise ValidationError(_("Only a submitted self-assessment not yet appraised can be returned to the unit."))
    locked.status = S.DRAFT
    locked.submitted_at = None
    _bump(locked, by)
    _event(locked, Event.Action.REOPENED, by, detail=comment)
    return locked
