"""Fixtures of the report import tests: Đồng Tháp (87) as it was until the 2025 reform, with some of its districts,
and users of each role (the root cast's, overridden: the imports need units that closed on 30/06/2025)."""

import pytest

from cchc.lib.roles import DISTRICT_OFFICER, INSPECTION_TEAM, PROVINCIAL_STAFF
from districts.models import Unit
from tests.factories import make_commune, make_district, make_province, make_user

END_OF_DISTRICTS = "2025-06-30"


@pytest.fixture
def dong_thap(db):
    """Đồng Tháp (87), which existed until 30/06/2025, with Cao Lãnh district (873), Thanh Bình (874) and
    Lấp Vò (875), and one commune of Thanh Bình (Tân Thạnh, 29620)."""
    province = make_province("87", "Tỉnh Đồng Tháp", valid_until=END_OF_DISTRICTS)
    make_district(province, "873", "Huyện Cao Lãnh", valid_until=END_OF_DISTRICTS)
    thanh_binh = make_district(province, "874", "Huyện Thanh Bình", valid_until=END_OF_DISTRICTS)
    make_district(province, "875", "Huyện Lấp Vò", valid_until=END_OF_DISTRICTS)
    make_commune(thanh_binh, "29620", "Xã Tân Thạnh", valid_until=END_OF_DISTRICTS)
    return province


@pytest.fixture
def unit(dong_thap):
    return lambda code: Unit.objects.get(code=code)


@pytest.fixture
def staff(dong_thap):
    return make_user(PROVINCIAL_STAFF, unit=dong_thap, username="so-noi-vu")


@pytest.fixture
def officer(dong_thap):
    """The district officer of Thanh Bình (874)."""
    return make_user(DISTRICT_OFFICER, unit=Unit.objects.get(code="874"), username="thanh-binh")


@pytest.fixture
def inspector(dong_thap):
    return make_user(INSPECTION_TEAM, unit=dong_thap, username="doan-kiem-tra")
