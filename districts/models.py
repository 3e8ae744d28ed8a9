"""Administrative units, and each unit's annual reform plan with its tasks."""

import re
from datetime import date

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeBoundary, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, Func, Q
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cchc.lib.model_rules import check_closing_date, closing_date_constraint
from cchc.lib.periods import Period
from cchc.lib.urls import reversed_url
from cchc.lib.versioning import VersionedModel

from .access import VisibleQuerySet


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
# Real province codes run from 01 to 96 (Decision 124/2004/QĐ-TTg); a province coded above is simulated data
# (the demo's 98, docs/domain.md §Demo data), and so is every unit under it.
LAST_REAL_PROVINCE_CODE = 96
# Which levels a unit of each level may sit under: communes report to the province directly since 2025.
PARENT_LEVELS = {Level.PROVINCE: (), Level.DISTRICT: (Level.PROVINCE,), Level.COMMUNE: (Level.DISTRICT, Level.PROVINCE)}


# --- Validity intervals ----------------------------------------------------------------------------------------
# An interval is (first day, last day), both included; ``None`` at either end is open ("since before records",
# "still exists"). The same rules serve the model's clean(), the unit import (on the file's rows in memory) and
# the resolver of codes.


def overlaps(first, second):
    """Whether two intervals share at least one day."""
    (a_from, a_until), (b_from, b_until) = first, second
    return (a_until is None or b_from is None or b_from <= a_until) and (
        b_until is None or a_from is None or a_from <= b_until
    )


def contains(outer, inner):
    """Whether every day of ``inner`` lies in ``outer``."""
    (o_from, o_until), (i_from, i_until) = outer, inner
    starts_inside = o_from is None or (i_from is not None and i_from >= o_from)
    ends_inside = o_until is None or (i_until is not None and i_until <= o_until)
    return starts_inside and ends_inside


def holds_on(interval, day):
    return contains(interval, (day, day))


DAY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$|^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_day(text):
    """A day as users type it (dd/mm/yyyy, d/m/yyyy, with / . or -) or as URLs give it (yyyy-mm-dd); ``None``
    for anything else, an impossible date included."""
    match = DAY.match((text or "").strip())
    if match is None:
        return None
    day, month, year = match.groups()[:3] if match.group(1) else reversed(match.groups()[3:])
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def holder_value(unit):
    """The unit's code with a day it alone held it (``82@2025-06-30``): how a list offering several holders of one
    code tells them apart in a URL or a form. A code with a single holder in the list is given alone."""
    day = unit.valid_until or unit.valid_from
    return f"{unit.code}@{day.isoformat()}" if day else unit.code


def split_holder_value(value):
    """``(code, day)`` of a value written by ``holder_value``; ``day`` is ``None`` for a plain code."""
    code, _sep, day = str(value).strip().partition("@")
    return code.strip(), parse_day(day) if day else None


def interval_label(valid_from, valid_until):
    """An interval as users read it: "01/07/2025 – 31/12/2026", "từ 01/07/2025", "đến 30/06/2025"."""
    shown = [day.strftime("%d/%m/%Y") if day else None for day in (valid_from, valid_until)]
    if shown[0] and shown[1]:
        return f"{shown[0]} – {shown[1]}"
    if shown[0]:
        return gettext("from %(date)s") % {"date": shown[0]}
    if shown[1]:
        return gettext("until %(date)s") % {"date": shown[1]}
    return ""


def pick_holder(units, *, on=None, period=None):
    """Of ``units`` (units sharing one code), the one that held the code on the day ``on``, or during ``period``
    (the last of them to hold it when it changed hands within the period); with neither, the one holding it
    today, or else the last one that ever held it (a retired code such as Đồng Tháp's 87). ``None``: nobody.

    The one rule by which a code from outside — a file, a URL, a query parameter — names a unit.
    """
    units = list(units)
    if period is not None:
        held = [unit for unit in units if overlaps(unit.interval, (period.start, period.end))]
    else:
        held = [unit for unit in units if holds_on(unit.interval, on or timezone.localdate())]
        if not held and on is None:
            held = units
    # The latest interval first: an open end is later than any day.
    return max(held, key=lambda unit: (unit.valid_from is not None, unit.valid_from or 0), default=None)


class DateRange(Func):
    """PostgreSQL's ``daterange(first, last, '[]')``: a NULL end is an open end."""

    function = "DATERANGE"
    output_field = DateRangeField()


class PostgresOnlyExclusionConstraint(ExclusionConstraint):
    """An exclusion constraint on PostgreSQL; other databases have none, and the model's ``clean()`` checks the
    same rule there (and everywhere, so that the user reads which unit holds the code, and when).

    Creating and dropping it do nothing elsewhere, so that one migration serves both databases.
    """

    def constraint_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().constraint_sql(model, schema_editor)

    def create_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().create_sql(model, schema_editor)

    def remove_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().remove_sql(model, schema_editor)

    def validate(self, model, instance, exclude=None, using=None):
        # Unit.clean() checks the rule with a message that names the other holder of the code.
        return


def unit_field(*, related_name, verbose_name=None, **options):
    """A foreign key to a unit (its verbose name "unit" unless given), for every model that names one: a unit is
    never deleted from under the rows about it (PROTECT); it is closed (``valid_until``) and keeps them, its
    reports, plans and history as they were."""
    return models.ForeignKey(
        "districts.Unit",
        verbose_name=verbose_name or _("unit"),
        on_delete=models.PROTECT,
        related_name=related_name,
        **options,
    )


class UnitQuerySet(VisibleQuerySet):
    # A unit "belongs" to itself: visible_to keeps the user's units and those under them.
    unit_path = ""

    def holding(self, code, *, on=None, period=None):
        """The unit that held ``code`` on a day or during a period (``pick_holder``'s rule), or ``None``."""
        return pick_holder(self.filter(code=code), on=on, period=period)

    def holders(self, codes):
        """Every unit of these codes, by code: ``{code: [units]}``, in a few queries (imports)."""
        found, codes = {}, sorted(set(codes))
        for start in range(0, len(codes), 500):  # under SQLite's limit of bound parameters
            for unit in self.filter(code__in=codes[start : start + 500]):
                found.setdefault(unit.code, []).append(unit)
        return found

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
    over from it. A code is reused after the reform (the new Đồng Tháp took Tiền Giang's 82): a unit is a code
    during an interval, two units share a code only when their intervals do not overlap, and a code from
    outside is resolved with a date or a period (``Unit.objects.holding``). Figures stay attached to the unit
    that reported them.
    """

    code = models.CharField(
        _("code"),
        max_length=5,
        validators=[RegexValidator(r"^[0-9]+$", _("The code is made of digits only."))],
        help_text=_("Official code: 2 digits for a province, 3 for a district, 5 for a commune."),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, editable=False)
    parent = unit_field(verbose_name=_("parent unit"), null=True, blank=True, related_name="children")
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
            PostgresOnlyExclusionConstraint(
                name="unit_code_intervals_disjoint",
                expressions=[
                    ("code", RangeOperators.EQUAL),
                    (DateRange("valid_from", "valid_until", RangeBoundary()), RangeOperators.OVERLAPS),
                ],
                violation_error_message=_("Two units share a code only when their validity intervals do not overlap."),
            ),
        ]
        indexes = [
            models.Index(fields=["level", "valid_from", "valid_until"]),
            # The resolver's lookup, now that the code is no longer unique (and so no longer indexed).
            models.Index(fields=["code", "valid_from"], name="unit_code_from_idx"),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"

    def save(self, *args, **kwargs):
        self.level = LEVEL_OF_KIND[self.kind]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The unit's page. A unit no longer holding its code is named by its last day, which it alone held it on."""
        url = reversed_url("districts:detail", self.code)
        if self.valid_until is not None:
            url += f"?on={self.valid_until.isoformat()}"
        return url

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
        # The parent object, saved or not (the import checks a whole file before saving it).
        parent = self.parent
        if parent is None and level != Level.PROVINCE:
            errors["parent"] = _("A district-level or commune-level unit must have a parent unit.")
        elif parent is not None:
            if level == Level.PROVINCE:
                errors["parent"] = _("A province has no parent unit.")
            elif parent.level not in PARENT_LEVELS[level]:
                errors["parent"] = _("A %(level)s unit cannot sit under a %(parent)s unit.") % {
                    "level": Level(level).label,
                    "parent": Level(parent.level).label,
                }
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            # The check constraint's rule, said at the field (the rules below need a valid interval).
            errors["valid_until"] = _("“Valid until” cannot be before “valid from”.")
            raise ValidationError(errors)
        if self.code and "code" not in errors:
            clash = self.code_clash()
            if clash is not None:
                errors["code"] = code_taken_message(self.code, clash)
        if parent is not None and "parent" not in errors and not contains(parent.interval, self.interval):
            errors.setdefault(*outside_parent_error(parent, self.interval))
        if self.pk is not None:
            for field, message in self.closing_errors():
                errors.setdefault(field, message)
        if errors:
            raise ValidationError(errors)

    def code_clash(self):
        """Another unit holding this unit's code on a day of its interval, or ``None``.

        The other holders are read from the database, unless the caller has put them in ``other_holders_known``: the
        import knows them for a whole file, as they will be once the file is saved.
        """
        others = getattr(self, "other_holders_known", None)
        if others is None:
            others = Unit.objects.filter(code=self.code).exclude(pk=self.pk).order_by()
        return next(
            (unit for unit in others if unit is not self and overlaps(unit.interval, self.interval)),
            None,
        )

    def closing_errors(self):
        """What still exists under the unit, or was reported by it, outside its interval: ``(field, message)``.

        A unit is closed (or its start moved) only once its children are, and never away from its own reports
        or plans: the history stays under the unit as it was.
        """
        problems = []
        children = [child for child in self.children.all() if not contains(self.interval, child.interval)]
        if children:
            field = "valid_until" if self.valid_until else "valid_from"
            problems.append(
                (
                    field,
                    gettext("%(count)s units under it exist outside these dates (%(names)s): close or move them first.")
                    % {"count": len(children), "names": ", ".join(str(child) for child in children[:3])},
                )
            )
        outside = Q()
        if self.valid_until:
            last = self.valid_until
            outside |= Q(year__gt=last.year) | Q(year=last.year, quarter__gt=(last.month - 1) // 3 + 1)
        if self.valid_from:
            first = self.valid_from
            outside |= Q(year__lt=first.year) | Q(year=first.year, quarter__lt=(first.month - 1) // 3 + 1)
        if outside:
            report = self.reports.filter(outside).order_by("year", "quarter").first()
            if report is not None:
                problems.append(
                    (
                        "valid_until" if self.valid_until and report.period.start > self.valid_until else "valid_from",
                        gettext("It has a report for %(period)s, outside these dates: the history stays as it was.")
                        % {"period": report.period.label},
                    )
                )
        return problems

    @property
    def interval(self):
        return (self.valid_from, self.valid_until)

    @property
    def interval_label(self):
        return interval_label(self.valid_from, self.valid_until)

    @property
    def is_closed(self):
        return self.valid_until is not None and self.valid_until < timezone.localdate()

    def other_holders(self):
        """The other units that held or hold this unit's code, earliest first."""
        return sorted(
            Unit.objects.filter(code=self.code).exclude(pk=self.pk),
            key=lambda unit: (unit.valid_from is not None, unit.valid_from or 0),
        )

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

    @property
    def is_simulated(self):
        """Whether the unit belongs to a simulated province (coded above the real ones): its pages say so, as a
        district or commune name ("Huyện Mô Phỏng 3") does not."""
        code = self.province.code
        return code.isdigit() and int(code) > LAST_REAL_PROVINCE_CODE


def code_taken_message(code, holder):
    return gettext(
        "The code %(code)s belongs to %(unit)s (%(interval)s): two units share a code only when their validity "
        "intervals do not overlap."
    ) % {"code": code, "unit": holder.name, "interval": holder.interval_label or gettext("with no end")}


def outside_parent_error(parent, interval):
    """The field and message for a unit whose interval (``interval``) does not lie within its parent's."""
    (parent_from, parent_until), (first, _last) = parent.interval, interval
    starts_outside = (parent_from and (first is None or first < parent_from)) or (
        parent_until and first and first > parent_until
    )
    field = "valid_from" if starts_outside else "valid_until"
    return field, gettext("%(parent)s existed only %(interval)s: a unit under it cannot exist outside those dates.") % {
        "parent": parent.name,
        "interval": parent.interval_label,
    }


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


def done_by(as_of, prefix=""):
    """A plan task done by ``as_of``: marked done, with its completion date on or before that day. The one
    definition of a task counted as done: the plan completion indicator (docs/domain.md, §Indicators; cchc.selectors
    compiles its SQL from this ``Q``), the admin's list of plans and the unit's brief read it."""
    return Q(**{f"{prefix}status": "done", f"{prefix}completed_on__lte": as_of})


class ReformPlanQuerySet(VisibleQuerySet):
    def with_completion(self, as_of):
        """Each plan with ``tasks_total`` and ``tasks_done`` (done by ``as_of``: ``done_by``)."""
        return self.annotate(
            tasks_total=Count("tasks"),
            tasks_done=Count("tasks", filter=done_by(as_of, prefix="tasks__")),
        )


class ReformPlan(VersionedModel):
    """A unit's administrative reform plan for one year (kế hoạch CCHC năm)."""

    unit = unit_field(related_name="reform_plans")
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


class ReformTaskQuerySet(VisibleQuerySet):
    unit_path = "plan__unit"


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

    objects = ReformTaskQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reform task")
        verbose_name_plural = _("reform tasks")
        ordering = ["plan", "id"]
        indexes = [
            # Plan completion counts each plan's tasks and those done by the period's end (cchc/selectors.py):
            # with these three columns in one index PostgreSQL reads them from the index alone (a vacuumed
            # table's index-only scan) instead of visiting each task's row, title and all. On the country read
            # of EXPLAIN ANALYZE (705 plans, 14,100 tasks): the tasks' part from 15 ms to 10 ms.
            models.Index(fields=["plan", "status", "completed_on"], name="task_plan_status_completed"),
        ]
        constraints = [
            closing_date_constraint(
                "completed_on",
                ["done"],
                name="reform_task_completed_on_iff_done",
                message=_("A done task needs its completion date, and only a done task has one."),
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        check_closing_date(
            self,
            "completed_on",
            [self.Status.DONE],
            missing=_("A done task needs its completion date."),
            unexpected=_("Only a done task has a completion date."),
        )
