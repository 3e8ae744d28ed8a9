"""Writes on units that touch several models, each in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Unit


def accounts_to_move(unit):
    """The accounts still attached to ``unit``, by username."""
    return unit.users.order_by("username")


@transaction.atomic
def move_accounts(unit, *, to):
    """Move every account attached to ``unit``, which has closed, to ``to``, one of its successors.

    Each account remembers the unit it came from (``former_unit``), whose history it keeps reading. Returns the
    accounts moved. ``ValidationError`` (nothing moved) when the unit is still open or ``to`` did not succeed it.
    """
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.valid_until is None:
        raise ValidationError(_("%(unit)s has not closed: its accounts stay with it.") % {"unit": unit})
    if not unit.successors.filter(pk=to.pk).exists():
        raise ValidationError(_("%(successor)s did not take over from %(unit)s.") % {"successor": to, "unit": unit})
    users = list(accounts_to_move(unit).select_for_update())
    for user in users:
        user.unit, user.former_unit = to, unit
        user.save(update_fields=["unit", "former_unit"])
    return users
