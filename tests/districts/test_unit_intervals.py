"""A unit is a code during an interval: reused codes, validity that follows the tree, and the one resolver of codes."""

from datetime import date

import pytest
from django.db import connection

from cchc.lib.periods import Period
from districts.models import Unit, UnitKind
from tests.factories import (
    clean_errors,
    errors_of,
    make_commune,
    make_district,
    make_plan,
    make_province,
    make_report,
    save_refused_by_database,
)

pytestmark = pytest.mark.django_db

LAST_DAY = date(2025, 6, 30)
FIRST_DAY = date(2025, 7, 1)


@pytest.fixture
def tien_giang():
    """Code 82 until 30/06/2025."""
    return make_province("82", "Tỉnh Tiền Giang", valid_until=LAST_DAY)


@pytest.fixture
def new_dong_thap(tien_giang):
    """Code 82 again from 01/07/2025: the new Đồng Tháp."""
    return make_province("82", "Tỉnh Đồng Tháp", valid_from=FIRST_DAY)


# Two holders of one code.


def test_the_old_and_the_new_82_are_two_units(tien_giang, new_dong_thap):
    assert Unit.objects.filter(code="82").count() == 2
    new_dong_thap.full_clean()
    tien_giang.full_clean()


@pytest.mark.parametrize(
    ("valid_from", "valid_until"),
    [(None, None), (date(2025, 6, 30), None), (date(2020, 1, 1), date(2020, 12, 31)), (None, date(2025, 7, 1))],
    ids=["no dates", "one shared day", "inside the old interval", "into the new interval"],
)
def test_a_third_82_overlapping_either_holder_is_refused(tien_giang, new_dong_thap, valid_from, valid_until):
    third = Unit(code="82", name="Tỉnh X", kind=UnitKind.PROVINCE, valid_from=valid_from, valid_until=valid_until)

    assert "Mã 82 thuộc về" in clean_errors(third)["code"][0]
    # PostgreSQL refuses it by itself (exclusion constraint); on SQLite clean(), the import and the services do.
    assert save_refused_by_database(third) == (connection.vendor == "postgresql")


def test_changing_the_dates_of_a_holder_into_the_other_ones_interval_is_refused(tien_giang, new_dong_thap):
    tien_giang.valid_until = date(2025, 12, 31)

    assert "Tỉnh Đồng Tháp (từ 01/07/2025)" in clean_errors(tien_giang)["code"][0]


# Validity follows the tree.


def test_a_commune_outside_its_districts_interval_is_refused():
    province = make_province("87", "Tỉnh Đồng Tháp", valid_until=LAST_DAY)
    district = make_district(province, "874", "Huyện Thanh Bình", valid_until=LAST_DAY)
    # The case: a commune valid from 2026 under district 874, abolished on 30/06/2025.
    commune = Unit(
        code="29620", name="Xã Tân Thạnh", kind=UnitKind.COMMUNE, parent=district, valid_from=date(2026, 1, 1)
    )

    errors = clean_errors(commune)

    assert errors["valid_from"] == [
        "Huyện Thanh Bình chỉ tồn tại đến 30/06/2025: đơn vị trực thuộc không thể tồn tại ngoài khoảng thời gian đó."
    ]


def test_a_commune_still_open_under_a_closed_district_is_refused_at_its_last_day():
    province = make_province("87", "Tỉnh Đồng Tháp", valid_until=LAST_DAY)
    district = make_district(province, "874", "Huyện Thanh Bình", valid_until=LAST_DAY)

    errors = clean_errors(Unit(code="29620", name="Xã Tân Thạnh", kind=UnitKind.COMMUNE, parent=district))

    assert "Huyện Thanh Bình chỉ tồn tại đến 30/06/2025" in errors["valid_until"][0]


def test_a_district_starting_before_its_province_is_refused(new_dong_thap):
    district = Unit(code="874", name="Huyện X", kind=UnitKind.DISTRICT, parent=new_dong_thap, valid_until=LAST_DAY)

    assert "Tỉnh Đồng Tháp chỉ tồn tại từ 01/07/2025" in clean_errors(district)["valid_from"][0]


def test_closing_a_province_with_an_open_district_is_refused():
    province = make_province("87", "Tỉnh Đồng Tháp")
    make_district(province, "874", "Huyện Thanh Bình")
    province.valid_until = LAST_DAY

    errors = clean_errors(province)

    assert errors["valid_until"] == [
        "Còn 1 đơn vị trực thuộc tồn tại ngoài khoảng thời gian này (874 – Huyện Thanh Bình): hãy kết thúc hoặc "
        "chuyển các đơn vị đó trước."
    ]


def test_closing_a_unit_before_a_quarter_it_reported_is_refused():
    province = make_province("87", "Tỉnh Đồng Tháp")
    district = make_district(province, "874", "Huyện Thanh Bình")
    make_report(district, 2025, 3)
    district.valid_until = LAST_DAY

    errors = clean_errors(district)

    assert errors["valid_until"] == [
        "Đơn vị có báo cáo Quý III/2025, nằm ngoài khoảng thời gian này: lịch sử phải được giữ nguyên."
    ]


def test_closing_a_unit_after_its_last_report_and_with_its_children_closed_is_accepted():
    province = make_province("87", "Tỉnh Đồng Tháp")
    district = make_district(province, "874", "Huyện Thanh Bình", valid_until=LAST_DAY)
    make_commune(district, "29620", "Xã Tân Thạnh", valid_until=LAST_DAY)
    make_report(district, 2025, 2)
    make_plan(province, 2025)
    province.valid_until = LAST_DAY

    assert (errors_of(province), errors_of(district)) == ({}, {})


def test_starting_a_unit_after_a_quarter_it_reported_is_refused():
    province = make_province("82", "Tỉnh Đồng Tháp")
    make_report(province, 2025, 2)
    province.valid_from = FIRST_DAY

    assert "Quý II/2025" in clean_errors(province)["valid_from"][0]


# The resolver: a code and a date (or a period) name one unit.


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ({"on": date(2024, 12, 31)}, "Tỉnh Tiền Giang"),
        ({"on": LAST_DAY}, "Tỉnh Tiền Giang"),
        ({"on": FIRST_DAY}, "Tỉnh Đồng Tháp"),
        ({"period": Period.parse("2024Q4")}, "Tỉnh Tiền Giang"),
        ({"period": Period.parse("2025Q2")}, "Tỉnh Tiền Giang"),
        ({"period": Period.parse("2025Q4")}, "Tỉnh Đồng Tháp"),
        # A period in which the code changed hands names its last holder then.
        ({"period": Period.parse("2025")}, "Tỉnh Đồng Tháp"),
        ({}, "Tỉnh Đồng Tháp"),
    ],
)
def test_a_code_names_the_unit_that_held_it_then(new_dong_thap, when, expected):
    assert Unit.objects.holding("82", **when).name == expected


def test_a_retired_code_without_a_date_names_its_last_holder():
    make_province("87", "Tỉnh Đồng Tháp", valid_until=LAST_DAY)

    assert Unit.objects.holding("87").name == "Tỉnh Đồng Tháp"
    assert Unit.objects.holding("87", on=FIRST_DAY) is None
    assert Unit.objects.holding("99") is None


def test_a_units_page_is_named_by_its_last_day_once_closed(tien_giang, new_dong_thap):
    assert tien_giang.get_absolute_url() == "/districts/82/?on=2025-06-30"
    assert new_dong_thap.get_absolute_url() == "/districts/82/"
    assert tien_giang.other_holders() == [new_dong_thap]
