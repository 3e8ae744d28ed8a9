"""The import pages: upload a file of quarterly figures (or of units), preview what would change, confirm.

The uploaded table is parsed once and kept on the server between the preview and the confirmation, in a
file under ``MEDIA_ROOT/imports/`` named by a random token that only the uploader's session knows; the
confirmation re-checks every row against the database as it is then. Nothing the browser posts back but the
token is trusted.
"""

import contextlib
import json
import re
import secrets
import time
from collections import Counter
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cchc.filters import ProvinceChoiceField, style_fields
from cchc.lib.imports import MAX_UPLOAD_BYTES, FileError, RowOutcome, Table, read_upload, too_large_message
from cchc.lib.numbers import format_number
from cchc.lib.periods import Period, period_choices
from districts import imports as unit_imports
from districts.access import visible_provinces

from . import imports as report_imports
from .import_template import build_template, template_filename, template_units

REPORTS, UNITS = "reports", "units"
# How long an uploaded table waits for its confirmation, and how many a session keeps.
KEEP_SECONDS = 24 * 3600
KEEP_PER_SESSION = 5
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
# The preview lists this many rows and errors; the counts above it cover them all.
PREVIEW_ROWS = 300
PREVIEW_NOTES = 500
FIRST_TEMPLATE_YEAR = 2018


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


