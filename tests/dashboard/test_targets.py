"""Targets as data: which target holds for a unit, who may set one, the version check and the history."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cchc.lib.roles import DISTRICT_OFFICER, INSPECTION_TEAM, PROVINCIAL_STAFF
from cchc.models import Target
from cchc.services import StaleSave, save_target
from cchc.targets import TargetBook, targets_applying_to
from districts.models import Unit
from tests.factories import clean_errors, make_commune, make_district, make_province, make_user

D = Decimal


@pytest.fixture
def place(bands, dong_thap, thanh_binh, lap_vo):
    """The root cast's Đồng Tháp, Thanh Bình and Lấp Vò; the province's 2023 on-time target of 95, which its
    units may tighten."""
    Target.objects.create(indicator="on_time_rate", year=2023, unit=dong_thap, value=D("95"), allows_stricter=True)
    return dong_thap, thanh_binh, lap_vo


def test_a_units_own_target_overrides_the_provinces(place):
    province, thanh_binh, lap_vo = place
    Target.objects.create(indicator="on_time_rate", year=2023, unit=lap_vo, value=D("98"))
    commune = make_commune(thanh_binh)
    units = Unit.objects.select_related("parent__parent").filter(pk__in=[thanh_binh.pk, lap_vo.pk, commune.pk])
    book = TargetBook(year=2023, units=units)
    by_code = {unit.code: book.for_unit(unit, "on_time_rate").value for unit in units}
    # Lấp Vò its own 98; Thanh Bình and its commune the province's 95.
    assert by_code == {"874": D("95"), "875": D("98"), "29620": D("95")}
    # 96 % is "đạt" against the province's 95 but "gần đạt" against Lấp Vò's 98 (gap −2).
    assert book.standing(thanh_binh, "on_time_rate", D("96")).band.label == "Đạt"
    assert book.standing(lap_vo, "on_time_rate", D("96")).band.label == "Gần đạt"


def test_targets_of_another_year_do_not_hold(place):
    _province, thanh_binh, _lap_vo = place
    book = TargetBook(year=2024, units=[thanh_binh])
    assert book.for_unit(thanh_binh, "on_time_rate") is None
    assert book.standing(thanh_binh, "on_time_rate", D("50")).band is None


def test_reading_the_targets_of_a_table_takes_the_same_queries_for_2_or_20_units(place, django_assert_num_queries):
    province, *_ = place
    for number in range(18):
        make_district(province, str(900 + number), f"Huyện {number}")
    for count in (2, 20):
        units = list(Unit.objects.select_related("parent__parent").filter(parent=province)[:count])
        # The targets, and the bands with their legend sets.
        with django_assert_num_queries(2):
            book = TargetBook(year=2023, units=units)
            for unit in units:
                book.standing(unit, "on_time_rate", D("90"))


def test_a_book_without_any_target_does_not_read_the_bands(place, django_assert_num_queries):
    _province, thanh_binh, lap_vo = place
    units = list(Unit.objects.select_related("parent__parent").filter(pk__in=[thanh_binh.pk, lap_vo.pk]))
    # The targets only: with none of the year, nothing is coloured and the bands are never needed.
    with django_assert_num_queries(1):
        book = TargetBook(year=2024, units=units)
        standings = [book.standing(unit, "on_time_rate", D("90")) for unit in units]
    assert [standing.band for standing in standings] == [None, None]
    # The first target stood against reads them, once.
    book = TargetBook(year=2023, units=units)
    with django_assert_num_queries(1):
        assert book.standing(thanh_binh, "on_time_rate", D("96")).band.label == "Đạt"
        assert book.standing(lap_vo, "on_time_rate", D("90")).band is not None
    with django_assert_num_queries(0):
        assert book.default_set is not None


def test_the_targets_applying_to_a_unit_say_what_they_override(place):
    province, thanh_binh, lap_vo = place
    own = Target.objects.create(indicator="on_time_rate", year=2023, unit=lap_vo, value=D("98"))
    online = Target.objects.create(indicator="online_rate", year=2023, unit=province, value=D("50"))
    provincial = Target.objects.get(unit=province, indicator="on_time_rate")
    assert targets_applying_to(lap_vo) == [(own, provincial), (online, None)]
    assert targets_applying_to(thanh_binh) == [(provincial, None), (online, None)]


# --- Who may set a target ---------------------------------------------------------------------------------------


def test_a_district_officer_sets_a_stricter_target_where_the_province_allows(place):
    province, thanh_binh, _ = place
    officer = make_user(DISTRICT_OFFICER, thanh_binh)
    saved = save_target(Target(indicator="on_time_rate", year=2023, unit=thanh_binh, value=D("95.01")), user=officer)
    assert saved.pk and Target.objects.get(unit=thanh_binh).value == D("95.01")


def test_a_district_target_no_stricter_than_the_provinces_is_refused(place):
    _province, thanh_binh, _ = place
    officer = make_user(DISTRICT_OFFICER, thanh_binh)
    with pytest.raises(ValidationError) as raised:
        save_target(Target(indicator="on_time_rate", year=2023, unit=thanh_binh, value=D("95")), user=officer)
    assert "value" in raised.value.message_dict
    assert not Target.objects.filter(unit=thanh_binh).exists()


def test_a_district_officer_cannot_set_a_target_the_province_does_not_open(place):
    province, thanh_binh, _ = place
    Target.objects.create(indicator="online_rate", year=2023, unit=province, value=D("50"))  # allows_stricter False
    officer = make_user(DISTRICT_OFFICER, thanh_binh)
    for indicator in ("online_rate", "postal_rate"):  # closed, and no province target at all
        with pytest.raises(ValidationError) as raised:
            save_target(Target(indicator=indicator, year=2023, unit=thanh_binh, value=D("60")), user=officer)
        assert "indicator" in raised.value.message_dict


def test_a_district_officer_cannot_set_another_units_target(place):
    _province, thanh_binh, lap_vo = place
    officer = make_user(DISTRICT_OFFICER, thanh_binh)
    with pytest.raises(PermissionDenied):
        save_target(Target(indicator="on_time_rate", year=2023, unit=lap_vo, value=D("99")), user=officer)


def test_the_inspection_team_sets_no_target(place):
    province, *_ = place
    with pytest.raises(PermissionDenied):
        save_target(
            Target(indicator="online_rate", year=2023, unit=province, value=D("50")),
            user=make_user(INSPECTION_TEAM, province),
        )


def test_a_save_from_a_stale_copy_is_refused_and_changes_nothing(place):
    province, *_ = place
    staff = make_user(PROVINCIAL_STAFF, province)
    first = Target.objects.get(unit=province)
    second = Target.objects.get(unit=province)
    first.value = D("96")
    save_target(first, user=staff, expected_version=1)
    second.value = D("90")
    with pytest.raises(StaleSave):
        save_target(second, user=staff, expected_version=1)
    stored = Target.objects.get(unit=province)
    assert (stored.value, stored.version) == (D("96"), 2)


def test_every_change_is_kept_in_the_history(place):
    province, *_ = place
    staff = make_user(PROVINCIAL_STAFF, province)
    target = Target.objects.get(unit=province)
    target.value = D("97")
    save_target(target, user=staff, expected_version=1)
    assert [record.value for record in target.history.order_by("history_date")] == [D("95"), D("97")]


def test_a_target_for_a_year_the_unit_did_not_exist_is_refused(bands):
    province = make_province("87", valid_until=date(2025, 6, 30))
    errors = clean_errors(Target(indicator="on_time_rate", year=2026, unit=province, value=D("98")))
    assert errors["unit"] == ["Đồng Tháp không tồn tại trong năm 2026."]


def test_only_a_province_target_lets_units_tighten(place):
    _province, thanh_binh, _ = place
    target = Target(indicator="online_rate", year=2023, unit=thanh_binh, value=D("50"), allows_stricter=True)
    assert "allows_stricter" in clean_errors(target)
