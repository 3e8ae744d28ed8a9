"""Reads for the dashboard, the district page, the exports and the JSON feed.

``unit_rows`` annotates a queryset of units with every figure of DOMAIN.md over a period and with every
indicator's numerator and denominator, in one SQL query whatever the number of units or quarters: each
figure is a correlated subquery that adds up the unit's reports in the period the way the figure adds up
over time (sum of the quarters, the earliest reported quarter, or the latest).
"""

from dataclasses import dataclass

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import NullIf
from django.utils import timezone

from cchc.indicators import FOLLOW_UP_INDICATORS, INDICATORS, rate
from cchc.periods import Period
from districts.models import ReformTask, Unit
from dossiers.figures import ALL_FIGURES, DOSSIER_FIGURES, REPORT_FIGURES, Aggregation
from dossiers.models import COUNTED_STATUSES, LevelFigures, QuarterlyReport, ReportStatus
from inspections.models import Recommendation

FIGURE_CODES = tuple(figure.code for figure in ALL_FIGURES)
# Counts derived from the figures and shown beside them: dossiers to handle in the period.
DERIVED_CODES = ("to_handle",)


class SubquerySum(Subquery):
    """The sum of ``field`` over a queryset, as a scalar subquery (NULL when every value is NULL)."""

    output_field = IntegerField()

    def __init__(self, queryset, field, function="SUM"):
        queryset = queryset.order_by().annotate(_total=Func(F(field), function=function)).values("_total")
        super().__init__(queryset)


def _reports(unit_ref, period, statuses):
    return QuarterlyReport.objects.filter(
        unit=unit_ref,
        year=period.year,
        quarter__gte=period.first_quarter,
        quarter__lte=period.last_quarter,
        status__in=statuses,
    )


def figure_annotations(period, statuses=COUNTED_STATUSES):
    """Subquery expressions, one per figure code, for a queryset of ``Unit``."""
    reports = _reports(OuterRef("pk"), period, statuses)
    nested_reports = _reports(OuterRef(OuterRef("pk")), period, statuses)
    first_quarter = Subquery(nested_reports.order_by("quarter").values("quarter")[:1])
    last_quarter = Subquery(nested_reports.order_by("-quarter").values("quarter")[:1])
    levels = LevelFigures.objects.filter(
        report__unit=OuterRef("pk"),
        report__year=period.year,
        report__quarter__gte=period.first_quarter,
        report__quarter__lte=period.last_quarter,
        report__status__in=statuses,
    )
    levels_of = {
        Aggregation.SUM: levels,
        Aggregation.FIRST: levels.filter(report__quarter=first_quarter),
        Aggregation.LAST: levels.filter(report__quarter=last_quarter),
    }
    annotations = {figure.code: SubquerySum(levels_of[figure.aggregation], figure.code) for figure in DOSSIER_FIGURES}
    for figure in REPORT_FIGURES:
        if figure.aggregation == Aggregation.SUM:
            annotations[figure.code] = SubquerySum(reports, figure.code)
        else:
            ordering = "quarter" if figure.aggregation == Aggregation.FIRST else "-quarter"
            annotations[figure.code] = Subquery(reports.order_by(ordering).values(figure.code)[:1])
    return annotations


def task_annotations(period):
    """Tasks of the unit's reform plan for the period's year, and those done by the end of the period."""
    tasks = ReformTask.objects.filter(plan__unit=OuterRef("pk"), plan__year=period.year)
    done = tasks.filter(status=ReformTask.Status.DONE, completed_on__lte=period.end)
    return {
        # No plan (or an empty one) is "not tracked", not 0 %: NULL makes plan completion "—".
        "tasks_total": NullIf(SubquerySum(tasks, "pk", function="COUNT"), Value(0)),
        "tasks_done": SubquerySum(done, "pk", function="COUNT"),
    }


def recommendation_annotations(today):
    """Recommendations made to the unit: still open today, those of them past their deadline, and those due
    (closed, or open past the deadline) and closed on time (inspections.models defines each state).

    A unit's own internal inspections (of its departments) are its own business and are left out: these are
    the recommendations of the inspections by others, the province's above all.
    """
    made_to_unit = Recommendation.objects.filter(unit=OuterRef("pk")).filter(
        Q(session__isnull=True) | ~Q(session__inspecting_unit=OuterRef("pk"))
    )
    return {
        "recommendations_open": SubquerySum(made_to_unit.still_open(), "pk", function="COUNT"),
        "recommendations_overdue": SubquerySum(made_to_unit.overdue(today), "pk", function="COUNT"),
        "recommendations_due": SubquerySum(made_to_unit.due(today), "pk", function="COUNT"),
        "recommendations_closed_on_time": SubquerySum(made_to_unit.closed_on_time(), "pk", function="COUNT"),
    }


