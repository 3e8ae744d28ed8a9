"""Who may see and do what in the PAR index. Every view narrows its queries through these (and the sets through
``CriteriaSet.objects.visible_to(user)``).

- Provincial staff, the inspection team and administrators read every set, assessment and result.
- A district officer reads the sets of their province, their own unit's assessment, and — once the set's
  results are published — the other units' results and assessments; before that, nothing of another unit.
- The district officer of the unit fills in and submits its self-assessment and answers the appraisal.
- Provincial staff of the set's province (and administrators) appraise, make final, enter survey points and
  write the sets; nobody else does.
"""

from cchc.lib.roles import DISTRICT_OFFICER, PROVINCIAL_STAFF, has_role
from districts.access import home_province, is_provincial_staff, sees_every_province
from districts.models import Unit

from .models import Assessment, AssessmentStatus


def _home_province_id(user):
    province = home_province(user)
    return province.pk if province is not None else None


def may_see_assessment(user, assessment):
    if sees_every_province(user):
        return True
    if user.unit_id is None:
        return False
    if assessment.unit_id == user.unit_id:
        return True
    return assessment.criteria_set.is_published and assessment.criteria_set.province_id == _home_province_id(user)


def may_see_all_results(user, criteria_set):
    """Whether the user sees every unit's row of the results (else only their own unit's)."""
    return sees_every_province(user) or criteria_set.is_published


def may_self_assess(user, unit):
    """The district officer of the unit (or an administrator) fills in its self-assessment."""
    if user.is_superuser:
        return True
    return user.unit_id == unit.pk and has_role(user, DISTRICT_OFFICER)


def may_appraise(user, criteria_set):
    """Provincial staff of the set's province (or an administrator) appraise and write the set."""
    if user.is_superuser:
        return True
    return has_role(user, PROVINCIAL_STAFF) and _home_province_id(user) == criteria_set.province_id


def may_write_sets(user):
    return is_provincial_staff(user)


def written_provinces(user):
    """The provinces whose sets and results the user writes: every province for an administrator, else the
    province of the user's unit; none for a user attached to no unit."""
    provinces = Unit.objects.provinces()
    if user.is_superuser:
        return provinces
    province = home_province(user)
    return provinces.filter(pk=province.pk) if province is not None else provinces.none()


# Whose self-assessments wait for a user's appraisal (``appraisal_scope``), besides one province's pk.
EVERY_PROVINCE, NOBODY = "every province", "nobody"


def appraisal_scope(user):
    """Whose self-assessments wait for the user's appraisal: ``EVERY_PROVINCE`` for an administrator, the pk of
    their province for its provincial staff, ``NOBODY`` for anyone else. A plain value, so that the inbox can
    keep the SQL of ``awaiting_in(scope)`` compiled (``cchc.lib.compiled``)."""
    if user.is_superuser:
        return EVERY_PROVINCE
    if not has_role(user, PROVINCIAL_STAFF) or user.unit_id is None:
        return NOBODY
    return _home_province_id(user)


def awaiting_in(scope):
    """The self-assessments submitted (or answered) and waiting for appraisal in ``scope`` (``appraisal_scope``):
    the submitted and appraised-but-not-final assessments of the province's sets."""
    assessments = Assessment.objects.select_related("unit", "criteria_set").filter(
        status__in=(AssessmentStatus.SUBMITTED, AssessmentStatus.APPRAISED)
    )
    if scope == EVERY_PROVINCE:
        return assessments
    if scope == NOBODY:
        return assessments.none()
    return assessments.filter(criteria_set__province=scope)


def awaiting_appraisal(user):
    """Self-assessments submitted (or answered) and waiting for the user's appraisal: the inbox's question.

    For provincial staff of a province, the submitted and appraised-but-not-final assessments of its sets;
    nothing for anyone else.
    """
    return awaiting_in(appraisal_scope(user))
