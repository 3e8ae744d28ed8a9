"""What is waiting for a user: one function per kind of event, each answering ``Item``s for (user, today).

The hook for another app: write ``def items(user, today)`` answering ``Item``s and add it to ``SOURCES``.
A source may also answer how many items it has without building them, as its ``count(user, today)``: the menu
shows only that number on every page (``count_for``). It must equal ``len(items(user, today))`` in every case;
a source without one is counted by building its items.
The PAR-index self-assessments (app ``assessments``) come in this way, through ``assessment_items``.
An item's ``key`` names the event, not the day: the e-mail reminder for it goes out once (``SentReminder``),
and a new event of the same thing (a report returned a second time) has a new key.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Max, OuterRef, Q, Subquery
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _

from assessments.access import appraisal_scope, awaiting_appraisal, awaiting_in
from assessments.models import Assessment, AssessmentStatus
from cchc.lib.compiled import compiled
from cchc.lib.periods import Period
from cchc.lib.roles import INSPECTION_TEAM, has_role
from districts.access import is_district_officer, is_provincial_staff, unit_or_under_q
from dossiers.deadlines import due_date
from dossiers.models import COUNTED_STATUSES, QuarterlyReport, ReportEvent, ReportStatus
from inspections.models import Recommendation

# How many ended quarters back an unsent report still shows as overdue: older ones are the province's affair.
QUARTERS_BACK = 4
# No list grows without bound on a page or in an e-mail; the inbox page says how many more there are.
LIMIT = 50


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    url: str
    due: date | None = None
    urgency: str = "info"  # "danger" past a deadline, "warning" near one, "info" to do


def _report_url(report_or_unit, period):
    unit = getattr(report_or_unit, "unit", report_or_unit)
    return reverse("dossiers:report", args=[unit.code, period.code])


def _reviewed_province(user):
    """The province whose reports the user reviews: their own; ``None`` for all (an administrator)."""
    unit = user.unit
    return unit.province if unit is not None else None


def _capped_count(queryset):
    """How many rows of ``queryset`` a source shows (at most ``LIMIT``), counted in the database. Without the
    ordering: it does not change how many, and the models' default ordering joins other tables to sort."""
    return queryset.order_by()[:LIMIT].count()


def _returned(user):
    return QuarterlyReport.objects.filter(unit_id=user.unit_id, status=ReportStatus.RETURNED)


def returned_reports(user, today):
    """A district officer's reports the province returned, waiting to be corrected and submitted again."""
    if not is_district_officer(user):
        return []
    reports = (
        _returned(user)
        .select_related("unit")
        .annotate(returned_event=Max("events__pk", filter=Q(events__to_status=ReportStatus.RETURNED)))
        .order_by("-year", "-quarter")[:LIMIT]
    )
    return [
        Item(
            f"report-returned:{report.pk}:{report.returned_event}",
            _("The province returned the report for %(period)s: correct it and submit it again.")
            % {"period": report.period.label},
            _report_url(report, report.period),
            urgency="danger",
        )
        for report in reports
    ]


def _count_returned_reports(user, today):
    # One item per report: the annotation groups the returned events by report.
    return _capped_count(_returned(user)) if is_district_officer(user) else 0


returned_reports.count = _count_returned_reports


def reports_due(user, today):
    """A district officer's reports not yet handed in whose deadline is near or past."""
    if not is_district_officer(user):
        return []
    unit = user.unit
    quarter = Period.last_ended(today)
    quarters = []
    for _step in range(QUARTERS_BACK):
        if unit.exists_between(quarter.start, quarter.end):
            quarters.append(quarter)
        quarter = quarter.previous_quarter()
    # A returned report has its own item (returned_reports): one task, one line.
    waiting_elsewhere = (*COUNTED_STATUSES, ReportStatus.RETURNED)
    handed_in = set(
        QuarterlyReport.objects.filter(unit=unit, status__in=waiting_elsewhere).values_list("year", "quarter")
    )
    items = []
    for period in quarters:
        if (period.year, period.first_quarter) in handed_in:
            continue
        due = due_date(period.year, period.first_quarter)
        item = _deadline_item(
            today,
            due,
            overdue=(
                f"report-overdue:{unit.pk}:{period.code}",
                _("The report for %(period)s was due on %(date)s and has not been submitted."),
            ),
            near=(f"report-due:{unit.pk}:{period.code}", _("The report for %(period)s is due on %(date)s.")),
            values={"period": period.label},
            url=_report_url(unit, period),
        )
        if item is not None:
            items.append(item)
    return items


