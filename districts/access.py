"""Who may see which units. Every view narrows its queries through these functions."""

from cchc.lib.roles import DISTRICT_OFFICER, INSPECTION_TEAM, PROVINCIAL_STAFF
from districts.models import Level, Unit


def sees_every_province(user):
    """Provincial staff and the inspection team follow every province; so does an administrator."""
    if user.is_superuser:
        return True
    names = {group.name for group in user.groups.all()}
    return bool(names & {PROVINCIAL_STAFF.group_name, INSPECTION_TEAM.group_name})


def home_province(user):
    """The province of the user's unit, or ``None`` for a user attached to no unit."""
    unit = user.unit
    return unit.province if unit is not None else None


def visible_provinces(user):
    """Provinces whose dashboard the user may open."""
    provinces = Unit.objects.provinces()
    if sees_every_province(user):
        return provinces
    province = home_province(user)
    if province is None:
        return provinces.none()
    # An account moved from a unit that closed keeps reading that unit's history, in its province.
    former = user.former_unit if user.former_unit_id else None
    return provinces.filter(pk__in=[province.pk] + ([province_of(former).pk] if former else []))


def province_of(unit):
    return unit if unit.level == Level.PROVINCE else unit.province


def may_see_unit_figures(user, unit):
    """Whether the user may open the unit's page: what the dashboard shows of a unit of a visible province."""
    return visible_provinces(user).filter(pk=province_of(unit).pk).exists()


def may_see_unit_details(user, unit):
    """Whether the user may see the unit's reports, plan and recommendations, beyond the dashboard figures.

    Provincial staff and the inspection team see every unit; a district officer sees their own unit and the
    communes under it, and those of the unit their account was moved from when it closed (its history), and
    nothing more of any other unit.
    """
    if sees_every_province(user):
        return True
    own = [pk for pk in (user.unit_id, user.former_unit_id) if pk is not None]
    return unit.pk in own or unit.parent_id in own


def may_enter_figures(user, unit):
    """Whether the user may enter or import the unit's quarterly figures and keep its reform plan.

    Provincial staff may, for any unit; a district officer for their own unit and the communes under it; the
    inspection team does not enter figures.
    """
    if user.is_superuser:
        return True
    names = {group.name for group in user.groups.all()}
    if PROVINCIAL_STAFF.group_name in names:
        return True
    own = user.unit
    if DISTRICT_OFFICER.group_name not in names or own is None:
        return False
    return unit.pk == own.pk or unit.parent_id == own.pk


def is_provincial_staff(user):
    return user.is_superuser or user.has_role(PROVINCIAL_STAFF)
