"""The targets page: provincial staff set and import targets; a district officer sees those that hold for their
unit and sets stricter ones of their own where the province allows."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc import services
from cchc.lib.import_pages import read_table
from cchc.lib.imports import describe
from cchc.lib.periods import year_in_range
from cchc.models import Target
from cchc.target_forms import OwnTargetForm, TargetForm, TargetImportForm
from cchc.target_imports import COLUMNS, REQUIRED, TargetImporter
from cchc.targets import targets_applying_to
from districts.access import is_provincial_staff, sees_every_province, unit_or_under_q, visible_provinces


def _year(request):
    return year_in_range(request.GET.get("year"))


def target_list(request):
    year = _year(request)
    context = {"year": year, "may_edit_all": is_provincial_staff(request.user)}
    if sees_every_province(request.user):
        provinces = visible_provinces(request.user)
        targets = Target.objects.filter(unit_or_under_q(provinces, "unit"))
        targets = targets.select_related("unit", "unit__parent", "legend_set")
        if year:
            targets = targets.filter(year=year)
        years = Target.objects.order_by("-year").values_list("year", flat=True).distinct()
        context.update(targets=targets.order_by("-year", "unit__code", "indicator", "pk"), years=years)
        return render(request, "cchc/targets/list.html", context)
    unit = request.user.unit
    if unit is None:
        raise PermissionDenied
    applying = targets_applying_to(unit, years=[year] if year else None)
    context.update(
        unit=unit,
        applying=applying,
        may_tighten=services.may_set_targets(request.user),
    )
    return render(request, "cchc/targets/mine.html", context)


def _editable(request, pk):
    target = get_object_or_404(Target.objects.select_related("unit"), pk=pk)
    if is_provincial_staff(request.user):
        return target
    if request.user.unit_id is None or target.unit_id != request.user.unit_id:
        raise Http404
    return target


def target_edit(request, pk=None):
    if not services.may_set_targets(request.user):
        raise PermissionDenied
    target = _editable(request, pk) if pk is not None else Target()
    staff = is_provincial_staff(request.user)
    form_class = TargetForm if staff else OwnTargetForm
    kwargs = {} if staff else {"unit": request.user.unit}
    if not staff and request.user.unit is None:
        raise PermissionDenied
    if request.method == "GET" and pk is None:
        kwargs["initial"] = {key: request.GET[key] for key in ("indicator", "year") if request.GET.get(key)}
    form = form_class(request.POST or None, instance=target, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_target(form.instance, user=request.user, expected_version=form.cleaned_data.get("version"))
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Target saved."))
            return redirect(reverse("targets:list") + f"?year={form.instance.year}")
    history = target.history.select_related("history_user").order_by("-history_date")[:20] if target.pk else []
    return render(request, "cchc/targets/edit.html", {"form": form, "target": target, "history": history})


@require_POST
def target_delete(request, pk):
    target = _editable(request, pk)
    version = request.POST.get("version", "")
    try:
        services.delete_target(target, user=request.user, expected_version=int(version) if version.isdigit() else -1)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("targets:edit", pk=pk)
    messages.success(request, _("Target deleted."))
    return redirect("targets:list")


def target_import(request):
    if not is_provincial_staff(request.user):
        raise PermissionDenied
    form = TargetImportForm(request.POST or None, request.FILES or None)
    result = None
    table = read_table(form, columns=COLUMNS, required=REQUIRED) if request.method == "POST" else None
    if table is not None:
        result = TargetImporter(table).run(commit=True)
        if result.saved:
            messages.success(
                request,
                _("Targets imported: %(new)s new, %(changed)s changed, %(unchanged)s unchanged.") % result.counts,
            )
    context = {"form": form, "result": result, "columns": COLUMNS}
    context["error_lines"] = [describe(error) for error in result.errors] if result else []
    return render(request, "cchc/targets/import.html", context)
