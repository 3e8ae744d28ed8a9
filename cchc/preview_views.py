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
    """``{"levels": [{"to_handle": "1.620", "on_time_rate": "97,50%", "online_rate": "—", "pending": "220"}, …]}``,
    one entry per level row of the unit's form, in the form's order. Only for a report the user may see: 404
    otherwise, as for the form itself."""
    unit, _period, report = visible_report(request, unit_code, quarter_code)
    form = ReportForm(request.GET, unit=unit, levels=ReportForm.levels_for(unit, report))
    return JsonResponse({"levels": [report_form_preview(values) for values in form.typed_level_values().values()]})
