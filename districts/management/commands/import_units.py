"""``manage.py import_units FILE [--dry-run]``: create or update units from the official list."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cchc.lib.imports import FileError, describe, read_path
from districts.imports import COLUMNS, REQUIRED, import_units


class Command(BaseCommand):
    help = (
        "Create or update administrative units from an .xlsx or .csv file (code, name, kind, parent_code, "
        "valid_from, valid_until), all rows or none. Prints every error by row and column and exits with an "
        "error status when nothing was saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report, save nothing.")

    def handle(self, *args, file, dry_run, **options):
        try:
            table = read_path(file, columns=COLUMNS, required=REQUIRED)
        except FileError as error:
            raise CommandError(str(error)) from None
        result = import_units(table, commit=not dry_run)
        for item in result.errors:
            self.stderr.write(describe(item))
        summary = _("%(new)s new, %(changed)s changed, %(unchanged)s unchanged.") % result.counts
        if result.errors:
            raise CommandError(_("%(count)s errors: nothing was saved.") % {"count": len(result.errors)}, returncode=1)
        if dry_run:
            self.stdout.write(_("Checked, nothing saved: %(summary)s") % {"summary": summary})
        else:
            self.stdout.write(self.style.SUCCESS(_("Imported: %(summary)s") % {"summary": summary}))