# reports_due has no count of its own: which quarters are due is worked out in Python (the unit's dates, the
# deadlines) from one small query, and at most QUARTERS_BACK items; counting them takes the same work.


def _deadline_item(today, deadline, *, overdue, near, values, url):
    """The item of something due on ``deadline``: ``overdue`` (its key and text) once the deadline is past,
    ``near`` within ``REMINDER_DAYS_BEFORE`` days of it; ``None`` before then. The texts take ``values`` and the
    deadline as ``%(date)s``."""
    if today > deadline:
        (key, text), urgency = overdue, "danger"
    elif today >= deadline - timedelta(days=settings.REMINDER_DAYS_BEFORE):
        (key, text), urgency = near, "warning"
    else:
        return None
    return Item(key, text % {**values, "date": deadline.strftime("%d/%m/%Y")}, url, deadline, urgency)


def _recommendation_items(recommendations, today, prefix):
    items = []
    for recommendation in recommendations:
        item = _deadline_item(
            today,
            recommendation.deadline,
            overdue=(
                f"{prefix}-overdue:{recommendation.pk}",
                _("Recommendation to %(unit)s past its deadline (%(date)s): %(text)s"),
            ),
            near=(f"{prefix}-near:{recommendation.pk}", _("Recommendation to %(unit)s due on %(date)s: %(text)s")),
            values={"text": _shorten(recommendation.text), "unit": recommendation.unit.name},
            url=reverse("inspections:recommendation_detail", args=[recommendation.pk]),
        )
        if item is not None:
            items.append(item)
    return items


def _shorten(text, length=90):
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _open_with_deadline_by(today):
    # Every one of these has an item: the deadline is at most REMINDER_DAYS_BEFORE days ahead, so
    # _deadline_item answers "near" or "overdue", never None (the counts rely on it).
    return (
        Recommendation.objects.exclude(status__in=Recommendation.CLOSED_STATUSES)
        .filter(deadline__isnull=False, deadline__lte=today + timedelta(days=settings.REMINDER_DAYS_BEFORE))
        .select_related("unit")
        .order_by("deadline", "pk")
    )


def recommendations_due(user, today):
    """Open recommendations near or past their deadline: to the owner unit's officer, and to the inspection
    team of the province that follows them up."""
    items = []
    if is_district_officer(user):
        mine = _open_with_deadline_by(today).filter(unit_id=user.unit_id)[:LIMIT]
        items += _recommendation_items(mine, today, "recommendation")
    if has_role(user, INSPECTION_TEAM):
        items += _recommendation_items(_followed_by_team(user, today)[:LIMIT], today, "team-recommendation")
    return items


def _followed_by_team(user, today):
    """The recommendations past their deadline that the user's inspection team follows up."""
    province = _reviewed_province(user)
    followed = _open_with_deadline_by(today).filter(deadline__lt=today)
    if province is not None:
        followed = followed.filter(
            Q(session__inspecting_unit=province) | Q(session__isnull=True, unit__parent=province)
        )
    return followed


def _count_recommendations_due(user, today):
    count = 0
    if is_district_officer(user):
        count += _capped_count(_open_with_deadline_by(today).filter(unit_id=user.unit_id))
    if has_role(user, INSPECTION_TEAM):
        count += _capped_count(_followed_by_team(user, today))
    return count


recommendations_due.count = _count_recommendations_due


def reports_to_review(user, today):
    """Reports submitted and waiting for the province's review."""
    if not is_provincial_staff(user):
        return []
    province = _reviewed_province(user)
    rows = _reports_to_review_shown(province.pk if province is not None else None, LIMIT).read()
    # The text translated once, and each quarter's label and code once: the 50 reports share a few quarters, and
    # translating them again for each report was half the time of building the items.
    text = _("%(unit)s submitted its report for %(period)s: review it.")
    quarters = {}
    items = []
    for pk, submitted_event, year, quarter, unit_code, unit_name in rows:
        if (year, quarter) not in quarters:
            period = Period.quarter(year, quarter)
            quarters[year, quarter] = (period.label, period.code)
        label, code = quarters[year, quarter]
        items.append(
            Item(
                f"report-submitted:{pk}:{submitted_event}",
                text % {"unit": unit_name, "period": label},
                reverse_lazy("dossiers:report", args=[unit_code, code]),
            )
        )
    return items


