"""District officers enter and submit their quarterly reports; the province reviews them."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.lib.forms import style_fields
from cchc.lib.list_views import FilteredListView
from cchc.lib.periods import FIRST_YEAR, Period, year_in_range
from districts.access import (
    is_provincial_staff,
    may_enter_figures,
    may_see_unit_details,
    sees_every_province,
    visible_provinces,
)
from districts.models import Unit
from dossiers.selectors import latest_period_with_data

from . import rules, services
from .deadlines import completeness, due_date, submitted_on_time, with_first_submission
from .figures import FIGURES_BY_CODE
from .filters import ReviewFilter
from .forms import CommentForm, ProvincePeriodForm, ReportForm
from .models import LevelFigures, QuarterlyReport, ReportLevel, ReportStatus
from .tables import ReviewTable

REVIEW_ACTIONS = {"approve", "return", "reopen"}
ENTRY_ACTIONS = {"save", "submit"}


def _quarter(code):
    try:
        period = Period.parse(code)
    except ValueError as error:
        raise Http404 from error
    if not period.is_quarter:
        raise Http404
    return period


def visible_report(request, unit_code, quarter_code):
    """The unit, quarter and report (or ``None``) of the URL, or 404 for anything the user may not see."""
    period = _quarter(quarter_code)
    # The unit that held the code in that quarter (82 in 2024Q4 is Tiền Giang, in 2025Q4 the new Đồng Tháp).
    unit = Unit.objects.select_related("parent").holding(unit_code, period=period)
    if unit is None or not may_see_unit_details(request.user, unit):
        raise Http404
    report = (
        QuarterlyReport.objects.visible_to(request.user)
        .filter(unit=unit, year=period.year, quarter=period.first_quarter)
        .prefetch_related("levels")
        .first()
    )
    return unit, period, report


def _may_edit(user, unit, report):
    if not may_enter_figures(user, unit):
        return False
    if report is None:
        return True
    editable = services.editable_statuses(province_staff=is_provincial_staff(user))
    return report.status in editable


@dataclass
class Change:
    at: object
    by: object
    what: str
    old: object = None
    new: object = None


def _label(model, name):
    figure = FIGURES_BY_CODE.get(name)
    return str(figure.label if figure else model._meta.get_field(name).verbose_name)


def report_history(report):
    """Every change to the report and its figures, newest first: who, when, which figure, old and new value."""
    entries = []
    records = list(report.history.select_related("history_user").order_by("history_date", "history_id"))
    level_records = list(
        LevelFigures.history.filter(report_id=report.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    for history, model, prefix_of in (
        (records, QuarterlyReport, lambda record: ""),
        (level_records, LevelFigures, lambda record: f"{ReportLevel(record.level).label}: "),
    ):
        previous_by_object = {}
        for record in history:
            previous = previous_by_object.get(record.id)
            previous_by_object[record.id] = record
            if previous is None:
                what = (
                    _("report created")
                    if model is QuarterlyReport
                    else _("figures of %(level)s entered") % {"level": ReportLevel(record.level).label}
                )
                entries.append(Change(record.history_date, record.history_user, what))
                continue
            if record.history_type == "-":
                entries.append(
                    Change(
                        record.history_date,
                        record.history_user,
                        _("figures of %(level)s removed") % {"level": ReportLevel(record.level).label},
                    )
                )
                continue
            for change in record.diff_against(previous, excluded_fields=["version"]).changes:
                if change.field == "status" and record.history_change_reason == services.SUBMITTED_DIRECTLY:
                    # Created and submitted in one step: the draft status lasted an instant, say what happened.
                    entries.append(
                        Change(record.history_date, record.history_user, _("submitted without a saved draft"))
                    )
                    continue
                label = _label(model, change.field)
                choices = dict(model._meta.get_field(change.field).flatchoices)
                old, new = choices.get(change.old, change.old), choices.get(change.new, change.new)
                entries.append(Change(record.history_date, record.history_user, prefix_of(record) + label, old, new))
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def report_page(request, unit_code, quarter_code):
    """A unit's report for a quarter: the form while the unit may still change it, else the figures as sent."""
    unit, period, report = visible_report(request, unit_code, quarter_code)
    user = request.user
    editable = _may_edit(user, unit, report)
    reviewer = is_provincial_staff(user)
    levels = ReportForm.levels_for(unit, report)
    draft = report or QuarterlyReport(unit=unit, year=period.year, quarter=period.first_quarter)
    previous_pending = draft.previous_pending()
    comment_form = CommentForm()
    warnings = []

    action = request.POST.get("action") if request.method == "POST" else None
    if action in ENTRY_ACTIONS:
        if not may_enter_figures(user, unit):
            raise PermissionDenied
        if not editable:
            # Handed in meanwhile (perhaps from another tab): say so rather than refuse bluntly.
            messages.error(request, _("This report has been handed in and can no longer be changed."))
            return redirect(request.path)
        form = ReportForm(request.POST, unit=unit, levels=levels)
        if form.is_valid():
            warnings = rules.level_warnings(form.level_values(), previous_pending)
            if action == "submit" and report is not None and not report.is_unfinished:
                # The province's copy of a report handed in: refused whole, with the reason the service gives.
                try:
                    services.submit(report, by=user)
                except ValidationError as error:
                    form.add_service_errors(error)
            elif not (warnings and not form.cleaned_data["confirm_warnings"]):
                # Drafts keep anything: the figures are saved even if they break an identity, and submitting
                # is refused until they are mended (the errors then show beside the fields).
                try:
                    saved = services.save_report(
                        unit=unit,
                        year=period.year,
                        quarter=period.first_quarter,
                        figures={**form.report_values(), "note": form.cleaned_data["note"]},
                        levels=form.level_values(),
                        by=user,
                        province_staff=reviewer,
                        version=form.cleaned_data["version"],
                        keep_errors=True,
                    )
                except ValidationError as error:
                    form.add_service_errors(error)
                else:
                    return _after_save(request, saved, action, user, new=report is None)
    elif action in REVIEW_ACTIONS:
        if not reviewer or report is None:
            raise PermissionDenied
        comment_form = CommentForm(request.POST if action != "approve" else None)
        if action == "approve" or comment_form.is_valid():
            comment = comment_form.cleaned_data["comment"] if action != "approve" else ""
            try:
                services.change_status(report, action, by=user, comment=comment)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, services.ACTION_DONE[action])
                return redirect(request.path)
        form = None
    elif action is not None:
        raise PermissionDenied
    else:
        form = None

    identity_errors = False
    if form is None:
        form = ReportForm(initial=ReportForm.initial_for(report, levels, previous_pending), unit=unit, levels=levels)
        if report is not None:
            warnings = report.warnings()
            if report.is_unfinished:
                errors = services.report_errors(report)
                if errors:
                    form.show_saved_errors(errors)
                    identity_errors = True
    if not editable:
        for field in form.fields.values():
            field.disabled = True

    if report is not None:
        report = with_first_submission(QuarterlyReport.objects.filter(pk=report.pk)).get()
    return render(
        request,
        "dossiers/report.html",
        {
            "unit": unit,
            "period": period,
            "report": report,
            "form": form,
            "editable": editable,
            "identity_errors": identity_errors,
            "reviewer": reviewer,
            "comment_form": comment_form,
            "warnings": [(ReportLevel(w.level).label if w.level else "", w.message) for w in warnings],
            "level_labels": [ReportLevel(level).label for level in levels],
            "due": due_date(period.year, period.first_quarter),
            "on_time": submitted_on_time(report) if report else None,
            "events": report.events.select_related("by") if report else [],
            "history": report_history(report) if report else [],
            "previous_quarter": period.previous_quarter(),
        },
    )


