"""The import of units from the official list: upload, preview what would change. The import page offers it
beside the import of reports, and confirms either (``dossiers.import_views``)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_POST

from cchc.lib.import_pages import UploadForm, read_table, render_preview
from cchc.lib.import_store import keep
from cchc.lib.imports import MAX_UPLOAD_BYTES

from .imports import COLUMNS, REQUIRED, import_units, may_import_units

UNITS = "units"
PREFIX = "units"


def unit_upload_form(data=None, files=None):
    return UploadForm(data, files, prefix=PREFIX)


def unit_section(form=None):
    """The import page's section for units: its form and the columns the file may have."""
    return {"unit_form": form or unit_upload_form(), "unit_columns": COLUMNS}


@require_POST
def upload_units(request):
    if not may_import_units(request.user):
        raise PermissionDenied
    form = unit_upload_form(request.POST, request.FILES)
    table = read_table(form, columns=COLUMNS, required=REQUIRED)
    if table is None:
        # The file's error beside the field, on the import page's section for units.
        context = {**unit_section(form), "max_megabytes": MAX_UPLOAD_BYTES // (1024 * 1024)}
        return render(request, "imports/home.html", context, status=400)
    result = import_units(table, commit=False)
    filename = form.cleaned_data["file"].name
    token = None if result.errors else keep(request, UNITS, table, filename=filename)
    return render_preview(request, UNITS, table, result, token=token, filename=filename)


def confirm_units(request, table):
    """Save the kept table of units (the import page's confirmation), re-checked against the database."""
    if not may_import_units(request.user):
        raise PermissionDenied
    return import_units(table, commit=True)
