"""The dashboard's read as a server-side prepared statement on PostgreSQL: planned once per connection.

The read (``cchc.selectors``) is one statement of a few kilobytes with a dozen CTEs; on a country-sized database
PostgreSQL spent about twice as long planning it as running it (EXPLAIN ANALYZE: planning 4–7 ms, execution
2–5 ms for a province, against 1 ms for a plain ``GROUP BY`` over the same rows). A prepared statement keeps the
plan for the connection's life (``CONN_MAX_AGE``), and each request only executes it: the figures are read
anew every time, only the plan is kept.

Each distinct SQL text (with its parameters' types) is prepared once per connection, in the same round trip as
its first execution (``PREPARE …; EXECUTE …``), so a read is always one query. The parameters' types are given
from the Python values (``bigint``, ``date``, ``text``…); a statement with a value of another kind, or past
``LIMIT`` statements on a connection, runs as plain SQL. Other databases run the SQL as it is.
"""

import datetime
import decimal
import functools
import hashlib
import re

from django.db import DatabaseError

# Distinct statements prepared on one connection: the read has a few shapes (one province, several periods,
# a list of units); the rest run unprepared rather than fill the server's memory.
LIMIT = 32

_PLACEHOLDER = re.compile(r"%%|%s")


@functools.lru_cache(maxsize=256)
def _types(kinds):
    """The parameters' types from their Python types (``type(value)`` of each), worked out once for each shape of
    parameters: the read has some 90, and telling each one's type apart cost more than looking the shape up."""
    return tuple(_type(kind) for kind in kinds)


def _type(kind):
    if issubclass(kind, bool):
        return "boolean"
    if issubclass(kind, int):
        return "bigint"
    if issubclass(kind, datetime.datetime):
        return "timestamptz"
    if issubclass(kind, datetime.date):
        return "date"
    if issubclass(kind, decimal.Decimal):
        return "numeric"
    if issubclass(kind, str):
        return "text"
    return None


def _numbered(sql):
    """``%s`` placeholders as ``$1, $2, …`` (and ``%%`` as ``%``): the SQL of a PREPARE, sent without values."""
    count = 0

    def number(match):
        nonlocal count
        if match.group() == "%%":
            return "%"
        count += 1
        return f"${count}"

    return _PLACEHOLDER.sub(number, sql)


def _statements(connection):
    """``{(sql, types): statement name, or None when it runs unprepared}`` of the current database session."""
    state = connection.__dict__.get("_cchc_prepared")
    if state is None or state[0] is not connection.connection:
        # A new session (Django reconnected): nothing is prepared on it yet.
        state = (connection.connection, {})
        connection.__dict__["_cchc_prepared"] = state
    return state[1]


def execute(connection, cursor, sql, params):
    """Run ``sql`` with ``params`` on ``cursor``, as a prepared statement on PostgreSQL where it can be."""
    params = list(params)
    if connection.vendor != "postgresql":
        cursor.execute(sql, params)
        return
    types = _types(tuple(map(type, params)))
    statements = _statements(connection)
    key = (sql, types)
    if key not in statements:
        if None in types or len(statements) >= LIMIT:
            statements[key] = None
        else:
            name = "cchc_" + hashlib.sha1(repr(key).encode()).hexdigest()[:16]
            execute_it = _execute_sql(name, params)
            prepare = f"PREPARE {name} ({', '.join(types)}) AS {_numbered(sql)}"
            try:
                # One round trip: the read stays one query whether or not it was prepared before.
                cursor.execute(prepare.replace("%", "%%") + ";\n" + execute_it, params)
            except DatabaseError:
                statements[key] = None
                if connection.in_atomic_block:
                    raise
                cursor.execute(sql, params)
                return
            statements[key] = name
            return
    name = statements[key]
    if name is None:
        cursor.execute(sql, params)
    else:
        cursor.execute(_execute_sql(name, params), params)


def _execute_sql(name, params):
    return f"EXECUTE {name} ({', '.join(['%s'] * len(params))})" if params else f"EXECUTE {name}"
