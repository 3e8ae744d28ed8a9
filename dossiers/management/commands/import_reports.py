"""``manage.py import_reports FILE [--approve] [--user NAME] [--dry-run]``: quarterly figures from a file."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from cchc.lib.import_command import ImportCommand
from cchc.lib.imports import RowOutcome
from dossiers.imports import COLUMNS, REQUIRED, import_reports


class Command(ImportCommand):
    help = (
        "Import quarterly figures from an .xlsx or .csv file (one row per unit and quarter), all rows or none. "
        "Prints every error by row and column and exits with an error status when nothing was saved."
    )
    columns, required = COLUMNS, REQUIRED

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--approve", action="store_true", help="Submit and approve the imported reports (provincial staff)."
        )
        parser.add_argument(
            "--user",
            help="Import as this user, with their rights; the status changes are recorded under their name. "
            "Without it the import has an administrator's rights and records no name.",
        )

    def import_options(self, *, approve, user, **options):
        importer = None
        if user:
            try:
                importer = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(_("There is no user “%(name)s”.") % {"name": user}) from None
        return {"user": importer, "approve": approve}

    def run_import(self, table, *, commit, user, approve):
        return import_reports(table, user=user, approve=approve, commit=commit)

    def summary(self, result):
        return _("%(new)s new, %(changed)s changed, %(unchanged)s unchanged, %(empty)s rows without figures.") % {
            **result.counts,
            "empty": result.count(RowOutcome.EMPTY),
        }
