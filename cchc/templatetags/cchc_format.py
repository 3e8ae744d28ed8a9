"""Numbers and rates in Vietnamese style, for templates; the formatting itself lives in cchc.indicators."""

import functools

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cchc.indicators import indicator_by_code
from cchc.lib.numbers import format_number, format_rate

register = template.Library()


# 17800 → "17.800"; blank → "—".
register.filter("number", format_number)


@register.filter
def rate(pair):
    """An ``IndicatorValue`` → "86,51%"; no value → "—"."""
    return format_rate(pair.value if pair is not None else None)


@register.simple_tag
def rate_cell(pair, indicator=None):
    """The rate, with numerator and denominator on a second line (and on hover), and, when some rows were left
    out for want of one figure of the pair, what the rate covers: "tính trên 1.500 / 4.700 hồ sơ tiếp nhận"."""
    value = pair.value if pair is not None else None
    if value is None:
        return _no_value_cell(get_language())
    # The dashboard draws this for every rate of every row (a few hundred a page), so the cell is written
    # directly: format_number and format_rate write only digits, dots, commas and "%", nothing to escape.
    counts = f"{format_number(pair.numerator)} / {format_number(pair.denominator)}"
    coverage = ""
    if pair.partial:
        coverage = format_html(
            '<small class="d-block text-warning-emphasis coverage">{}</small>', coverage_text(pair, indicator)
        )
    shown = format_rate(value)
    # SafeString rather than mark_safe, whose wrapper for lazy text costs more than writing the cell.
    return SafeString(
        f'<span title="{counts}">{shown}</span><small class="d-block text-muted">{counts}</small>' + coverage
    )


@functools.lru_cache(maxsize=8)
def _no_value_cell(language):
    """A rate without a value, in ``language`` (the active one: the key of what is kept)."""
    return format_html('<span class="text-muted" title="{}">—</span>', _("no value"))


def coverage_text(pair, indicator=None):
    """ "computed over 1.500 / 4.700 dossiers received": the paired denominator over the full one."""
    what = indicator.coverage_label if indicator is not None else ""
    return (
        _("computed over %(paired)s / %(full)s %(what)s")
        % {"paired": format_number(pair.denominator), "full": format_number(pair.full), "what": what}
    ).strip()


@register.simple_tag
def coverage(pair, indicator=None):
    """The coverage line alone (for the headline cards), empty when the rate covers every row."""
    if pair is None or pair.value is None or not pair.partial:
        return ""
    return format_html('<div class="small text-warning-emphasis coverage">{}</div>', coverage_text(pair, indicator))


@register.simple_tag
def indicator_rate(code, numerator, denominator):
    """The formatted rate of an indicator of the registry (``cchc.indicators``) from its two counts:
    ``{% indicator_rate "plan_completion" plan.tasks_done plan.tasks_total %}``."""
    return format_rate(indicator_by_code(code).value(numerator, denominator))


@register.filter
def dict_get(mapping, key):
    return mapping.get(key)


@register.filter
def figure_input(value):
    """A figure as an input's value: a stored number with thousands dots (17.800), typed text as typed."""
    if value is None:
        return ""
    if isinstance(value, int):
        return format_number(value)
    return value
