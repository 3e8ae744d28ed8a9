"""Who may see and do what in the PAR index. Every view narrows its queries through these.

- Provincial staff, the inspection team and administrators read every set, assessment and result.
- A district officer reads the sets of their province, their own unit's assessment, and — once the set's
  results are published — the other units' results and assessments; before that, nothing of another unit.
- The district officer of the unit fills in and submits its self-assessment and answers the appraisal.
- Provincial staff of the set's province (and administrators) appraise, make final, enter survey points and
  write the sets; nobody else does.
"""

from cchc.lib.roles import DISTRICT_OFFICER, PROVINCIAL_STAFF
from districts.access import sees_every_province

from .models import Assessment, AssessmentStatus, CriteriaSet


def _groups(user):
    if not hasattr(user, "_assessment_groups"):
        user._assessment_groups = {group.name for group in user.groups.all()}
    return user._assessment_groups


def _home_province_id(user):
    unit = user.unit
    return unit.province.pk if unit is not None else None


def visible_sets(user):
    sets = CriteriaSet.objects.select_related("province")
    if sees_every_province(user):
        return sets
    province = _home_province_id(user)
    return sets.filter(province=province) if province else sets.none()


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
    return user.unit_id == unit.pk and DISTRICT_OFFICER.group_name in _groups(user)


def may_appraise(user, criteria_set):
    """Provincial staff of the set's province (or an administrator) appraise and write the set."""
    if user.is_superuser:
        return True
    return PROVINCIAL_STAFF.group_name in _groups(user) and _home_province_id(user) == criteria_set.province_id


def may_write_sets(user):
    return user.is_superuser or PROVINCIAL_STAFF.group_name in _groups(user)


def awaiting_appraisal(user):
    """Self-assessments submitted (or answered) and waiting for the user's appraisal: the inbox's question.

    For provincial staff of a province, the submitted and appraised-but-not-final assessments of its sets;
    nothing for anyone else.
    """
    assessments = Assessment.objects.select_related("unit", "criteria_set").filter(
        status__in=(AssessmentStatus.SUBMITTED, AssessmentStatus.APPRAISED)
    )
    if user.is_superuser:
        return assessments
    if PROVINCIAL_STAFF.group_name not in _groups(user) or user.unit_id is None:
        return assessments.none()
    return assessments.filter(criteria_set__province=_home_province_id(user))
