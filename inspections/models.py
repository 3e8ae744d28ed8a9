"""Reform inspections: sessions, the units inspected in them, their findings, and the recommendations."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from districts.models import ReformArea, Unit


class InspectionSession(models.Model):
    """An inspection round (đợt kiểm tra CCHC) by an inspecting unit, over one or more units.

    The provincial team inspects districts; a district records its own internal inspections of its
    departments and communes the same way, as the inspecting unit.
    """

    class Format(models.TextChoices):
        ONLINE = "online", _("online")
        ON_SITE = "on_site", _("on site")

    title = models.CharField(_("title"), max_length=255)
    inspecting_unit = models.ForeignKey(
        Unit, verbose_name=_("inspecting unit"), on_delete=models.PROTECT, related_name="inspections_made"
    )
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, default=Format.ON_SITE)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    note = models.TextField(_("note"), blank=True)
    units = models.ManyToManyField(
        Unit, through="InspectedUnit", verbose_name=_("units inspected"), related_name="inspections"
    )

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


class TeamMember(models.Model):
    """A member of the inspection team of a session, by name and title."""

    session = models.ForeignKey(
        InspectionSession, verbose_name=_("inspection session"), on_delete=models.CASCADE, related_name="team"
    )
    full_name = models.CharField(_("full name"), max_length=100)
    title = models.CharField(_("title"), max_length=200, blank=True)
    is_lead = models.BooleanField(_("team lead"), default=False)

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
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    inspected_on = models.DateField(_("date"), null=True, blank=True)
    chaired_by = models.CharField(_("chaired by"), max_length=200, blank=True)
    attended_by = models.CharField(_("attended for the unit by"), max_length=500, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("inspected unit")
        verbose_name_plural = _("inspected units")
        ordering = ["session", "inspected_on", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "unit"],
                name="inspected_unit_once_per_session",
                violation_error_message=_("This unit is already in the session."),
            )
        ]

    def __str__(self):
        return f"{self.session} – {self.unit.name}"

    def clean(self):
        session = self.session if self.session_id else None
        if session and self.inspected_on and not (session.starts_on <= self.inspected_on <= session.ends_on):
            raise ValidationError({"inspected_on": _("The date must fall within the session's dates.")})


class Recommendation(models.Model):
    """What an inspection asks a unit to fix (kiến nghị), followed to closure.

    Whether it is overdue follows from its deadline and status; it is never stored.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        VERIFIED = "verified", _("verified by the team")

    CLOSED_STATUSES = (Status.DONE, Status.VERIFIED)

    session = models.ForeignKey(
        InspectionSession,
        verbose_name=_("inspection session"),
        on_delete=models.CASCADE,
        related_name="recommendations",
        null=True,
        blank=True,
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="recommendations"
    )
    text = models.TextField(_("recommendation"))
    area = models.CharField(_("area of reform"), max_length=30, choices=ReformArea.choices, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    response = models.TextField(_("unit's response"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["done", "verified"], closed_on__isnull=False)
                | (~Q(status__in=["done", "verified"]) & Q(closed_on__isnull=True)),
                name="recommendation_closed_on_iff_closed",
                violation_error_message=_("A done or verified recommendation needs its closing date, and only it."),
            )
        ]

    def __str__(self):
        return self.text[:80]

    def clean(self):
        closed = self.status in self.CLOSED_STATUSES
        if closed and self.closed_on is None:
            raise ValidationError({"closed_on": _("A done or verified recommendation needs its closing date.")})
        if not closed and self.closed_on is not None:
            raise ValidationError({"closed_on": _("Only a done or verified recommendation has a closing date.")})

    def is_overdue(self, today):
        return self.deadline is not None and self.status not in self.CLOSED_STATUSES and today > self.deadline
