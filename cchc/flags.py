"""Warning flags: patterns in a unit's quarterly figures that deserve a second look.

Computed from the figures each time, never stored; provincial staff may dismiss a flag with a comment
(``FlagDismissal``, kept in history). Each flag carries the figures behind it. A flag needs every figure it
reads: a blank figure raises nothing (blank is not zero).

- ``rate_moved``: an indicator's rate moved more than ``FLAG_RATE_MARGIN`` percentage points since the previous
  quarter (strictly more: a move of exactly the margin raises nothing);
- ``on_time_with_overdue``: every resolved dossier on time (100 %) while dossiers are pending overdue;
- ``few_apologies``: fewer apology letters than dossiers resolved late;
- ``online_zero``: no dossier received online while the unit offers procedures online;
- ``unchanged_report``: every figure the same as the previous quarter's, figure for figure.
"""

import operator
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cchc import selectors
from cchc.indicators import INDICATORS
from cchc.lib.compiled import compiled
from cchc.lib.numbers import format_number, format_rate
from cchc.lib.periods import Period
from cchc.models import FlagDismissal
from dossiers.figures import ALL_FIGURES, FIGURES_BY_CODE

FIGURE_CODES = [figure.code for figure in ALL_FIGURES]
# Each indicator with the names of its paired numerator and denominator on a row, worked out once.
_RATES = tuple((indicator, indicator.num, indicator.den) for indicator in INDICATORS)
# Every figure of a selector's row, in one call (a row carries them all, as ``selectors.totals`` reads them).
_figures_of = operator.attrgetter(*FIGURE_CODES)
FLAG_RATE_MARGIN = Decimal(str(getattr(settings, "FLAG_RATE_MARGIN", 10)))

LABELS = {
    "rate_moved": _("Rate moved sharply since the previous quarter"),
    "on_time_with_overdue": _("Every resolved dossier on time while dossiers are pending overdue"),
    "few_apologies": _("Fewer apology letters than late dossiers"),
    "online_zero": _("No dossier received online while procedures are offered online"),
    "unchanged_report": _("Report unchanged from the previous quarter, figure for figure"),
}


@dataclass
class Flag:
    code: str
    unit: object
    period: Period  # the quarter
    subject: str = ""  # the indicator of a rate that moved
    facts: list = field(default_factory=list)  # (label, value shown) — the figures behind the flag
    dismissal: FlagDismissal | None = None

    @property
    def label(self):
        return LABELS[self.code]

    @property
    def key(self):
        return (self.unit.pk, self.period.year, self.period.first_quarter, self.code, self.subject)


def _figure(code):
    return FIGURES_BY_CODE[code].label


def flags_of(row, previous, period, margin=FLAG_RATE_MARGIN, *, facts=True):
    """The flags of one unit's quarter, from its selector row and the previous quarter's (or ``None``).

    Without ``facts`` the flags come without the figures behind them (``facts`` empty): a page that only counts
    the flags does not format them.
    """
    raised = []

    def get(name, source=row):
        return getattr(source, name, None) if source is not None else None

    def counts(indicator, source=row):
        """An indicator's numerator over its denominator, as shown: "10.840 / 12.530"."""
        return f"{format_number(get(indicator.num, source))} / {format_number(get(indicator.den, source))}"

    def flag(code, facts_of, subject=""):
        """Raise a flag of this unit's quarter with the facts behind it: ``facts_of()`` gives them, each (label,
        value shown), called only when the facts are asked for."""
        raised.append(Flag(code, row, period, subject, list(facts_of()) if facts else []))

    # The rows are read directly (getattr, not ``get``): this runs for every unit of a province's page (~170
    # communes since July 2025), and the dashboard counts their flags on every view.
    if previous is not None and getattr(previous, "reports_counted", None):
        for indicator, num, den in _RATES:
            now = indicator.value(getattr(row, num, None), getattr(row, den, None))
            before = indicator.value(getattr(previous, num, None), getattr(previous, den, None))
            if now is not None and before is not None and abs(now - before) > margin:
                flag(
                    "rate_moved",
                    lambda indicator=indicator, before=before, now=now: (
                        (indicator.label, f"{format_rate(before)} → {format_rate(now)}"),
                        (_("previous quarter"), counts(indicator, previous)),
                        (_("this quarter"), counts(indicator)),
                        (_("margin (points)"), format_rate(margin).rstrip("%")),
                    ),
                    subject=indicator.code,
                )
    resolved = getattr(row, "resolved", None)
    in_time, overdue = getattr(row, "resolved_in_time", None), getattr(row, "pending_overdue", None)
    if resolved and in_time == resolved and overdue:
        flag(
            "on_time_with_overdue",
            lambda: (
                (_figure("resolved_in_time"), f"{format_number(in_time)} / {format_number(resolved)}"),
                (_figure("pending_overdue"), format_number(overdue)),
            ),
        )
    late, letters = getattr(row, "resolved_late", None), getattr(row, "apology_letters", None)
    if late is not None and letters is not None and letters < late:
        flag(
            "few_apologies",
            lambda: (
                (_figure("apology_letters"), format_number(letters)),
                (_figure("resolved_late"), format_number(late)),
            ),
        )
    received, online = getattr(row, "received", None), getattr(row, "received_online", None)
    offered = getattr(row, "procedures_online", None)
    if received and online == 0 and offered:
        flag(
            "online_zero",
            lambda: (
                (_figure("received_online"), f"0 / {format_number(received)}"),
                (_figure("procedures_online"), format_number(offered)),
            ),
        )
    if previous is not None and getattr(row, "reports_counted", None) and getattr(previous, "reports_counted", None):
        now, before = _figures_of(row), _figures_of(previous)
        if now == before and any(value is not None for value in now):
            shown = sum(value is not None for value in now)
            flag("unchanged_report", lambda: ((_("figures identical"), format_number(shown)),))
    return raised


