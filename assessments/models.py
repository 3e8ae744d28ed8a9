"""The PAR index (Chỉ số CCHC) and the Decision-766 group scores.

A province's criteria set for a year is a tree of criteria (areas → criteria → sub-criteria) kept as data: the
leaves carry the points, a parent's maximum is the sum of its leaves' (``tree.tree_errors`` checks it). Each
unit self-assesses the leaves with evidence, the province appraises them, the unit may answer once per leaf,
then the scores are final; survey points are added per unit. The Decision-766 groups and their maxima are data
too, valid over a range of years, and a unit's results are kept per period.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cchc.lib.choices import ColouredChoices, status_choice_property
from cchc.lib.model_rules import Step, evidence_file_field, evidence_file_name_field, evidence_name, percent_field
from cchc.lib.numbers import format_score
from cchc.lib.periods import YEAR_VALIDATORS, Period
from cchc.lib.versioning import VersionedModel
from districts.access import VisibleQuerySet, home_province, sees_every_province
from districts.models import Level, unit_field

POINTS = {"max_digits": 6, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}
CODE_PATTERN = r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$"


def sort_key(code):
    """A key that orders codes as printed: 1.2 before 1.10, each part compared as a number when it is one."""
    return ".".join(part.zfill(4) if part.isdigit() else part.upper().rjust(4) for part in code.split("."))


def parent_code(code):
    return code.rsplit(".", 1)[0] if "." in code else None


def step_error(points, halves_allowed):
    """The message when ``points`` is not a whole number (or a half, where halves are allowed); else ``None``."""
    if points is None:
        return None
    if halves_allowed:
        if (points * 2) % 1:
            return _("Points go in steps of 0.5 for this criterion.")
    elif points % 1:
        return _("Points are whole numbers for this criterion (no halves).")
    return None


class ScoredUnits(models.TextChoices):
    """The kind of units a criteria set scores."""

    DISTRICT = "district", _("district-level units")
    COMMUNE = "commune", _("commune-level units")
    DEPARTMENT = "department", _("provincial departments")


LEVEL_OF_SCORED = {ScoredUnits.DISTRICT: Level.DISTRICT, ScoredUnits.COMMUNE: Level.COMMUNE}


class Method(models.TextChoices):
    """How a leaf is scored."""

    SELF = "self", _("self-scored and appraised")
    SURVEY = "survey", _("from a survey")
    COMPUTED = "computed", _("computed from the system's figures")


# The methods of the leaves a unit's self-assessment scores; a survey's points are entered by the province.
SCORED_BY_UNIT = (Method.SELF, Method.COMPUTED)


class Source(models.TextChoices):
    """The system's figures a computed leaf reads, each one an indicator of ``cchc/indicators.py``."""

    ON_TIME = "on_time_rate", _("on-time rate")
    ONLINE = "online_rate", _("online rate")
    PLAN = "plan_completion", _("plan completion")
    INSPECTION = "inspection_coverage", _("internal inspection coverage")
    RECOMMENDATIONS = "recommendations_on_time", _("recommendations closed on time")


class CriteriaSetQuerySet(VisibleQuerySet):
    unit_path = "province"

    def visible_to(self, user):
        """Every set for those who follow every province; else the sets of the province of the user's unit."""
        if sees_every_province(user):
            return self
        province = home_province(user)
        return self.filter(province=province) if province is not None else self.none()


