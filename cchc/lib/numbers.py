"""Numbers in the base layer: the rounding of a rate, a rate as its paired counts, and the Vietnamese way of
writing numbers and rates.

The rule of how a rate is rounded lives here, below every app, so that the dashboard's indicators
(``cchc.indicators``), the PAR index's computed criteria and the report pages all round and write alike.
"""

from dataclasses import dataclass
from decimal import Decimal


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


@dataclass(slots=True)
class IndicatorValue:
    """A rate's numerator and denominator, summed over the rows where both are present, and what they cover.

    ``full_denominator`` is the denominator summed wherever it is present, paired or not; when not given it is
    the denominator itself (a pair made of one row, as on a report form).
    """

    numerator: int | None
    denominator: int | None
    full_denominator: int | None = None

    @property
    def value(self):
        return rate(self.numerator, self.denominator)

    @property
    def full(self):
        return self.denominator if self.full_denominator is None else self.full_denominator

    @property
    def share(self):
        """The paired denominator's share of the full one (0 to 1); ``None`` when there is nothing to cover."""
        if not self.full:
            return None
        return (self.denominator or 0) / self.full

    @property
    def partial(self):
        """Whether some rows with the denominator were left out for want of the numerator."""
        return bool(self.full) and (self.denominator or 0) < self.full

    def coverage(self):
        """The coverage as the JSON feed gives it: the full denominator and the paired share of it."""
        share = self.share
        return {"denominator": self.full, "share": round(share, 4) if share is not None else None}
