"""Reads for the dashboard, the unit page, the charts, the exports and the JSON feed.

Every read here is ONE SQL query, whatever the number of units or quarters, and it reads each table once:

- ``periods``: the periods asked for (one for the dashboard, eight quarters for a trend, the four quarters and
  the year for a unit's page), as a small ``VALUES`` table;
- ``members``: which units make up the read in each period (compiled from the ``Unit`` querysets, so that the
  validity rule stays ``UnitQuerySet.active_in``'s);
- ``reports``: the counted reports of the members in each period, each with its unit's earliest and latest
  reported quarter of the period (a window over the same rows: found once, not per figure); for a read of
  many units (several provinces) found through the reports' (year, quarter, status) index first;
- ``report_totals``: per (period, unit), the report-level figures after their time rule, and report counts;
- ``levels``: per (period, unit, level), the dossier figures after their time rule, and the paired sums of the
  flow rates over the level's quarter rows (``PER_ROW`` in ``cchc.indicators``);
- ``level_totals``: per (period, unit), the levels added up, and the paired sums of the rates that pair per
  (unit, level) (``PER_LEVEL``);
- ``tasks`` and ``recommendations``: the reform plan's tasks and the inspection recommendations, aggregated
  per unit the same way (never several multi-valued joins in one GROUP BY);
- ``joined`` and ``unit_rows``: the members left-joined to all of these, and each unit's pairs made where they
  pair per unit (``PER_UNIT``, and ``PER_LEVEL`` when the "all levels" row gives a figure);
- then the units' own columns joined to each row; or, for the whole country (``country_rows``), the rows added
  up per province in the same query (``GROUP BY``), as ``totals`` adds them.

The SQL is generated from the registries (``dossiers.figures`` for how a figure adds up over time,
``cchc.indicators`` for what a rate divides and where its pair is made) once per process, and the rules it
filters by are compiled from the model layer's own (``Period.reports_q``: the reports of a period;
``districts.models.done_by``: a task done by the end of the period); only the ``members`` and
``recommendations`` parts are compiled per request from querysets. Values are always bound parameters. Every
rate's value is computed in Python from the row's paired sums.

A row is the ``Unit`` with the period's figures set on it as attributes (one per figure code), ``to_handle``,
report and task and recommendation counts, and for each indicator ``<code>_num`` and ``<code>_den`` (the
paired sums), ``<code>_full`` (the full denominator), ``<code>_sort`` (the rate as a fraction, for ordering
and filtering) and ``indicators[code]`` (an ``IndicatorValue``). Other code may add attributes of its own.
"""

import functools
import operator
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, Count, DateField, F, Func, IntegerField, Lookup, Q, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone

from cchc import prepared
from cchc.indicators import FOLLOW_UP_INDICATORS, INDICATORS, INDICATORS_BY_CODE, PER_LEVEL, PER_ROW
from cchc.lib.compiled import from_db_rows
from cchc.lib.numbers import IndicatorValue
from cchc.lib.periods import Period
from districts.access import unit_or_under_q
from districts.models import ReformPlan, ReformTask, Unit, done_by
from dossiers.figures import ALL_FIGURES, DOSSIER_FIGURES, REPORT_FIGURES, Aggregation
from dossiers.models import COUNTED_STATUSES, LevelFigures, QuarterlyReport, ReportLevel, ReportStatus
from inspections.models import Recommendation, closed_on_time_q, due_q, open_q, overdue_q

FIGURE_CODES = tuple(figure.code for figure in ALL_FIGURES)
# Counts derived from the figures and shown beside them: dossiers to handle in the period.
DERIVED_CODES = ("to_handle",)
# Dossiers to handle: the resolution rate's denominator (carried over plus received).
_TO_HANDLE = INDICATORS_BY_CODE["resolution_rate"].denominator
ALL_INDICATORS = INDICATORS + FOLLOW_UP_INDICATORS
REPORT_COUNTS = ("reports_counted", "reports_unapproved")
TASK_COUNTS = ("tasks_total", "tasks_done")
RECOMMENDATION_COUNTS = (
    "recommendations_open",
    "recommendations_overdue",
    "recommendations_due",
    "recommendations_closed_on_time",
)
EXTRA_COUNTS = TASK_COUNTS + RECOMMENDATION_COUNTS
_PAIR_NAMES = tuple(name for indicator in ALL_INDICATORS for name in (indicator.num, indicator.den, indicator.full))
# What was received, by channel: a grouped row also sums these over its units that give all three (a unit that
# leaves one blank cannot be split into channels), as ``<code>_split``.
CHANNEL_CODES = ("received", "received_online", "received_postal")
# The columns of a unit's row after its own, and of a grouped row: each adds up over units.
_ROW_NAMES = REPORT_COUNTS + FIGURE_CODES + DERIVED_CODES + EXTRA_COUNTS + _PAIR_NAMES


