"""Who may do what with inspections and recommendations.

- What a user sees is the models' ``visible_to(user)`` (``inspections.models.InspectionQuerySet``): provincial
  staff, the inspection team and administrators see every session and recommendation; a district officer sees
  the sessions that inspected their district (only their own part of them) or that their district held itself,
  and the recommendations made to their district and to the communes under it. Anyone else sees nothing.
- The inspection team records sessions held by its province (its unit's province); a district officer records
  the internal inspections held by their district. Whoever may record a session follows its recommendations
  up: adds them, edits them, marks them verified or sends them back.
- A district officer answers the recommendations made to their district (and to its communes, which have no
  account of their own): response, evidence, in progress or done. Only the inspecting side verifies.
"""

from django.db.models import Case, Q, When

from cchc.lib.roles import INSPECTION_TEAM, has_role
from districts.access import is_district_officer, is_unit_or_under, unit_or_under_q
from districts.models import Level, Unit


def inspecting_units_for(user):
    """The units on whose behalf the user records sessions: the team's province, an officer's district."""
    if user.is_superuser:
        return Unit.objects.filter(level__in=(Level.PROVINCE, Level.DISTRICT))
    own = user.unit
    if own is None:
        return Unit.objects.none()
    if has_role(user, INSPECTION_TEAM):
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
    if is_district_officer(user) and own.level == Level.DISTRICT:
        return Unit.objects.filter(pk=own.pk)
    return Unit.objects.none()


def units_in_scope(inspecting_units):
    """The units a session held by one of ``inspecting_units`` may inspect: each of them and every unit under it."""
    ids = list(inspecting_units.values_list("pk", flat=True))
    # A province's session reaches its communes too: the units under the units under it.
    return Unit.objects.filter(unit_or_under_q(ids) | Q(parent__parent__in=ids))


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
    if not is_district_officer(user):
        return False
    # The owner's own id first: the unit row is read only for a commune's recommendation.
    return recommendation.unit_id == user.unit_id or is_unit_or_under(recommendation.unit, [user.unit_id])