def _after_save(request, saved, action, user, *, new):
    """Submit the saved figures if asked; say what happened. The draft stays saved whatever submit says.

    ``new``: the report did not exist before this request, so a submit that succeeds was never a saved draft.
    """
    if action == "submit":
        try:
            services.submit(saved, by=user, direct=new)
        except ValidationError:
            messages.error(
                request,
                _(
                    "Not submitted: the figures break the rules shown beside them. They are kept as a draft; "
                    "correct them, then submit."
                ),
            )
        else:
            messages.success(request, _("Report submitted to the province."))
    elif services.report_errors(saved):
        messages.warning(
            request,
            _(
                "Draft saved. Some figures break a rule (see beside them): the report cannot be submitted "
                "until they are corrected."
            ),
        )
    else:
        messages.success(request, _("Draft saved."))
    return redirect(request.path)


def my_reports(request):
    """A district officer's quarters: each report's status and deadline, and the one due now.

    Provincial staff and the inspection team go to the review list instead.
    """
    user = request.user
    if sees_every_province(user):
        return redirect("dossiers:review")
    unit = user.unit
    if unit is None:
        return render(request, "dossiers/my_reports.html", {"unit": None})
    today = timezone.localdate()
    year = year_in_range(request.GET.get("year"))
    if year is None or year > today.year:
        year = today.year
    years = [year, year - 1]
    quarters = [Period.quarter(y, q) for y in years for q in (4, 3, 2, 1)]
    quarters = [p for p in quarters if unit.exists_between(p.start, p.end)]
    reports = {
        (r.year, r.quarter): r for r in with_first_submission(QuarterlyReport.objects.filter(unit=unit, year__in=years))
    }
    rows = []
    due_now = None
    for period in quarters:
        report = reports.get((period.year, period.first_quarter))
        due = due_date(period.year, period.first_quarter)
        rows.append({"period": period, "report": report, "due": due, "overdue": _overdue(report, due, today)})
        handed_in = report is not None and report.is_handed_in
        # The report due now: the latest quarter that has ended and is not yet handed in.
        if due_now is None and period.end < today and not handed_in:
            due_now = period
    # Returned reports wait for the district whatever their year: the page opens on them, not on an empty year.
    returned = QuarterlyReport.objects.filter(unit=unit, status=ReportStatus.RETURNED).order_by("-year", "-quarter")
    return render(
        request,
        "dossiers/my_reports.html",
        {
            "unit": unit,
            "returned": returned,
            "rows": rows,
            "due_now": due_now,
            "year": year,
            "later_year": year + 1 if year < today.year else None,
            "earlier_year": year - 1 if year - 1 > FIRST_YEAR else None,
        },
    )


