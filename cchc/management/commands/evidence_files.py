"""List and count the uploaded evidence files by what needs them; delete those nothing needs.

Every file field of every model is covered (a recommendation's evidence, a PAR-index score's evidence …),
each in the folder its ``upload_to`` names. A file a user replaces or removes is kept on purpose while a
history row of its object names it: the history is the record of what was sent, and the file is part of it.
Such files are counted here as "kept for the history". A file that neither an object nor any history row names
(its history pruned with django-simple-history's ``clean_old_history``, or a save that failed after the file
was written) is unused: counted, listed, and deleted with ``--delete-unused``. A file a row names but the disk
lacks is reported as missing.
"""

from pathlib import PurePosixPath

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import models
from django.utils.translation import gettext as _


def file_fields():
    """(model, field name, folder) for every file field whose folder its ``upload_to`` gives."""
    found = []
    for model in apps.get_models():
        if model._meta.label.startswith("simple_history") or getattr(model, "instance_type", None):
            continue  # the history models mirror the fields; they are read through their model's ``history``
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and callable(field.upload_to):
                folder = str(PurePosixPath(field.upload_to(None, "file.pdf")).parent)
                found.append((model, field.name, folder))
    return found


def evidence_inventory():
    """The uploaded files by state: ``current``, ``historic`` (kept for the history), ``unused``, ``missing``."""
    current, named, on_disk = set(), set(), set()
    for model, name, folder in file_fields():
        current |= set(model._default_manager.exclude(**{name: ""}).values_list(name, flat=True))
        history = getattr(model, "history", None)
        if history is not None:
            named |= set(history.exclude(**{name: ""}).values_list(name, flat=True))
        if default_storage.exists(folder):
            on_disk |= {f"{folder}/{file}" for file in default_storage.listdir(folder)[1]}
    return {
        "current": sorted(current & on_disk),
        "historic": sorted((named - current) & on_disk),
        "unused": sorted(on_disk - current - named),
        "missing": sorted((current | named) - on_disk),
    }


class Command(BaseCommand):
    help = (
        "Count (and with --list list) the uploaded evidence files by what needs them; --delete-unused deletes the rest."
    )

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="List every file with its state.")
        parser.add_argument(
            "--delete-unused", action="store_true", help="Delete the files that no object or history row names."
        )

    def handle(self, *args, **options):
        inventory = evidence_inventory()
        labels = {
            "current": _("attached"),
            "historic": _("replaced or removed, kept for the history"),
            "unused": _("named by nothing"),
            "missing": _("named but missing from the disk"),
        }
        for state, label in labels.items():
            self.stdout.write(f"{label}: {len(inventory[state])}")
            if options["list"]:
                for name in inventory[state]:
                    self.stdout.write(f"  {name}")
        if options["delete_unused"]:
            for name in inventory["unused"]:
                default_storage.delete(name)
            self.stdout.write(_("Deleted %(count)s unused files.") % {"count": len(inventory["unused"])})
