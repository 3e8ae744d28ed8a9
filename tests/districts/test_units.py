"""Administrative units: codes, the tree of levels, and validity across the 2025 reform."""

from datetime import date

import pytest
from django.db import connection

from cchc.lib.periods import Period
from districts.models import Level, Unit, UnitKind
from tests.factories import (
    clean_errors,
    errors_of,
    make_commune,
    make_district,
    make_province,
    save_refused_by_database,
)

pytestmark = pytest.mark.django_db

LAST_DAY_OF_DISTRICTS = date(2025, 6, 30)
FIRST_DAY_AFTER_REFORM = date(2025, 7, 1)


@pytest.fixture
def units_close_on():
    """The root cast's Đồng Tháp (87) and Thanh Bình (874) as they were: closed by the 2025 reform."""
    return LAST_DAY_OF_DISTRICTS


# Codes and levels.


@pytest.mark.parametrize(
    ("kind", "level"),
    [
        (UnitKind.PROVINCE, Level.PROVINCE),
        (UnitKind.CENTRAL_CITY, Level.PROVINCE),
        (UnitKind.PROVINCIAL_CITY, Level.DISTRICT),
        (UnitKind.TOWN, Level.DISTRICT),
        (UnitKind.URBAN_DISTRICT, Level.DISTRICT),
        (UnitKind.WARD, Level.COMMUNE),
        (UnitKind.TOWNSHIP, Level.COMMUNE),
        (UnitKind.SPECIAL_ZONE, Level.COMMUNE),
    ],
)
def test_a_units_level_follows_from_its_kind_when_saved(dong_thap, kind, level):
    code = {Level.PROVINCE: "01", Level.DISTRICT: "866", Level.COMMUNE: "29500"}[level]
    parent = None if level == Level.PROVINCE else dong_thap

    unit = Unit.objects.create(code=code, name="Đơn vị", kind=kind, parent=parent)

    assert Unit.objects.get(pk=unit.pk).level == level


@pytest.mark.parametrize(
    ("kind", "code", "says"),
    [
        (UnitKind.PROVINCE, "871", "Đơn vị cấp tỉnh có mã gồm 2 chữ số."),
        (UnitKind.DISTRICT, "87", "Đơn vị cấp huyện có mã gồm 3 chữ số."),
        (UnitKind.DISTRICT, "0874", "Đơn vị cấp huyện có mã gồm 3 chữ số."),
        (UnitKind.COMMUNE, "2962", "Đơn vị cấp xã có mã gồm 5 chữ số."),
        (UnitKind.WARD, "296200", "Đơn vị cấp xã có mã gồm 5 chữ số."),
    ],
)
def test_it_rejects_a_code_of_the_wrong_length_for_the_level(dong_thap, kind, code, says):
    parent = None if kind == UnitKind.PROVINCE else dong_thap
    unit = Unit(code=code, name="Đơn vị", kind=kind, parent=parent)

    errors = clean_errors(unit)

    assert says in errors["code"]


@pytest.mark.parametrize(("kind", "code"), [(UnitKind.DISTRICT, "866"), (UnitKind.COMMUNE, "29500")])
def test_it_accepts_a_code_of_the_right_length(dong_thap, kind, code):
    unit = Unit(code=code, name="Đơn vị", kind=kind, parent=dong_thap, valid_until=LAST_DAY_OF_DISTRICTS)

    assert errors_of(unit) == {}


def test_a_province_code_of_two_digits_keeps_its_leading_zero():
    Unit(code="01", name="Hà Nội", kind=UnitKind.CENTRAL_CITY).full_clean()
    make_province(code="01", name="Hà Nội", kind=UnitKind.CENTRAL_CITY)

    assert Unit.objects.get(name="Hà Nội").code == "01"


def test_it_rejects_a_code_with_letters():
    errors = clean_errors(Unit(code="8A", name="Đồng Tháp", kind=UnitKind.PROVINCE))

    assert errors["code"] == ["Mã chỉ gồm chữ số."]


@pytest.mark.parametrize("code", ["８７", "٨٧"])
def test_it_rejects_a_code_in_digits_other_than_0_to_9(code):
    errors = clean_errors(Unit(code=code, name="Đồng Tháp", kind=UnitKind.PROVINCE))

    assert errors["code"] == ["Mã chỉ gồm chữ số."]


