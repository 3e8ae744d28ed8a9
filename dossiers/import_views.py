"""The import pages: upload a file of quarterly figures, preview what would change, confirm; the page that offers
the import of reports and of units (``districts.import_views``) and the confirmation of either.

The uploaded table waits for its confirmation in ``cchc.lib.import_store``.
"""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cchc.lib.forms import style_fields
from cchc.lib.import_pages import read_table, render_preview
from cchc.lib.import_store import keep, take
from cchc.lib.imports import MAX_UPLOAD_BYTES
from cchc.lib.periods import Period
from districts import import_views as unit_import_views
from districts import imports as unit_imports
from districts.access import visible_provinces

from . import imports as report_imports
from .forms import ReportUploadForm, TemplateForm
from .import_template import build_template, template_filename, template_units

REPORTS, UNITS = "reports", unit_import_views.UNITS


# --- Pages ------------------------------------------------------------------------------------------------------


def _may_reports(user):
    return report_imports.may_import_reports(user)


def _may_units(user):
    return unit_imports.may_import_units(user)


def _home(request, *, report_form=None, template_form=None, status=200):
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
    context = {
        "report_form": report_form if may_reports else None,
        "template_form": template_form if may_reports else None,
        **(unit_import_views.unit_section() if may_units else {"unit_form": None}),
        "report_columns": report_imports.COLUMNS,
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
    table = read_table(form, columns=report_imports.COLUMNS, required=report_imports.REQUIRED)
    if table is None:
        return _home(request, report_form=form, status=400)
    approve = may_approve and form.cleaned_data.get("approve", False)
    result = report_imports.import_reports(table, user=request.user, approve=approve, commit=False)
    filename = form.cleaned_data["file"].name
    # A file with errors cannot be confirmed: nothing to keep.
    token = None if result.errors else keep(request, REPORTS, table, filename=filename, approve=approve)
    return render_preview(request, REPORTS, table, result, token=token, filename=filename, approve=approve)


@require_POST
def confirm(request, token):
    kept = take(request, token)
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
        approve = False
        result = unit_import_views.confirm_units(request, table)
    if not result.saved:
        # The database changed since the preview (or the file always had errors): show why, save nothing.
        return render_preview(
            request, meta["kind"], table, result, token=None, filename=meta["filename"], approve=approve
        )
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


def _dashboard_of(result):
    """The dashboard of the province and quarter most rows of the import were about."""
    places = Counter(row.place for row in result.rows if row.place)
    if not places:
        return None
    (province, period), _count = places.most_common(1)[0]
    return reverse("home") + "?" + urlencode({"province": province, "period": period})
