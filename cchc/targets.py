"""Targets and colour bands: which target holds for a unit, and which band a rate falls in.

A province's target holds for every unit of the province without one of its own (a unit's own target overrides
it). The band says how far the rate is from the target, in percentage points, in the indicator's good direction
(``higher_is_better`` in ``cchc.indicators``). Reads here take a constant number of queries whatever the number of
units: the targets of every row of a table are read at once.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html

from cchc.indicators import INDICATORS_BY_CODE
from cchc.lib.compiled import compiled
from cchc.lib.numbers import format_rate
from cchc.models import Band, Target
from districts.models import Unit


@dataclass(frozen=True)
class Standing:
    """A rate beside its target: the target, how far ahead (+) or behind (−) in points, and its band."""

    target: Target | None
    value: Decimal | None
    gap: Decimal | None
    band: Band | None

    @property
    def target_value(self):
        return self.target.value if self.target is not None else None

    @property
    def target_shown(self):
        """The target as users read it: "≥ 98,00%" for a floor, "≤ 5,00%" for a ceiling."""
        if self.target is None:
            return "—"
        sign = "≥" if INDICATORS_BY_CODE[self.target.indicator].higher_is_better else "≤"
        return f"{sign} {format_rate(self.target.value)}"


NO_TARGET = Standing(None, None, None, None)


def gap(value, target_value, *, higher_is_better):
    """Points ahead of the target (positive) or behind it (negative); ``None`` without a value."""
    if value is None or target_value is None:
        return None
    return value - target_value if higher_is_better else target_value - value


def band_of(gap_points, bands):
    """The band a gap falls in: the one with the highest start the gap reaches, else the catch-all band.

    ``bands`` are the bands of one set, in any order. ``None`` without a gap (a rate without a value has no band:
    a target never colours a "—").
    """
    if gap_points is None:
        return None
    edged = sorted((band for band in bands if band.from_points is not None), key=lambda b: b.from_points, reverse=True)
    for band in edged:
        if gap_points >= band.from_points:
            return band
    return next((band for band in bands if band.from_points is None), None)


class TargetBook:
    """The targets of one year for a set of units, and the bands to colour them: one query, and a second for the
    bands the first time a target is stood against (most provinces, most years, have no target to colour).

    ``for_unit(unit, indicator_code)`` gives the target that holds for the unit: its own, else its province's.
    Units must come with ``parent`` (and ``parent__parent`` for communes under a district) already loaded, as
    the selectors' rows do with ``select_related``.
    """

    def __init__(self, *, year, units, province=None):
        self.year = year
        self.province = province
        units = list(units)
        self.provinces = self._provinces(units, province)
        ids = {unit.pk for unit in units} | set(self.provinces.values())
        targets = _targets_of(year, tuple(sorted(ids))).read()
        self.targets = {(target.unit_id, target.indicator): target for target in targets}
        self._bands = None  # read on first use: ``bands`` and ``default_set``

    def _read_bands(self):
        # Every band with its set, in one query (in the bands' own order): a set without bands colours nothing,
        # whether it is found or not.
        bands, default_set = {}, None
        for band in Band.objects.select_related("legend_set"):
            bands.setdefault(band.legend_set_id, []).append(band)
            if band.legend_set.is_default:
                default_set = band.legend_set_id
        self._bands = (bands, default_set)
        return self._bands

    @property
    def bands(self):
        """``{legend set pk: [its bands]}``, read once, when first asked for."""
        return (self._bands or self._read_bands())[0]

    @property
    def default_set(self):
        """The pk of the default legend set (``None`` without one, or without bands in it)."""
        return (self._bands or self._read_bands())[1]

    @staticmethod
    def _provinces(units, province):
        """``{unit pk: its province's pk}``: from ``province``, the loaded parents, or one query for the rest."""
        found, unknown_parents = {}, {}
        for unit in units:
            if unit.parent_id is None:
                found[unit.pk] = unit.pk
            elif province is not None:
                found[unit.pk] = province.pk
            elif Unit.parent.is_cached(unit):
                found[unit.pk] = province_id(unit)
            else:
                unknown_parents[unit.pk] = unit.parent_id
        if unknown_parents:
            grandparents = dict(
                Unit.objects.filter(pk__in=set(unknown_parents.values())).values_list("pk", "parent_id")
            )
            for pk, parent_id in unknown_parents.items():
                found[pk] = grandparents.get(parent_id) or parent_id
        return found

    def for_unit(self, unit, indicator_code):
        own = self.targets.get((unit.pk, indicator_code))
        if own is not None:
            return own
        province = self.provinces.get(unit.pk)
        if province is None:
            province = province_id(unit, self.province)
        return self.targets.get((province, indicator_code))

    def bands_of(self, target):
        return self.bands.get(target.legend_set_id or self.default_set, [])

    def standing(self, unit, indicator_code, value):
        # Without any target in the book (most provinces, most years) there is nothing to look up for each of the
        # page's units and indicators.
        if not self.targets:
            return Standing(None, value, None, None)
        return self.standing_against(self.for_unit(unit, indicator_code), value)

    def standing_against(self, target, value):
        if target is None:
            return Standing(None, value, None, None)
        indicator = INDICATORS_BY_CODE[target.indicator]
        points = gap(value, target.value, higher_is_better=indicator.higher_is_better)
        return Standing(target, value, points, band_of(points, self.bands_of(target)))


@compiled
def _targets_of(year, unit_ids):
    # Compiled once per year and units (a province's page asks for the same units each time): building and
    # compiling it cost more than the database takes to answer it, on every view of the dashboard.
    return Target.objects.filter(year=year, unit_id__in=unit_ids).select_related("unit")


def province_id(unit, province=None):
    """The pk of the unit's province: ``province``'s when the caller knows it (a province's table), else from the
    loaded parents (no query when they are loaded)."""
    if unit.parent_id is None:
        return unit.pk
    if province is not None:
        return province.pk
    parent = unit.parent
    return parent.pk if parent.parent_id is None else parent.parent_id


def targets_applying_to(unit, *, years=None):
    """The targets that hold for a unit: each (indicator, year) its own target, else its province's.

    Returns ``[(target, overridden province target or None)]``, latest year first.
    """
    province = unit.province
    queryset = Target.objects.filter(unit__in={unit.pk, province.pk}).select_related("unit", "legend_set")
    if years is not None:
        queryset = queryset.filter(year__in=years)
    own, provincial = {}, {}
    for target in queryset:
        (own if target.unit_id == unit.pk and unit.pk != province.pk else provincial)[
            (target.year, target.indicator)
        ] = target
    keys = sorted(set(own) | set(provincial), key=lambda key: (-key[0], key[1]))
    return [(own.get(key) or provincial[key], provincial.get(key) if key in own else None) for key in keys]


def attach_standings(rows, book, indicators):
    """Give each row ``standings`` (``{indicator code: Standing}``) and ``target_gap``: the gap, in points, of
    its indicator furthest behind its target (``None`` without any target with a value), to sort the rows by
    distance from target (most behind first) and to keep those below target."""
    for row in rows:
        row.standings = {
            indicator.code: book.standing(row, indicator.code, row.indicators[indicator.code].value)
            for indicator in indicators
        }
        gaps = [standing.gap for standing in row.standings.values() if standing.gap is not None]
        row.target_gap = min(gaps) if gaps else None
    return rows


def band_badge(band):
    """A band as HTML: its colour as a swatch (from the bands' stylesheet) and its label beside it; "" without."""
    if band is None:
        return ""
    return format_html(
        '<span class="band-badge band-{}" data-band="{}"><span class="band-swatch" aria-hidden="true"></span>{}</span>',
        band.pk,
        band.label,
        band.shown_label,
    )
