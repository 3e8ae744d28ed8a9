"""Who may see and do what with inspections and recommendations. Every view narrows its queries through these.

- Provincial staff, the inspection team and administrators see every session and recommendation
  (``districts.access.sees_every_province``). A district officer sees the sessions that inspected their district
  (only their own part of them) or that their district held itself, and the recommendations made to their
  district and to the communes under it. Anyone else sees nothing.
- The inspection team records sessions held by its province (its unit's province); a district officer records
  the internal inspections held by their district. Whoever may record a session follows its recommendations
  up: adds them, edits them, marks them verified or sends them back.
- A district officer answers the recommendations made to their district (and to its communes, which have no
  account of their own): response, evidence, in progress or done. Only the inspecting side verifies.
"""

from django.db.models import Case, Q, When

from cchc.lib.roles import DISTRICT_OFFICER, INSPECTION_TEAM
from districts.access import sees_every_province
from districts.models import Level, Unit

from .models import InspectedUnit, InspectionSession, Recommendation


def _groups(user):
    # Cached on the user object: one request asks several of these questions.
    if not hasattr(user, "_inspection_groups"):
        user._inspection_groups = {group.name for group in user.groups.all()}
    return user._inspection_groups


def _own_unit_q(user, path):
    """Rows whose unit at ``path`` is the user's unit or a unit directly under it."""
    own = user.unit_id
    return Q(**{path: own}) | Q(**{f"{path}__parent": own})


def visible_recommendations(user):
    recommendations = Recommendation.objects.all()
    if sees_every_province(user):
        return recommendations
    if user.unit_id is None:
        return recommendations.none()
    return recommendations.filter(_own_unit_q(user, "unit") | Q(session__inspecting_unit=user.unit_id))


def visible_sessions(user):
    sessions = InspectionSession.objects.all()
    if sees_every_province(user):
        return sessions
    if user.unit_id is None:
        return sessions.none()
    inspected = InspectedUnit.objects.filter(_own_unit_q(user, "unit")).values("session")
    return sessions.filter(Q(inspecting_unit=user.unit_id) | Q(pk__in=inspected))


def visible_inspected_units(user, session=None):
    """Inspected-unit rows the user may read (of one session, if given): all, or a district officer's own part.

    A district officer reads every row of the sessions their district held, and their own rows of the others.
    """
    rows = InspectedUnit.objects.select_related("unit")
    if session is not None:
        rows = rows.filter(session=session)
    if sees_every_province(user):
        return rows
    if user.unit_id is None:
        return rows.none()
    return rows.filter(_own_unit_q(user, "unit") | Q(session__inspecting_unit=user.unit_id))


def inspecting_units_for(user):
    """The units on whose behalf the user records sessions: the team's province, an officer's district."""
    if user.is_superuser:
        return Unit.objects.filter(level__in=(Level.PROVINCE, Level.DISTRICT))
    own = user.unit
    if own is None:
        return Unit.objects.none()
    groups = _groups(user)
    if INSPECTION_TEAM.group_name in groups:
        # The team's province, the provinces that took over from it (a team of the old Đồng Tháp, 87, inspects
        # for the new one, 82, until its accounts are moved), and the province it was moved from (its history).
        province = own.province
        former = [user.former_unit.province.pk] if user.former_unit_id else []
        # The team's own province first: the form offers it unless another is chosen.
        return (
            Unit.objects.filter(Q(pk__in=[province.pk, *former]) | Q(predecessors=province, level=Level.PROVINCE))
            .distinct()
            .order_by(Case(When(pk=province.pk, then=0), default=1), "valid_from", "code")
        )
    if DISTRICT_OFFICER.group_name in groups and own.level == Level.DISTRICT:
        return Unit.objects.filter(pk=own.pk)
    return Unit.objects.none()


def units_in_scope(inspecting_units):
    """The units a session held by one of ``inspecting_units`` may inspect: each of them and every unit under it."""
    ids = list(inspecting_units.values_list("pk", flat=True))
    return Unit.objects.filter(Q(pk__in=ids) | Q(parent__in=ids) | Q(parent__parent__in=ids))


def may_record_sessions(user):
    return inspecting_units_for(user).exists()


def may_manage_session(user, session):
    return inspecting_units_for(user).filter(pk=session.inspecting_unit_id).exists()


def may_follow_up(user, recommendation):
    """Whether the user speaks for the inspecting side: edits the recommendation, verifies it, sends it back."""
    return inspecting_units_for(user).filter(pk=recommendation.inspecting_unit.pk).exists()


def may_answer(user, recommendation):
    """Whether the user answers for the owner unit: their district, or a commune under it."""
    if user.is_superuser:
        return True
    own = user.unit
    if own is None or DISTRICT_OFFICER.group_name not in _groups(user):
        return False
    return recommendation.unit_id == own.pk or recommendation.unit.parent_id == own.pk