class SubquerySum(Subquery):
    """The sum of ``field`` over a queryset, as a scalar subquery (NULL when every value is NULL).

    Not used by the reads here any more (they aggregate each table once); kept for the inspections' list of
    sessions, which counts a few rows per session.
    """

    output_field = IntegerField()

    def __init__(self, queryset, field, function="SUM"):
        queryset = queryset.order_by().annotate(_total=Func(F(field), function=function)).values("_total")
        super().__init__(queryset)


# --- Paired values --------------------------------------------------------------------------------------------------


def _add(values):
    """The sum of the values present; ``None`` when none is."""
    present = [value for value in values if value is not None]
    return sum(present) if present else None


# --- The SQL, generated from the registries once per process ---------------------------------------------------------


def _table(model):
    return model._meta.db_table


def _present(columns, prefix=""):
    return " AND ".join(f"{prefix}{column} IS NOT NULL" for column in columns)


def _expression(codes, prefix=""):
    return " + ".join(f"{prefix}{code}" for code in codes)


def _check_registry():
    aggregation = {figure.code: figure.aggregation for figure in ALL_FIGURES}
    dossier = {figure.code for figure in DOSSIER_FIGURES}
    for indicator in ALL_INDICATORS:
        if indicator.grain == PER_ROW:
            # A pair per quarter row only makes sense between flows that add up over the quarters.
            assert all(aggregation.get(code) == Aggregation.SUM and code in dossier for code in indicator.figures)
        if indicator.grain == PER_LEVEL:
            assert all(code in dossier for code in indicator.figures)


# The rule of a figure over a period's quarters that is not a plain sum: the first or the last reported quarter's.
_WHEN = {Aggregation.FIRST: "quarter = first_q", Aggregation.LAST: "quarter = last_q"}


def _over_time(figures):
    """Each figure taken over the period by its time rule (``dossiers.figures``): summed, or the first or the
    last reported quarter's."""
    return [
        f"SUM({figure.code}) AS {figure.code}"
        if figure.aggregation == Aggregation.SUM
        else f"SUM({figure.code}) FILTER (WHERE {_WHEN[figure.aggregation]}) AS {figure.code}"
        for figure in figures
    ]


def _compiled(model, alias, condition):
    """A rule of the model layer (a ``Q``) as SQL over ``model``'s rows named ``alias``, and its parameters."""
    query = model.objects.filter(condition).query
    where = query.where.relabeled_clone({model._meta.db_table: alias})
    sql, params = where.as_sql(query.get_compiler(connection=connection), connection)
    return sql, list(params)


def _period_column(name, field):
    return RawSQL(f"p.{name}", (), output_field=field)


# A row ``p`` of the ``periods`` CTE as a Period, so that "the reports of a period" (Period.reports_q) is compiled
# from its one definition rather than written again here; likewise "a task done by the end of the period".
_PERIOD_ROW = Period(*(_period_column(name, IntegerField()) for name in ("year", "first_q", "last_q")))
_PERIOD_END = _period_column("period_end", DateField())


def _unit_pair(indicator):
    """An indicator's ``(numerator, denominator, full denominator)`` paired over the unit's own totals: both, or
    neither when one is blank (a total is blank while one of its figures is)."""
    numerator, denominator = _expression(indicator.numerator), _expression(indicator.denominator)
    both = f"({numerator}) IS NOT NULL AND ({denominator}) IS NOT NULL"
    return f"CASE WHEN {both} THEN {numerator} END", f"CASE WHEN {both} THEN {denominator} END", denominator


