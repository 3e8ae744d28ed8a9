"""Dismissing a warning flag: the flag with the figures behind it, and the reason to give."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cchc import flags, services
from cchc.lib.periods import Period
from districts.access import is_provincial_staff, may_see_unit_figures
from districts.models import Unit
from dossiers.models import COUNTED_STATUSES


def dismiss(request):
    if not is_provincial_staff(request.user):
        raise PermissionDenied
    params = request.POST if request.method == "POST" else request.GET
    unit = get_object_or_404(Unit.objects.select_related("parent__parent"), pk=params.get("unit") or 0)
    if not may_see_unit_figures(request.user, unit):
        raise Http404
    try:
        quarter = Period.parse(params.get("quarter", ""))
    except ValueError:
        raise Http404 from None
    if not quarter.is_quarter:
        raise Http404
    found = [
        flag
        for flag in flags.unit_year_flags(unit, quarter.year, statuses=COUNTED_STATUSES)
        if flag.period == quarter and flag.code == params.get("flag") and flag.subject == params.get("subject", "")
    ]
    if not found:
        raise Http404
    flag = found[0]
    error = None
    if request.method == "POST":
        try:
            services.dismiss_flag(flag, user=request.user, comment=request.POST.get("comment"))
        except ValidationError as raised:
            error = raised.message_dict["comment"][0]
        else:
            messages.success(request, _("Warning flag dismissed."))
            return redirect(reverse("districts:detail", args=[unit.code]) + f"?year={quarter.year}#flags")
    history = []
    if flag.dismissal is not None:
        history = flag.dismissal.history.select_related("history_user").order_by("-history_date")
    return render(
        request,
        "cchc/flag_dismiss.html",
        {"flag": flag, "unit": unit, "error": error, "comment": request.POST.get("comment", ""), "history": history},
    )
