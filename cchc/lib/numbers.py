"""Numbers in the base layer: the rounding of a rate and the Vietnamese way of writing numbers and rates.

The rule of how a rate is rounded lives here, below every app, so that the dashboard's indicators
(``cchc.indicators``), the PAR index's computed criteria and the report pages all round and write alike.
"""

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