@functools.cache
def _body_sql(statuses, by_period, grouped):
    """Everything after the ``periods`` and ``members`` CTEs, and its parameters (all fixed: the statuses counted
    are part of the key).

    ``by_period``: the reports are found through the (year, quarter, status) index, then matched to the members
    (a read of many units: the whole country); otherwise each member's reports through its unit (a province).
    ``grouped``: one row per (period, ``grp`` of the members), each column the sum over its units (the
    country's provinces); otherwise one row per unit, with the unit's own columns first.

    The recommendations' SQL (compiled per request) goes where ``{recommendations}`` stands; its parameters
    come last.
    """
    _check_registry()
    reports, levels = _table(QuarterlyReport), _table(LevelFigures)
    plans, tasks = _table(ReformPlan), _table(ReformTask)
    params = {name: [] for name in ("reports", "report_totals", "level_rows", "level_totals", "tasks")}

    report_columns = ", ".join(f"r.{figure.code}" for figure in REPORT_FIGURES)
    row_columns = [f"lf.{figure.code}" for figure in DOSSIER_FIGURES]
    level_figures = _over_time(DOSSIER_FIGURES)
    # Sums of sums are NUMERIC on PostgreSQL (Decimal in Python): cast back to whole numbers in the database.
    level_totals = [f"{_sum(figure.code)} AS {figure.code}" for figure in DOSSIER_FIGURES]
    level_pairs, pairs = [], []
    for indicator in ALL_INDICATORS:
        names = (indicator.num, indicator.den, indicator.full)
        numerator, denominator = _expression(indicator.numerator), _expression(indicator.denominator)
        if indicator.grain == PER_ROW:
            # A figure given on the "all levels" row is the unit's total: a pair that involves it is made over
            # the whole report of that quarter (Cao Lãnh: 484 online for the district, received per level).
            # Every other pair is made on each level row.
            row_numerator, row_denominator = (
                _expression(indicator.numerator, "lf."),
                _expression(indicator.denominator, "lf."),
            )
            any_given = " OR ".join(f"lf.{code} IS NOT NULL" for code in indicator.figures)
            row_columns += [
                f"MAX(CASE WHEN lf.level = %s AND ({any_given}) THEN 1 ELSE 0 END) "
                f"OVER (PARTITION BY lf.report_id) AS {indicator.code}_whole",
                f"COUNT({row_numerator}) OVER (PARTITION BY lf.report_id) AS {indicator.code}_has_num",
                f"COUNT({row_denominator}) OVER (PARTITION BY lf.report_id) AS {indicator.code}_has_den",
            ]
            params["level_rows"].append(str(ReportLevel.ALL))
            paired = (
                f"({indicator.code}_whole = 1 AND {indicator.code}_has_num > 0 AND {indicator.code}_has_den > 0) "
                f"OR ({indicator.code}_whole = 0 AND {_present(indicator.figures)})"
            )
            level_figures += [
                f"SUM({numerator}) FILTER (WHERE {paired}) AS {indicator.num}",
                f"SUM({denominator}) FILTER (WHERE {paired}) AS {indicator.den}",
                f"SUM({denominator}) AS {indicator.full}",
            ]
            level_totals += [f"{_sum(name)} AS {name}" for name in names]
            level_pairs += names
            pairs += names
        elif indicator.grain == PER_LEVEL:
            # Paired per level; but when the "all levels" row gives one of the figures, that row is the unit's
            # total for it, and the pair is made over the unit's totals.
            any_given = " OR ".join(f"{code} IS NOT NULL" for code in indicator.figures)
            both = _present(indicator.figures)
            whole = f"{indicator.code}_whole"
            level_totals += [
                f"{_sum(numerator, both)} AS {indicator.num}",
                f"{_sum(denominator, both)} AS {indicator.den}",
                f"{_sum(denominator)} AS {indicator.full}",
                f"MAX(CASE WHEN level = %s AND ({any_given}) THEN 1 ELSE 0 END) AS {whole}",
            ]
            params["level_totals"].append(str(ReportLevel.ALL))
            level_pairs += (*names, whole)
            pairs += [
                f"CASE WHEN {whole} = 1 THEN {over_unit} ELSE {name} END AS {name}"
                for over_unit, name in zip(_unit_pair(indicator), names, strict=True)
            ]
        else:
            # Per unit: the report's figures of the whole unit, the plan's tasks, the recommendations.
            pairs += [f"{over_unit} AS {name}" for over_unit, name in zip(_unit_pair(indicator), names, strict=True)]

    counted = _PERIOD_ROW.reports_q() & Q(status__in=statuses)
    period_reports, params["reports"] = _compiled(QuarterlyReport, "r", counted)
    if by_period:
        # MATERIALIZED: the planner, which cannot know how many units the members are, would otherwise look the
        # reports up unit by unit (768 index scans for the country, 20,000 rows read for 1,500 kept).
        reports_sql = f"""period_reports AS MATERIALIZED (
  SELECT p.pid, r.unit_id, r.id, r.quarter, r.status, {report_columns}
  FROM periods p JOIN {reports} r ON {period_reports}
),
reports AS (
  SELECT r.*,
    MIN(r.quarter) OVER (PARTITION BY r.pid, r.unit_id) AS first_q,
    MAX(r.quarter) OVER (PARTITION BY r.pid, r.unit_id) AS last_q
  FROM period_reports r JOIN members m ON m.pid = r.pid AND m.unit_id = r.unit_id
)"""
    else:
        reports_sql = f"""reports AS (
  SELECT m.pid, r.unit_id, r.id, r.quarter, r.status, {report_columns},
    MIN(r.quarter) OVER (PARTITION BY m.pid, r.unit_id) AS first_q,
    MAX(r.quarter) OVER (PARTITION BY m.pid, r.unit_id) AS last_q
  FROM members m
  JOIN periods p ON p.pid = m.pid
  JOIN {reports} r ON r.unit_id = m.unit_id AND {period_reports}
)"""
    params["report_totals"].append(str(ReportStatus.APPROVED))
    task_done, params["tasks"] = _compiled(ReformTask, "t", done_by(_PERIOD_END))
    joined = (
        [f"COALESCE(rt.{name}, 0) AS {name}" for name in REPORT_COUNTS]
        + [f"rt.{figure.code}" for figure in REPORT_FIGURES]
        + [f"lt.{figure.code}" for figure in DOSSIER_FIGURES]
        + [f"lt.{name}" for name in level_pairs]
        + ["tk.tasks_total", "COALESCE(tk.tasks_done, 0) AS tasks_done"]
        + [f"COALESCE(rc.{name}, 0) AS {name}" for name in RECOMMENDATION_COUNTS]
    )
    # Each unit's row (``unit_rows``): its columns, and the pairs made per unit (PER_UNIT, and PER_LEVEL over the
    # unit's totals) from them.
    row = [*REPORT_COUNTS, *FIGURE_CODES, f"{_expression(_TO_HANDLE)} AS to_handle", *EXTRA_COUNTS, *pairs]
    if grouped:
        split = [f"{_sum(code, _present(CHANNEL_CODES))} AS {code}_split" for code in CHANNEL_CODES]
        final = f"""SELECT pid AS period_index, grp,
  {_lines([f"{_sum(name)} AS {name}" for name in _ROW_NAMES] + split, indent="  ")}
FROM unit_rows GROUP BY pid, grp"""
    else:
        unit_columns = ", ".join(f"u.{field.column}" for field in Unit._meta.concrete_fields)
        final = f"""SELECT {unit_columns}, f.pid AS period_index,
  {_lines([f"f.{name}" for name in _ROW_NAMES], indent="  ")}
FROM unit_rows f
JOIN {_table(Unit)} u ON u.id = f.unit_id
ORDER BY f.pid, LENGTH(u.code), u.code, u.id"""
    sql = f""",
{reports_sql},
report_totals AS (
  SELECT pid, unit_id, COUNT(*) AS reports_counted, COUNT(*) FILTER (WHERE status <> %s) AS reports_unapproved,
    {_lines(_over_time(REPORT_FIGURES))}
  FROM reports GROUP BY pid, unit_id
),
level_rows AS (
  SELECT rp.pid, rp.unit_id, rp.quarter, rp.first_q, rp.last_q, lf.level,
    {_lines(row_columns)}
  FROM reports rp JOIN {levels} lf ON lf.report_id = rp.id
),
levels AS (
  SELECT pid, unit_id, level,
    {_lines(level_figures)}
  FROM level_rows GROUP BY pid, unit_id, level
),
level_totals AS (
  SELECT pid, unit_id,
    {_lines(level_totals)}
  FROM levels GROUP BY pid, unit_id
),
tasks AS (
  SELECT m.pid, pl.unit_id, COUNT(*) AS tasks_total, COUNT(*) FILTER (WHERE {task_done}) AS tasks_done
  FROM members m
  JOIN periods p ON p.pid = m.pid
  JOIN {plans} pl ON pl.unit_id = m.unit_id AND pl.year = p.year
  JOIN {tasks} t ON t.plan_id = pl.id
  GROUP BY m.pid, pl.unit_id
),
recommendations AS ({{recommendations}}),
joined AS (
  SELECT m.pid, m.unit_id, m.grp,
    {_lines(joined)}
  FROM members m
  LEFT JOIN report_totals rt ON rt.pid = m.pid AND rt.unit_id = m.unit_id
  LEFT JOIN level_totals lt ON lt.pid = m.pid AND lt.unit_id = m.unit_id
  LEFT JOIN tasks tk ON tk.pid = m.pid AND tk.unit_id = m.unit_id
  LEFT JOIN recommendations rc ON rc.unit_id = m.unit_id
  WHERE m.keep = 1 OR rt.reports_counted > 0
),
unit_rows AS (
  SELECT pid, unit_id, grp,
    {_lines(row)}
  FROM joined
)
{final}"""
    order = ("reports", "report_totals", "level_rows", "level_totals", "tasks")
    return sql, tuple(value for name in order for value in params[name])


