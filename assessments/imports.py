"""Importing from files: a criteria set (.xlsx or .csv, one row per node), survey points and Decision-766 results.

Every import is all or nothing: the rows are read and checked first (each cell, then the tree as a whole), and
only a file without a single error is saved, in one transaction. Errors name the row and the column.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.lib.imports import CellError, ColumnSpec, Formula, normalise, note, text_value
from cchc.lib.periods import Period

from .models import CODE_PATTERN, CriteriaSet, GroupScore, Method, ScoreGroup, Source
from .tree import create_criteria, tree_errors

CODE, TEXT, MAX_POINTS, METHOD, HALVES, SOURCE, BANDS = (
    "code",
    "text",
    "max_points",
    "method",
    "halves",
    "source",
    "bands",
)
CRITERIA_COLUMNS = (
    ColumnSpec(CODE, gettext_lazy("Criterion code")),
    ColumnSpec(TEXT, gettext_lazy("Criterion")),
    ColumnSpec(MAX_POINTS, gettext_lazy("Maximum points")),
    ColumnSpec(METHOD, gettext_lazy("Scoring method")),
    ColumnSpec(HALVES, gettext_lazy("Halves allowed")),
    ColumnSpec(SOURCE, gettext_lazy("Computed from")),
    ColumnSpec(BANDS, gettext_lazy("Bands")),
)
CRITERIA_REQUIRED = (CODE, TEXT, MAX_POINTS)

YES = {"x", "1", "có", "yes", "true", "đúng"}
NO = {"", "0", "không", "no", "false"}
BAND = re.compile(r"^(?:≥|>=)?\s*(\d+(?:[.,]\d+)?)\s*%?\s*[:=→]\s*(\d+(?:[.,]\d+)?)$")


def parse_points(value, *, allow_blank=False):
    """Points written 2, 1,5, 1.5 or as a number cell; ``None`` for a blank cell when allowed."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_blank:
            return None
        raise CellError(_("The points are missing."))
    if isinstance(value, Formula) or (isinstance(value, str) and value.lstrip().startswith("=")):
        raise CellError(_("Formulas are not accepted: enter the number itself."))
    if isinstance(value, bool):
        raise CellError(_("Enter a number of points (e.g. 2 or 1,5)."))
    try:
        points = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise CellError(_("“%(value)s” is not a number of points (e.g. 2 or 1,5).") % {"value": value}) from None
    if not points.is_finite() or points < 0:
        raise CellError(_("Points are 0 or more."))
    if points > Decimal("9999.99") or points != points.quantize(Decimal("0.01")):
        raise CellError(_("“%(value)s” is not a number of points (e.g. 2 or 1,5).") % {"value": value})
    return points.quantize(Decimal("0.01"))


def _choice(value, choices, message):
    text = normalise(text_value(value) or "")
    for code, label in choices:
        if text in {normalise(code), normalise(str(label))}:
            return code
    raise CellError(message)


# The short names people write in their own workbooks, besides the codes and the labels.
METHOD_WORDS = (
    (Method.SELF, "tự chấm"),
    (Method.SURVEY, "khảo sát"),
    (Method.SURVEY, "điều tra"),
    (Method.COMPUTED, "tính từ số liệu"),
    (Method.COMPUTED, "tự động"),
)


def parse_method(value):
    if not text_value(value):
        return Method.SELF
    return _choice(
        value,
        [*Method.choices, *METHOD_WORDS],
        _("Unknown scoring method: write “self”, “survey” or “computed” (or their Vietnamese names)."),
    )


def parse_source(value):
    if not text_value(value):
        return ""
    return _choice(
        value,
        Source.choices,
        _("Unknown figures: write one of %(codes)s.") % {"codes": ", ".join(Source.values)},
    )


def parse_halves(value):
    text = normalise(text_value(value) or "")
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError(_("Write “có” or leave the cell blank."))


def parse_bands(value):
    """Bands written "98:3; 95:2; 90:1" (a rate from 98 % earns 3 points …)."""
    text = text_value(value) or ""
    bands = []
    for part in filter(None, (item.strip() for item in text.split(";"))):
        match = BAND.match(part)
        if not match:
            raise CellError(
                _("“%(part)s” is not a band: write the rate and the points, e.g. “98:3; 95:2”.") % {"part": part}
            )
        rate, points = (Decimal(group.replace(",", ".")) for group in match.groups())
        if rate > 100:
            raise CellError(_("A rate is at most 100%."))
        if rate in {band[0] for band in bands}:
            raise CellError(_("The rate %(rate)s%% appears twice.") % {"rate": rate})
        bands.append((rate, points))
    return bands