def test_a_code_is_not_held_by_two_units_at_once(dong_thap):
    # Đồng Tháp holds 87 until 30/06/2025: a second 87 from 01/06/2025 would share June with it.
    again = Unit(code="87", name="Đồng Tháp (mới)", kind=UnitKind.PROVINCE, valid_from=date(2025, 6, 1))

    assert clean_errors(again)["code"] == [
        "Mã 87 thuộc về Tỉnh Đồng Tháp (đến 30/06/2025): hai đơn vị chỉ dùng chung một mã khi thời gian hiệu lực "
        "không giao nhau."
    ]
    # The database refuses it too where it can say so (PostgreSQL's exclusion constraint); SQLite has clean().
    assert save_refused_by_database(again) == (connection.vendor == "postgresql")


def test_a_code_is_reused_the_day_after_its_holders_last_day(dong_thap):
    new = Unit(code="87", name="Đồng Tháp (mới)", kind=UnitKind.PROVINCE, valid_from=FIRST_DAY_AFTER_REFORM)

    assert errors_of(new) == {}


# The tree: province → district-level unit → commune-level unit; communes straight under the province since 2025.


def test_a_district_needs_a_parent():
    errors = clean_errors(Unit(code="874", name="Thanh Bình", kind=UnitKind.DISTRICT))

    assert errors["parent"] == ["Đơn vị cấp huyện hoặc cấp xã phải có đơn vị cấp trên."]


def test_a_commune_needs_a_parent():
    errors = clean_errors(Unit(code="29620", name="Tân Thạnh", kind=UnitKind.COMMUNE))

    assert errors["parent"] == ["Đơn vị cấp huyện hoặc cấp xã phải có đơn vị cấp trên."]


def test_a_district_cannot_sit_under_another_district(thanh_binh):
    errors = clean_errors(Unit(code="875", name="Lấp Vò", kind=UnitKind.DISTRICT, parent=thanh_binh))

    assert errors["parent"] == ["Đơn vị cấp huyện không thể trực thuộc đơn vị cấp huyện."]


def test_a_district_cannot_sit_under_a_commune(thanh_binh):
    commune = make_commune(thanh_binh)

    errors = clean_errors(Unit(code="875", name="Lấp Vò", kind=UnitKind.DISTRICT, parent=commune))

    assert errors["parent"] == ["Đơn vị cấp huyện không thể trực thuộc đơn vị cấp xã."]


def test_a_commune_cannot_sit_under_another_commune(thanh_binh):
    commune = make_commune(thanh_binh)

    errors = clean_errors(Unit(code="29621", name="Tân Mỹ", kind=UnitKind.COMMUNE, parent=commune))

    assert errors["parent"] == ["Đơn vị cấp xã không thể trực thuộc đơn vị cấp xã."]


def test_a_commune_sits_under_its_district(thanh_binh):
    tan_my = Unit(
        code="29621", name="Tân Mỹ", kind=UnitKind.COMMUNE, parent=thanh_binh, valid_until=LAST_DAY_OF_DISTRICTS
    )

    assert errors_of(tan_my) == {}


def test_since_the_2025_reform_a_commune_sits_straight_under_the_province():
    new_dong_thap = make_province(code="82", name="Đồng Tháp", valid_from=FIRST_DAY_AFTER_REFORM)

    commune = Unit(
        code="29623", name="Thanh Bình", kind=UnitKind.COMMUNE, parent=new_dong_thap, valid_from=FIRST_DAY_AFTER_REFORM
    )

    assert errors_of(commune) == {}


def test_a_province_has_no_parent(dong_thap):
    son_la = Unit(code="14", name="Sơn La", kind=UnitKind.PROVINCE, parent=dong_thap)

    assert clean_errors(son_la)["parent"] == ["Tỉnh không có đơn vị cấp trên."]
    assert save_refused_by_database(son_la)


def test_the_province_of_a_commune_is_found_through_its_district(dong_thap, thanh_binh):
    commune = make_commune(thanh_binh)

    assert Unit.objects.get(pk=commune.pk).province == dong_thap
    assert dong_thap.province == dong_thap


# Validity interval and successors.


def test_a_unit_cannot_end_before_it_starts():
    unit = Unit(
        code="82", name="Đồng Tháp", kind=UnitKind.PROVINCE, valid_from=date(2025, 7, 1), valid_until=date(2025, 6, 30)
    )

    # Said next to "valid until" (clean() checks the check constraint's rule there), and once only.
    assert clean_errors(unit) == {"valid_until": ["“Hiệu lực đến ngày” không được trước “hiệu lực từ ngày”."]}
    assert save_refused_by_database(unit)


