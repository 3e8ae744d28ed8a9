"""Fixtures of the dashboard tests (the cast is in tests/conftest.py): the default colour bands of the targets,
which a transactional test's flush may have removed."""

from decimal import Decimal

import pytest

from cchc.models import Band, LegendSet


def default_bands():
    """The default set as migration cchc 0003 makes it: đạt from 0, gần đạt from −5, chưa đạt below."""
    legend_set = LegendSet.objects.filter(is_default=True).first()
    if legend_set is None:
        legend_set = LegendSet.objects.create(name="Mặc định", is_default=True)
        for label, points, colour in (("Đạt", 0, "#004488"), ("Gần đạt", -5, "#DDAA33"), ("Chưa đạt", None, "#BB5566")):
            Band.objects.create(
                legend_set=legend_set,
                label=label,
                from_points=None if points is None else Decimal(points),
                colour=colour,
            )
    return legend_set


@pytest.fixture
def bands(db):
    return default_bands()
