"""The user of the system, attached to the unit whose figures they keep; targets and their colour bands."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cchc.lib.model_rules import percent_field
from cchc.lib.periods import YEAR_VALIDATORS, is_known_year
from cchc.lib.versioning import VersionedModel
from districts.access import VisibleQuerySet
from districts.models import unit_field


class User(AbstractUser):
    unit = unit_field(
        null=True,
        blank=True,
        related_name="users",
        help_text=_("The unit the user works for: a district for its officers, the province for its staff."),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    # Set when the provincial administrator moves the account from a unit that closed to its successor: the
    # user keeps reading the history of the unit they came from (districts/access.py).
    former_unit = unit_field(
        verbose_name=_("former unit"),
        null=True,
        blank=True,
        related_name="former_users",
        help_text=_("The unit the account was moved from when that unit closed; its history stays readable."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


# --- Targets and colour bands (issue 14) ---------------------------------------------------------------------

HEX_COLOUR = RegexValidator(r"^#[0-9A-Fa-f]{6}$", _("Write the colour as #RRGGBB, e.g. #004488."))


class LegendSet(models.Model):
    """A named set of colour bands (DHIS2's "legend set") saying how far from its target a rate is.

    The bands are measured in percentage points from the target, in the indicator's good direction: a rate
    above the target of a higher-is-better indicator, or below that of a lower-is-better one, is ahead of it.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("Used by every target that names no set of bands.")
    )
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("set of colour bands")
        verbose_name_plural = _("sets of colour bands")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="legend_set_one_default",
                violation_error_message=_("Only one set of colour bands can be the default."),
            )
        ]

    def __str__(self):
        return self.name


class Band(models.Model):
    """One band of a set: the rates at least ``from_points`` percentage points ahead of the target.

    A negative ``from_points`` is behind the target (−5: up to five points short); a blank one takes every
    rate no other band takes, however far behind. A rate falls in the band with the highest ``from_points``
    it reaches.
    """

    legend_set = models.ForeignKey(
        LegendSet, verbose_name=_("set of colour bands"), on_delete=models.CASCADE, related_name="bands"
    )
    label = models.CharField(_("label"), max_length=50, help_text=_("Shown beside the colour, always."))
    label_en = models.CharField(_("label in English"), max_length=50, blank=True)
    from_points = models.DecimalField(
        _("from (points from the target)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("0: at the target or better; −5: up to 5 percentage points short; blank: everything else."),
    )
    colour = models.CharField(_("colour"), max_length=7, validators=[HEX_COLOUR])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("colour band")
        verbose_name_plural = _("colour bands")
        ordering = ["legend_set", models.F("from_points").desc(nulls_last=True), "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["legend_set", "from_points"],
                name="band_one_per_edge",
                violation_error_message=_("Two bands of a set cannot start at the same point."),
            ),
            models.UniqueConstraint(
                fields=["legend_set"],
                condition=Q(from_points__isnull=True),
                name="band_one_catch_all",
                violation_error_message=_("Only one band of a set can have a blank start."),
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def text_colour(self):
        """Black or white, whichever reads better on the band's colour (WCAG relative luminance)."""
        channels = [int(self.colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
        return "#000000" if luminance > 0.179 else "#ffffff"

    @property
    def shown_label(self):
        from django.utils.translation import get_language

        if self.label_en and (get_language() or "").startswith("en"):
            return self.label_en
        return self.label


def _indicator_choices():
    from cchc.indicators import INDICATORS

    return [(indicator.code, indicator.label) for indicator in INDICATORS]


class Target(VersionedModel):
    """A target for an indicator in a year (chỉ tiêu), for a whole province or for one unit.

    A province's target holds for every unit of the province that has none of its own; a unit's own target
    overrides it. Whether the target is a floor or a ceiling follows the indicator (``higher_is_better``).
    """

    indicator = models.CharField(_("indicator"), max_length=40, choices=_indicator_choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    unit = unit_field(
        verbose_name=_("for"),
        related_name="targets",
        help_text=_(
            "A province: the target of all its units; another unit: its own target, overriding the province's."
        ),
    )
    value = percent_field(_("target (%)"))
    legend_set = models.ForeignKey(
        LegendSet,
        verbose_name=_("set of colour bands"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
        help_text=_("Blank: the default set."),
    )
    allows_stricter = models.BooleanField(
        _("units may set stricter targets"),
        default=False,
        help_text=_("For a province's target: its units' officers may set a stricter target of their own."),
    )
    comment = models.TextField(_("comment"), blank=True, help_text=_("Where the target comes from."))

    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["-year", "unit__code", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "unit"],
                name="target_one_per_indicator_year_unit",
                violation_error_message=_("This unit already has a target for this indicator and year."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0) & Q(value__lte=100),
                name="target_value_percentage",
                violation_error_message=_("A target is a percentage from 0 to 100."),
            ),
        ]
        indexes = [models.Index(fields=["year", "unit"])]

    def __str__(self):
        return f"{self.get_indicator_display()} {self.year} – {self.unit.name}: {self.value}%"

    @property
    def indicator_definition(self):
        from cchc.indicators import INDICATORS_BY_CODE

        return INDICATORS_BY_CODE[self.indicator]

    @property
    def is_province_wide(self):
        return self.unit.parent_id is None

    def clean(self):
        from datetime import date

        errors = {}
        known_year = self.unit_id is not None and is_known_year(self.year)
        if known_year and not self.unit.exists_between(date(self.year, 1, 1), date(self.year, 12, 31)):
            errors["unit"] = _("%(unit)s did not exist in %(year)s.") % {"unit": self.unit.name, "year": self.year}
        if self.allows_stricter and self.unit_id is not None and self.unit.parent_id is not None:
            errors["allows_stricter"] = _("Only a province's target can let its units set stricter ones.")
        if errors:
            raise ValidationError(errors)


class FlagDismissal(models.Model):
    """A warning flag of a unit's quarter that provincial staff looked into and set aside, with their reason.

    The flags themselves are computed from the figures each time (``cchc.flags``); only their dismissal is
    stored, keyed by what the flag is about, so that a flag raised again by changed figures stays dismissed only
    while it is the same flag.
    """

    unit = unit_field(related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    code = models.CharField(_("flag"), max_length=40)
    subject = models.CharField(
        _("about"), max_length=40, blank=True, help_text=_("The indicator, for a rate that moved.")
    )
    comment = models.TextField(_("comment"))
    dismissed_by = models.ForeignKey(
        "cchc.User", verbose_name=_("dismissed by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    dismissed_at = models.DateTimeField(_("dismissed at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dismissed warning flag")
        verbose_name_plural = _("dismissed warning flags")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "quarter", "code", "subject"], name="flag_dismissed_once")
        ]

    def __str__(self):
        return f"{self.unit_id} {self.year}Q{self.quarter} {self.code} {self.subject}".strip()
