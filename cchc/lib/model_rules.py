"""Fields and rules that models of several apps hold alike, each written once: a rule as a database constraint
and as the check of ``clean()`` that says it at the field in the user's words."""

import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.lib.evidence import validate_evidence_file


def percent_field(verbose_name, **options):
    """A percentage from 0 to 100, to the hundredth (86.51): a rate, a target, a threshold."""
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        **options,
    )


class Step(models.Model):
    """A step of a workflow as its history keeps it: who took it (``by``; blank where no one did, as in a loaded
    file) and when (``at``). The model adds what was done, and orders by its parent, ``at`` and ``id``."""

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        abstract = True


# --- Evidence files (cchc.lib.evidence checks them) ----------------------------------------------------------------


def evidence_name(folder, filename):
    """Where an evidence file is stored under MEDIA_ROOT: in ``folder``, under a random name that no one can guess
    or collide with, with the file's extension. The name the user gave is kept in ``evidence_file_name_field``."""
    return f"{folder}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


def evidence_file_field(upload_to):
    """The evidence file a unit attaches to an answer: checked when it comes in, and served only through a
    login-checked download view (never from a public URL)."""
    return models.FileField(
        _("evidence file"), upload_to=upload_to, blank=True, validators=[validate_evidence_file], max_length=255
    )


def evidence_file_name_field():
    """The name the user gave the evidence file, for the download (the stored name is random)."""
    return models.CharField(_("file name"), max_length=255, blank=True, editable=False)


# --- A closing date ------------------------------------------------------------------------------------------------


def closing_date_constraint(date_field, closed_statuses, *, name, message, status_field="status"):
    """The check constraint "a row has its closing date (``date_field``) when, and only when, its status is one of
    ``closed_statuses``": a task done, a recommendation done or verified."""
    statuses = [str(status) for status in closed_statuses]
    closed = {status_field: statuses[0]} if len(statuses) == 1 else {f"{status_field}__in": statuses}
    return models.CheckConstraint(
        condition=Q(**closed, **{f"{date_field}__isnull": False})
        | (~Q(**closed) & Q(**{f"{date_field}__isnull": True})),
        name=name,
        violation_error_message=message,
    )


def check_closing_date(instance, date_field, closed_statuses, *, missing, unexpected, status_field="status"):
    """``clean()``'s side of ``closing_date_constraint``: refuse at the date field a closed row without its date
    (``missing``) and an open one with a date (``unexpected``)."""
    closed = getattr(instance, status_field) in closed_statuses
    date = getattr(instance, date_field)
    if closed and date is None:
        raise ValidationError({date_field: missing})
    if not closed and date is not None:
        raise ValidationError({date_field: unexpected})
