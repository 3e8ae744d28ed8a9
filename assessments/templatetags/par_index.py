"""Points in Vietnamese style for the PAR-index pages: 61, 1,5, "—" when blank."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def points(value):
    if value is None or value == "":
        return "—"
    value = Decimal(value).quantize(Decimal("0.01")).normalize()
    return format(value, "f").replace(".", ",")


@register.filter
def signed_points(value):
    """A change: "+3", "−1,5", "0"; "—" when blank."""
    if value is None:
        return "—"
    text = points(abs(value))
    if value > 0:
        return "+" + text
    if value < 0:
        return "−" + text
    return text


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
