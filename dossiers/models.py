"""The quarterly report of a unit: dossier figures per level, procedure and activity figures, and status."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cchc.lib.choices import ColouredChoices, status_choice_property
from cchc.lib.model_rules import Step
from cchc.lib.periods import YEAR_VALIDATORS, Period, is_known_year
from cchc.lib.versioning import VersionedModel
from districts.access import VisibleQuerySet
from districts.models import Level, unit_field

from . import rules
from .figures import DOSSIER_FIGURES, REPORT_FIGURES, figure_field


class ReportLevel(models.TextChoices):
    """Which level handled the dossiers of a row of figures."""

    PROVINCE = Level.PROVINCE.value, Level.PROVINCE.label
    DISTRICT = Level.DISTRICT.value, Level.DISTRICT.label
    COMMUNE = Level.COMMUNE.value, Level.COMMUNE.label
    # For a source that gives only the unit's total (many published reports do): the figures are kept as
    # given instead of being split between levels by guesswork.
    ALL = "all", _("all levels, not split")


# The rows a unit's report may hold, by the unit's level.
LEVELS_OF_UNIT = {
    Level.PROVINCE: (ReportLevel.PROVINCE, ReportLevel.ALL),
    Level.DISTRICT: (ReportLevel.DISTRICT, ReportLevel.COMMUNE, ReportLevel.ALL),
    Level.COMMUNE: (ReportLevel.COMMUNE,),
}


class ReportStatus(ColouredChoices, models.TextChoices):
    """A report's status, with its label and the colour of its badge (as NetBox's ``ChoiceSet`` carries them):
    templates show it with ``partials/status_badge.html``."""

    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned")
    APPROVED = "approved", _("approved")

    __colours__ = {"draft": "secondary", "submitted": "primary", "returned": "danger", "approved": "success"}


# Reports the dashboard counts, and the ones the unit has handed in: a draft is the district's own business until
# it is submitted. The one definition: deadlines, the report pages, the selectors and the imports read it.
COUNTED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)

# The report workflow, the one table the service (dossiers.services.change_status), the report page and the
# import read: action → (statuses it may start from, status it leads to, whether a comment is required).
TRANSITIONS = {
    "submit": ((ReportStatus.DRAFT, ReportStatus.RETURNED), ReportStatus.SUBMITTED, False),
    "approve": ((ReportStatus.SUBMITTED,), ReportStatus.APPROVED, False),
    "return": ((ReportStatus.SUBMITTED,), ReportStatus.RETURNED, True),
    "reopen": ((ReportStatus.APPROVED,), ReportStatus.RETURNED, True),
}
# Reports still in the district's hands, the ones it may submit: they may keep unfinished figures that break an
# identity; submitting checks every identity (dossiers.services.change_status) and the database checks them
# again from then on.
UNFINISHED_STATUSES = TRANSITIONS["submit"][0]


class QuarterlyReportQuerySet(VisibleQuerySet):
    def in_period(self, period):
        if isinstance(period, str):
            period = Period.parse(period)
        return self.filter(period.reports_q())

    def counted(self):
        return self.filter(status__in=COUNTED_STATUSES)


class QuarterlyReport(VersionedModel):
    """One unit's report for one quarter (báo cáo quý).

    Dossier figures sit in one row per level (``LevelFigures``); the procedure and activity figures belong to
    the unit as a whole and sit here. Year-to-date figures (procedures reviewed, units inspected …) are the
    count so far this year at the end of the quarter.

    Drafts keep anything, submission checks everything: while the report is a draft or has been returned
    (``UNFINISHED_STATUSES``) its figures may break an identity of ``dossiers/rules.py`` — a half-typed report
    must not be lost — and the errors are shown beside the fields. ``clean()`` and the check constraints apply
    the identities only to reports handed in (``CHECK (status IN ('draft', 'returned') OR rule)``), and the
    submit service refuses a report that breaks one. The level rows carry the same exemption as their own
    flag (see ``LevelFigures.draft``).
    """

    unit = unit_field(related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), choices=[(q, q) for q in range(1, 5)], validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    procedures_total = figure_field("procedures_total")
    procedures_reviewed = figure_field("procedures_reviewed")
    procedures_simplified = figure_field("procedures_simplified")
    procedures_with_dossiers = figure_field("procedures_with_dossiers")
    procedures_postal = figure_field("procedures_postal")
    procedures_online = figure_field("procedures_online")
    units_planned_inspection = figure_field("units_planned_inspection")
    units_inspected = figure_field("units_inspected")
    communication_programmes = figure_field("communication_programmes")
    communication_articles = figure_field("communication_articles")
    communication_news = figure_field("communication_news")
    note = models.TextField(_("note"), blank=True, help_text=_("Where the figures come from, and anything to explain."))
    return_comment = models.TextField(_("province's comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = QuarterlyReportQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        ordering = ["-year", "-quarter", "unit__code"]
        permissions = [("approve_quarterlyreport", _("Can approve, return and re-open quarterly reports"))]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "quarter"],
                name="report_one_per_unit_and_quarter",
                violation_error_message=_("This unit already has a report for that quarter."),
            ),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="report_quarter_1_to_4"),
            *rules.constraints(rules.REPORT_RULES, "report", unless=models.Q(status__in=UNFINISHED_STATUSES)),
        ]
        indexes = [
            # The reads by period across every unit (the country's latest quarter with data, a period's reports
            # of the whole country), chosen from EXPLAIN ANALYZE on a country-sized database: the latest quarter
            # went from a sequential scan of every report (79 ms) to one index entry (0.1 ms). A unit's own
            # reports are found through the unique (unit, year, quarter) index.
            models.Index(fields=["year", "quarter", "status"], name="report_year_quarter_status"),
            # The reports waiting for review (the inbox on every landing page): a few hundred at a time, whatever
            # the years of history; without it each landing page scanned every report.
            models.Index(
                fields=["year", "quarter"],
                condition=models.Q(status=ReportStatus.SUBMITTED),
                name="report_submitted_by_quarter",
            ),
        ]

    def __str__(self):
        return f"{self.unit.name} – {self.period.label}"

    @property
    def period(self):
        return Period.quarter(self.year, self.quarter)

    def figure_values(self):
        return {figure.code: getattr(self, figure.code) for figure in REPORT_FIGURES}

    def clean(self):
        errors = {}
        # Only once year and quarter are valid: a mistyped year (20231) must be a field error, not a crash.
        if self.unit_id and is_known_year(self.year) and self.quarter in (1, 2, 3, 4):
            period = self.period
            if not self.unit.exists_between(period.start, period.end):
                errors["unit"] = _("%(unit)s did not exist in %(period)s.") % {
                    "unit": self.unit.name,
                    "period": period.label,
                }
        if not self.is_unfinished:
            for problem in self.identity_errors():
                errors.setdefault(problem.field, []).append(problem.message)
        if errors:
            raise ValidationError(errors)

    status_choice = status_choice_property(ReportStatus)

    @property
    def is_handed_in(self):
        """Whether the unit has handed the report in (submitted or approved): the dashboard counts it."""
        return self.status in COUNTED_STATUSES

    def allows(self, action):
        """Whether the workflow (``TRANSITIONS``) allows ``action`` from the report's status now."""
        return self.status in TRANSITIONS[action][0]

    @property
    def allowed_actions(self):
        """The workflow's actions allowed from the report's status now, for the report page."""
        return {action for action in TRANSITIONS if self.allows(action)}

    @property
    def is_unfinished(self):
        """Whether the report is still in the district's hands, where its figures may break an identity."""
        return self.status in UNFINISHED_STATUSES

    def draft_exempt(self):
        """Whether ``clean()`` leaves the identities alone (the report is unfinished)."""
        return self.is_unfinished

    def identity_errors(self):
        """The identities of the report's own figures (procedures, activities) that its figures break."""
        return [p for p in rules.check(rules.REPORT_RULES, self.figure_values()) if p.severity == rules.ERROR]

    def previous_report(self):
        previous = self.period.previous_quarter()
        return (
            QuarterlyReport.objects.filter(unit_id=self.unit_id, year=previous.year, quarter=previous.first_quarter)
            .prefetch_related("levels")
            .first()
        )

    def previous_pending(self):
        """The previous quarter's pending figure of each level, as its report gives them."""
        previous = self.previous_report()
        return {row.level: row.pending for row in previous.levels.all()} if previous else {}

    def warnings(self):
        """Problems that do not block a save but ask for a second look."""
        levels = {row.level: row.figure_values() for row in self.levels.all()}
        return rules.level_warnings(levels, self.previous_pending())


