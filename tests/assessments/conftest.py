"""The PAR-index tests use the root cast (tests/conftest.py) and a small criteria set (tests/factories.py)."""

from decimal import Decimal

import pytest

from assessments.models import GradeBand
from tests.factories import make_set


@pytest.fixture
def small_set(dong_thap, thanh_binh, lap_vo):
    criteria_set = make_set(dong_thap)
    for label, points in (("Tốt", 20), ("Khá", 15), ("Trung bình", 10), ("Yếu", 0)):
        GradeBand.objects.create(criteria_set=criteria_set, label=label, min_points=Decimal(points))
    return criteria_set
