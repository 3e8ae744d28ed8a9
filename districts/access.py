"""Who sees which unit: the one rule that every ``visible_to(user)`` of every app is built on.

- Provincial staff, the inspection team and administrators follow every province (``sees_every_province``).
- Anyone else is attached to a unit (``User.unit``) and keeps that unit and the units directly under it: a
  district officer their district and its communes (``own_units_q``: "the unit or the units under it", written
  here once).
- An account moved from a unit that closed keeps reading that unit's history (``User.former_unit``): it sees
  the former unit and the units under it too, read-only (``history=True``), but keeps (writes) only its own.

The units layer holds the rule so that every app above it (reports, inspections, the PAR index, the
dashboard) narrows its querysets with it: ``Unit.objects.visible_to(user)``,
``QuarterlyReport.objects.visible_to(user)``, ``Recommendation.objects.visible_to(user)`` …, after NetBox's
``RestrictedQuerySet.restrict(user)``. What a role may *do* is in ``cchc.lib.roles``.

The models import this module (their querysets subclass ``VisibleQuerySet``): it imports them only inside the
functions that need them.
"""

from django.db import models
from django.db.models import Q

from cchc.lib.roles import DISTRICT_OFFICER, INSPECTION_TEAM, PROVINCIAL_STAFF, has_role


def sees_every_province(user):
    """Provincial staff and the inspection team follow every province; so does an administrator."""
    return user.is_superuser or has_role(user, PROVINCIAL_STAFF, INSPECTION_TEAM)


def is_provincial_staff(user):
    return user.is_superuser or has_role(user, PROVINCIAL_STAFF)


def is_district_officer(user):
    """A district officer attached to a unit: the one who keeps that unit's figures, plan and answers."""
    return user.unit_id is not None and has_role(user, DISTRICT_OFFICER)


def own_unit_ids(user, *, history=False):
    """The units the user is attached to: their unit, and with ``history`` the unit they were moved from."""
    fields = (user.unit_id, user.former_unit_id) if history else (user.unit_id,)
    return [pk for pk in fields if pk is not None]


def unit_or_under_q(unit_ids, path=""):
    """Rows whose unit (at ``path``; the unit itself when empty) is one of ``unit_ids`` or directly under one.

    The one spelling of "the unit or the units under it"; ``is_unit_or_under`` says the same of one unit.
    """
    prefix = f"{path}__" if path else ""
    return Q(**{f"{path or 'pk'}__in": unit_ids}) | Q(**{f"{prefix}parent__in": unit_ids})


def is_unit_or_under(unit, unit_ids):
    """``unit_or_under_q`` for one unit in hand, without a query."""
    return unit.pk in unit_ids or unit.parent_id in unit_ids


def own_units_q(user, path="", *, history=False):
    """Rows of the user's own units (at ``path``); nothing for a user attached to no unit."""
    ids = own_unit_ids(user, history=history)
    return unit_or_under_q(ids, path) if ids else Q(pk__in=[])


def restrict(queryset, user, path, *, history=True):
    """``queryset`` narrowed to the rows whose unit at ``path`` the user sees (everything for the province)."""
    if sees_every_province(user):
        return queryset
    return queryset.filter(own_units_q(user, path, history=history))


class VisibleQuerySet(models.QuerySet):
    """A queryset of rows that belong to a unit, reached from the model through ``unit_path``.

    ``visible_to(user)`` keeps what the user may read (``history``: with the unit their account was moved from);
    ``kept_by(user)`` what they keep, i.e. change in the admin: never the history of a former unit.
    """

    unit_path = "unit"
    history = True

    def visible_to(self, user):
        return restrict(self, user, self.unit_path, history=self.history)

    def kept_by(self, user):
        return restrict(self, user, self.unit_path, history=False)


def in_provinces_q(provinces, path=""):
    """Rows whose unit (at ``path``) is one of ``provinces`` (ids or a queryset) or lies in one of them.

    A province has units two levels under it at most: its districts and their communes.
    """
    prefix = f"{path}__" if path else ""
    return (
        Q(**{f"{path or 'pk'}__in": provinces})
        | Q(**{f"{prefix}parent__in": provinces})
        | Q(**{f"{prefix}parent__parent__in": provinces})
    )


def home_province(user):
    """The province of the user's unit, or ``None`` for a user attached to no unit."""
    unit = user.unit
    return unit.province if unit is not None else None


def province_of(unit):
    from .models import Level

    return unit if unit.level == Level.PROVINCE else unit.province


def visible_provinces(user):
    """Provinces whose dashboard the user may open."""
    return provinces_among(visible_province_ids(user))


def visible_province_ids(user):
    """The pks of ``visible_provinces``, or ``None`` for every province: a plain value, which the dashboard keys
    its compiled reads by (``cchc.lib.compiled``)."""
    if sees_every_province(user):
        return None
    province = home_province(user)
    if province is None:
        return ()
    # An account moved from a unit that closed keeps reading that unit's history, in its province.
    former = user.former_unit if user.former_unit_id else None
    return (province.pk, *([province_of(former).pk] if former else []))


def provinces_among(province_ids):
    """The provinces of ``visible_province_ids``: every province for ``None``."""
    from .models import Unit

    provinces = Unit.objects.provinces()
    if province_ids is None:
        return provinces
    return provinces.filter(pk__in=province_ids) if province_ids else provinces.none()


def may_see_unit_figures(user, unit):
    """Whether the user may open the unit's page: what the dashboard shows of a unit of a visible province."""
    return visible_provinces(user).filter(pk=province_of(unit).pk).exists()


def may_see_unit_details(user, unit):
    """Whether the user may see the unit's reports, plan and recommendations, beyond the dashboard figures.

    ``Unit.objects.visible_to(user)`` for one unit in hand: every unit for the province; a district officer's own
    unit and the communes under it, and those of the unit their account was moved from (its history).
    """
    return sees_every_province(user) or is_unit_or_under(unit, own_unit_ids(user, history=True))


def may_enter_figures(user, unit):
    """Whether the user may enter or import the unit's quarterly figures and keep its reform plan.

    Provincial staff may, for any unit; a district officer for their own unit and the communes under it; the
    inspection team does not enter figures.
    """
    if is_provincial_staff(user):
        return True
    return is_district_officer(user) and is_unit_or_under(unit, own_unit_ids(user))
