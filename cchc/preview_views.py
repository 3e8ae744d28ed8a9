"""The report form's live preview: the figures typed so far, computed by the server's own rules.

The form's script sends the figures here as the officer types and writes back what it gets, so that no
rate, rounding or identity is written a second time in JavaScript.
"""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from cchc.indicators import report_form_preview
from dossiers.forms import ReportForm
from dossiers.views import visible_report


@require_GET
def report_preview(request, unit_code, quarter_code):
    """``{"cells": {"to_handle.0": "1.620", "on_time_rate.0": "97,50%", "online_rate.0": "—", "pending.0": "220",
    …}}``: each computed row of each level column (numbered in the form's order), as the page's
    ``data-preview-cell`` names them. Only for a report the user may see: 404 otherwise, as for the form itself."""
    unit, _period, report = visible_report(request, unit_code, quarter_code)
    form = ReportForm(request.GET, unit=unit, levels=ReportForm.levels_for(unit, report))
    cells = {}
    for index, values in enumerate(form.typed_level_values().values()):
        cells.update({f"{name}.{index}": text for name, text in report_form_preview(values).items()})
    return JsonResponse({"cells": cells})
