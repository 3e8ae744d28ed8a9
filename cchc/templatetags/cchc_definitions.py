"""What each column of a figures table means, as a list a keyboard or a finger can open (a ``<details>``): the
headers' hover titles alone reach only a mouse."""

from django import template
from django.template.loader import render_to_string
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cchc.tables import FastBodyMixin
from dossiers.figures import FIGURES_BY_CODE

register = template.Library()

# Columns whose header carries no definition of its own (the indicators' and the target gap's do, as titles).
DEFINITIONS = {
    "to_handle": _("Dossiers to handle: carried over from the previous quarter plus received in the quarter."),
    "received": FIGURES_BY_CODE["received"].help_text,
    "resolved": FIGURES_BY_CODE["resolved"].help_text,
    "recommendations_open": _(
        "Recommendations of the unit not yet done, as of today whatever the period; below, how many of them are "
        "past their deadline."
    ),
}


# The definitions' HTML of a table of static columns, per table class, visible columns and language.
_KEPT = {}


@register.simple_tag
def column_definitions(table):
    """The definitions of a django-tables2 table's visible columns: the header's title, else ``DEFINITIONS``.

    A table written by ``FastBodyMixin`` has static columns (their headers and titles lazy texts of the code):
    its list is the same in one language whatever the rows, and is written once per process for its class,
    visible columns and language (some thirty lazy texts and template nodes a page otherwise).
    """
    if not isinstance(table, FastBodyMixin):
        return _html(table)
    key = (type(table), tuple(column.name for column in table.columns), get_language())
    if key not in _KEPT:
        _KEPT[key] = _html(table)
    return _KEPT[key]


def _html(table):
    return render_to_string("cchc/_column_definitions.html", {"definitions": _definitions(table)})


def _definitions(table):
    definitions = []
    # The dashboard's table (cchc.tables.FastBodyMixin) has worked out each column's attributes already.
    attrs_of = getattr(table, "column_attrs", lambda column: column.attrs)
    for column in table.columns:
        definition = attrs_of(column).get("th", {}).get("title") or DEFINITIONS.get(column.name)
        if definition:
            definitions.append((capfirst(str(column.header)), definition))
    return definitions


@register.inclusion_tag("cchc/_column_definitions.html")
def indicator_definitions(indicators, *codes):
    """The definitions of ``codes`` (figures, as in ``DEFINITIONS``) then of each indicator."""
    definitions = [(capfirst(str(FIGURES_BY_CODE[code].label)), DEFINITIONS[code]) for code in codes]
    definitions += [(capfirst(str(indicator.short_label)), indicator.definition) for indicator in indicators]
    return {"definitions": definitions}