def unit_rows(*, units, period, statuses=COUNTED_STATUSES, today=None):
    """``units`` annotated with every figure and indicator of the period, and report counts.

    Annotations: each figure code; ``tasks_total`` and ``tasks_done``; for each indicator
    ``<code>_num``, ``<code>_den`` and ``<code>_sort`` (the rate as a fraction, for ordering and filtering);
    ``reports_counted`` and ``reports_unapproved`` (reports of the period the figures come from, and those of
    them not yet approved); ``recommendations_open``, ``recommendations_overdue``, ``recommendations_due`` and
    ``recommendations_closed_on_time`` as of ``today``, with the follow-up indicators' annotations.
    """
    if isinstance(period, str):
        period = Period.parse(period)
    reports = _reports(OuterRef("pk"), period, statuses)
    rows = units.annotate(
        **figure_annotations(period, statuses),
        **task_annotations(period),
        **recommendation_annotations(today or timezone.localdate()),
        to_handle=F("carried_over") + F("received"),
        reports_counted=SubquerySum(reports, "pk", function="COUNT"),
        reports_unapproved=SubquerySum(reports.exclude(status=ReportStatus.APPROVED), "pk", function="COUNT"),
    )
    for indicator in INDICATORS + FOLLOW_UP_INDICATORS:
        rows = rows.annotate(**_old_annotations(indicator))
    return rows


def _old_annotations(self):
    from django.db.models import Case, FloatField, When
    from django.db.models.functions import Cast
    from django.db.models.lookups import GreaterThan, IsNull

    def expr(codes):
        result = F(codes[0])
        for code in codes[1:]:
            result = result + F(code)
        return result

    num, den = expr(self.numerator), expr(self.denominator)
    numerator = Case(When(IsNull(den, False), then=num), output_field=IntegerField())
    denominator = Case(When(IsNull(num, False), then=den), output_field=IntegerField())
    fraction = Cast(num, FloatField()) / Cast(den, FloatField())
    return {
        self.num: numerator,
        self.den: denominator,
        self.sort: Case(When(GreaterThan(den, 0), then=fraction), output_field=FloatField()),
    }


def province_units(*, period, province=None, provinces=None, statuses=COUNTED_STATUSES):
    """The units whose rows make up a province's table for the period (or several provinces' tables).

    The units directly under the province that existed in the period (districts before 1 July 2025,
    communes after), and the province itself when it has a report of its own in the period.
    """
    if isinstance(period, str):
        period = Period.parse(period)
    ids = [province.pk] if provinces is None else provinces.values("pk")
    own_report = Exists(_reports(OuterRef("pk"), period, statuses))
    return Unit.objects.active_in(period).filter(Q(parent__in=ids) | (Q(pk__in=ids) & own_report))


def province_rows(*, province, period, statuses=COUNTED_STATUSES, today=None):
    units = province_units(province=province, period=period, statuses=statuses)
    return unit_rows(units=units, period=period, statuses=statuses, today=today).select_related("parent")


@dataclass
class IndicatorValue:
    numerator: int | None
    denominator: int | None

    @property
    def value(self):
        return rate(self.numerator, self.denominator)


def indicator_values(row):
    """``{indicator code: IndicatorValue}`` of one annotated row."""
    return {
        indicator.code: IndicatorValue(getattr(row, indicator.num), getattr(row, indicator.den))
        for indicator in INDICATORS
    }


def _sum(values):
    present = [value for value in values if value is not None]
    return sum(present) if present else None


def totals(rows):
    """The total over annotated rows: figures summed, each rate the ratio of the summed pairs."""
    rows = list(rows)
    figures = {code: _sum(getattr(row, code) for row in rows) for code in FIGURE_CODES + DERIVED_CODES}
    indicators = {
        indicator.code: IndicatorValue(
            _sum(getattr(row, indicator.num) for row in rows), _sum(getattr(row, indicator.den) for row in rows)
        )
        for indicator in INDICATORS
    }
    extras = {
        name: _sum(getattr(row, name) for row in rows)
        for name in (
            "tasks_total",
            "tasks_done",
            "recommendations_open",
            "recommendations_overdue",
            "recommendations_due",
            "recommendations_closed_on_time",
        )
    }
    # Apart from "indicators", which holds the core indicators only (the JSON feed reads it).
    follow_up = {
        indicator.code: IndicatorValue(
            _sum(getattr(row, indicator.num) for row in rows), _sum(getattr(row, indicator.den) for row in rows)
        )
        for indicator in FOLLOW_UP_INDICATORS
    }
    return {"figures": figures, "indicators": indicators, "follow_up": follow_up, **extras}


def latest_period_with_data(*, province=None, statuses=COUNTED_STATUSES):
    """The latest quarter with a counted report of the province or a unit under it (of any unit without one).

    The current quarter when there is none.
    """
    reports = QuarterlyReport.objects.filter(status__in=statuses)
    if province is not None:
        reports = reports.filter(Q(unit=province) | Q(unit__parent=province))
    latest = reports.order_by("-year", "-quarter").values("year", "quarter").first()
    if latest is None:
        return Period.containing(timezone.localdate())
    return Period.quarter(latest["year"], latest["quarter"])