def _sum(expression, where=None):
    condition = f" FILTER (WHERE {where})" if where else ""
    return f"CAST(SUM({expression}){condition} AS BIGINT)"


def _lines(items, indent="    "):
    return (",\n" + indent).join(items)


class _AmongMembers(Lookup):
    """``unit_id IN (SELECT unit_id FROM members)``; with ``few`` members, on PostgreSQL,
    ``= ANY(ARRAY(SELECT unit_id FROM members))``.

    The planner cannot tell how many units the members CTE holds: for a province's dozen it read every
    recommendation of the country (a sequential scan of 8,227 rows, a third of the page's read) to keep a hundred.
    Over an array it looks each member up through the unit index. For the whole country (hundreds of members) the
    scan is the better plan, and stays.
    """

    lookup_name = "among_members"

    def __init__(self, lhs, *, few):
        super().__init__(lhs, RawSQL("SELECT unit_id FROM members", ()))
        self.few = few

    def as_sql(self, compiler, connection):
        lhs, params = compiler.compile(self.lhs)
        if self.few and connection.vendor == "postgresql":
            return f"{lhs} = ANY(ARRAY(SELECT unit_id FROM members))", params
        return f"{lhs} IN (SELECT unit_id FROM members)", params


@functools.lru_cache(maxsize=8)
def _recommendations_sql(today, few):
    """Recommendations made to each member unit, by state as of ``today`` (inspections.models defines each);
    ``few``: the members are a province's units, not the whole country's (``_AmongMembers``).

    A unit's own internal inspections (of its departments) are its own business and are left out: these are
    the recommendations of the inspections by others, the province's above all.
    """
    made_to_members = Recommendation.objects.filter(_AmongMembers(F("unit_id"), few=few)).filter(
        Q(session__isnull=True) | ~Q(session__inspecting_unit=F("unit"))
    )
    counts = (
        made_to_members.order_by()
        .values("unit_id")
        .annotate(
            recommendations_open=Count("pk", filter=open_q()),
            recommendations_overdue=Count("pk", filter=overdue_q(today)),
            recommendations_due=Count("pk", filter=due_q(today)),
            recommendations_closed_on_time=Count("pk", filter=closed_on_time_q()),
        )
    )
    # Compiled once a day per process (its dates are today's), as a tuple: the cached parameters stay as built.
    sql, params = counts.query.sql_with_params()
    return sql, tuple(params)


