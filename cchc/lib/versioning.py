"""No lost update: a save based on an older copy of an object is refused, never silently applied.

Every object a page or the admin edits carries a ``version`` (``VersionedModel``) that each save raises. A form
sends back the version it was built from; the save locks the row, compares, and refuses a stale copy with
``stale_error``: who saved first, when, and what they saved beside what the user typed — so that the user
can reload and make their change again, knowing what changed meanwhile.

How to use it:
- the model inherits ``VersionedModel`` (a ``version`` field, 1 for a new row);
- a model form inherits ``VersionedModelForm``: it carries the hidden ``seen_version``, checks it against the
  locked row in ``clean()`` and raises the version of the row it saves (render its hidden fields);
- an admin page or inline inherits ``VersionedAdminMixin`` (the form above, and the hidden field on the page);
- a service fed by a plain form locks the row (``lock``), calls ``check_version`` and then ``bump``.

A form with no ``seen_version`` for an existing row (a page from before, a hand-made request) is refused too.
"""

from django import forms
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

SEEN_VERSION = "seen_version"


class VersionedModel(models.Model):
    # Raised by every save through a page, the admin or a service, so that a save from an older copy is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


def lock(instance):
    """The saved row of ``instance``, locked until the end of the transaction (where there is one)."""
    rows = type(instance)._default_manager.all()
    if transaction.get_connection().in_atomic_block:
        # SQLite ignores it, but there every write transaction starts with BEGIN IMMEDIATE (cchc/settings.py),
        # which serialises writers just as well.
        rows = rows.select_for_update()
    return rows.get(pk=instance.pk)


def bump(instance, current=None):
    """Give ``instance`` the version after ``current``'s (its own when not given); the caller saves it."""
    instance.version = (current or instance).version + 1
    return instance


def _display(instance, name, value):
    if value is None or value == "":
        return "—"
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, str):
        return f"“{value[:80]}…”" if len(value) > 80 else f"“{value}”"
    return str(formats.localize(value))


def _label(instance, name):
    try:
        return str(instance._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def last_saved(instance):
    """``(user, time)`` of the latest change the history keeps of ``instance``; ``(None, None)`` without one."""
    history = getattr(instance, "history", None)
    record = None
    if history is not None and instance.pk is not None:
        record = history.select_related("history_user").order_by("-history_date", "-history_id").first()
    if record is None:
        return None, None
    return record.history_user, record.history_date


def stale_error(current, submitted=None, *, more=()):
    """The refusal of a save made from an older copy than ``current`` (the row as it is saved now).

    ``submitted`` maps field names to what the user sent: each that differs from the saved value is shown with
    both values, theirs first. ``more`` adds ``(label, theirs, yours)`` of values kept elsewhere (rows under it).
    """
    user, at = last_saved(current)
    if user is not None:
        head = gettext("%(user)s saved this at %(time)s, while you were editing it: your changes were not saved.") % {
            "user": user.get_full_name() or user.get_username(),
            "time": timezone.localtime(at).strftime("%H:%M %d/%m/%Y"),
        }
    else:
        head = gettext("Someone else saved this first, while you were editing it: your changes were not saved.")
    parts = [head]
    differences = [
        gettext("%(field)s: %(theirs)s (you entered %(yours)s)")
        % {
            "field": _label(current, name),
            "theirs": _display(current, name, getattr(current, name)),
            "yours": _display(current, name, yours),
        }
        for name, yours in (submitted or {}).items()
        if hasattr(current, name) and _differs(getattr(current, name), yours)
    ]
    differences += [
        gettext("%(field)s: %(theirs)s (you entered %(yours)s)")
        % {"field": label, "theirs": _display(current, "", theirs), "yours": _display(current, "", yours)}
        for label, theirs, yours in more
        if _differs(theirs, yours)
    ]
    if differences:
        parts.append(gettext("What they saved: %(values)s.") % {"values": "; ".join(differences)})
    parts.append(gettext("Reload the page to start from their version, then make your changes again."))
    return ValidationError(" ".join(parts), code="stale")


def _differs(theirs, yours):
    # A blank text and a blank number are the same to the user, whatever the form turned them into.
    if theirs in (None, "") and yours in (None, ""):
        return False
    return theirs != yours


def _is_edited(instance, name):
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return field.concrete and field.editable and not field.primary_key


def check_version(current, seen, submitted=None):
    """Refuse (``ValidationError``) a save from version ``seen`` when ``current`` has moved on.

    ``seen`` 0 means the user started from no row at all: a row saved meanwhile makes their copy stale.
    """
    if seen is None or current.version != seen:
        raise stale_error(current, submitted)


class VersionedModelForm(forms.ModelForm):
    """A model form that refuses to save over a version it was not built from."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        saved = self.instance.pk is not None and not self.instance._state.adding
        self.fields[SEEN_VERSION].initial = self.instance.version if saved else 0

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk is None or instance._state.adding:
            return cleaned
        try:
            current = lock(instance)
        except type(instance).DoesNotExist:
            raise ValidationError(
                gettext("Someone else deleted this while you were editing it: reload the page."), code="stale"
            ) from None
        submitted = {name: cleaned[name] for name in self.fields if name in cleaned and _is_edited(instance, name)}
        check_version(current, cleaned.get(SEEN_VERSION), submitted)
        bump(instance, current)
        return cleaned


class VersionedAdminMixin:
    """For a model admin or inline: the versioned form, with its hidden version on the page."""

    form = VersionedModelForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        # Only where the user may save: a read-only page shows fields of the model, and this is none.
        if isinstance(self, InlineModelAdmin):
            may_save = self.has_change_permission(request, obj) or self.has_add_permission(request, obj)
        elif obj is not None:
            may_save = self.has_change_permission(request, obj)
        else:
            may_save = self.has_add_permission(request)
        if may_save and SEEN_VERSION not in flatten_fieldsets(fieldsets):
            fieldsets = [*fieldsets, (None, {"fields": [SEEN_VERSION]})]
        elif not may_save:
            fieldsets = [
                (name, {**options, "fields": [f for f in options["fields"] if f != SEEN_VERSION]})
                for name, options in fieldsets
            ]
        return fieldsets
