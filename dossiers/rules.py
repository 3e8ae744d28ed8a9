"""The identities every quarterly report must satisfy, and the warnings it may raise (docs/domain.md, §Identities).

Each rule is defined once, here: what it needs, how Python checks it, and — where the database can — the
same condition as a check constraint. A rule is checked only when every figure it needs is present, because
a blank figure is "not tracked", not zero. The one exception is written in the rule: for the pending balance
a blank "returned or withdrawn" counts as 0.
"""

from dataclasses import dataclass, field, replace
from functools import reduce
from operator import or_

from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from cchc.lib.numbers import format_number

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    rule: str
    field: str
    message: str
    severity: str = ERROR
    level: str = ""  # the level row it concerns, for the dossier figures


@dataclass(frozen=True)
class Rule:
    code: str
    needs: tuple
    holds: object  # function of a dict of the figures, all of ``needs`` present
    message: object  # lazy text with %(figure code)s placeholders
    field: str
    severity: str = ERROR
    condition: Q | None = None
    optional: tuple = field(default=())

    def check(self, values):
        for code in self.needs:
            if values.get(code) is None:
                return None
        if self.holds(values):
            return None
        # An optional figure counts as 0 when blank, and the message says so with the number it used.
        shown = {code: format_number(values.get(code)) for code in self.needs}
        shown.update({code: format_number(values.get(code) or 0) for code in self.optional})
        return Problem(self.code, self.field, self.message % shown, self.severity)

    def constraint_condition(self):
        """The rule as the database checks it: it holds, or one of the figures it needs is blank."""
        blanks = [Q(**{f"{code}__isnull": True}) for code in self.needs]
        return reduce(or_, blanks + [self.condition])


def pending_balance(values):
    """Pending as the figures compute it: carried over plus received minus resolved minus returned or withdrawn
    (a blank "returned" counts as 0); ``None`` while one of the others is blank. The rule below checks the
    reported pending against it, and the report form shows it as the officer types."""
    if any(values.get(code) is None for code in ("carried_over", "received", "resolved")):
        return None
    return values["carried_over"] + values["received"] - values["resolved"] - (values.get("returned") or 0)


def at_most(code, figure, bound, message):
    """The rule that ``figure`` cannot exceed ``bound``, reported at ``figure``."""
    return Rule(
        code,
        (figure, bound),
        lambda v: v[figure] <= v[bound],
        message,
        figure,
        condition=Q(**{f"{figure}__lte": F(bound)}),
    )


LEVEL_RULES = (
    Rule(
        "resolved_split",
        ("resolved", "resolved_in_time", "resolved_late"),
        lambda v: v["resolved"] == v["resolved_in_time"] + v["resolved_late"],
        _(
            "Resolved (%(resolved)s) must equal resolved in time (%(resolved_in_time)s) "
            "plus resolved late (%(resolved_late)s)."
        ),
        "resolved",
        condition=Q(resolved=F("resolved_in_time") + F("resolved_late")),
    ),
    at_most(
        "early_within_in_time",
        "resolved_early",
        "resolved_in_time",
        _("Resolved early (%(resolved_early)s) cannot exceed resolved in time (%(resolved_in_time)s)."),
    ),
    Rule(
        "pending_balance",
        ("pending", "carried_over", "received", "resolved"),
        lambda v: v["pending"] == pending_balance(v),
        _(
            "Pending (%(pending)s) must equal carried over (%(carried_over)s) plus received (%(received)s) "
            "minus resolved (%(resolved)s) minus returned or withdrawn (%(returned)s)."
        ),
        "pending",
        condition=Q(pending=F("carried_over") + F("received") - F("resolved") - Coalesce(F("returned"), Value(0))),
        optional=("returned",),
    ),
    at_most(
        "overdue_within_pending",
        "pending_overdue",
        "pending",
        _("Pending overdue (%(pending_overdue)s) cannot exceed pending (%(pending)s)."),
    ),
    Rule(
        "channels_within_received",
        ("received_online", "received_postal", "received"),
        lambda v: v["received_online"] + v["received_postal"] <= v["received"],
        _(
            "Received online (%(received_online)s) plus received by post (%(received_postal)s) "
            "cannot exceed received (%(received)s)."
        ),
        "received",
        condition=Q(received__gte=F("received_online") + F("received_postal")),
    ),
    at_most(
        "full_online_within_online",
        "received_online_full",
        "received_online",
        _("Received fully online (%(received_online_full)s) cannot exceed received online (%(received_online)s)."),
    ),
    Rule(
        "apology_letters_for_late",
        ("apology_letters", "resolved_late"),
        lambda v: v["apology_letters"] >= v["resolved_late"],
        _(
            "Apology letters (%(apology_letters)s) are fewer than dossiers resolved late (%(resolved_late)s): "
            "every late dossier needs one."
        ),
        "apology_letters",
        severity=WARNING,
    ),
)

REPORT_RULES = (
    at_most(
        "simplified_within_reviewed",
        "procedures_simplified",
        "procedures_reviewed",
        _(
            "Procedures simplified (%(procedures_simplified)s) cannot exceed procedures reviewed "
            "(%(procedures_reviewed)s)."
        ),
    ),
    at_most(
        "reviewed_within_catalogue",
        "procedures_reviewed",
        "procedures_total",
        _(
            "Procedures reviewed (%(procedures_reviewed)s) cannot exceed procedures in the catalogue "
            "(%(procedures_total)s)."
        ),
    ),
    at_most(
        "inspected_within_planned",
        "units_inspected",
        "units_planned_inspection",
        _(
            "Units inspected (%(units_inspected)s) cannot exceed units planned for inspection "
            "(%(units_planned_inspection)s)."
        ),
    ),
)


def check(rules, values):
    """The problems (errors and warnings) of one set of figures under the given rules."""
    return [problem for rule in rules if (problem := rule.check(values)) is not None]


def check_carried_over(carried_over, previous_pending):
    """Warning when this quarter's carried over differs from the previous quarter's pending."""
    if carried_over is None or previous_pending is None or carried_over == previous_pending:
        return None
    return Problem(
        "carried_over_continuity",
        "carried_over",
        _(
            "Carried over (%(carried_over)s) differs from pending at the end of the previous quarter "
            "(%(previous_pending)s)."
        )
        % {"carried_over": format_number(carried_over), "previous_pending": format_number(previous_pending)},
        WARNING,
    )


def level_warnings(levels, previous_pending):
    """The warnings of a report's level rows: ``levels`` maps a level to its figures, ``previous_pending`` a
    level to the pending figure of the previous quarter's report."""
    found = []
    for level, values in levels.items():
        found += [replace(p, level=level) for p in check(LEVEL_RULES, values) if p.severity == WARNING]
        continuity = check_carried_over(values.get("carried_over"), previous_pending.get(level))
        if continuity:
            found.append(replace(continuity, level=level))
    return found


def constraints(rules, model_name, *, unless=None):
    """The rules as check constraints; ``unless`` (a ``Q``) names the rows exempt from them (drafts)."""
    from django.db.models import CheckConstraint

    return [
        CheckConstraint(
            condition=rule.constraint_condition() if unless is None else unless | rule.constraint_condition(),
            name=f"{model_name}_{rule.code}",
        )
        for rule in rules
        if rule.condition is not None
    ]