@dataclass(frozen=True)
class ProvinceMembers:
    """The members of a read of provinces in a period (``province_members``), named by the provinces' pks: its
    SQL is compiled once per process for each (position, period, provinces), not on every request."""

    period: Period
    province_ids: tuple


def _members_sql(members_by_period):
    """``members`` from one ``Unit`` queryset (or ``ProvinceMembers``) per period: its units; whether each is a
    row whatever its reports (``keep`` = 1) or only when it has a counted report in the period (0); and the row
    it adds up into in a grouped read (``grp``: its province, or itself)."""
    parts, params = [], []
    for index, units in enumerate(members_by_period):
        if isinstance(units, ProvinceMembers):
            part = _province_members_part(index, units)
        else:
            part = _members_part(index, units)
        if part is None:
            continue  # no unit at all (a user who may see no province): nothing to read for the period
        parts.append(part[0])
        params.extend(part[1])
    return (" UNION ALL ".join(parts) if parts else None), params


def _members_part(index, units):
    if "keep" not in units.query.annotations:
        units = units.annotate(keep=Value(1, output_field=IntegerField()))
    if "grp" not in units.query.annotations:
        units = units.annotate(grp=F("pk"))
    members = units.order_by().values(
        pid=Value(index, output_field=IntegerField()), unit_id=F("pk"), keep=F("keep"), grp=F("grp")
    )
    try:
        sql, params = members.query.sql_with_params()
    except EmptyResultSet:
        return None
    return f"SELECT pid, unit_id, keep, grp FROM ({sql}) members_{index}", tuple(params)


