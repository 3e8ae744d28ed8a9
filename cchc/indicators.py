"""The indicators of administrative reform: the one place where a rate is defined (rounded by ``cchc.lib.numbers``).

Each indicator is a numerator over a denominator, each the sum of one or more figures of a unit and period
(``cchc.selectors`` reads them). A rate whose denominator is 0 or blank has no value: it shows "—".

Blank is not zero, and a rate adds rows — the levels of a report, the quarters of a period, the units of a
province (docs/domain.md, §Paired sums). So a rate sums its numerator and its denominator
over the rows where *both* are present, and only those; and beside the rate the system says what it covers:
the paired denominator against the full denominator (the denominator summed wherever it is present). Where
the pair is made — its *grain* — depends on how the figures add up over time:

- ``PER_ROW``: both figures are flows (summed over quarters): they pair on each level row of each quarter's
  report. Thanh Bình's district level, 600 online of 1.500 received, pairs; its commune level, online blank of
  3.200 received, does not: online rate 600 / 1.500 = 40,00 %, covering 1.500 of 4.700 received.
- ``PER_LEVEL``: the figures follow different time rules (carried over is the first reported quarter's, received
  and resolved are summed): each figure is first taken over the period by its own rule, level by level, and
  the pair is made per (unit, level).
- ``PER_UNIT``: figures of the unit as a whole (the report's procedure and activity figures, the reform plan's
  tasks): they pair per unit, after their time rule.

Over several units (a province's total, the country's) the units' paired sums are added; never the mean of
their rates. Identities between figures (``dossiers.rules``) are not rates and are checked as before.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cchc.lib.numbers import format_number, format_rate, rate
from dossiers.rules import pending_balance

PER_ROW = "row"
PER_LEVEL = "level"
PER_UNIT = "unit"


@dataclass(frozen=True)
class Indicator:
    code: str
    label: object
    short_label: object
    numerator: tuple  # codes of the figures (or counts) whose sum is the numerator
    denominator: tuple  # codes of the figures (or counts) whose sum is the denominator
    numerator_label: object
    denominator_label: object
    definition: object
    grain: str = PER_UNIT
    # What the denominator counts, in the coverage line: "tính trên 1.500 / 4.700 hồ sơ tiếp nhận".
    coverage_label: object = ""
    higher_is_better: bool = True

    @property
    def num(self):
        """Name of the paired numerator on a selector's row."""
        return f"{self.code}_num"

    @property
    def den(self):
        """Name of the paired denominator on a selector's row."""
        return f"{self.code}_den"

    @property
    def full(self):
        """Name of the full denominator on a selector's row: the denominator wherever it is present."""
        return f"{self.code}_full"

    @property
    def sort(self):
        """Name of the value to order and filter on: the rate as a fraction, ``None`` without a value."""
        return f"{self.code}_sort"

    @property
    def figures(self):
        """Every figure the rate needs, numerator's first."""
        return self.numerator + self.denominator

    def value(self, numerator, denominator):
        return rate(numerator, denominator)