@dataclass
class NodeRow:
    row: int
    code: str
    text: str
    max_points: Decimal
    method: str
    halves_allowed: bool
    source: str
    bands: list


@dataclass
class Outcome:
    errors: list  # cchc.lib.imports.Note
    saved: object = None  # what was created
    count: int = 0


def import_criteria(table, *, province, year, scored_units, title, decision="", is_example=False):
    """Create a criteria set from the rows of ``table``, or nothing at all when any row or the tree is wrong."""
    errors, nodes = [], []
    rows_of = {}
    for number, cells in table.rows:
        values = {}
        for column, parse in (
            (CODE, text_value),
            (TEXT, text_value),
            (MAX_POINTS, parse_points),
            (METHOD, parse_method),
            (HALVES, parse_halves),
            (SOURCE, parse_source),
            (BANDS, parse_bands),
        ):
            try:
                values[column] = parse(table.value(cells, column))
            except CellError as error:
                errors.append(note(table, number, column, str(error)))
        code = values.get(CODE)
        if not code:
            errors.append(note(table, number, CODE, _("The code is missing.")))
        elif not re.match(CODE_PATTERN, code):
            errors.append(note(table, number, CODE, _("Write the code as printed, e.g. 1.2.3.")))
        if CODE in values and not values.get(TEXT):
            errors.append(note(table, number, TEXT, _("The text of the criterion is missing.")))
        if len(values) < 7 or not code or not values.get(TEXT):
            continue
        node = NodeRow(
            number,
            code,
            values[TEXT],
            values[MAX_POINTS],
            values[METHOD],
            values[HALVES],
            # Only a computed criterion keeps what it is computed from.
            values[SOURCE] if values[METHOD] == Method.COMPUTED else "",
            values[BANDS],
        )
        for _rate, points in node.bands:
            if points > node.max_points:
                errors.append(
                    note(
                        table,
                        number,
                        BANDS,
                        _("A band gives %(points)s points, more than the maximum.") % {"points": points},
                    )
                )
        nodes.append(node)
        rows_of.setdefault(code, number)
    if not errors and not nodes:
        errors.append(note(table, None, None, _("The file has no criteria.")))
    # The sums are checked only once every row reads: a row left out would make its parent's sum look wrong.
    for error in [item for item in tree_errors(nodes) if not (errors and item.field == "max_points")]:
        errors.append(note(table, rows_of.get(error.code), _column_of(error.field), error.message))
    criteria_set = CriteriaSet(
        province=province, year=year, scored_units=scored_units, title=title, decision=decision, is_example=is_example
    )
    try:
        criteria_set.full_clean()
    except ValidationError as error:
        errors.extend(note(table, None, None, message) for message in error.messages)
    if errors:
        return Outcome(sorted(errors, key=lambda item: (item.row or 0, item.letter or "")))
    with transaction.atomic():
        criteria_set.save()
        created = create_criteria(criteria_set, nodes, lambda node: node.bands)
    return Outcome([], criteria_set, created)


def _column_of(field):
    return {"code": CODE, "max_points": MAX_POINTS, "method": METHOD, "source": SOURCE}.get(field)


# --- Decision-766 results ---------------------------------------------------------------------------------------

UNIT, PERIOD, GROUP, POINTS_COLUMN, PERCENT, COMMENT = "unit_code", "period", "group", "points", "percent", "comment"
GROUP_COLUMNS = (
    ColumnSpec(UNIT, gettext_lazy("Unit code")),
    ColumnSpec(PERIOD, gettext_lazy("Period")),
    ColumnSpec(GROUP, gettext_lazy("Group")),
    ColumnSpec(POINTS_COLUMN, gettext_lazy("Points")),
    ColumnSpec(PERCENT, gettext_lazy("Percentage")),
    ColumnSpec(COMMENT, gettext_lazy("Comment")),
)
GROUP_REQUIRED = (UNIT, PERIOD, GROUP)