@compiled
def _reports_to_review_shown(province_pk, limit):
    """The first ``limit`` rows of ``reports_to_review`` in the province (every province for ``None``), compiled
    once per province: building and compiling this queryset took longer than the database takes to answer it."""
    # The latest submission of each report shown, looked up per report through the events' report index after
    # the first LIMIT reports are chosen (the submitted reports through their own partial index): a join and
    # GROUP BY over every event read the whole history of the country on each landing page (62 ms, and growing).
    latest_submission = (
        ReportEvent.objects.filter(report=OuterRef("pk"), to_status=ReportStatus.SUBMITTED).order_by("-pk").values("pk")
    )
    # Plain values, not report instances: a page shows a handful of these, the menu only their count, and
    # building 50 full reports (every figure) took longer than the query. Each address is built when shown.
    return (
        _to_review_in(province_pk)
        .annotate(submitted_event=Subquery(latest_submission[:1]))
        .order_by("year", "quarter", "unit__name")
        .values_list("pk", "submitted_event", "year", "quarter", "unit__code", "unit__name")[:limit]
    )


def _to_review(user):
    province = _reviewed_province(user)
    return _to_review_in(province.pk if province is not None else None)


def _to_review_in(province_pk):
    reports = QuarterlyReport.objects.filter(status=ReportStatus.SUBMITTED)
    if province_pk is not None:
        reports = reports.filter(unit_or_under_q([province_pk], "unit"))
    return reports


def _count_reports_to_review(user, today):
    return _capped_count(_to_review(user)) if is_provincial_staff(user) else 0


reports_to_review.count = _count_reports_to_review


def assessment_items(user, today):
    """PAR index (app ``assessments``): self-assessments submitted, for the province to appraise; appraisals
    sent back, for the unit to answer."""
    items = []
    # The PAR-index app's own answer to "what waits for this user's appraisal" (assessments.access).
    for assessment in _awaiting_appraisal_shown(appraisal_scope(user), LIMIT).read():
        items.append(
            Item(
                f"par-appraise:{assessment.pk}:{assessment.status}",
                _("%(unit)s submitted its PAR-index self-assessment (%(set)s): appraise it.")
                % {"unit": assessment.unit.name, "set": assessment.criteria_set},
                _assessment_url(assessment),
            )
        )
    if is_district_officer(user):
        for assessment in _appraised(user).select_related("unit", "criteria_set").order_by("pk")[:LIMIT]:
            items.append(
                Item(
                    f"par-appraised:{assessment.pk}",
                    _("The appraisal of your PAR-index self-assessment (%(set)s) is ready: read it and answer.")
                    % {"set": assessment.criteria_set},
                    _assessment_url(assessment),
                    urgency="warning",
                )
            )
    return items


@compiled
def _awaiting_appraisal_shown(scope, limit):
    # Compiled once per province: the two tables joined to show each assessment made compiling it cost more
    # than the database takes to answer, on every landing page.
    return awaiting_in(scope).order_by("pk")[:limit]


def _appraised(user):
    return Assessment.objects.filter(unit_id=user.unit_id, status=AssessmentStatus.APPRAISED)


def _count_assessment_items(user, today):
    count = _capped_count(awaiting_appraisal(user))
    if is_district_officer(user):
        count += _capped_count(_appraised(user))
    return count


assessment_items.count = _count_assessment_items


def _assessment_url(assessment):
    return reverse("assessments:assessment", args=[assessment.criteria_set_id, assessment.unit.code])


SOURCES = [returned_reports, reports_due, recommendations_due, reports_to_review, assessment_items]


def items_for(user, today):
    """Everything waiting for the user on ``today``: past deadlines first, then near ones, then the rest.

    Among equals each source's own order stands (the sort is stable): the reports to review oldest quarter first,
    as the box's first five should be. Sorting them by key compared primary keys as text ("…:10:" before "…:9:").
    """
    found = [item for source in SOURCES for item in source(user, today)]
    order = {"danger": 0, "warning": 1, "info": 2}
    return sorted(found, key=lambda item: (order[item.urgency], item.due or date.max))


def count_for(user, today):
    """How many items ``items_for`` answers, each source counting in the database where it can: the menu on every
    page shows only this number, and building every item for it (50 for a province's staff) cost more than the
    rest of the menu."""
    total = 0
    for source in SOURCES:
        count = getattr(source, "count", None)
        total += count(user, today) if count is not None else len(source(user, today))
    return total