@functools.lru_cache(maxsize=1024)
def _province_members_part(index, members):
    # Building the queryset's SQL cost more than the database's whole read of a province; only the SQL is kept
    # (the figures are read anew on every request).
    return _members_part(index, province_members(period=members.period, province_ids=members.province_ids))


def _periods_sql(periods):
    rows, params = [], []
    for index, period in enumerate(periods):
        rows.append("(%s, %s, %s, %s, %s, %s)")
        params += [
            index,
            period.year,
            period.first_quarter,
            period.last_quarter,
            connection.ops.adapt_datefield_value(period.start),
            connection.ops.adapt_datefield_value(period.end),
        ]
    return "periods (pid, year, first_q, last_q, period_start, period_end) AS (VALUES " + ", ".join(rows) + ")", params


def _execute(periods, members_by_period, statuses, today, *, by_period, grouped):
    """Run the one query: ``(column names, rows)``, or ``None`` when there is no unit to read."""
    periods_sql, periods_params = _periods_sql(periods)
    members_sql, members_params = _members_sql(members_by_period)
    if members_sql is None:
        return None
    recommendations_sql, recommendations_params = _recommendations_sql(today, not by_period)
    head = f"WITH {periods_sql},\nmembers AS ({members_sql})"
    body, body_params = _body_sql(tuple(str(status) for status in statuses), by_period, grouped)
    body = body.replace("{recommendations}", recommendations_sql)
    params = [*periods_params, *members_params, *body_params, *recommendations_params]
    with connection.cursor() as cursor:
        prepared.execute(connection, cursor, head + body, params)
        return [column[0] for column in cursor.description], cursor.fetchall()


def _read(periods, members_by_period, statuses, today, *, by_period=False):
    """``{period index: [rows]}``: a ``Unit`` per member row, its figures and indicators set on it."""
    by_index = {index: [] for index in range(len(periods))}
    result = _execute(periods, members_by_period, statuses, today, by_period=by_period, grouped=False)
    if result is None:
        return by_index
    names, fetched = result
    # The unit's own columns come first (as Unit.from_db wants them), converted as the ORM would.
    attnames = [field.attname for field in Unit._meta.concrete_fields]
    width = len(attnames)
    converters = _unit_converters()
    extra = names[width + 1 :]
    units = []
    for values in fetched:
        unit_values = list(values[:width])
        for index, functions, expression in converters:
            for function in functions:
                unit_values[index] = function(unit_values[index], expression, connection)
        units.append(unit_values)
    for values, row in zip(fetched, from_db_rows(Unit, connection.alias, attnames, units), strict=True):
        period_index = values[width]
        data = dict(zip(extra, values[width + 1 :], strict=True))
        _finish(data, periods[period_index])
        row.__dict__.update(data)
        by_index[period_index].append(row)
    return by_index


