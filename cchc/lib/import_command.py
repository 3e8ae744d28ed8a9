"""What the import commands share (``import_units``, ``import_reports``): read the file, import all rows or none,
print every warning and error by row and column, and exit with an error status when nothing was saved."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cchc.lib.imports import FileError, describe, read_path


class ImportCommand(BaseCommand):
    """``manage.py <command> FILE [--dry-run]``; a subclass names its ``columns`` and ``required`` columns and
    imports the table in ``run_import``."""

    columns = ()
    required = ()

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report, save nothing.")

    def import_options(self, **options):
        """The subclass's own options, checked before the file is read, as arguments of ``run_import``."""
        return {}

    def run_import(self, table, *, commit, **kwargs):
        raise NotImplementedError

    def summary(self, result):
        return _("%(new)s new, %(changed)s changed, %(unchanged)s unchanged.") % result.counts

    def handle(self, *args, file, dry_run, **options):
        kwargs = self.import_options(**options)
        try:
            table = read_path(file, columns=self.columns, required=self.required)
        except FileError as error:
            raise CommandError(str(error)) from None
        result = self.run_import(table, commit=not dry_run, **kwargs)
        for item in result.warnings:
            self.stdout.write(self.style.WARNING(_("Warning: %(note)s") % {"note": describe(item)}))
        for item in result.errors:
            self.stderr.write(describe(item))
        summary = self.summary(result)
        if result.errors:
            raise CommandError(_("%(count)s errors: nothing was saved.") % {"count": len(result.errors)}, returncode=1)
        if dry_run:
            self.stdout.write(_("Checked, nothing saved: %(summary)s") % {"summary": summary})
        else:
            self.stdout.write(self.style.SUCCESS(_("Imported: %(summary)s") % {"summary": summary}))
