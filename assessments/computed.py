"""Proposals for the criteria the system's own figures decide (on-time share, online share …).

The figures come from the indicator registry (``cchc/indicators.py``) through the dashboard's selectors: the
PAR index sits above the dashboard's reads (the ``layers`` contract in pyproject.toml), and this module turns
their counts into points through the criterion's table of bands.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from cchc.indicators import FOLLOW_UP_INDICATORS, INDICATORS
from cchc.lib.numbers import format_number, format_rate, rate
from cchc.lib.periods import Period
from cchc.selectors import unit_rows
from districts.models import Unit


def figures_for(unit, year):
    """``{indicator code: (numerator, denominator)}`` of the unit's own figures for the whole year, for every code
    of ``models.Source``."""
    (row,) = unit_rows(units=Unit.objects.filter(pk=unit.pk), period=Period.parse(str(year)))
    return {
        indicator.code: (getattr(row, indicator.num), getattr(row, indicator.den))
        for indicator in INDICATORS + FOLLOW_UP_INDICATORS
    }


@dataclass(frozen=True)
class Proposal:
    numerator: int | None
    denominator: int | None
    points: Decimal | None  # None: the figures do not decide (no denominator)

    @property
    def rate(self):
        return rate(self.numerator, self.denominator)

    @property
    def basis(self):
        """The counts shown beside the proposal: "10.840 / 12.530 = 86,51%"."""
        if self.points is None:
            return _("no figures for the year")
        return f"{format_number(self.numerator)} / {format_number(self.denominator)} = {format_rate(self.rate)}"


def band_points(bands, numerator, denominator):
    """The points of the highest band whose rate the share reaches; 0 below every band.

    The share is compared exactly (numerator × 100 ≥ rate × denominator), not after rounding: 97,996 % does
    not reach a band from 98 %. ``None`` when the share has no value (no denominator).
    """
    if numerator is None or not denominator:
        return None
    for band in sorted(bands, key=lambda band: band.min_rate, reverse=True):
        if Decimal(numerator) * 100 >= band.min_rate * denominator:
            return band.points
    return Decimal(0)


def propose(criterion, figures):
    """The proposal for a computed criterion from ``figures`` (``figures_for``'s answer)."""
    numerator, denominator = figures.get(criterion.source, (None, None))
    return Proposal(numerator, denominator, band_points(criterion.bands.all(), numerator, denominator))