INDICATORS = (
    Indicator(
        "on_time_rate",
        _("on-time rate"),
        pgettext_lazy("indicator", "on time"),
        ("resolved_in_time",),
        ("resolved",),
        _("resolved in time"),
        _("resolved"),
        _("Dossiers resolved early or on time, over dossiers resolved."),
        grain=PER_ROW,
        coverage_label=_("dossiers resolved"),
    ),
    Indicator(
        "resolution_rate",
        _("resolution rate"),
        pgettext_lazy("indicator", "resolution"),
        ("resolved",),
        ("carried_over", "received"),
        _("resolved"),
        _("to handle"),
        _("Dossiers resolved, over dossiers to handle (carried over plus received)."),
        grain=PER_LEVEL,
        coverage_label=_("dossiers to handle"),
    ),
    Indicator(
        "online_rate",
        _("online rate"),
        pgettext_lazy("indicator", "online"),
        ("received_online",),
        ("received",),
        _("received online"),
        _("received"),
        _("Dossiers received online, over dossiers received."),
        grain=PER_ROW,
        coverage_label=_("dossiers received"),
    ),
    Indicator(
        "postal_rate",
        _("postal rate"),
        pgettext_lazy("indicator", "by post"),
        ("received_postal",),
        ("received",),
        _("received by post"),
        _("received"),
        _("Dossiers received by post, over dossiers received."),
        grain=PER_ROW,
        coverage_label=_("dossiers received"),
    ),
    Indicator(
        "plan_completion",
        _("plan completion"),
        pgettext_lazy("indicator", "plan"),
        ("tasks_done",),
        ("tasks_total",),
        _("tasks done"),
        _("tasks in the plan"),
        _("Tasks of the year's reform plan done by the end of the period, over tasks in the plan."),
        grain=PER_UNIT,
        coverage_label=_("tasks in the plan"),
    ),
    Indicator(
        "procedures_reviewed_rate",
        _("procedures reviewed"),
        pgettext_lazy("indicator", "reviewed"),
        ("procedures_reviewed",),
        ("procedures_total",),
        _("procedures reviewed"),
        _("procedures in the catalogue"),
        _("Procedures reviewed so far this year, over procedures in the unit's catalogue."),
        grain=PER_UNIT,
        coverage_label=_("procedures in the catalogue"),
    ),
    Indicator(
        "procedures_simplified_rate",
        _("procedures simplified"),
        pgettext_lazy("indicator", "simplified"),
        ("procedures_simplified",),
        ("procedures_reviewed",),
        _("procedures simplified"),
        _("procedures reviewed"),
        _("Procedures simplified so far this year, over procedures reviewed."),
        grain=PER_UNIT,
        coverage_label=_("procedures reviewed"),
    ),
    Indicator(
        "inspection_coverage",
        _("internal inspection coverage"),
        pgettext_lazy("indicator", "inspected"),
        ("units_inspected",),
        ("units_planned_inspection",),
        _("units inspected"),
        _("units planned"),
        _("Units inspected so far this year, over units planned for internal inspection this year."),
        grain=PER_UNIT,
        coverage_label=_("units planned for inspection"),
    ),
)
INDICATORS_BY_CODE = {indicator.code: indicator for indicator in INDICATORS}

# The follow-up of inspection recommendations, built like the core indicators but kept out of INDICATORS: it is
# not one of the core indicators of a period's figures (docs/domain.md, §Indicators). Its counts are as of today
# whatever the period shown, like the open and overdue counts beside it (cchc.selectors: recommendations).
RECOMMENDATIONS_ON_TIME = Indicator(
    "recommendations_on_time",
    _("recommendations closed on time"),
    pgettext_lazy("indicator", "recommendations on time"),
    ("recommendations_closed_on_time",),
    ("recommendations_due",),
    _("closed by the deadline"),
    _("due"),
    _(
        "Recommendations closed (done or verified) on or before their deadline, over those closed or already "
        "past their deadline; recommendations without a deadline take no part."
    ),
    grain=PER_UNIT,
    coverage_label=_("recommendations due"),
)
FOLLOW_UP_INDICATORS = (RECOMMENDATIONS_ON_TIME,)


def indicator_by_code(code):
    """A core or follow-up indicator by its code; ``KeyError`` for an unknown one."""
    return INDICATORS_BY_CODE.get(code) or {indicator.code: indicator for indicator in FOLLOW_UP_INDICATORS}[code]


def _sum_present(values, codes):
    """The sum of the figures, or ``None`` while one of them is blank."""
    if any(values.get(code) is None for code in codes):
        return None
    return sum(values[code] for code in codes)


def _rate_of(indicator, values):
    return indicator.value(_sum_present(values, indicator.numerator), _sum_present(values, indicator.denominator))


def report_form_preview(values):
    """What the report form shows under one level's figures as the officer types (``values`` maps a dossier
    figure's code to its number, blank as ``None``), formatted: dossiers to handle (the resolution rate's
    denominator), the on-time and online rates, and pending as the pending balance computes it. Each comes
    from its one definition, so the form's guide can never disagree with the dashboard."""
    to_handle = _sum_present(values, INDICATORS_BY_CODE["resolution_rate"].denominator)
    return {
        "to_handle": format_number(to_handle),
        "on_time_rate": format_rate(_rate_of(INDICATORS_BY_CODE["on_time_rate"], values)),
        "online_rate": format_rate(_rate_of(INDICATORS_BY_CODE["online_rate"], values)),
        "pending": format_number(pending_balance(values)),
    }