def _attach_dismissals(flags):
    if not flags:
        return flags
    units = {flag.unit.pk for flag in flags}
    years = {flag.period.year for flag in flags}
    dismissals = FlagDismissal.objects.filter(unit_id__in=units, year__in=years).select_related("dismissed_by")
    by_key = {(d.unit_id, d.year, d.quarter, d.code, d.subject): d for d in dismissals}
    for flag in flags:
        flag.dismissal = by_key.get(flag.key)
    return flags


def _dismissed_keys(flags):
    """The ``key`` of each of the flags' dismissals, without reading the dismissals themselves (one query)."""
    if not flags:
        return set()
    units = {flag.unit.pk for flag in flags}
    years = {flag.period.year for flag in flags}
    return set(_dismissal_keys_of(tuple(sorted(units)), tuple(sorted(years))).read())


@compiled
def _dismissal_keys_of(unit_ids, years):
    # Compiled once per units and years (the dashboard counts a province's flags on every view, mostly of the
    # same units): building and compiling it cost more than the database takes to answer it.
    dismissals = FlagDismissal.objects.filter(unit_id__in=unit_ids, year__in=years)
    return dismissals.values_list("unit_id", "year", "quarter", "code", "subject")


def _raised(rows, previous_rows, quarter, *, facts=True):
    previous = {row.pk: row for row in previous_rows}
    flags = []
    for row in rows:
        if row.reports_counted:
            flags += flags_of(row, previous.get(row.pk), quarter, facts=facts)
    return flags


def quarter_flags(*, units=None, quarter, statuses, rows=None, previous_rows=None):
    """The flags of every unit of ``units`` (a queryset) in one quarter, whatever their number: one read of the
    quarter and the one before it, then the dismissals. A page that has read both quarters already passes
    their ``rows`` and ``previous_rows`` instead of ``units``."""
    if rows is None:
        previous_rows, rows = selectors.rows_by_period(
            units=units, periods=[quarter.previous_quarter(), quarter], statuses=statuses
        )
    return _attach_dismissals(_raised(rows, previous_rows, quarter))


def open_quarter_flags(*, quarter, rows, previous_rows):
    """The flags of ``quarter_flags`` that no one dismissed, from the rows of the quarter and the one before it
    read already, without the figures behind them: what the dashboard counts. One query, for the keys of the
    dismissals (not the dismissals, nor who dismissed them)."""
    raised = _raised(rows, previous_rows, quarter, facts=False)
    dismissed = _dismissed_keys(raised)
    return [flag for flag in raised if flag.key not in dismissed]


def year_quarters(year):
    """The quarters the flags of a year read: the previous year's last quarter, then the year's four."""
    return [Period.quarter(year - 1, 4)] + [Period.quarter(year, q) for q in range(1, 5)]


def unit_year_flags(unit, year, *, statuses, rows=None):
    """The flags of each quarter of a unit's year, latest quarter first: one read of ``year_quarters(year)``,
    unless the page passes their ``rows`` (one row per quarter, in that order)."""
    from districts.models import Unit

    quarters = year_quarters(year)
    if rows is None:
        rows = [
            row
            for (row,) in selectors.rows_by_period(
                units=Unit.objects.filter(pk=unit.pk), periods=quarters, statuses=statuses
            )
        ]
    flags = []
    for index in range(4, 0, -1):
        if rows[index].reports_counted:
            flags += flags_of(rows[index], rows[index - 1], quarters[index])
    for flag in flags:
        flag.unit = unit
    return _attach_dismissals(flags)


def open_flags(flags):
    return [flag for flag in flags if flag.dismissal is None]
