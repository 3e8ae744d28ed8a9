"""Small reads compiled to SQL once per process and run anew on every call.

Building a queryset (``filter`` with ``Q`` objects, ``select_related``) and compiling it costs more Python than
the database takes to answer the small reads every page makes (the inbox's, the targets', the PAR index's:
0.3–0.7 ms of SQL each, against as much again or more to build and compile them). When a read's queryset
depends only on a few simple values (a province's pk, a year, some units' pks), ``compiled`` builds and
compiles it once per process for each of those values and keeps only its SQL, its parameters and how to make
its rows into what the queryset gives. Every ``read()`` runs the SQL again: the rows are always the database's
current ones, never kept (the same rule as ``cchc.selectors``' ``_province_members_part``).

``from_db_rows`` makes the instances of a read as ``Model.from_db`` does, faster where that is only setting
attributes: the dashboard's own read (``cchc.selectors``) makes its units with it too.
"""

import functools

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import FlatValuesListIterable, ModelIterable, ValuesListIterable, get_related_populators
from django.db.models.query_utils import DeferredAttribute


class CompiledQuery:
    """A queryset's SQL and parameters, and what makes its rows into what iterating the queryset gives: model
    instances (with their ``select_related`` objects and annotations), tuples (``values_list``) or values
    (``values_list(flat=True)``)."""

    def __init__(self, queryset):
        if queryset._prefetch_related_lookups or queryset._known_related_objects:
            raise TypeError("A compiled read gives rows as they come: no prefetch, no known related objects.")
        self.kind = queryset._iterable_class
        if self.kind not in (ModelIterable, ValuesListIterable, FlatValuesListIterable):
            raise TypeError(f"A compiled read gives instances or values_list rows, not {self.kind.__name__}.")
        self.db = queryset.db
        compiler = queryset.query.get_compiler(using=self.db)
        try:
            self.sql, params = compiler.as_sql()
        except EmptyResultSet:
            self.sql, params = None, ()  # a queryset that can match nothing (``none()``): no query at all
        if self.sql is not None and compiler.has_extra_select:
            raise TypeError("A compiled read gives every column it selects (no DISTINCT ordered by others).")
        self.params = tuple(params)
        # The compiler's columns are plain expressions, kept without the compiler (which is bound to the
        # connection of the thread that compiled): each read asks its own connection for their converters.
        self.columns = [] if self.sql is None else [column for column, _sql, _alias in compiler.select]
        if self.kind is ModelIterable and self.sql is not None:
            klass_info = compiler.klass_info
            fields = klass_info["select_fields"]
            self.model = klass_info["model"]
            self.model_slice = slice(fields[0], fields[-1] + 1)
            self.init_list = [column.target.attname for column in self.columns[self.model_slice]]
            self.related_populators = get_related_populators(klass_info, compiler.select, self.db)
            self.annotations = tuple(compiler.annotation_col_map.items())

    def read(self):
        """The rows, read now: a list of what iterating the queryset gives."""
        if self.sql is None:
            return []
        connection = connections[self.db]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            rows = cursor.fetchall()
        if not rows:
            return []  # most of these reads find nothing: no converters to look up
        converters = [
            (index, functions, column)
            for index, column in enumerate(self.columns)
            if (functions := connection.ops.get_db_converters(column) + column.get_db_converters(connection))
        ]
        if converters:
            rows = [list(row) for row in rows]
            for row in rows:
                for index, functions, column in converters:
                    for function in functions:
                        row[index] = function(row[index], column, connection)
        if self.kind is ValuesListIterable:
            return [tuple(row) for row in rows]
        if self.kind is FlatValuesListIterable:
            return [row[0] for row in rows]
        made = from_db_rows(self.model, self.db, self.init_list, [row[self.model_slice] for row in rows])
        # As Django's ModelIterable completes each instance.
        for row, instance in zip(rows, made, strict=True):
            for populator in self.related_populators:
                populator.populate(row, instance)
            for name, position in self.annotations:
                setattr(instance, name, row[position])
        return made


def from_db_rows(model, db, attnames, rows):
    """``[model.from_db(db, attnames, values) for values in rows]``, made faster where ``from_db`` would do nothing
    but set each value as an attribute: the values of every concrete field in order, plain fields and foreign
    keys only, no ``pre_init``/``post_init`` receivers, ``__init__`` and ``from_db`` Django's own. Django's
    constructor cost some 25 Python calls per instance, 3,000 a page (the dashboard's units and provinces)."""
    if not rows:
        return []
    if not _sets_attributes_only(model, tuple(attnames)) or any(
        signal.has_listeners(model) for signal in (signals.pre_init, signals.post_init)
    ):
        return [model.from_db(db, attnames, values) for values in rows]
    made = []
    for values in rows:
        instance = model.__new__(model)
        state = instance._state = ModelState()
        state.adding, state.db = False, db
        instance.__dict__.update(zip(attnames, values, strict=True))
        made.append(instance)
    return made


# What a concrete field's attribute is on its model when setting it only stores the value: a plain field's, or a
# foreign key's (whose setter also forgets a related object cached, which a new instance has none of).
_PLAIN_ATTRIBUTES = (DeferredAttribute, ForeignKeyDeferredAttribute)


@functools.cache
def _sets_attributes_only(model, attnames):
    """Whether ``model.from_db(db, attnames, values)`` does nothing but make a ``ModelState`` and set each value
    (``Model.__init__`` with every concrete field given in order), the init signals aside."""
    return (
        list(attnames) == [field.attname for field in model._meta.concrete_fields]
        and model.__init__ is Model.__init__
        and model.from_db.__func__ is Model.from_db.__func__
        and all(type(getattr(model, name, None)) in _PLAIN_ATTRIBUTES for name in attnames)
    )


def compiled(build):
    """``build(*key)`` (simple, hashable values) makes a queryset; the decorated function gives its
    ``CompiledQuery``, compiled once per process for each key. A key holds a few pks or a year: the cache holds
    at most 512 keys, each a few kilobytes of SQL."""

    @functools.lru_cache(maxsize=512)
    @functools.wraps(build)
    def compile_read(*key):
        return CompiledQuery(build(*key))

    return compile_read