class CriteriaSet(models.Model):
    """A province's criteria set (bộ tiêu chí) for one year and one kind of unit, e.g. Decision 1051/QĐ-UBND."""

    province = unit_field(
        verbose_name=_("province"), related_name="criteria_sets", limit_choices_to={"level": Level.PROVINCE}
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    scored_units = models.CharField(_("units scored"), max_length=12, choices=ScoredUnits.choices)
    title = models.CharField(_("title"), max_length=255)
    decision = models.CharField(
        _("decision"), max_length=100, blank=True, help_text=_("The province's decision issuing the set.")
    )
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    is_example = models.BooleanField(
        _("example"), default=False, help_text=_("An example set, not issued by the province.")
    )
    deadline = models.DateField(
        _("self-assessment deadline"), null=True, blank=True, help_text=_("Units submit their self-assessment by then.")
    )
    published_on = models.DateField(
        _("results published on"),
        null=True,
        blank=True,
        help_text=_("Until then a district sees its own self-assessment only."),
    )
    note = models.TextField(_("note"), blank=True)

    objects = CriteriaSetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["-year", "province__code", "scored_units"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "scored_units"],
                name="criteria_set_one_per_province_year_kind",
                violation_error_message=_("The province already has a criteria set for these units that year."),
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def clean(self):
        if self.province_id and self.province.level != Level.PROVINCE:
            raise ValidationError({"province": _("A criteria set belongs to a province.")})
        if self.pk:
            from .tree import tree_errors

            errors = tree_errors(list(self.criteria.all()))
            if errors:
                raise ValidationError([error.message for error in errors])

    @property
    def is_published(self):
        return self.published_on is not None


class Criterion(models.Model):
    """A node of a criteria set: an area, a criterion or a sub-criterion. Only leaves are scored."""

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.CASCADE, related_name="criteria"
    )
    # Set from the code ("1.2" is the parent of "1.2.3") by tree.link_parents, never chosen by hand.
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.CharField(
        _("code"),
        max_length=30,
        validators=[RegexValidator(CODE_PATTERN, _("Write the code as printed, e.g. 1.2.3."))],
    )
    sort_key = models.CharField(max_length=120, editable=False)
    text = models.TextField(_("text"))
    max_points = models.DecimalField(_("maximum points"), **POINTS)
    method = models.CharField(_("scoring method"), max_length=10, choices=Method.choices, default=Method.SELF)
    halves_allowed = models.BooleanField(_("halves allowed"), default=False)
    source = models.CharField(
        _("computed from"),
        max_length=30,
        choices=Source.choices,
        blank=True,
        help_text=_("For a computed criterion: the indicator its points come from."),
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["criteria_set", "sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "code"],
                name="criterion_code_unique_in_set",
                violation_error_message=_("This code is already used in the set."),
            )
        ]

    def __str__(self):
        return f"{self.code}. {self.text[:80]}"

    def save(self, *args, **kwargs):
        self.sort_key = sort_key(self.code)
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.method == Method.COMPUTED and not self.source:
            errors["source"] = _("Say which figures a computed criterion is computed from.")
        # The sums are the tree's business: the set's clean(), the admin's formset and the import check them
        # over every node at once (tree.tree_errors), since one node's maximum changes with its children's.
        if errors:
            raise ValidationError(errors)


class ScoreBand(models.Model):
    """A row of a computed criterion's table: a rate at or above ``min_rate`` % earns ``points``."""

    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="bands"
    )
    min_rate = percent_field(_("from (%)"))
    points = models.DecimalField(_("points"), **POINTS)

    class Meta:
        verbose_name = _("band of a computed criterion")
        verbose_name_plural = _("bands of a computed criterion")
        ordering = ["criterion", "-min_rate"]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "min_rate"],
                name="score_band_one_per_threshold",
                violation_error_message=_("This criterion already has a band from that rate."),
            )
        ]

    def __str__(self):
        return f"≥ {self.min_rate}% → {self.points}"

    def clean(self):
        if self.criterion_id and self.points is not None and self.points > self.criterion.max_points:
            raise ValidationError({"points": _("A band cannot give more than the criterion's maximum.")})


class GradeBand(models.Model):
    """A grade of the results (Tốt, Khá, Trung bình, Yếu) from a total of ``min_points`` up."""

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.CASCADE, related_name="grade_bands"
    )
    label = models.CharField(_("grade"), max_length=50)
    min_points = models.DecimalField(_("from (points)"), **POINTS)

    class Meta:
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")
        ordering = ["criteria_set", "-min_points"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "min_points"],
                name="grade_band_one_per_threshold",
                violation_error_message=_("The set already has a grade from that total."),
            )
        ]

    def __str__(self):
        return f"{self.label} (≥ {self.min_points})"


