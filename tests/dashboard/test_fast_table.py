"""The dashboard table is written in Python (cchc.tables.FastBodyMixin): its header and footer character for
character, its body tag for tag, what django-tables2's own bootstrap template writes for the same table."""

import re

import django_tables2 as tables
import pytest
from django.utils import translation

from cchc.tables import DashboardTable, _footer
from cchc.templatetags.cchc_definitions import _html as definitions_html
from cchc.templatetags.cchc_definitions import column_definitions

pytestmark = pytest.mark.django_db

STOCK_TEMPLATE = "django_tables2/bootstrap5-responsive.html"


def _table(html):
    start = html.index('<div class="table-container')
    return html[start : html.index("</table>", start)]


def _between(html, first, last):
    return html[html.index(first) : html.index(last) + len(last)]


@pytest.mark.parametrize(
    "query",
    [
        {"province": "87", "period": "2021"},
        {"province": "87", "period": "2023H1", "sort": "-on_time_rate", "kind": "", "approved": "1"},
        {"province": "", "period": "2023H1", "sort": "unit"},
        {"sort": "-kind", "province": "87", "period": "2023H1", "x": ["a&b", "c d"], "y": ""},
    ],
    ids=["province", "sorted-and-filtered", "country", "sort-first-and-repeated"],
)
def test_the_fast_table_writes_what_the_stock_template_writes(demo_staff, monkeypatch, query):
    fast = _table(demo_staff.get("/", query).content.decode())
    monkeypatch.setattr(DashboardTable._meta, "template_name", STOCK_TEMPLATE)
    stock = _table(demo_staff.get("/", query).content.decode())

    # Header and footer: the same characters, whitespace included.
    assert _between(fast, "<table", "</thead>") == _between(stock, "<table", "</thead>")
    assert fast[fast.index("<tfoot") :] == stock[stock.index("<tfoot") :]
    assert 'scope="col"' in fast and "<tfoot" in fast
    # Body: the same tags, attributes and cells; only the whitespace between tags differs.
    body = "<tbody", "</tbody>"
    assert re.sub(r">\s+<", "><", _between(fast, *body)) == re.sub(r">\s+<", "><", _between(stock, *body))


def test_the_footers_are_django_tables2s_with_the_signatures_worked_out_once():
    class Footed(tables.Column):
        def render_footer(self, table):
            return f"{len(table.rows)} rows"

    class Table(tables.Table):
        given = tables.Column(footer="Total")
        computed = tables.Column(footer=lambda table: len(table.rows))
        asks_too_much = tables.Column(footer=lambda table, nothing: "never")
        by_method = Footed()
        none = tables.Column()

    table = Table([{"given": 1}, {"given": 2}])
    for _twice in range(2):
        footers = {column.name: _footer(column, table) for column in table.columns}
        assert footers == {column.name: column.footer for column in table.columns}
    assert footers == {"given": "Total", "computed": 2, "asks_too_much": None, "by_method": "2 rows", "none": ""}


def test_the_column_definitions_kept_are_those_written_afresh_in_each_language():
    kept = {}
    for language in ("vi", "en", "vi"):
        with translation.override(language):
            table = DashboardTable([])
            kept.setdefault(language, column_definitions(table))
            assert column_definitions(table) == kept[language] == definitions_html(table)
    assert "Ý nghĩa từng cột" in kept["vi"] and "What each column means" in kept["en"]
