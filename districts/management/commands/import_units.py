"""``manage.py import_units FILE [--dry-run]``: create or update units from the official list."""

from cchc.lib.import_command import ImportCommand
from districts.imports import COLUMNS, REQUIRED, import_units


class Command(ImportCommand):
    help = (
        "Create or update administrative units from an .xlsx or .csv file (code, name, kind, parent_code, "
        "valid_from, valid_until), all rows or none. Prints every error by row and column and exits with an "
        "error status when nothing was saved."
    )
    columns, required = COLUMNS, REQUIRED

    def run_import(self, table, *, commit):
        return import_units(table, commit=commit)