def _grouped_read(periods, members_by_period, statuses, today):
    """``{period index: {grp: {column: sum over the group's units}}}``: the read added up in the database."""
    by_index = {index: {} for index in range(len(periods))}
    result = _execute(periods, members_by_period, statuses, today, by_period=True, grouped=True)
    if result is None:
        return by_index
    names, fetched = result
    for values in fetched:
        data = dict(zip(names, values, strict=True))
        by_index[data.pop("period_index")][data.pop("grp")] = data
    return by_index


def _unit_converters():
    """``(position, converters, expression)`` of the unit's columns that need converting (dates on SQLite)."""
    found = []
    for index, field in enumerate(Unit._meta.concrete_fields):
        column = field.get_col(_table(Unit))
        functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if functions:
            found.append((index, functions, column))
    return found


# For each indicator, its names on a row.
_PAIRS = tuple(
    (indicator.code, indicator.num, indicator.den, indicator.full, indicator.sort) for indicator in ALL_INDICATORS
)


def _finish(data, period):
    """Every indicator's value from a row's paired sums (``data``, updated in place)."""
    data["period"] = period
    indicators = {}
    for code, num, den, full, sort in _PAIRS:
        numerator, denominator = data[num], data[den]
        indicators[code] = IndicatorValue(numerator, denominator, data[full])
        data[sort] = numerator / denominator if denominator else None
    data["indicators"] = indicators


# --- Which units make up a read ---------------------------------------------------------------------------------------


def _under(provinces, period):
    """The units directly under the provinces that existed in the period, and the provinces themselves."""
    return Unit.objects.active_in(period).filter(unit_or_under_q(provinces))


def _province_ids(province=None, provinces=None, province_ids=None):
    if province_ids is not None:
        return list(province_ids)
    return [province.pk] if provinces is None else provinces.values("pk")


def province_members(*, period, province=None, provinces=None, province_ids=None):
    """The candidates for a province's rows (or several provinces'), with ``keep`` = 1 for those that are rows
    whatever their reports: the units directly under it. The province itself is a row only with a report of
    its own in the period (the read keeps it then). ``grp``: the province each adds up into."""
    ids = _province_ids(province, provinces, province_ids)
    return _under(ids, period).annotate(
        keep=Case(When(parent__in=ids, then=Value(1)), default=Value(0), output_field=IntegerField()),
        grp=Case(When(pk__in=ids, then=F("pk")), default=F("parent_id")),
    )


def province_units(*, period, province=None, provinces=None, statuses=COUNTED_STATUSES):
    """The units whose rows make up a province's table for the period (or several provinces' tables).

    The units directly under the province that existed in the period (districts before 1 July 2025,
    communes after), and the province itself when it has a report of its own in the period.
    """
    if isinstance(period, str):
        period = Period.parse(period)
    ids = _province_ids(province, provinces)
    own_report = QuarterlyReport.objects.in_period(period).filter(status__in=statuses)
    return _under(ids, period).filter(Q(parent__in=ids) | Q(pk__in=own_report.values("unit_id")))


# --- The reads --------------------------------------------------------------------------------------------------------


def _period(period):
    return Period.parse(period) if isinstance(period, str) else period


def unit_rows(*, units, period, statuses=COUNTED_STATUSES, today=None):
    """One row per unit of ``units`` (a ``Unit`` queryset), with every figure and indicator of the period.

    Recommendation counts are as of ``today`` (the local date by default). One query.
    """
    return rows_by_period(units=units, periods=[period], statuses=statuses, today=today)[0]


def rows_by_period(*, periods, units=None, province=None, provinces=None, statuses=COUNTED_STATUSES, today=None):
    """The rows of several periods at once, in one query: ``[rows of periods[0], rows of periods[1], …]``.

    Either ``units`` (the same units in every period), or ``province`` / ``provinces`` (each period's rows are
    the province's rows in that period: a district abolished in 2025 keeps its earlier quarters).
    """
    periods = [_period(period) for period in periods]
    if units is not None:
        members = [units for _period_ in periods]
    elif provinces is None:
        members = [ProvinceMembers(period, (province.pk,)) for period in periods]
    else:
        members = [province_members(period=period, provinces=provinces) for period in periods]
    # Several provinces' units are many: their reports are found by period rather than unit by unit.
    by_period = _read(periods, members, statuses, today or timezone.localdate(), by_period=provinces is not None)
    return [by_period[index] for index in range(len(periods))]