def overlapping_figures(rows):
    """Figures given both in the "all levels" row and in a row of one level: they would count twice.

    ``rows`` maps a level to its figures; the answer maps each doubly given figure code to its label.
    """
    combined = rows.get(ReportLevel.ALL) or {}
    split = [values for level, values in rows.items() if level != ReportLevel.ALL]
    return [
        figure
        for figure in DOSSIER_FIGURES
        if combined.get(figure.code) is not None and any(v.get(figure.code) is not None for v in split)
    ]


class ReportPartQuerySet(VisibleQuerySet):
    """Rows of a report (its level figures, its events): seen with the report."""

    unit_path = "report__unit"


class LevelFigures(models.Model):
    """The dossier figures of one level of a report (cấp tỉnh, cấp huyện, cấp xã).

    ``draft`` copies "the report is unfinished" (draft or returned) onto the row, because a check constraint
    sees only its own row and cannot read the report's status: the identities are database constraints of the
    form ``CHECK (draft OR rule)``. ``save()`` sets the flag from the report, and the status service sets it on
    every row of the report when the report is submitted (after checking every identity; the database then
    checks them again) or handed back. It defaults to False, so that a row written in bulk without going
    through either (an import, the benchmark) is held to every identity.
    """

    report = models.ForeignKey(
        QuarterlyReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="levels"
    )
    level = models.CharField(_("level"), max_length=10, choices=ReportLevel.choices)
    carried_over = figure_field("carried_over")
    received = figure_field("received")
    received_online = figure_field("received_online")
    received_online_full = figure_field("received_online_full")
    received_postal = figure_field("received_postal")
    resolved = figure_field("resolved")
    resolved_in_time = figure_field("resolved_in_time")
    resolved_early = figure_field("resolved_early")
    resolved_late = figure_field("resolved_late")
    returned = figure_field("returned")
    pending = figure_field("pending")
    pending_overdue = figure_field("pending_overdue")
    apology_letters = figure_field("apology_letters")
    draft = models.BooleanField(_("part of an unfinished report"), default=False, editable=False)

    objects = ReportPartQuerySet.as_manager()
    # The flag follows the report's status, whose changes are recorded already (ReportEvent, the report's own
    # history): in the figures' history it would only add noise.
    history = HistoricalRecords(excluded_fields=["draft"])

    class Meta:
        verbose_name = _("dossier figures of a level")
        verbose_name_plural = _("dossier figures by level")
        ordering = ["report", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "level"],
                name="level_figures_one_per_level",
                violation_error_message=_("This report already has figures for that level."),
            ),
            *rules.constraints(rules.LEVEL_RULES, "level_figures", unless=models.Q(draft=True)),
        ]

    def __str__(self):
        return f"{self.report} – {self.get_level_display()}"

    def save(self, *args, **kwargs):
        self.draft = self._report_is_unfinished()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "draft"}
        super().save(*args, **kwargs)

    def figure_values(self):
        return {figure.code: getattr(self, figure.code) for figure in DOSSIER_FIGURES}

    def clean(self):
        errors = {}
        # The report may be new and unsaved (an inline formset sets it before saving), hence no report_id test.
        report = self._state.fields_cache.get("report") or (self.report if self.report_id else None)
        if report is not None and report.unit_id and self.level:
            allowed = LEVELS_OF_UNIT[report.unit.level]
            if self.level not in allowed:
                errors["level"] = _("A report of %(unit)s has no %(level)s figures.") % {
                    "unit": report.unit.name,
                    "level": ReportLevel(self.level).label,
                }
        if not self._report_is_unfinished(report):
            for problem in self.identity_errors():
                errors.setdefault(problem.field, []).append(problem.message)
        if errors:
            raise ValidationError(errors)

    def _report_is_unfinished(self, report=None):
        if report is None:
            report = self._state.fields_cache.get("report") or (self.report if self.report_id else None)
        return report is not None and report.is_unfinished

    def draft_exempt(self):
        """Whether ``clean()`` leaves the identities alone (the row's report is unfinished)."""
        return self._report_is_unfinished()

    def identity_errors(self):
        return [p for p in rules.check(rules.LEVEL_RULES, self.figure_values()) if p.severity == rules.ERROR]


class ReportEvent(Step):
    """A change of a report's status: who did it, when, and the comment that went with it."""

    report = models.ForeignKey(
        QuarterlyReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(_("from status"), max_length=10, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=10, choices=ReportStatus.choices)
    comment = models.TextField(_("comment"), blank=True)
    # Handed in by loading a file of quarters long past (after their due date): when it was loaded says nothing
    # of when the unit reported, so such a report counts neither on time nor late.
    imported = models.BooleanField(_("imported from a file"), default=False)

    objects = ReportPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("report status change")
        verbose_name_plural = _("report status changes")
        ordering = ["report", "at", "id"]

    def __str__(self):
        return f"{self.report}: {self.get_from_status_display()} → {self.get_to_status_display()}"
