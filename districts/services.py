"""Writes of reform plans: a plan and its tasks, saved together from the plan editor."""

from django.db import IntegrityError, transaction

from cchc.versioning import stale_error

from .models import ReformPlan


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
