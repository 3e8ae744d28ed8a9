"""Targets and colour bands in templates."""

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from cchc.lib.markup import escaped
from cchc.lib.numbers import format_number, format_points, format_rate
from cchc.targets import Standing, band_badge
from cchc.templatetags.cchc_format import coverage

register = template.Library()


@register.simple_tag
def target_shown(target):
    """A target as users read it: "≥ 98,00%" (a floor) or "≤ 5,00%" (a ceiling); "—" without one."""
    return Standing(target, None, None, None).target_shown


@register.simple_tag
def percent(value):
    """A stored percentage (a ``Decimal`` such as 98.00) as "98,00%"."""
    return format_rate(value)


@register.inclusion_tag("cchc/targets/_band.html")
def band(standing_or_band):
    """The band's colour with its label beside it; nothing without a band."""
    found = getattr(standing_or_band, "band", standing_or_band)
    return {"band": found}


@register.simple_tag
def points(value):
    """A change in percentage points, signed, Vietnamese style: "+1,25" / "−0,50"; "—" without one."""
    return format_points(value)


@register.inclusion_tag("cchc/targets/_band.html")
def band_for(book, unit, indicator_code, pair):
    """The band of a rate (an ``IndicatorValue``) against the target that holds for the unit in ``book``."""
    if book is None or pair is None:
        return {"band": None}
    return {"band": book.standing(unit, indicator_code, pair.value).band}


@register.simple_tag
def card_changes(changes, testid):
    """A headline card's changes (``cchc.views.card_changes``): each with its period and the link to the
    comparison, in points. Written here, not by a template: the dashboard's three cards took a loop of some
    fifteen nodes each."""
    if not changes:
        return ""
    title = escaped(gettext("Both periods with their counts"))
    items = "".join(
        f"<li>{escaped(item['label'])} ({escaped(item['period'].code)}): "
        f'<a href="{escaped(item["url"])}" title="{title}">{escaped(format_points(item["change"]))}</a></li>'
        for item in changes
    )
    return SafeString(
        f'<ul class="list-unstyled small mb-0 card-changes" data-testid="card-{escaped(testid)}-changes">{items}</ul>'
    )


@register.simple_tag
def rate_card(label, pair, indicator, standing, changes, testid):
    """A headline rate of the dashboard: the rate, its counts, what it covers, its target and band, and how it
    changed (``card_changes``). label; pair: the IndicatorValue; indicator: its Indicator; standing: its target
    standing; testid: "on-time" gives card-on-time, card-on-time-target. Written here, not by an included
    template: the dashboard's three cards took some sixty template nodes and three includes."""
    shown_testid = escaped(testid)
    counts = ""
    if pair.value is not None:
        counts = (
            f'<div class="small text-body-secondary">{escaped(format_number(pair.numerator))} / '
            f"{escaped(format_number(pair.denominator))}</div>"
        )
    target = ""
    if standing and standing.target:
        # The band as cchc/targets/_band.html writes it, between the line ends of that template.
        band = f"\n{band_badge(standing.band)}\n" if standing.band else "\n\n"
        target = (
            f'<div class="small" data-testid="card-{shown_testid}-target">{escaped(gettext("Target"))} '
            f"{escaped(standing.target_shown)} {band}</div>"
        )
    return SafeString(
        f"""
  <div class="col-6 col-lg-2">
    <div class="card h-100"><div class="card-body">
      <div class="small text-body-secondary">{escaped(label)}</div>
      <div class="fs-4 fw-semibold" data-testid="card-{shown_testid}">{escaped(format_rate(pair.value))}</div>
      {counts}{coverage(pair, indicator)}
      {target}
      {card_changes(changes, testid)}

    </div></div>
  </div>
"""
    )