class AssessmentStatus(ColouredChoices, models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    APPRAISED = "appraised", _("appraised, awaiting the unit's answers")
    FINAL = "final", _("final")

    # One colour for every step: the page says where the assessment stands, it raises no alarm.
    __colours__ = {"draft": "secondary", "submitted": "secondary", "appraised": "secondary", "final": "secondary"}


class AssessmentQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        """``assessments.access.may_see_assessment`` as a queryset: the user's own unit's assessment, and once a set
        of their province is published, every assessment of it; everything for those who follow every province."""
        if sees_every_province(user):
            return self
        if user.unit_id is None:
            return self.none()
        published = Q(criteria_set__published_on__isnull=False, criteria_set__province=home_province(user))
        return self.filter(Q(unit=user.unit_id) | published)


class Assessment(VersionedModel):
    """A unit's PAR-index scoring for a criteria set: its self-assessment, the appraisal, the survey points.

    A source may give a unit's self-assessed total without its leaf scores (seed 002: "ước đạt 61/90 điểm");
    ``stated_self_total`` keeps that total as given, and no leaf score is made up for it.
    """

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.PROTECT, related_name="assessments"
    )
    unit = unit_field(related_name="assessments")
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    stated_self_total = models.DecimalField(
        _("self-assessed total as stated"),
        null=True,
        blank=True,
        help_text=_("Only where a source gives the total without the criteria's scores."),
        **POINTS,
    )
    survey_points = models.DecimalField(_("survey points"), null=True, blank=True, **POINTS)
    note = models.TextField(_("note"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("PAR-index assessment")
        verbose_name_plural = _("PAR-index assessments")
        ordering = ["criteria_set", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "unit"],
                name="assessment_one_per_unit_and_set",
                violation_error_message=_("This unit already has an assessment for that criteria set."),
            )
        ]

    def __str__(self):
        return f"{self.unit.name} – {self.criteria_set}"

    status_choice = status_choice_property(AssessmentStatus)

    def clean(self):
        errors = {}
        if self.criteria_set_id and self.unit_id:
            wanted = LEVEL_OF_SCORED.get(self.criteria_set.scored_units)
            if wanted is None or self.unit.level != wanted:
                errors["unit"] = _("This criteria set does not score units of this kind.")
            elif self.unit.province.pk != self.criteria_set.province_id:
                errors["unit"] = _("The unit is not in the criteria set's province.")
        if self.criteria_set_id and self.stated_self_total is not None:
            from .tree import Tree

            tree = Tree.of(self.criteria_set)
            maximum = tree.max_points - tree.max_by_method(Method.SURVEY)
            if self.stated_self_total > maximum:
                errors["stated_self_total"] = _("At most %(max)s self-assessed points in this set.") % {
                    "max": _points(maximum)
                }
        if errors:
            raise ValidationError(errors)


def evidence_path(score, filename):
    """A score's evidence goes under assessments/ (the migrations name this function: it stays here)."""
    return evidence_name("assessments", filename)