def import_group_scores(table, *, units):
    """Create or update Decision-766 results from the rows of ``table``; ``units`` are those the user may change."""
    errors, scores = [], []
    units_by_code = {unit.code: unit for unit in units}
    groups = list(ScoreGroup.objects.all())
    seen = {}
    for number, cells in table.rows:
        code = text_value(table.value(cells, UNIT))
        period_text = text_value(table.value(cells, PERIOD))
        group_code = text_value(table.value(cells, GROUP))
        unit = units_by_code.get(code or "")
        if unit is None:
            errors.append(note(table, number, UNIT, _("No unit %(code)s that you may change.") % {"code": code or "—"}))
        try:
            period = Period.parse(period_text or "")
        except ValueError as error:
            errors.append(note(table, number, PERIOD, str(error)))
            period = None
        group = None
        if period is not None:
            group = next(
                (item for item in groups if item.code == (group_code or "") and item.valid_in(period.year)), None
            )
            if group is None:
                errors.append(
                    note(
                        table,
                        number,
                        GROUP,
                        _("No group %(code)s in %(year)s.") % {"code": group_code or "—", "year": period.year},
                    )
                )
        try:
            points = parse_points(table.value(cells, POINTS_COLUMN), allow_blank=True)
            percent = parse_points(table.value(cells, PERCENT), allow_blank=True)
        except CellError as error:
            errors.append(note(table, number, POINTS_COLUMN, str(error)))
            continue
        if unit is None or group is None:
            continue
        key = (unit.pk, group.pk, period.code)
        if key in seen:
            errors.append(
                note(table, number, GROUP, _("Same unit, group and period as row %(row)s.") % {"row": seen[key]})
            )
            continue
        seen[key] = number
        score = GroupScore.objects.filter(unit=unit, group=group, period=period.code).first() or GroupScore(
            unit=unit, group=group, period=period.code
        )
        score.points, score.percent = points, percent
        score.comment = text_value(table.value(cells, COMMENT)) or score.comment
        try:
            score.full_clean(validate_unique=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                column = {"points": POINTS_COLUMN, "percent": PERCENT, "period": PERIOD, "group": GROUP}.get(field)
                errors.extend(note(table, number, column, message) for message in messages)
            continue
        scores.append(score)
    if errors:
        return Outcome(errors)
    with transaction.atomic():
        for score in scores:
            score.save()
    return Outcome([], scores, len(scores))


# --- Survey points ----------------------------------------------------------------------------------------------

SURVEY_COLUMNS = (ColumnSpec(UNIT, gettext_lazy("Unit code")), ColumnSpec(POINTS_COLUMN, gettext_lazy("Points")))
SURVEY_REQUIRED = (UNIT, POINTS_COLUMN)


def import_survey_points(table, *, criteria_set, by):
    """Each unit's survey points from the rows of ``table`` (unit code, points), all or nothing.

    A unit must be one the set scores and have an assessment; points are at most the set's survey maxima.
    """
    from .models import Assessment
    from .selectors import scored_units
    from .services import set_survey_points
    from .tree import Tree

    maximum = Tree.of(criteria_set).max_by_method(Method.SURVEY)
    units = {unit.code: unit for unit in scored_units(criteria_set)}
    assessments = {
        assessment.unit_id: assessment for assessment in Assessment.objects.filter(criteria_set=criteria_set)
    }
    errors, entries, seen = [], [], {}
    for number, cells in table.rows:
        code = text_value(table.value(cells, UNIT))
        unit = units.get(code or "")
        if unit is None:
            errors.append(
                note(table, number, UNIT, _("No unit %(code)s in this criteria set.") % {"code": code or "—"})
            )
            continue
        if unit.pk not in assessments:
            errors.append(
                note(table, number, UNIT, _("%(name)s has no assessment in this set yet.") % {"name": unit.name})
            )
            continue
        if code in seen:
            errors.append(note(table, number, UNIT, _("Same unit as row %(row)s.") % {"row": seen[code]}))
            continue
        seen[code] = number
        try:
            points = parse_points(table.value(cells, POINTS_COLUMN))
        except CellError as error:
            errors.append(note(table, number, POINTS_COLUMN, str(error)))
            continue
        if points > maximum:
            errors.append(
                note(
                    table,
                    number,
                    POINTS_COLUMN,
                    _("At most %(max)s survey points in this set.") % {"max": format(maximum.normalize(), "f")},
                )
            )
            continue
        entries.append((assessments[unit.pk], points))
    if errors:
        return Outcome(errors)
    with transaction.atomic():
        for assessment, points in entries:
            set_survey_points(assessment, by=by, points=points)
    return Outcome([], entries, len(entries))
