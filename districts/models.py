"""Administrative units, and each unit's annual reform plan with its tasks."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cchc.periods import Period
from cchc.versioning import VersionedModel


class Level(models.TextChoices):
    PROVINCE = "province", _("province level")
    DISTRICT = "district", _("district level")
    COMMUNE = "commune", _("commune level")


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("province")
    CENTRAL_CITY = "central_city", _("centrally-run city")
    PROVINCIAL_CITY = "provincial_city", _("provincial city")
    TOWN = "town", _("town")
    URBAN_DISTRICT = "urban_district", _("urban district")
    DISTRICT = "district", _("district")
    COMMUNE = "commune", _("commune")
    WARD = "ward", _("ward")
    TOWNSHIP = "township", _("township")
    SPECIAL_ZONE = "special_zone", _("special zone")


LEVEL_OF_KIND = {
    UnitKind.PROVINCE: Level.PROVINCE,
    UnitKind.CENTRAL_CITY: Level.PROVINCE,
    UnitKind.PROVINCIAL_CITY: Level.DISTRICT,
    UnitKind.TOWN: Level.DISTRICT,
    UnitKind.URBAN_DISTRICT: Level.DISTRICT,
    UnitKind.DISTRICT: Level.DISTRICT,
    UnitKind.COMMUNE: Level.COMMUNE,
    UnitKind.WARD: Level.COMMUNE,
    UnitKind.TOWNSHIP: Level.COMMUNE,
    # Since 1 July 2025 an island "đặc khu" is a commune-level unit.
    UnitKind.SPECIAL_ZONE: Level.COMMUNE,
}
# Official codes (Decision 124/2004/QĐ-TTg): 2 digits for a province, 3 for a district, 5 for a commune.
CODE_LENGTH = {Level.PROVINCE: 2, Level.DISTRICT: 3, Level.COMMUNE: 5}
# Which levels a unit of each level may sit under: communes report to the province directly since 2025.
PARENT_LEVELS = {Level.PROVINCE: (), Level.DISTRICT: (Level.PROVINCE,), Level.COMMUNE: (Level.DISTRICT, Level.PROVINCE)}


class UnitQuerySet(models.QuerySet):
    def active_between(self, start, end):
        """Units that existed on at least one day from ``start`` to ``end`` (both included)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=end),
            Q(valid_until__isnull=True) | Q(valid_until__gte=start),
        )

    def active_in(self, period):
        """Units that existed during the period (a ``Period`` or a period code such as ``2023H1``)."""
        if isinstance(period, str):
            period = Period.parse(period)
        return self.active_between(period.start, period.end)

    def active_on(self, day):
        return self.active_between(day, day)

    def provinces(self):
        return self.filter(level=Level.PROVINCE)


class Unit(models.Model):
    """A province, district-level or commune-level unit, as it was during its validity interval.

    A unit abolished or merged keeps its row, its code and its history; ``successors`` says which units took
    over from it. Codes are never reused, so figures stay attached to the unit that reported them.
    """

    code = models.CharField(
        _("code"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^[0-9]+$", _("The code is made of digits only."))],
        help_text=_("Official code: 2 digits for a province, 3 for a district, 5 for a commune."),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, editable=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True, help_text=_("Blank: since before records."))
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Last day the unit existed; blank: still exists.")
    )
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("successors"),
        symmetrical=False,
        blank=True,
        related_name="predecessors",
        help_text=_("Units that took over when this unit was merged or abolished."),
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        # Provinces (2 digits), then districts (3), then communes (5), each by code.
        ordering = [Length("code").asc(), "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="unit_valid_interval",
                violation_error_message=_("“Valid until” cannot be before “valid from”."),
            ),
            models.CheckConstraint(
                condition=Q(level=Level.PROVINCE, parent__isnull=True) | ~Q(level=Level.PROVINCE),
                name="unit_province_has_no_parent",
            ),
        ]
        indexes = [models.Index(fields=["level", "valid_from", "valid_until"])]

    def __str__(self):
        return f"{self.code} – {self.name}"

    def save(self, *args, **kwargs):
        self.level = LEVEL_OF_KIND[self.kind]
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        level = LEVEL_OF_KIND.get(self.kind)
        if level is None:
            return
        self.level = level
        if self.code and self.code.isascii() and self.code.isdigit() and len(self.code) != CODE_LENGTH[level]:
            errors["code"] = _("A %(level)s unit has a code of %(length)d digits.") % {
                "level": Level(level).label,
                "length": CODE_LENGTH[level],
            }
        if self.parent_id is None and level != Level.PROVINCE:
            errors["parent"] = _("A district-level or commune-level unit must have a parent unit.")
        elif self.parent_id is not None:
            if level == Level.PROVINCE:
                errors["parent"] = _("A province has no parent unit.")
            elif self.parent.level not in PARENT_LEVELS[level]:
                errors["parent"] = _("A %(level)s unit cannot sit under a %(parent)s unit.") % {
                    "level": Level(level).label,
                    "parent": Level(self.parent.level).label,
                }
        if errors:
            raise ValidationError(errors)

    def exists_between(self, start, end):
        """Whether the unit existed on at least one day from ``start`` to ``end`` (``active_between``'s rule)."""
        return (self.valid_from is None or self.valid_from <= end) and (
            self.valid_until is None or self.valid_until >= start
        )

    @property
    def province(self):
        unit = self
        while unit.parent_id is not None:
            unit = unit.parent
        return unit


