"""The figures of the quarterly report: their codes, names and how they add up over quarters.

The codes are those of docs/domain.md (§Figures); they name the model fields, the columns of files and the
keys of the JSON feed. Every figure is a non-negative whole number or blank (not tracked), never a rate.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Aggregation(models.TextChoices):
    """How a figure of a longer period follows from its quarters."""

    SUM = "sum", _("sum of the quarters")
    FIRST = "first", _("earliest reported quarter")
    LAST = "last", _("latest reported quarter")


@dataclass(frozen=True)
class Figure:
    code: str
    label: str
    aggregation: str
    help_text: str = ""


DOSSIER_FIGURES = (
    Figure("carried_over", _("carried over"), Aggregation.FIRST, _("Dossiers still open at the start of the quarter.")),
    Figure("received", _("received"), Aggregation.SUM, _("Dossiers newly received in the quarter, all channels.")),
    Figure(
        "received_online",
        _("received online"),
        Aggregation.SUM,
        _("Of those received, through the online public-service portal."),
    ),
    Figure(
        "received_online_full",
        _("received fully online"),
        Aggregation.SUM,
        _("Of those received online, fully online."),
    ),
    Figure(
        "received_postal",
        _("received by post"),
        Aggregation.SUM,
        _("Of those received, through the public postal service."),
    ),
    Figure("resolved", _("resolved"), Aggregation.SUM, _("Dossiers resolved in the quarter.")),
    Figure("resolved_in_time", _("resolved in time"), Aggregation.SUM, _("Of those resolved, early or on time.")),
    Figure("resolved_early", _("resolved early"), Aggregation.SUM, _("Of those resolved in time, early.")),
    Figure("resolved_late", _("resolved late"), Aggregation.SUM, _("Resolved after the deadline.")),
    Figure("returned", _("returned or withdrawn"), Aggregation.SUM, _("Given back or withdrawn without a result.")),
    Figure("pending", _("pending"), Aggregation.LAST, _("Dossiers still open at the end of the quarter.")),
    Figure(
        "pending_overdue", _("pending overdue"), Aggregation.LAST, _("Of those pending, already past the deadline.")
    ),
    Figure("apology_letters", _("apology letters"), Aggregation.SUM, _("Apology letters sent for late dossiers.")),
)

PROCEDURE_FIGURES = (
    Figure("procedures_total", _("procedures in the catalogue"), Aggregation.LAST),
    Figure("procedures_reviewed", _("procedures reviewed"), Aggregation.LAST, _("So far this year.")),
    Figure("procedures_simplified", _("procedures simplified"), Aggregation.LAST, _("So far this year.")),
    Figure("procedures_with_dossiers", _("procedures with dossiers received"), Aggregation.LAST),
    Figure("procedures_postal", _("procedures offered by post"), Aggregation.LAST),
    Figure("procedures_online", _("procedures offered online"), Aggregation.LAST),
)

ACTIVITY_FIGURES = (
    Figure("units_planned_inspection", _("units planned for internal inspection"), Aggregation.LAST, _("This year.")),
    Figure("units_inspected", _("units inspected"), Aggregation.LAST, _("So far this year.")),
    Figure("communication_programmes", _("communication programmes"), Aggregation.SUM),
    Figure("communication_articles", _("communication articles"), Aggregation.SUM),
    Figure("communication_news", _("news items"), Aggregation.SUM),
)

REPORT_FIGURES = PROCEDURE_FIGURES + ACTIVITY_FIGURES
ALL_FIGURES = DOSSIER_FIGURES + REPORT_FIGURES
FIGURES_BY_CODE = {figure.code: figure for figure in ALL_FIGURES}


def figure_field(code):
    """The model field of a figure: a non-negative whole number, or blank when the unit does not track it."""
    figure = FIGURES_BY_CODE[code]
    return models.PositiveIntegerField(figure.label, null=True, blank=True, help_text=figure.help_text)
