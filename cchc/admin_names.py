"""Names the admin shows that Django and django-simple-history build in English: historical models'
verbose names and the names of permissions (stored in the database as "Can add …" when they are created)."""

from django.apps import apps
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def translate_history_names():
    """Give each historical model a translatable name: django-simple-history writes "historical <name>" with
    the name as it read at import time, in no language in particular."""
    for model in apps.get_models():
        original = getattr(model, "instance_type", None)
        if original is None or not model.__name__.startswith("Historical"):
            continue
        model._meta.verbose_name = format_lazy(_("historical {}"), original._meta.verbose_name)
        model._meta.verbose_name_plural = format_lazy(_("historical {}"), original._meta.verbose_name_plural)


def permission_label(permission):
    """A permission as the admin lists it, in the user's language: "app | model | Can add model"."""
    model = permission.content_type.model_class()
    if model is None:
        return str(permission)
    action, _sep, model_name = permission.codename.partition("_")
    if action in ACTIONS and model_name == model._meta.model_name:
        name = ACTIONS[action] % {"model": model._meta.verbose_name}
    else:
        name = gettext(permission.name)  # a permission of Meta.permissions: its name is one of our msgids
    return f"{model._meta.app_config.verbose_name} | {model._meta.verbose_name} | {name}"


class PermissionNamesMixin:
    """For the user and group admins: their permission lists show translated names."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field
