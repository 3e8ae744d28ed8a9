"""The unit's figures a computed PAR-index criterion reads, through the dashboard's selector.

Registered with ``assessments.computed`` at start-up (``cchc.apps``): the assessments app sits below the
dashboard and asks for the figures without importing it.
"""

from cchc.indicators import FOLLOW_UP_INDICATORS, INDICATORS
from cchc.lib.periods import Period
from cchc.selectors import unit_rows
from districts.models import Unit


def unit_year_figures(unit, year):
    """``{indicator code: (numerator, denominator)}`` of the unit's own figures for the whole year."""
    (row,) = unit_rows(units=Unit.objects.filter(pk=unit.pk), period=Period.parse(str(year)))
    return {
        indicator.code: (getattr(row, indicator.num), getattr(row, indicator.den))
        for indicator in INDICATORS + FOLLOW_UP_INDICATORS
    }