def province_rows(*, period, province=None, provinces=None, statuses=COUNTED_STATUSES, today=None):
    """A province's rows for the period (or those of several provinces): one query.

    The units directly under the province that existed in the period (districts before 1 July 2025, communes
    after), and the province itself when it has a report of its own in the period, ordered as the units are
    (by level, then code).
    """
    return rows_by_period(periods=[period], province=province, provinces=provinces, statuses=statuses, today=today)[0]


def indicator_values(row):
    """``{indicator code: IndicatorValue}`` of one row's core indicators."""
    return {indicator.code: row.indicators[indicator.code] for indicator in INDICATORS}


# What a total adds up, in one pass over the rows (a country's table adds some 800 rows, 80 values each).
_TOTALLED = FIGURE_CODES + DERIVED_CODES + EXTRA_COUNTS + _PAIR_NAMES
_totalled = operator.attrgetter(*_TOTALLED)


def totals(rows):
    """The total over rows: figures summed, each rate the ratio of the units' paired sums added up.

    ``{"figures": …, "indicators": {code: IndicatorValue} (core), "follow_up": {…}, and each count}``.
    """
    rows = list(rows)
    columns = zip(*map(_totalled, rows), strict=True)
    sums = dict(zip(_TOTALLED, map(_add, columns), strict=True)) if rows else dict.fromkeys(_TOTALLED)

    def pair(indicator):
        return IndicatorValue(sums[indicator.num], sums[indicator.den], sums[indicator.full])

    figures = {code: sums[code] for code in FIGURE_CODES + DERIVED_CODES}
    indicators = {indicator.code: pair(indicator) for indicator in INDICATORS}
    extras = {name: sums[name] for name in EXTRA_COUNTS}
    # Apart from "indicators", which holds the core indicators only (the JSON feed reads it).
    follow_up = {indicator.code: pair(indicator) for indicator in FOLLOW_UP_INDICATORS}
    return {"figures": figures, "indicators": indicators, "follow_up": follow_up, **extras}


def country_rows(*, provinces, period, statuses=COUNTED_STATUSES, today=None, shown=None):
    """One row per province that existed in the period: its total (its own report and the units directly
    under it), each column the sum of its units' as ``totals`` adds them, added up in the database. Two
    queries: the provinces, and the one read; only the read when the caller has read the provinces of
    ``provinces`` that existed in the period already (``shown``, in any order: the dashboard's list), which
    become the rows."""
    period = _period(period)
    if shown is None:
        shown = list(provinces.active_in(period).order_by("code", "pk"))
    else:
        shown = sorted(shown, key=lambda province: (province.code, province.pk))
    members = ProvinceMembers(period, tuple(province.pk for province in shown))
    sums = _grouped_read([period], [members], statuses, today or timezone.localdate())[0]
    return [_province_total(province, sums.get(province.pk), period) for province in shown]


def country_sums_by_period(*, provinces, periods, statuses=COUNTED_STATUSES, today=None):
    """For each period, one row per province of ``provinces`` with units in it: the rows that ``rows_by_period``
    reads for those provinces, added up per province in the database (each column as ``totals`` adds it, and
    the channel sums ``<code>_split``). One query; no ``Unit`` is built. The rows are in no particular order."""
    periods = [_period(period) for period in periods]
    members = [province_members(period=period, provinces=provinces) for period in periods]
    sums = _grouped_read(periods, members, statuses, today or timezone.localdate())
    return [[SimpleNamespace(**data) for data in sums[index].values()] for index in range(len(periods))]


def _province_total(province, sums, period):
    """``province`` made a row of the country's table from its units' sums (``None``: it has no unit)."""
    data = dict(sums) if sums is not None else {**dict.fromkeys(_ROW_NAMES), **dict.fromkeys(REPORT_COUNTS, 0)}
    _finish(data, period)
    province.__dict__.update(data)
    province.is_province_total = True
    return province