class ReformArea(models.TextChoices):
    """The areas of the state administrative reform programme, shared by plan tasks and recommendations."""

    DIRECTION = "direction", _("direction and management")
    INSTITUTIONS = "institutions", _("institutional reform")
    PROCEDURES = "procedures", _("administrative procedure reform")
    APPARATUS = "apparatus", _("organisational reform")
    CIVIL_SERVICE = "civil_service", _("civil service reform")
    PUBLIC_FINANCE = "public_finance", _("public finance reform")
    DIGITAL_GOVERNMENT = "digital_government", _("e-government and digital government")
    COMMUNICATION = "communication", _("communication")


class ReformPlanQuerySet(models.QuerySet):
    def with_completion(self, as_of):
        """Each plan with ``tasks_total`` and ``tasks_done`` (done on or before ``as_of``)."""
        return self.annotate(
            tasks_total=Count("tasks"),
            tasks_done=Count("tasks", filter=Q(tasks__status=ReformTask.Status.DONE, tasks__completed_on__lte=as_of)),
        )


class ReformPlan(VersionedModel):
    """A unit's administrative reform plan for one year (kế hoạch CCHC năm)."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="reform_plans")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=255)
    reference_number = models.CharField(_("reference number"), max_length=50, blank=True)
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = ReformPlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reform plan")
        verbose_name_plural = _("reform plans")
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                name="reform_plan_one_per_unit_and_year",
                violation_error_message=_("This unit already has a reform plan for that year."),
            )
        ]

    def __str__(self):
        return f"{self.unit.name} – {self.year}"

    def completion(self, as_of):
        """``(tasks done on or before as_of, tasks in the plan)``."""
        plan = ReformPlan.objects.with_completion(as_of).get(pk=self.pk)
        return plan.tasks_done, plan.tasks_total


class ReformTask(VersionedModel):
    """A task of a reform plan (nhiệm vụ), assigned by the province or set by the unit itself."""

    class AssignedBy(models.TextChoices):
        PROVINCE = "province", _("the province")
        UNIT = "unit", _("the unit itself")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("not started")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")

    plan = models.ForeignKey(ReformPlan, verbose_name=_("reform plan"), on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("title"), max_length=500)
    area = models.CharField(_("area of reform"), max_length=30, choices=ReformArea.choices, blank=True)
    assigned_by = models.CharField(_("assigned by"), max_length=10, choices=AssignedBy.choices, default=AssignedBy.UNIT)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    completed_on = models.DateField(_("completion date"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reform task")
        verbose_name_plural = _("reform tasks")
        ordering = ["plan", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", completed_on__isnull=False)
                | (~Q(status="done") & Q(completed_on__isnull=True)),
                name="reform_task_completed_on_iff_done",
                violation_error_message=_("A done task needs its completion date, and only a done task has one."),
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.status == self.Status.DONE and self.completed_on is None:
            raise ValidationError({"completed_on": _("A done task needs its completion date.")})
        if self.status != self.Status.DONE and self.completed_on is not None:
            raise ValidationError({"completed_on": _("Only a done task has a completion date.")})
