"""What every list's table shares: a sort taken from the address (``?sort=``) only when it names a column.

django-tables2 reads ``sort`` as given and drops the names of no column, but first parses each one, and a value
with a dot (``?sort=1.000``) makes it warn that dotted paths are deprecated: a warning the test settings turn
into an error, and noise in production's log. A column's name never has a dot, so such a value is dropped
before django-tables2 sees it, like any other name of no column.
"""

import django_tables2 as tables


class KnownSortMixin:
    """Keep of the asked sort only the aliases (``name`` or ``-name``) of the table's own columns."""

    @property
    def order_by(self):
        return tables.Table.order_by.fget(self)

    @order_by.setter
    def order_by(self, value):
        aliases = value.split(",") if isinstance(value, str) else (value or ())
        tables.Table.order_by.fset(self, [alias for alias in aliases if str(alias).lstrip("-") in self.columns])
