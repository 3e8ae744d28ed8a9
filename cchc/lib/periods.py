"""Reporting periods: a quarter, a half year, the first nine months or a whole year.

Figures are entered per quarter; every longer period is a run of consecutive quarters of one year. The codes
are those used in URLs and files: ``2023Q1``…``2023Q4``, ``2023H1``, ``2023H2``, ``2023M9``, ``2023``.
"""

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _

PERIOD_CODE = re.compile(r"^(?P<year>\d{4})(?:Q(?P<quarter>[1-4])|H(?P<half>[12])|(?P<nine>M9))?$")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
# A trend — the dashboard's charts and the inspection brief — shows the period's last eight quarters: two years.
TREND_QUARTERS = 8
# The years a report, a target, a plan or an assessment may have: the one statement of the bounds. Reports exist
# from 2000 on; year 0 or 9999 would only break the date arithmetic.
FIRST_YEAR, LAST_YEAR = 2000, 2100
YEAR_VALIDATORS = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
# The messages of a year out of bounds, naming the bounds; lazy, for forms built at import time.
YEAR_OUT_OF_RANGE = lazy(
    lambda: _("The year is from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}, str
)()
GIVE_A_YEAR = lazy(
    lambda: _("Give a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}, str
)()


def is_known_year(year):
    """Whether ``year`` is within the bounds (``None`` is not)."""
    return year is not None and FIRST_YEAR <= year <= LAST_YEAR


@dataclass(frozen=True, order=True)
class Period:
    year: int
    first_quarter: int
    last_quarter: int

    @classmethod
    def parse(cls, code):
        """The period of a code such as ``2023H1``; ``ValueError`` with a Vietnamese message otherwise."""
        match = PERIOD_CODE.match((code or "").strip().upper())
        if not match:
            raise ValueError(_("“%(code)s” is not a period code (e.g. 2023Q1, 2023H1, 2023M9, 2023).") % {"code": code})
        year = int(match["year"])
        if not is_known_year(year):
            raise ValueError(_("“%(code)s” is not a period code (e.g. 2023Q1, 2023H1, 2023M9, 2023).") % {"code": code})
        if match["quarter"]:
            quarter = int(match["quarter"])
            return cls(year, quarter, quarter)
        if match["half"]:
            return cls(year, 1, 2) if match["half"] == "1" else cls(year, 3, 4)
        if match["nine"]:
            return cls(year, 1, 3)
        return cls(year, 1, 4)

    @classmethod
    def quarter(cls, year, quarter):
        return cls(year, quarter, quarter)

    @classmethod
    def containing(cls, day):
        """The quarter a date falls in."""
        return cls.quarter(day.year, (day.month - 1) // 3 + 1)

    @property
    def code(self):
        span = (self.first_quarter, self.last_quarter)
        if span[0] == span[1]:
            return f"{self.year}Q{span[0]}"
        return {(1, 2): f"{self.year}H1", (3, 4): f"{self.year}H2", (1, 3): f"{self.year}M9"}.get(span, str(self.year))

    @property
    def is_quarter(self):
        return self.first_quarter == self.last_quarter

    @property
    def quarters(self):
        """The quarters of the period, earliest first, as ``(year, quarter)`` pairs."""
        return [(self.year, q) for q in range(self.first_quarter, self.last_quarter + 1)]

    def contains(self, period):
        """Whether a quarter (or a period) lies within this period."""
        return period.year == self.year and self.first_quarter <= period.first_quarter <= self.last_quarter

    def reports_q(self, prefix=""):
        """The reports of the period, as a filter on their ``year`` and ``quarter`` (``prefix``: "report__" …)."""
        return Q(
            **{
                f"{prefix}year": self.year,
                f"{prefix}quarter__gte": self.first_quarter,
                f"{prefix}quarter__lte": self.last_quarter,
            }
        )

    def quarters_ending(self, count):
        """The ``count`` quarters ending with the period's last quarter, earliest first."""
        quarters = [Period.quarter(self.year, self.last_quarter)]
        while len(quarters) < count:
            quarters.append(quarters[-1].previous_quarter())
        return list(reversed(quarters))

    @property
    def start(self):
        return date(self.year, 3 * self.first_quarter - 2, 1)

    @property
    def end(self):
        month = 3 * self.last_quarter
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @classmethod
    def last_ended(cls, today):
        """The latest quarter that has ended by ``today``: the one before the quarter ``today`` falls in."""
        return cls.containing(today).previous_quarter()

    def previous_quarter(self):
        """The quarter before this period's first quarter."""
        if self.first_quarter == 1:
            return Period.quarter(self.year - 1, 4)
        return Period.quarter(self.year, self.first_quarter - 1)

    @property
    def label(self):
        span = (self.first_quarter, self.last_quarter)
        if span[0] == span[1]:
            return _("Quarter %(roman)s/%(year)s") % {"roman": ROMAN[span[0]], "year": self.year}
        # Only the one label asked for is translated (a list of periods asks for dozens).
        if span == (1, 2):
            label = _("First half of %(year)s")
        elif span == (3, 4):
            label = _("Second half of %(year)s")
        elif span == (1, 3):
            label = _("First nine months of %(year)s")
        elif span == (1, 4):
            label = _("Year %(year)s")
        else:
            raise KeyError(span)
        return label % {"year": self.year}

    def __str__(self):
        return self.code


def period_choices(first_year=None, *, quarters_only=False):
    """The periods of a list to choose from, from the current year back to ``first_year``, grouped by year,
    latest first: each year's quarters, then its second half, nine months, first half and the whole year
    (only the quarters with ``quarters_only``)."""
    this_year = timezone.localdate().year
    first_year = min(first_year or this_year, this_year)
    groups = _period_groups(this_year, first_year, quarters_only, get_language())
    # A fresh list each time: a caller may add a group of its own (a period outside the usual range).
    return [(year, list(periods)) for year, periods in groups]


@functools.lru_cache(maxsize=64)
def _period_groups(this_year, first_year, quarters_only, language):
    """``period_choices``, made once per years and language (the labels are translated into the active
    ``language``, which is why it is part of the key): the dashboard draws some 70 periods on every page."""
    groups = []
    for year in range(this_year, first_year - 1, -1):
        periods = [Period.quarter(year, q) for q in (4, 3, 2, 1)]
        if not quarters_only:
            periods += [Period(year, 3, 4), Period(year, 1, 3), Period(year, 1, 2), Period(year, 1, 4)]
        groups.append((str(year), tuple((period.code, period.label) for period in periods)))
    return tuple(groups)


def year_in_range(text):
    """The year a query parameter (``?year=2023``) names, or ``None`` for anything but four ASCII digits in range.

    Checked on the text before ``int()``: Python refuses to convert more than 4,300 digits (ValueError), and
    ``"²".isdigit()`` is true.
    """
    text = (text or "").strip()
    if len(text) != 4 or not (text.isascii() and text.isdigit()):
        return None
    year = int(text)
    return year if is_known_year(year) else None