class ReportUploadForm(UploadForm):
    approve = forms.BooleanField(
        label=gettext_lazy("Approve the imported reports (the Department of Home Affairs' approval)"),
        required=False,
    )

    def __init__(self, *args, may_approve, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_approve:
            del self.fields["approve"]


class TemplateForm(forms.Form):
    province = ProvinceChoiceField(
        queryset=None,
        to_field_name="code",
        label=gettext_lazy("Province"),
        empty_label=None,
        error_messages={"invalid_choice": gettext_lazy("This province does not exist or is not yours to see.")},
    )
    quarter = forms.ChoiceField(label=gettext_lazy("Quarter"))

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces.order_by("valid_until", "code")
        self.fields["quarter"].choices = period_choices(FIRST_TEMPLATE_YEAR, quarters_only=True)
        # The province code names the province that held it in the quarter chosen.
        with contextlib.suppress(ValueError):
            self.fields["province"].period = Period.parse(self.data.get("quarter") or "") if self.is_bound else None

    def clean(self):
        cleaned = super().clean()
        province, code = cleaned.get("province"), cleaned.get("quarter")
        if province is None or not code:
            return cleaned
        period = Period.parse(code)
        if not province.exists_between(period.start, period.end):
            self.add_error(
                "quarter",
                _("%(unit)s did not exist in %(period)s.") % {"unit": province.name, "period": period.label},
            )
        cleaned["period"] = period
        return cleaned


# --- Pages ------------------------------------------------------------------------------------------------------


def _may_reports(user):
    return report_imports.may_import_reports(user)


def _may_units(user):
    return unit_imports.may_import_units(user)


def _home(request, *, report_form=None, unit_form=None, template_form=None, status=200):
    user = request.user
    may_reports, may_units = _may_reports(user), _may_units(user)
    if not (may_reports or may_units):
        raise PermissionDenied
    provinces = visible_provinces(user)
    if may_reports:
        report_form = report_form or ReportUploadForm(may_approve=report_imports.may_approve(user))
        if template_form is None:
            template_form = TemplateForm(provinces=provinces, initial=_template_initial(user, provinces))
        style_fields(template_form)
    if may_units:
        unit_form = unit_form or UploadForm(prefix="units")
    context = {
        "report_form": report_form if may_reports else None,
        "template_form": template_form if may_reports else None,
        "unit_form": unit_form,
        "report_columns": report_imports.COLUMNS,
        "unit_columns": unit_imports.COLUMNS,
        "max_megabytes": MAX_UPLOAD_BYTES // (1024 * 1024),
    }
    return render(request, "imports/home.html", context, status=status)


def _template_initial(user, provinces):
    """The user's own province and the quarter just ended (the one being reported), or for a province merged
    since, its last quarter."""
    home = user.unit.province if user.unit is not None else None
    if home is None or not provinces.filter(pk=home.pk).exists():
        home = provinces.order_by("code").first()
    day = Period.containing(timezone.localdate()).previous_quarter().end
    if home is not None and home.valid_until is not None and home.valid_until < day:
        day = home.valid_until
    return {"province": home.code if home else None, "quarter": Period.containing(day).code}


@require_GET
def import_home(request):
    return _home(request)


@require_GET
def download_template(request):
    if not _may_reports(request.user):
        raise PermissionDenied
    form = TemplateForm(request.GET, provinces=visible_provinces(request.user))
    if not form.is_valid():
        return _home(request, template_form=form, status=400)
    province, period = form.cleaned_data["province"], form.cleaned_data["period"]
    units = template_units(province=province, period=period, user=request.user)
    response = HttpResponse(
        build_template(province=province, period=period, units=units),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{template_filename(province, period)}"'
    return response


@require_POST
def upload_reports(request):
    if not _may_reports(request.user):
        raise PermissionDenied
    may_approve = report_imports.may_approve(request.user)
    form = ReportUploadForm(request.POST, request.FILES, may_approve=may_approve)
    table = _read(form, columns=report_imports.COLUMNS, required=report_imports.REQUIRED)
    if table is None:
        return _home(request, report_form=form, status=400)
    approve = may_approve and form.cleaned_data.get("approve", False)
    result = report_imports.import_reports(table, user=request.user, approve=approve, commit=False)
    filename = form.cleaned_data["file"].name
    # A file with errors cannot be confirmed: nothing to keep.
    token = None if result.errors else _keep(request, REPORTS, table, filename=filename, approve=approve)
    return _preview(request, REPORTS, table, result, token=token, filename=filename, approve=approve)


@require_POST
def upload_units(request):
    if not _may_units(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES, prefix="units")
    table = _read(form, columns=unit_imports.COLUMNS, required=unit_imports.REQUIRED)
    if table is None:
        return _home(request, unit_form=form, status=400)
    result = unit_imports.import_units(table, commit=False)
    filename = form.cleaned_data["file"].name
    token = None if result.errors else _keep(request, UNITS, table, filename=filename)
    return _preview(request, UNITS, table, result, token=token, filename=filename)


@require_POST
def confirm(request, token):
    kept = _take(request, token)
    if kept is None:
        messages.error(request, _("This preview is no longer available: upload the file again."))
        return redirect("imports:index")
    meta, table = kept
    if meta["kind"] == REPORTS:
        if not _may_reports(request.user):
            raise PermissionDenied
        approve = meta["approve"] and report_imports.may_approve(request.user)
        result = report_imports.import_reports(table, user=request.user, approve=approve, commit=True)
    else:
        if not _may_units(request.user):
            raise PermissionDenied
        approve = False
        result = unit_imports.import_units(table, commit=True)
    if not result.saved:
        # The database changed since the preview (or the file always had errors): show why, save nothing.
        return _preview(request, meta["kind"], table, result, token=None, filename=meta["filename"], approve=approve)
    counts = result.counts
    messages.success(
        request,
        _("%(file)s imported: %(new)s new, %(changed)s changed, %(unchanged)s unchanged.")
        % {"file": meta["filename"], **counts},
    )
    if meta["kind"] == REPORTS and approve:
        target = _dashboard_of(result)
        if target:
            return redirect(target)
    elif meta["kind"] == REPORTS and counts["new"] + counts["changed"]:
        messages.info(request, _("The imported reports are drafts: the dashboard counts them once they are submitted."))
    return redirect("imports:index")


# --- Helpers ----------------------------------------------------------------------------------------------------


def _read(form, *, columns, required):
    """The table of the form's file, or ``None`` with the reason on the form's file field."""
    if not form.is_valid():
        return None
    try:
        return read_upload(form.cleaned_data["file"], columns=columns, required=required)
    except FileError as error:
        form.add_error("file", str(error))
        return None


def _preview(request, kind, table, result, *, token, filename, approve=False):
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


def _dashboard_of(result):
    """The dashboard of the province and quarter most rows of the import were about."""
    places = Counter(row.place for row in result.rows if row.place)
    if not places:
        return None
    (province, period), _count = places.most_common(1)[0]
    return reverse("home") + "?" + urlencode({"province": province, "period": period})


def _store_dir():
    return Path(settings.MEDIA_ROOT) / "imports"


def _keep(request, kind, table, *, filename, approve=False):
    """Keep the parsed table until its confirmation; the token that names it, known to this session only."""
    directory = _store_dir()
    directory.mkdir(parents=True, exist_ok=True)
    _sweep(directory)
    token = secrets.token_urlsafe(24)
    (directory / f"{token}.json").write_text(json.dumps(table.to_json()), encoding="utf-8")
    kept = request.session.get("imports", {})
    for old in sorted(kept, key=lambda t: kept[t]["at"])[: max(0, len(kept) - KEEP_PER_SESSION + 1)]:
        kept.pop(old)
        (directory / f"{old}.json").unlink(missing_ok=True)
    kept[token] = {"kind": kind, "filename": filename, "approve": approve, "at": time.time()}
    request.session["imports"] = kept
    return token


def _take(request, token):
    """The kept upload of ``token`` if this session made it, removed from the server; else ``None``."""
    kept = request.session.get("imports", {})
    if not TOKEN.match(token) or token not in kept:
        return None
    meta = kept.pop(token)
    request.session["imports"] = kept
    path = _store_dir() / f"{token}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    finally:
        path.unlink(missing_ok=True)
    if time.time() - meta["at"] > KEEP_SECONDS:
        return None
    return meta, Table.from_json(data)


def _sweep(directory):
    """Remove the uploads nobody confirmed within a day."""
    limit = time.time() - KEEP_SECONDS
    for path in directory.glob("*.json"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue
