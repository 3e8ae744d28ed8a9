"""Reform inspections: sessions, the units inspected in them, their findings, and the recommendations."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cchc.lib.choices import ColouredChoices
from cchc.lib.model_rules import (
    check_closing_date,
    closing_date_constraint,
    evidence_file_field,
    evidence_file_name_field,
    evidence_name,
)
from cchc.lib.versioning import VersionedModel
from districts.access import VisibleQuerySet, own_units_q, sees_every_province
from districts.models import ReformArea, Unit, unit_field


class InspectionQuerySet(VisibleQuerySet):
    """Rows of an inspection, seen by the inspected side and by the inspecting side.

    Provincial staff, the inspection team and administrators see every row. A district officer sees the rows of
    their unit and of the communes under it (never of a former unit: the history kept for a moved account is
    that of reports and plans), and every row of the sessions their own unit held. Anyone else sees nothing.
    """

    history = False
    # From the model to the unit that held the session.
    inspecting_path = "session__inspecting_unit"

    def visible_to(self, user):
        if sees_every_province(user):
            return self
        if user.unit_id is None:
            return self.none()
        return self.filter(self.seen_by_unit_q(user))

    def seen_by_unit_q(self, user):
        """The rows a user attached to a unit sees: those of their units, and those of the sessions it held."""
        return own_units_q(user, self.unit_path) | Q(**{self.inspecting_path: user.unit_id})


class InspectionSessionQuerySet(InspectionQuerySet):
    """Sessions that inspected one of the user's units, or that the user's unit held."""

    # The admin keeps the sessions a unit held (kept_by).
    unit_path = "inspecting_unit"

    def seen_by_unit_q(self, user):
        inspected = InspectedUnit.objects.filter(own_units_q(user, "unit")).values("session")
        return Q(inspecting_unit=user.unit_id) | Q(pk__in=inspected)


class TeamMemberQuerySet(InspectionQuerySet):
    """A session's team is seen with the session."""

    unit_path = "session__inspecting_unit"

    def visible_to(self, user):
        return self.filter(session__in=InspectionSession.objects.visible_to(user))


class InspectionSession(VersionedModel):
    """An inspection round (đợt kiểm tra CCHC) by an inspecting unit, over one or more units.

    The provincial team inspects districts; a district records its own internal inspections of its
    departments and communes the same way, as the inspecting unit.
    """

    class Format(models.TextChoices):
        ONLINE = "online", _("online")
        ON_SITE = "on_site", _("on site")

    title = models.CharField(_("title"), max_length=255)
    inspecting_unit = unit_field(verbose_name=_("inspecting unit"), related_name="inspections_made")
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, default=Format.ON_SITE)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    note = models.TextField(_("note"), blank=True)
    units = models.ManyToManyField(
        Unit, through="InspectedUnit", verbose_name=_("units inspected"), related_name="inspections"
    )

    objects = InspectionSessionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection session")
        verbose_name_plural = _("inspection sessions")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="inspection_session_dates_in_order",
                violation_error_message=_("The session cannot end before it starts."),
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The session cannot end before it starts.")})
        inspecting = self.inspecting_unit if self.inspecting_unit_id else None
        if inspecting is not None and self.starts_on and not inspecting.exists_between(self.starts_on, self.starts_on):
            raise ValidationError(
                {"inspecting_unit": _("The inspecting unit did not exist at the time of the session.")}
            )


class TeamMember(models.Model):
    """A member of the inspection team of a session, by name and title."""

    session = models.ForeignKey(
        InspectionSession, verbose_name=_("inspection session"), on_delete=models.CASCADE, related_name="team"
    )
    full_name = models.CharField(_("full name"), max_length=100)
    title = models.CharField(_("title"), max_length=200, blank=True)
    is_lead = models.BooleanField(_("team lead"), default=False)

    objects = TeamMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["session", "-is_lead", "id"]

    def __str__(self):
        return self.full_name


class InspectedUnit(models.Model):
    """One unit in a session: when it was inspected, who took part, and what the team found."""

    session = models.ForeignKey(
        InspectionSession,
        verbose_name=_("inspection session"),
        on_delete=models.CASCADE,
        related_name="inspected_units",
    )
    unit = unit_field(related_name="+")
    # A district inspects its own departments (phòng, ban) as well as its communes; departments are no
    # administrative units, so such a row names the district as its unit and the department here.
    department = models.CharField(
        _("department"),
        max_length=200,
        blank=True,
        help_text=_("For an internal inspection of one of the unit's departments, its name; blank for the whole unit."),
    )
    inspected_on = models.DateField(_("date"), null=True, blank=True)
    chaired_by = models.CharField(_("chaired by"), max_length=200, blank=True)
    attended_by = models.CharField(_("attended for the unit by"), max_length=500, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)

    objects = InspectionQuerySet.as_manager()
    # Who wrote which findings, and when: they are the team's record of the inspection.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspected unit")
        verbose_name_plural = _("inspected units")
        ordering = ["session", "inspected_on", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "unit", "department"],
                name="inspected_unit_once_per_session",
                violation_error_message=_("This unit is already in the session."),
            )
        ]

    def __str__(self):
        return f"{self.session} – {self.inspected_name}"

    @property
    def inspected_name(self):
        """The unit's name, or its department's: "Huyện Thanh Bình – Phòng Tư pháp"."""
        return f"{self.unit.name} – {self.department}" if self.department else self.unit.name

    def clean(self):
        # An inline form gives the row its session before the session is saved: read it, not its id.
        try:
            session = self.session
        except InspectionSession.DoesNotExist:
            session = None
        if session is None or session.starts_on is None or session.ends_on is None:
            return
        errors = {}
        if self.inspected_on and not (session.starts_on <= self.inspected_on <= session.ends_on):
            errors["inspected_on"] = _("The date must fall within the session's dates.")
        unit = self.unit if self.unit_id else None
        inspecting = session.inspecting_unit if session.inspecting_unit_id else None
        if unit is not None and inspecting is not None:
            if not unit.exists_between(session.starts_on, session.ends_on):
                errors["unit"] = _("This unit did not exist at the time of the session.")
            elif not is_within(unit, inspecting):
                errors["unit"] = _("A session inspects the inspecting unit itself or units under it.")
        if errors:
            raise ValidationError(errors)


def is_within(unit, ancestor):
    """Whether ``unit`` is ``ancestor`` or lies under it (units nest two levels deep at most)."""
    while unit is not None:
        if unit.pk == ancestor.pk:
            return True
        unit = unit.parent if unit.parent_id else None
    return False


def evidence_path(recommendation, filename):
    """A recommendation's evidence goes under recommendations/ (the migrations name this function: it stays here)."""
    return evidence_name("recommendations", filename)


class RecommendationQuerySet(InspectionQuerySet):
    """The follow-up states of recommendations, defined once for the list, the dashboard and the district page."""

    def still_open(self):
        return self.filter(open_q())

    def overdue(self, today):
        """Not closed, and past the deadline on ``today`` (the local date, Asia/Ho_Chi_Minh)."""
        return self.filter(overdue_q(today))

    def due(self, today):
        """Those whose outcome against their deadline is known: closed, or still open past the deadline.

        A recommendation without a deadline can be neither on time nor late; one still open before its
        deadline may yet be either.
        """
        return self.filter(due_q(today))

    def closed_on_time(self):
        """Closed (done or verified) on or before the deadline."""
        return self.filter(closed_on_time_q())

    def with_overdue(self, today):
        """Each row with ``overdue`` (a boolean), for sorting and showing."""
        return self.annotate(
            overdue=Case(
                When(overdue_q(today), then=Value(True)), default=Value(False), output_field=models.BooleanField()
            )
        )


class Recommendation(VersionedModel):
    """What an inspection asks a unit to fix (kiến nghị), followed to closure.

    Whether it is overdue follows from its deadline and status; it is never stored.
    """

    class Status(ColouredChoices, models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        VERIFIED = "verified", _("verified by the team")

        __colours__ = {"open": "secondary", "in_progress": "primary", "done": "info", "verified": "success"}

    CLOSED_STATUSES = (Status.DONE, Status.VERIFIED)

    session = models.ForeignKey(
        InspectionSession,
        verbose_name=_("inspection session"),
        on_delete=models.CASCADE,
        related_name="recommendations",
        null=True,
        blank=True,
    )
    unit = unit_field(verbose_name=_("owner unit"), related_name="recommendations")
    text = models.TextField(_("recommendation"))
    area = models.CharField(_("area of reform"), max_length=30, choices=ReformArea.choices, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    response = models.TextField(_("unit's response"), blank=True)
    evidence = models.TextField(
        _("evidence"),
        blank=True,
        help_text=_("What shows the work is done: documents issued, their numbers and dates."),
    )
    evidence_file = evidence_file_field(upload_to=evidence_path)
    evidence_file_name = evidence_file_name_field()
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = RecommendationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["deadline", "id"]
        constraints = [
            closing_date_constraint(
                "closed_on",
                ["done", "verified"],
                name="recommendation_closed_on_iff_closed",
                message=_("A done or verified recommendation needs its closing date, and only it."),
            )
        ]

    def __str__(self):
        return self.text[:80]

    def clean(self):
        check_closing_date(
            self,
            "closed_on",
            self.CLOSED_STATUSES,
            missing=_("A done or verified recommendation needs its closing date."),
            unexpected=_("Only a done or verified recommendation has a closing date."),
        )
        session = self.session if self.session_id else None
        if session is not None:
            errors = {}
            if self.deadline and self.deadline < session.starts_on:
                errors["deadline"] = _("The deadline cannot be before the inspection.")
            if self.closed_on and self.closed_on < session.starts_on:
                errors["closed_on"] = _("A recommendation cannot be closed before the inspection that made it.")
            if errors:
                raise ValidationError(errors)

    @property
    def is_closed(self):
        return self.status in self.CLOSED_STATUSES

    def is_overdue(self, today):
        return self.deadline is not None and self.status not in self.CLOSED_STATUSES and today > self.deadline

    def days_overdue(self, today):
        """Days past the deadline on ``today``; ``None`` when not overdue."""
        return (today - self.deadline).days if self.is_overdue(today) else None

    @property
    def closed_on_time(self):
        return self.is_closed and self.deadline is not None and self.closed_on <= self.deadline

    @property
    def inspecting_unit(self):
        """Who follows the recommendation up: the session's inspecting unit, else the owner's province."""
        if self.session_id:
            return self.session.inspecting_unit
        return self.unit.province


def open_q():
    """Not yet closed (neither done nor verified)."""
    return ~Q(status__in=Recommendation.CLOSED_STATUSES)


def overdue_q(today):
    return ~Q(status__in=Recommendation.CLOSED_STATUSES) & Q(deadline__lt=today)


def due_q(today):
    return Q(deadline__isnull=False) & (Q(status__in=Recommendation.CLOSED_STATUSES) | Q(deadline__lt=today))


def closed_on_time_q():
    return Q(status__in=Recommendation.CLOSED_STATUSES, deadline__isnull=False, closed_on__lte=F("deadline"))
