"""Writes on units and reform plans that touch several models, each in one transaction."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cchc.lib.versioning import stale_error

from .models import ReformPlan, Unit


@transaction.atomic
def save_plan(form, tasks, *, by):
    """Save the plan and its tasks, all or nothing (the forms are valid).

    The plan's version covers its tasks: any save through the editor raises it, so a save from a page opened
    before another one's (a task marked done meanwhile) is refused by the plan form (``VersionedModelForm``).
    Two first saves of a new plan at once: the second finds the first's plan and is refused the same way.
    """
    plan = form.instance
    plan._history_user = by
    if plan.pk is None:
        try:
            with transaction.atomic():
                plan = form.save()
        except IntegrityError:
            theirs = ReformPlan.objects.filter(unit=plan.unit, year=plan.year).first()
            if theirs is None:
                raise
            raise stale_error(theirs, {name: form.cleaned_data.get(name) for name in form._meta.fields}) from None
    else:
        plan = form.save()
    tasks.instance = plan
    for task_form in tasks.forms:
        task_form.instance._history_user = by
    tasks.save()
    return plan


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