def _overdue(report, due, today):
    handed_in = report is not None and report.is_handed_in
    return not handed_in and today > due


class ReviewView(FilteredListView):
    """Reports for the province to review: awaiting review first, any status on request."""

    template_name = "dossiers/review.html"
    table_class = ReviewTable
    filterset_class = ReviewFilter

    def dispatch(self, request, *args, **kwargs):
        if not sees_every_province(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return with_first_submission(QuarterlyReport.objects.select_related("unit__parent"))

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if kwargs["data"] is None or "status" not in kwargs["data"]:
            data = kwargs["data"].copy() if kwargs["data"] is not None else {}
            data.setdefault("status", ReportStatus.SUBMITTED)
            kwargs["data"] = data
        kwargs["request"] = self.request
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        style_fields(context["filter"].form)
        return context


def completeness_page(request):
    """Which units handed in their reports for a period, on time or late, and the reporting rates."""
    provinces = visible_provinces(request.user)
    form = ProvincePeriodForm(request.GET or None, provinces=provinces)
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    province = cleaned.get("province") or provinces.filter(pk=getattr(request.user.unit, "pk", None)).first()
    if province is None and request.user.unit is not None:
        province = request.user.unit.province
    if province is None or not provinces.filter(pk=province.pk).exists():
        province = provinces.first()
    period = cleaned.get("period") or (latest_period_with_data(province=province) if province else None)
    if period is None:
        period = Period.last_ended(timezone.localdate())
    form.initial = {"province": province.code if province else "", "period": period.code}
    style_fields(form)
    # The units directly under the province owe a report each quarter they existed.
    result = completeness(units=Unit.objects.filter(parent=province), period=period) if province else None
    return render(
        request,
        "dossiers/completeness.html",
        {
            "form": form,
            "province": province,
            "period": period,
            "result": result,
            "reporting_rate": result.reporting_rate if result else None,
            "on_time_rate": result.on_time_rate if result else None,
            "due_days": settings.REPORT_DUE_DAYS,
        },
    )
