"""Writes of the dashboard layer: targets, and the dismissal of warning flags.

Each is one transaction; a save made from a copy of the row that someone else has changed since is refused
(``StaleSave``) rather than silently overwriting their change.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from cchc.indicators import INDICATORS_BY_CODE
from cchc.lib.numbers import format_rate
from cchc.lib.roles import DISTRICT_OFFICER, has_role
from cchc.models import Target
from districts.access import is_provincial_staff


class StaleSave(ValidationError):
    """The row changed since the form was opened."""

    def __init__(self):
        super().__init__(
            _("Someone else changed this target after you opened it: reload the page and enter your change again.")
        )


def may_set_targets(user):
    """Provincial staff set every target; a district officer only their own unit's, where the province allows."""
    return is_provincial_staff(user) or has_role(user, DISTRICT_OFFICER)


def check_own_target(target, province_target):
    """A unit's own target set by its officer: only where the province allows it, and only stricter."""
    if province_target is None or not province_target.allows_stricter:
        raise ValidationError(
            {"indicator": _("The province has set no target for this indicator and year that its units may tighten.")}
        )
    indicator = INDICATORS_BY_CODE[target.indicator]
    stricter = (
        target.value > province_target.value if indicator.higher_is_better else target.value < province_target.value
    )
    if not stricter:
        raise ValidationError(
            {
                "value": _("Your target must be stricter than the province's (%(sign)s %(value)s).")
                % {"sign": "≥" if indicator.higher_is_better else "≤", "value": format_rate(province_target.value)}
            }
        )


@transaction.atomic
def save_target(target, *, user, expected_version=None):
    """Validate and save a target set by ``user``; ``expected_version`` is the version the form was opened at."""
    if not may_set_targets(user):
        raise PermissionDenied
    if not is_provincial_staff(user):
        own = user.unit
        if own is None or target.unit_id != own.pk:
            raise PermissionDenied
        province = own.province
        province_target = Target.objects.filter(unit=province, indicator=target.indicator, year=target.year).first()
        check_own_target(target, province_target)
        if target.allows_stricter:
            raise PermissionDenied
    target.full_clean()
    if target.pk is not None:
        # Compare and bump in one UPDATE, so that two saves from the same version cannot both pass.
        bumped = Target.objects.filter(pk=target.pk, version=expected_version).update(version=F("version") + 1)
        if not bumped:
            raise StaleSave()
        target.version = expected_version + 1
    target.save()
    return target


@transaction.atomic
def delete_target(target, *, user, expected_version):
    if not is_provincial_staff(user) and (user.unit_id is None or target.unit_id != user.unit_id):
        raise PermissionDenied
    deleted, _rows = Target.objects.filter(pk=target.pk, version=expected_version).delete()
    if not deleted:
        raise StaleSave()


@transaction.atomic
def dismiss_flag(flag, *, user, comment):
    """Set a warning flag aside with the reason; provincial staff only, and the reason is required."""
    from cchc.models import FlagDismissal

    if not is_provincial_staff(user):
        raise PermissionDenied
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say why the flag is dismissed: the comment is kept in its history.")})
    dismissal, _created = FlagDismissal.objects.update_or_create(
        unit_id=flag.unit.pk,
        year=flag.period.year,
        quarter=flag.period.first_quarter,
        code=flag.code,
        subject=flag.subject,
        defaults={"comment": comment, "dismissed_by": user},
    )
    return dismissal
