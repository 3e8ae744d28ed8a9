"""List and count the evidence files under MEDIA_ROOT by what needs them; delete those nothing needs.

A file a district replaces or removes is kept on purpose while a history row of its recommendation names it:
the history is the record of what the district sent, and the file is part of it. Such files are counted here
as "kept for the history". A file that neither a recommendation nor any history row names (its history pruned
with django-simple-history's ``clean_old_history``, or a save that failed after the file was written) is
unused: counted, listed, and deleted with ``--delete-unused``. A file a row names but the disk lacks is
reported as missing.
"""

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from inspections.models import Recommendation

FOLDER = "recommendations"


def evidence_inventory():
    """The evidence files by state: ``current``, ``historic`` (kept for the history), ``unused``, ``missing``."""
    current = set(Recommendation.objects.exclude(evidence_file="").values_list("evidence_file", flat=True))
    named = set(Recommendation.history.exclude(evidence_file="").values_list("evidence_file", flat=True))
    on_disk = set()
    if default_storage.exists(FOLDER):
        on_disk = {f"{FOLDER}/{name}" for name in default_storage.listdir(FOLDER)[1]}
    return {
        "current": sorted(current & on_disk),
        "historic": sorted((named - current) & on_disk),
        "unused": sorted(on_disk - current - named),
        "missing": sorted((current | named) - on_disk),
    }


class Command(BaseCommand):
    help = "Count (and with --list list) the evidence files by what needs them; --delete-unused deletes the rest."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="List every file with its state.")
        parser.add_argument(
            "--delete-unused", action="store_true", help="Delete the files that no recommendation or history row names."
        )

    def handle(self, *args, **options):
        inventory = evidence_inventory()
        labels = {
            "current": _("attached to a recommendation"),
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