def test_a_unit_may_exist_for_a_single_day():
    unit = Unit(
        code="82", name="Đồng Tháp", kind=UnitKind.PROVINCE, valid_from=date(2025, 7, 1), valid_until=date(2025, 7, 1)
    )

    unit.full_clean()
    unit.save()

    assert Unit.objects.active_on(date(2025, 7, 1)).get() == unit


def test_a_merged_unit_names_its_successor_and_the_successor_its_predecessors(dong_thap):
    dak_nong = make_province(code="67", name="Đắk Nông", valid_until=LAST_DAY_OF_DISTRICTS)
    lam_dong = make_province(code="68", name="Lâm Đồng")
    new_dong_thap = make_province(code="82", name="Đồng Tháp", valid_from=FIRST_DAY_AFTER_REFORM)
    dong_thap.successors.add(new_dong_thap)
    dak_nong.successors.add(lam_dong)

    assert list(dong_thap.successors.all()) == [new_dong_thap]
    assert list(new_dong_thap.predecessors.all()) == [dong_thap]
    assert list(lam_dong.predecessors.all()) == [dak_nong]
    # Succession runs one way: the new unit did not hand over to the old one.
    assert list(new_dong_thap.successors.all()) == []


def test_a_district_split_among_several_communes_names_them_all(thanh_binh):
    new_dong_thap = make_province(code="82", name="Đồng Tháp", valid_from=FIRST_DAY_AFTER_REFORM)
    first = make_commune(new_dong_thap, code="29623", name="Thanh Bình", valid_from=FIRST_DAY_AFTER_REFORM)
    second = make_commune(new_dong_thap, code="29629", name="Tân Long", valid_from=FIRST_DAY_AFTER_REFORM)

    thanh_binh.successors.set([first, second])

    assert set(thanh_binh.successors.all()) == {first, second}
    assert list(first.predecessors.all()) == [thanh_binh]


# Which units existed in a period, across the 2025 reform.


@pytest.fixture
def reform_units(dong_thap, thanh_binh):
    """Old Đồng Tháp and Thanh Bình (until 30 June 2025), the new Đồng Tháp and a commune under it
    (from 1 July 2025), Sơn La and Bắc Yên (no dates: before records and still there — Bắc Yên as a stand-in)."""
    new_dong_thap = make_province(code="82", name="Đồng Tháp", valid_from=FIRST_DAY_AFTER_REFORM)
    new_commune = make_commune(new_dong_thap, code="29623", name="Thanh Bình", valid_from=FIRST_DAY_AFTER_REFORM)
    son_la = make_province(code="14", name="Sơn La")
    bac_yen = make_district(son_la, code="121", name="Bắc Yên")
    return {
        "87": dong_thap,
        "874": thanh_binh,
        "82": new_dong_thap,
        "29623": new_commune,
        "14": son_la,
        "121": bac_yen,
    }


@pytest.mark.parametrize(
    ("period", "codes"),
    [
        ("2023Q1", {"87", "874", "14", "121"}),
        ("2025Q2", {"87", "874", "14", "121"}),
        ("2025H1", {"87", "874", "14", "121"}),
        ("2025Q3", {"82", "29623", "14", "121"}),
        ("2025H2", {"82", "29623", "14", "121"}),
        ("2025M9", {"87", "874", "82", "29623", "14", "121"}),
        ("2025", {"87", "874", "82", "29623", "14", "121"}),
        ("2026Q1", {"82", "29623", "14", "121"}),
    ],
)
def test_units_active_in_a_period_are_those_that_existed_on_one_of_its_days(
    reform_units, django_assert_num_queries, period, codes
):
    with django_assert_num_queries(1):
        found = {unit.code for unit in Unit.objects.active_in(period)}

    assert found == codes


def test_active_in_takes_a_period_object_as_well_as_a_code(reform_units):
    assert set(Unit.objects.active_in(Period.quarter(2025, 3))) == set(Unit.objects.active_in("2025Q3"))


@pytest.mark.parametrize(
    ("day", "codes"),
    [
        (LAST_DAY_OF_DISTRICTS, {"87", "874", "14", "121"}),
        (FIRST_DAY_AFTER_REFORM, {"82", "29623", "14", "121"}),
    ],
)
def test_units_active_on_a_day(reform_units, day, codes):
    assert {unit.code for unit in Unit.objects.active_on(day)} == codes


def test_provinces_are_the_units_of_province_level(reform_units):
    assert {unit.code for unit in Unit.objects.provinces()} == {"87", "82", "14"}
