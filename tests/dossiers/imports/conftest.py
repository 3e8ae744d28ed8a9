"""Fixtures of the report import tests: the root cast as it was until the 2025 reform (Đồng Tháp 87 and its
districts closed on 30/06/2025), whole whenever a test has Đồng Tháp: a file may name any of its units."""

import pytest

from districts.models import Unit

END_OF_DISTRICTS = "2025-06-30"


@pytest.fixture
def units_close_on():
    return END_OF_DISTRICTS


@pytest.fixture(autouse=True)
def dong_thap_whole(request):
    """Cao Lãnh (873), Thanh Bình (874), Lấp Vò (875) and Thanh Bình's commune Tân Thạnh (29620) for every test
    that has Đồng Tháp (87), itself or through its users."""
    if "dong_thap" in request.fixturenames:
        for name in ("cao_lanh", "thanh_binh", "lap_vo", "tan_thanh"):
            request.getfixturevalue(name)


@pytest.fixture
def unit(dong_thap):
    return lambda code: Unit.objects.get(code=code)
