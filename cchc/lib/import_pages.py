"""What the import pages share: the upload form, reading its file, and the preview of what would change."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from cchc.lib.imports import MAX_UPLOAD_BYTES, FileError, RowOutcome, read_upload, too_large_message
from cchc.lib.numbers import format_number

# The preview lists this many rows and errors; the counts above it cover them all.
PREVIEW_ROWS = 300
PREVIEW_NOTES = 500


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        error_messages={"empty": gettext_lazy("The file is empty.")},
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(too_large_message())
        return uploaded


def read_table(form, *, columns, required):
    """The table of the form's file, or ``None`` with the reason on the form's file field."""
    if not form.is_valid():
        return None
    try:
        return read_upload(form.cleaned_data["file"], columns=columns, required=required)
    except FileError as error:
        form.add_error("file", str(error))
        return None


def render_preview(request, kind, table, result, *, token, filename, approve=False):
    rows = [row for row in result.rows if row.action != RowOutcome.EMPTY]
    context = {
        "kind": kind,
        "filename": filename,
        "token": token,
        "approve": approve,
        "result": result,
        "counts": result.counts,
        "empty_rows": result.count(RowOutcome.EMPTY),
        "rows": [_shown_row(row) for row in rows[:PREVIEW_ROWS]],
        "rows_left_out": max(0, len(rows) - PREVIEW_ROWS),
        "errors": [_shown_note(table, item) for item in result.errors[:PREVIEW_NOTES]],
        "errors_left_out": max(0, len(result.errors) - PREVIEW_NOTES),
        "warnings": [_shown_note(table, item) for item in result.warnings[:PREVIEW_NOTES]],
        "warnings_left_out": max(0, len(result.warnings) - PREVIEW_NOTES),
        "ignored_headers": table.ignored_headers,
    }
    return render(request, "imports/preview.html", context, status=200 if not result.errors else 400)


def _shown_row(row):
    return {
        "row": row.row,
        "label": row.label,
        "action": row.action,
        "approved": row.approved,
        "changes": [(title, _shown_value(old), _shown_value(new)) for _code, title, old, new in row.changes],
    }


def _shown_value(value):
    if value is None:
        return "—"
    if isinstance(value, int):
        return format_number(value)
    return str(value)


def _shown_note(table, item):
    column = ""
    if item.column:
        written = table.headers.get(item.column)
        column = f"{item.letter} ({written})" if item.letter and written else item.column
    return {"row": item.row or "", "column": column, "message": item.message}
