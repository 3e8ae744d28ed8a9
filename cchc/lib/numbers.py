"""Numbers in the base layer: the rounding of a rate, a rate as its paired counts, the one reading of a figure
as people write it, and the Vietnamese way of writing numbers and rates.

Each rule lives here once, below every app, so that the dashboard's indicators (``cchc.indicators``), the PAR
index's computed criteria, the report form and its preview, the imports, the exports and the templates all
read, round and write alike (docs/domain.md, §Figures).
"""

import re
from dataclasses import dataclass
from decimal import Decimal

# How many decimals a rate (a percentage) is rounded to: every rate the system computes, shows or exports
# follows it — the pages, the JSON feed, the spreadsheets and the report form's preview.
RATE_PLACES = 2

# 17800, 17.800 or 17 800 (a space or a no-break space between the thousands): what officers type in a form
# and in a spreadsheet cell. ASCII digits only.
_WHOLE_NUMBER = re.compile(r"^(?:\d{1,3}(?:[. \u00a0]\d{3})+|\d+)$", re.ASCII)
_NEGATIVE = re.compile(r"^-\s*[\d., \u00a0]+$", re.ASCII)


def rate(numerator, denominator):
    """The percentage, rounded half up to ``RATE_PLACES`` decimals, as a ``Decimal``; ``None`` without a value.

    A rate below 100 % never rounds up to 100 and a rate above 0 never rounds down to 0, so that one late
    dossier out of 86,048 stays visible.
    """
    if numerator is None or denominator is None or denominator == 0:
        return None
    whole = 100 * 10**RATE_PLACES  # 100 % in steps of the last decimal
    steps = (numerator * 2 * whole + denominator) // (2 * denominator)
    if steps >= whole and numerator < denominator:
        steps = whole - 1
    if steps == 0 and numerator > 0:
        steps = 1
    return Decimal(steps) / 10**RATE_PLACES


class NotAFigure(ValueError):
    """Text that is not a figure; ``negative`` says it was a negative number (its own message)."""

    def __init__(self, text, *, negative=False):
        super().__init__(text)
        self.negative = negative


def parse_figure(text):
    """A figure as people write it — ``17800``, ``17.800`` or ``17 800`` — as an ``int``; ``None`` when blank.

    Raises ``NotAFigure`` for anything else (``17,8``, ``1e4``, ``-3``); the caller says it in its own words.
    """
    text = text.strip()
    if not text:
        return None
    if text.isdigit() and text.isascii():
        # Plain digits, the common case (an import reads hundreds of thousands of cells): no pattern needed.
        return int(text)
    if _WHOLE_NUMBER.match(text):
        return int(re.sub(r"[. \u00a0]", "", text))
    raise NotAFigure(text, negative=bool(_NEGATIVE.match(text)))


def format_number(value):
    """A whole number in Vietnamese style (17.800); "—" when blank."""
    if value is None:
        return "—"
    return f"{value:,}".replace(",", ".")


def plain_rate(value):
    """A rate's digits with a decimal comma and no thousands dots (86,51), for files read by machines too."""
    return f"{Decimal(str(value)):.{RATE_PLACES}f}".replace(".", ",")


def format_rate(value):
    """A percentage from ``rate()`` in Vietnamese style (51,43%); "—" when it has no value."""
    if value is None:
        return "—"
    return f"{value:,.{RATE_PLACES}f}".replace(",", " ").replace(".", ",").replace(" ", ".") + "%"


def plain_points(value):
    """PAR-index points as a plain number: to two decimals, without trailing zeros (16, 1,5 — the same 16 whether
    the database summed them as 16 or, as PostgreSQL's numeric does, as 16.00); ``None`` stays ``None``."""
    if value is None or value == "":
        return None
    return Decimal(value).quantize(Decimal("0.01")).normalize() + Decimal(0)


def format_score(value):
    """PAR-index points as Vietnamese readers write them: "2", "1,5", "16"; "—" without them."""
    value = plain_points(value)
    return "—" if value is None else format(value, "f").replace(".", ",")


def format_points(value):
    """A gap or a change in percentage points, signed, Vietnamese style: "+1,25" / "−0,50"; "—" without one."""
    if value is None:
        return "—"
    shown = format_rate(abs(value)).rstrip("%")
    return ("+" if value > 0 else "−" if value < 0 else "±") + shown


def spreadsheet_rate_format():
    """The spreadsheet number format of a rate written as a fraction: 0.00% for two decimals."""
    return "0." + "0" * RATE_PLACES + "%" if RATE_PLACES else "0%"


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