class LeafScore(models.Model):
    """One leaf of one assessment: the unit's points and evidence, the appraisal and the unit's answer."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+")
    self_points = models.DecimalField(_("self-assessed points"), null=True, blank=True, **POINTS)
    evidence_number = models.CharField(_("document number"), max_length=100, blank=True)
    evidence_date = models.DateField(_("document date"), null=True, blank=True)
    evidence_file = evidence_file_field(upload_to=evidence_path)
    evidence_file_name = evidence_file_name_field()
    explanation = models.TextField(_("explanation"), blank=True)
    # A computed leaf's proposal from the unit's figures, as it stood when the unit last saved.
    proposed_points = models.DecimalField(_("proposed points"), null=True, blank=True, **POINTS)
    proposal_basis = models.CharField(_("computed from"), max_length=200, blank=True)
    appraised_points = models.DecimalField(_("appraised points"), null=True, blank=True, **POINTS)
    appraisal_comment = models.TextField(_("appraisal comment"), blank=True)
    answer = models.TextField(_("unit's answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        ordering = ["assessment", "criterion__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="leaf_score_once_per_criterion"),
        ]

    def __str__(self):
        return f"{self.assessment} – {self.criterion.code}"

    @property
    def has_evidence(self):
        return bool(self.evidence_number.strip() or self.evidence_file or self.explanation.strip())

    def clean(self):
        errors = {}
        criterion = self.criterion
        maximum = criterion.max_points
        for field in ("self_points", "appraised_points"):
            points = getattr(self, field)
            if points is None:
                continue
            if points > maximum:
                errors[field] = _("At most %(max)s points for criterion %(code)s.") % {
                    "max": _points(maximum),
                    "code": criterion.code,
                }
            elif step_error(points, criterion.halves_allowed):
                errors[field] = step_error(points, criterion.halves_allowed)
        # A computed criterion scored as the figures propose has its evidence in the figures themselves.
        as_proposed = criterion.method == Method.COMPUTED and self.self_points == self.proposed_points
        if self.self_points is not None and not self.has_evidence and not as_proposed:
            errors["explanation"] = _("Give a document number, a file or a written explanation.")
        if (
            criterion.method == Method.COMPUTED
            and self.self_points is not None
            and self.proposed_points is not None
            and self.self_points != self.proposed_points
            and not self.explanation.strip()
        ):
            errors["explanation"] = _("Points other than the computed proposal need a written explanation.")
        if (
            self.appraised_points is not None
            and self.appraised_points != self.self_points
            and not self.appraisal_comment.strip()
        ):
            errors["appraisal_comment"] = _("Say why the appraised points differ from the unit's.")
        if errors:
            raise ValidationError(errors)


def _points(value):
    """Points as Vietnamese readers write them: 2, 1,5."""
    return format_score(value)


class Event(Step):
    """A step of an assessment: who did what, when (the history shown on its page)."""

    class Action(models.TextChoices):
        SAVED = "saved", _("self-assessment saved")
        SUBMITTED = "submitted", _("self-assessment submitted")
        APPRAISED = "appraised", _("criterion appraised")
        SENT = "sent", _("appraisal sent to the unit")
        ANSWERED = "answered", _("unit answered")
        FINALISED = "finalised", _("scores made final")
        SURVEY = "survey", _("survey points entered")
        REOPENED = "reopened", _("returned to the unit as a draft")

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("assessment step")
        verbose_name_plural = _("assessment steps")
        ordering = ["assessment", "at", "id"]

    def __str__(self):
        return f"{self.assessment}: {self.get_action_display()}"


# --- Decision 766/QĐ-TTg ---------------------------------------------------------------------------------------


class ScoreGroupManager(models.Manager):
    def get_by_natural_key(self, code, valid_from_year):
        return self.get(code=code, valid_from_year=valid_from_year)


class ScoreGroup(models.Model):
    """A group of the national indicator set (Decision 766/QĐ-TTg) with its maximum, valid over some years.

    Named in files and fixtures by its code and first year (``["online_service", 2022]``).
    """

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    max_points = models.DecimalField(_("maximum points"), **POINTS)
    valid_from_year = models.PositiveSmallIntegerField(_("from year"))
    valid_until_year = models.PositiveSmallIntegerField(_("until year"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = ScoreGroupManager()

    class Meta:
        verbose_name = _("Decision-766 group")
        verbose_name_plural = _("Decision-766 groups")
        ordering = ["position", "valid_from_year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from_year"], name="score_group_code_from_year_unique"),
            models.CheckConstraint(
                condition=Q(valid_until_year__isnull=True) | Q(valid_until_year__gte=models.F("valid_from_year")),
                name="score_group_years_in_order",
                violation_error_message=_("“Until year” cannot be before “from year”."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({_points(self.max_points)})"

    def natural_key(self):
        return (self.code, self.valid_from_year)

    def valid_in(self, year):
        return self.valid_from_year <= year and (self.valid_until_year is None or year <= self.valid_until_year)


class GroupScore(models.Model):
    """A unit's result in one Decision-766 group for one period: points, or only a percentage when the source
    gives nothing else (seed 003: "công khai, minh bạch đạt 82,7%")."""

    group = models.ForeignKey(ScoreGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="scores")
    unit = unit_field(related_name="group_scores")
    period = models.CharField(_("period"), max_length=6, help_text=_("2023, 2023H1, 2023M9, 2023Q3 …"))
    points = models.DecimalField(_("points"), null=True, blank=True, **POINTS)
    percent = percent_field(
        _("percentage"),
        null=True,
        blank=True,
        help_text=_("Only when the source gives a percentage and not the points."),
    )
    comment = models.TextField(_("source and comment"), blank=True)

    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Decision-766 result")
        verbose_name_plural = _("Decision-766 results")
        ordering = ["unit__code", "period", "group__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "unit", "period"],
                name="group_score_once_per_unit_and_period",
                violation_error_message=_("This unit already has a result in this group for the period."),
            ),
            models.CheckConstraint(
                condition=Q(points__isnull=False) | Q(percent__isnull=False),
                name="group_score_points_or_percent",
                violation_error_message=_("Give the points or the percentage."),
            ),
        ]

    def __str__(self):
        return f"{self.unit.name} {self.period} – {self.group.name}"

    @property
    def percent_only(self):
        return self.points is None

    @property
    def share(self):
        """The result as a percentage of the group's maximum (points / maximum, or the stated percentage)."""
        if self.points is not None:
            return self.points * 100 / self.group.max_points if self.group.max_points else None
        return self.percent

    def clean(self):
        errors = {}
        year = None
        try:
            year = Period.parse(self.period).year
            self.period = Period.parse(self.period).code
        except ValueError as error:
            errors["period"] = str(error)
        if self.points is None and self.percent is None:
            errors["points"] = _("Give the points or the percentage.")
        if self.group_id:
            if self.points is not None and self.points > self.group.max_points:
                errors["points"] = _("At most %(max)s points in this group.") % {"max": _points(self.group.max_points)}
            if year is not None and not self.group.valid_in(year):
                errors["group"] = _("This group was not part of the indicator set in %(year)s.") % {"year": year}
        if errors:
            raise ValidationError(errors)
