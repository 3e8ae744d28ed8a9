"""Reads of the PAR index: each assessment's totals, a set's results with ranks and grades, the latest results.

Totals are summed in the database, one query for all the assessments of a set, whatever the number of units or
criteria; ranks, grades and the change since last year are worked out from those rows in Python.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import BooleanField, Count, Q, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from cchc.lib.compiled import compiled
from cchc.lib.periods import Period
from districts.access import in_provinces_q
from districts.models import Unit

from .models import LEVEL_OF_SCORED, SCORED_BY_UNIT, Assessment, AssessmentStatus, CriteriaSet, GroupScore, ScoredUnits


def with_totals(assessments):
    """Assessments annotated with ``leaf_self`` (the unit's points), ``leaf_appraised`` (the council's, or the
    unit's where the council kept them) and ``appraised_count`` (criteria the council scored)."""
    scored = Q(scores__criterion__method__in=SCORED_BY_UNIT)
    return assessments.annotate(
        leaf_self=Sum("scores__self_points", filter=scored),
        leaf_appraised=Sum(Coalesce("scores__appraised_points", "scores__self_points"), filter=scored),
        appraised_count=Count("scores__appraised_points", filter=scored),
    )


@dataclass
class Totals:
    self_total: Decimal | None
    appraised_total: Decimal | None
    survey_points: Decimal | None
    stated_only: bool  # the self-assessed total is a stated one, without criteria scores

    @property
    def total(self):
        """The appraised score (the unit's while there is no appraisal) plus the survey points."""
        score = self.appraised_total if self.appraised_total is not None else self.self_total
        if score is None:
            return None
        return score + (self.survey_points or Decimal(0))


def totals_of(assessment):
    """The totals of an assessment annotated by ``with_totals``."""
    stated_only = assessment.leaf_self is None and assessment.stated_self_total is not None
    self_total = assessment.stated_self_total if stated_only else assessment.leaf_self
    appraised = None
    if assessment.appraised_count or assessment.status in (AssessmentStatus.APPRAISED, AssessmentStatus.FINAL):
        appraised = assessment.leaf_appraised
    return Totals(self_total, appraised, assessment.survey_points, stated_only)


def competition_ranks(values):
    """Ranks of ``values`` (highest first), equal values sharing a rank and the next one skipped: 1, 1, 3.

    ``None`` has no rank.
    """
    ordered = sorted((value for value in values if value is not None), reverse=True)
    first_place = {}
    for position, value in enumerate(ordered, start=1):
        first_place.setdefault(value, position)
    return [first_place.get(value) if value is not None else None for value in values]


def grade_of(total, bands):
    """The label of the highest band the total reaches (``bands`` ordered from the highest threshold)."""
    if total is None:
        return ""
    for band in bands:
        if total >= band.min_points:
            return band.label
    return ""


@dataclass
class ResultRow:
    unit: Unit
    assessment: Assessment | None
    totals: Totals | None
    rank: int | None = None
    grade: str = ""
    previous_total: Decimal | None = None

    @property
    def total(self):
        return self.totals.total if self.totals else None

    @property
    def change(self):
        if self.total is None or self.previous_total is None:
            return None
        return self.total - self.previous_total


def scored_units(criteria_set):
    """The units a set scores: those of its kind in its province that existed during its year."""
    level = LEVEL_OF_SCORED.get(criteria_set.scored_units)
    if level is None:
        return Unit.objects.none()
    province = criteria_set.province_id
    year = criteria_set.year
    return (
        Unit.objects.filter(in_provinces_q([province]), level=level)
        .active_between(date(year, 1, 1), date(year, 12, 31))
        .order_by("code")
    )


def previous_set(criteria_set):
    return (
        CriteriaSet.objects.filter(
            province=criteria_set.province_id, scored_units=criteria_set.scored_units, year__lt=criteria_set.year
        )
        .order_by("-year")
        .first()
    )


def _totals_by_unit(criteria_set):
    assessments = with_totals(Assessment.objects.filter(criteria_set=criteria_set))
    return {assessment.unit_id: assessment for assessment in assessments}


# ``results`` without ``earlier``: the previous set is looked up.
_LOOKED_UP = object()


def results(criteria_set, *, units=None, earlier=_LOOKED_UP):
    """One row per unit the set scores: totals, rank (ties share one), grade, change since the previous set.

    Five queries whatever the number of units and criteria: units, assessments with their totals, the grade
    bands, the previous year's set and its assessments. A caller that has read the previous set (``None``
    without one) passes it as ``earlier``: one query less.
    """
    units = list(scored_units(criteria_set) if units is None else units)
    assessments = _totals_by_unit(criteria_set)
    bands = list(criteria_set.grade_bands.order_by("-min_points"))
    if earlier is _LOOKED_UP:
        earlier = previous_set(criteria_set)
    before = _totals_by_unit(earlier) if earlier is not None else {}
    rows = []
    for unit in units:
        assessment = assessments.get(unit.pk)
        if assessment is not None:
            assessment.unit = unit
        row = ResultRow(unit, assessment, totals_of(assessment) if assessment else None)
        if unit.pk in before:
            row.previous_total = totals_of(before[unit.pk]).total
        row.grade = grade_of(row.total, bands)
        rows.append(row)
    for row, rank in zip(rows, competition_ranks([row.total for row in rows]), strict=True):
        row.rank = rank
    rows.sort(key=lambda row: (row.rank is None, row.rank or 0, row.unit.code))
    return rows


# Whether a set has an assessment, written out: ``Exists(Assessment.objects.filter(criteria_set=OuterRef("pk")))``
# costs more Python to build than the read itself, on every view of the dashboard.
_HAS_ASSESSMENT = RawSQL(
    "EXISTS (SELECT 1 FROM {} WHERE {} = {}.{})".format(
        Assessment._meta.db_table,
        Assessment._meta.get_field("criteria_set").column,
        CriteriaSet._meta.db_table,
        CriteriaSet._meta.pk.column,
    ),
    (),
    output_field=BooleanField(),
)


@compiled
def _district_sets(province_pk):
    # Compiled once per province (the dashboard shows them on every view); the sets are read anew each time.
    return (
        CriteriaSet.objects.filter(province=province_pk, scored_units=ScoredUnits.DISTRICT)
        .annotate(assessed=_HAS_ASSESSMENT)
        .order_by("-year")
    )


def latest_results(province, *, published_only):
    """``(criteria set, {unit id: ResultRow})`` of the province's latest district-level set with a score;
    ``(None, {})`` when there is none. With ``published_only``, only sets whose results are published count.

    The province's district-level sets are read at once, latest first (one a year), each with whether it has an
    assessment: they give the latest set and the one before it (``previous_set``), which ``results`` then does
    not look up.
    """
    sets = _district_sets(province.pk).read()
    shown = (s for s in sets if s.assessed and (s.published_on is not None or not published_only))
    latest = next(shown, None)
    if latest is None:
        return None, {}
    earlier = next((s for s in sets if s.year < latest.year), None)
    return latest, {row.unit.pk: row for row in results(latest, earlier=earlier) if row.total is not None}


# --- Decision 766 -----------------------------------------------------------------------------------------------


@dataclass
class GroupTrend:
    """One group's results of a unit, oldest period first, with the change of the share between the last two."""

    group: object
    scores: list

    @property
    def latest(self):
        return self.scores[-1] if self.scores else None

    @property
    def change(self):
        """Change of the share of the maximum (percentage points) from the previous period to the latest."""
        if len(self.scores) < 2:
            return None
        before, after = self.scores[-2].share, self.scores[-1].share
        if before is None or after is None:
            return None
        return after - before


def _trends(scores):
    scores = sorted(scores, key=lambda score: (score.group.position, score.group.code, Period.parse(score.period).end))
    trends = {}
    for score in scores:
        trends.setdefault(score.group.pk, GroupTrend(score.group, [])).scores.append(score)
    return list(trends.values())


def group_trends(unit):
    """The unit's Decision-766 results, one ``GroupTrend`` per group it has results in (one query)."""
    return _trends(GroupScore.objects.filter(unit=unit).select_related("group"))


@compiled
def _province_group_scores(province_pk):
    # Compiled once per province: three joins for the units under the province and two for the objects shown
    # cost more to build and compile on every view of the dashboard than the database takes to answer.
    return GroupScore.objects.filter(in_provinces_q([province_pk], "unit")).select_related("group", "unit")


def province_group_trends(province):
    """``[(unit, [GroupTrend])]`` for the units of a province with Decision-766 results, by code (one query)."""
    by_unit = {}
    for score in _province_group_scores(province.pk).read():
        by_unit.setdefault(score.unit, []).append(score)
    return [
        (unit, _trends(unit_scores)) for unit, unit_scores in sorted(by_unit.items(), key=lambda item: item[0].code)
    ]
