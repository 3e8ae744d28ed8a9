"""Points in Vietnamese style for the PAR-index pages: 61, 1,5, "—" when blank."""

from django import template

from cchc.lib.numbers import format_score

register = template.Library()


points = register.filter("points", format_score)


@register.filter
def signed_points(value):
    """A change: "+3", "−1,5", "0"; "—" when blank."""
    if value is None:
        return "—"
    text = format_score(abs(value))
    if value > 0:
        return "+" + text
    if value < 0:
        return "−" + text
    return text


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


# --- What the unit page and the dashboard show of the PAR index and Decision 766 ---------------------------------


def _published_only(user, unit=None):
    from districts.access import sees_every_province

    return not (sees_every_province(user) or (unit is not None and user.unit_id == unit.pk))


@register.inclusion_tag("assessments/partials/unit_scores.html", takes_context=True)
def unit_par_index(context, unit):
    """The unit's latest PAR-index score and rank, and its Decision-766 results with their trend."""
    from assessments.selectors import group_trends, latest_results

    user = context["request"].user
    criteria_set, rows = None, {}
    if unit.parent_id is not None:
        criteria_set, rows = latest_results(unit.province, published_only=_published_only(user, unit))
    row = rows.get(unit.pk)
    if row is not None and not criteria_set.is_published and _published_only(user):
        # A unit's own officer sees its score before publication, but not the rank, which tells of the others.
        row.rank = None
    return {"criteria_set": criteria_set, "row": row, "count": len(rows), "trends": group_trends(unit)}


@register.inclusion_tag("assessments/partials/province_scores.html", takes_context=True)
def province_par_index(context, province):
    """Each unit's latest PAR-index score and rank in the province, and the units' Decision-766 results."""
    from assessments.selectors import latest_results, province_group_trends

    if province is None:
        return {"criteria_set": None, "rows": [], "units": []}
    user = context["request"].user
    criteria_set, rows = latest_results(province, published_only=_published_only(user))
    ranked = sorted(rows.values(), key=lambda row: (row.rank or 0, row.unit.code))
    return {"criteria_set": criteria_set, "rows": ranked, "units": province_group_trends(province)}
