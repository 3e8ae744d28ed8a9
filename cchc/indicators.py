"""The indicators of administrative reform: the one place where a rate is defined and computed.

Each indicator is a numerator and a denominator over the figures of a unit and period (as the selectors in
``cchc.selectors`` annotate them). Over several units a rate is always the ratio of the sums of the units'
numerators and denominators, never the mean of their rates; a unit whose numerator or denominator is blank
takes no part in it. A rate whose denominator is 0 or blank has no value: it shows "—".
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, F, FloatField, IntegerField, When
from django.db.models.functions import Cast
from django.db.models.lookups import GreaterThan, IsNull
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Indicator:
    code: str
    label: object
    short_label: object
    numerator: object  # expression over the figure annotations
    denominator: object
    numerator_label: object
    denominator_label: object
    definition: object
    higher_is_better: bool = True

    @property
    def num(self):
        """Name of the numerator annotation of a selector's rows."""
        return f"{self.code}_num"

    @property
    def den(self):
        return f"{self.code}_den"

    @property
    def sort(self):
        """Name of the annotation to order and filter on: the rate as a fraction, NULL without a value."""
        return f"{self.code}_sort"

    def annotations(self):
        """Numerator, denominator and sort key, as expressions over a selector's figure annotations.

        The numerator and the denominator are kept only as a pair: a unit with either blank has neither, so
        that it takes no part in a total.
        """
        numerator = Case(When(IsNull(self.denominator, False), then=self.numerator), output_field=IntegerField())
        denominator = Case(When(IsNull(self.numerator, False), then=self.denominator), output_field=IntegerField())
        fraction = Cast(self.numerator, FloatField()) / Cast(self.denominator, FloatField())
        return {
            self.num: numerator,
            self.den: denominator,
            self.sort: Case(When(GreaterThan(self.denominator, 0), then=fraction), output_field=FloatField()),
        }

    def value(self, numerator, denominator):
        return rate(numerator, denominator)


INDICATORS = (
    Indicator(
        "on_time_rate",
        _("on-time rate"),
        pgettext_lazy("indicator", "on time"),
        F("resolved_in_time"),
        F("resolved"),
        _("resolved in time"),
        _("resolved"),
        _("Dossiers resolved early or on time, over dossiers resolved."),
    ),
    Indicator(
        "resolution_rate",
        _("resolution rate"),
        pgettext_lazy("indicator", "resolution"),
        F("resolved"),
        F("carried_over") + F("received"),
        _("resolved"),
        _("to handle"),
        _("Dossiers resolved, over dossiers to handle (carried over plus received)."),
    ),
    Indicator(
        "online_rate",
        _("online rate"),
        pgettext_lazy("indicator", "online"),
        F("received_online"),
        F("received"),
        _("received online"),
        _("received"),
        _("Dossiers received online, over dossiers received."),
    ),
    Indicator(
        "postal_rate",
        _("postal rate"),
        pgettext_lazy("indicator", "by post"),
        F("received_postal"),
        F("received"),
        _("received by post"),
        _("received"),
        _("Dossiers received by post, over dossiers received."),
    ),
    Indicator(
        "plan_completion",
        _("plan completion"),
        pgettext_lazy("indicator", "plan"),
        F("tasks_done"),
        F("tasks_total"),
        _("tasks done"),
        _("tasks in the plan"),
        _("Tasks of the year's reform plan done by the end of the period, over tasks in the plan."),
    ),
    Indicator(
        "procedures_reviewed_rate",
        _("procedures reviewed"),
        pgettext_lazy("indicator", "reviewed"),
        F("procedures_reviewed"),
        F("procedures_total"),
        _("procedures reviewed"),
        _("procedures in the catalogue"),
        _("Procedures reviewed so far this year, over procedures in the unit's catalogue."),
    ),
    Indicator(
        "procedures_simplified_rate",
        _("procedures simplified"),
        pgettext_lazy("indicator", "simplified"),
        F("procedures_simplified"),
        F("procedures_reviewed"),
        _("procedures simplified"),
        _("procedures reviewed"),
        _("Procedures simplified so far this year, over procedures reviewed."),
    ),
    Indicator(
        "inspection_coverage",
        _("internal inspection coverage"),
        pgettext_lazy("indicator", "inspected"),
        F("units_inspected"),
        F("units_planned_inspection"),
        _("units inspected"),
        _("units planned"),
        _("Units inspected so far this year, over units planned for internal inspection this year."),
    ),
)
INDICATORS_BY_CODE = {indicator.code: indicator for indicator in INDICATORS}

# The follow-up of inspection recommendations, built like the core indicators but kept out of INDICATORS: it is
# not one of DOMAIN.md's core indicators of a period's figures. Its counts are as of today whatever the period
# shown, like the open and overdue counts beside it (cchc.selectors.recommendation_annotations).
RECOMMENDATIONS_ON_TIME = Indicator(
    "recommendations_on_time",
    _("recommendations closed on time"),
    pgettext_lazy("indicator", "recommendations on time"),
    F("recommendations_closed_on_time"),
    F("recommendations_due"),
    _("closed by the deadline"),
    _("due"),
    _(
        "Recommendations closed (done or verified) on or before their deadline, over those closed or already "
        "past their deadline; recommendations without a deadline take no part."
    ),
)
FOLLOW_UP_INDICATORS = (RECOMMENDATIONS_ON_TIME,)


def rate(numerator, denominator):
    """The percentage, rounded half up to two decimals, as a ``Decimal``; ``None`` without a value.

    A rate below 100 % never rounds up to 100.00 and a rate above 0 never rounds down to 0.00, so that one
    late dossier out of 86,048 stays visible.
    """
    if numerator is None or denominator is None or denominator == 0:
        return None
    hundredths = (numerator * 20000 + denominator) // (2 * denominator)
    if hundredths >= 10000 and numerator < denominator:
        hundredths = 9999
    if hundredths == 0 and numerator > 0:
        hundredths = 1
    return Decimal(hundredths) / 100


def format_number(value):
    """A whole number in Vietnamese style (17.800); "—" when blank."""
    if value is None:
        return "—"
    return f"{value:,}".replace(",", ".")


def format_rate(value):
    """A percentage from ``rate()`` in Vietnamese style (51,43%); "—" when it has no value."""
    if value is None:
        return "—"
    return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".") + "%"
