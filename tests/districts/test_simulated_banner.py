"""Districts and communes of a simulated province (coded above the real 01–96, the demo's 98) carry a
"dữ liệu giả lập" banner on their own pages: their names ("Huyện Mô Phỏng 3") do not say it (issue 13)."""

from datetime import date

import pytest

from tests.factories import make_commune, make_district, make_province, make_user

pytestmark = pytest.mark.django_db

BANNER = 'data-testid="simulated-banner"'


@pytest.fixture
def units():
    simulated = make_province("98", "Tỉnh Mô Phỏng — dữ liệu giả lập", valid_until=None)
    district = make_district(simulated, "983", "Huyện Mô Phỏng 3", valid_until=date(2025, 6, 30))
    commune = make_commune(simulated, "98001", "Xã Mô Phỏng 1", valid_from=date(2025, 7, 1))
    real = make_district(make_province("87", "Đồng Tháp"), "874", "Thanh Bình")
    return {"district": district, "commune": commune, "real": real, "province": simulated}


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    return client


def test_a_unit_under_a_province_coded_above_96_is_simulated_and_a_real_one_is_not(units):
    assert units["district"].is_simulated and units["commune"].is_simulated and units["province"].is_simulated
    assert not units["real"].is_simulated


@pytest.mark.parametrize("which", ["district", "commune"])
def test_a_simulated_units_page_says_its_data_is_simulated(admin_client, units, which):
    page = admin_client.get(units[which].get_absolute_url()).content.decode()

    assert BANNER in page
    assert "Dữ liệu giả lập" in page
    assert "đơn vị này thuộc Tỉnh Mô Phỏng — dữ liệu giả lập: số liệu được tạo ra để minh hoạ" in page


def test_a_real_units_page_has_no_such_banner(admin_client, units):
    page = admin_client.get(units["real"].get_absolute_url()).content.decode()

    assert BANNER not in page


def test_a_simulated_districts_report_page_says_so_too(admin_client, units):
    response = admin_client.get("/dossiers/983/2024Q1/")

    assert response.status_code == 200
    assert BANNER in response.content.decode()
