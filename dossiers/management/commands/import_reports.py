"""``manage.py import_reports FILE [--approve] [--user NAME] [--dry-run]``: quarterly figures from a file."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cchc.lib.imports import FileError, RowOutcome, describe, read_path
from dossiers.imports import COLUMNS, REQUIRED, import_reports


class Command(BaseCommand):
    help = (
        "Import quarterly figures from an .xlsx or .csv file (one row per unit and quarter), all rows or none. "
        "Prints every error by row and column and exits with an error status when nothing was saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--approve", action="store_true", help="Submit and approve the imported reports (provincial staff)."
        )
        parser.add_argument(
            "--user",
            help="Import as this user, with their rights; the status changes are recorded under their name. "
            "Without it the import has an administrator's rights and records no name.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report, save nothing.")

    def handle(self, *args, file, approve, user, dry_run, **options):
        importer = None
        if user:
            try:
                importer = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(_("There is no user “%(name)s”.") % {"name": user}) from None
        try:
            table = read_path(file, columns=COLUMNS, required=REQUIRED)
        except FileError as error:
            raise CommandError(str(error)) from None
        result = import_reports(table, user=importer, approve=approve, commit=not dry_run)
        for item in result.warnings:
            self.stdout.write(self.style.WARNING(_("Warning: %(note)s") % {"note": describe(item)}))
        for item in result.errors:
            self.stderr.write(describe(item))
        counts = result.counts
        summary = _("%(new)s new, %(changed)s changed, %(unchanged)s unchanged, %(empty)s rows without figures.") % {
            **counts,
            "empty": result.count(RowOutcome.EMPTY),
        }
        if result.errors:
            raise CommandError(_("%(count)s errors: nothing was saved.") % {"count": len(result.errors)}, returncode=1)
        if dry_run:
            self.stdout.write(_("Checked, nothing saved: %(summary)s") % {"summary": summary})
        else:
            self.stdout.write(self.style.SUCCESS(_("Imported: %(summary)s") % {"summary": summary}))
