"""Two periods side by side, and across the 2025 reform: the successor against the sum of its predecessors."""

from datetime import date
from decimal import Decimal

import pytest

from cchc.comparisons import compare, resolve_unit, units_for
from cchc.lib.periods import Period
from cchc.lib.roles import PROVINCIAL_STAFF
from dossiers.models import COUNTED_STATUSES, LevelFigures, QuarterlyReport
from tests.factories import make_counted_report, make_district, make_province, make_user

CUT = date(2025, 6, 30)


@pytest.fixture
def reform(db):
    """Old Đồng Tháp (87) and Tiền Giang, merged on 1 July 2025 into the new Đồng Tháp (82).

    Tiền Giang held code 82 until then; while ``Unit.code`` is unique here, the test's Tiền Giang carries 80.
    """
    old = make_province("87", "Đồng Tháp (cũ)", valid_until=CUT)
    tien_giang = make_province("80", "Tiền Giang", valid_until=CUT)
    new = make_province("82", "Đồng Tháp", valid_from=date(2025, 7, 1))
    thanh_binh = make_district(old, "874", "Thanh Bình", valid_until=CUT)
    cai_be = make_district(tien_giang, "817", "Cái Bè", valid_until=CUT)
    for unit in (old, tien_giang, thanh_binh, cai_be):
        unit.successors.add(new)
    # 2024 (year): Thanh Bình 90 of 100 in time, 30 of 200 online; Cái Bè 45 of 50, 20 of 60; Tiền Giang's own
    # report (its departments) 5 of 10 in time, received 40 of which 10 online.
    make_counted_report(thanh_binh, 2024, 4, received=200, received_online=30, resolved=100, resolved_in_time=90)
    make_counted_report(cai_be, 2024, 4, received=60, received_online=20, resolved=50, resolved_in_time=45)
    make_counted_report(tien_giang, 2024, 4, received=40, received_online=10, resolved=10, resolved_in_time=5)
    # 2026 Q1: the new province's own report, 180 of 200 in time, 150 of 300 online.
    make_counted_report(new, 2026, 1, received=300, received_online=150, resolved=200, resolved_in_time=180)
    return old, tien_giang, new


def snapshot():
    return sorted(
        LevelFigures.objects.values_list("report__unit__code", "report__year", "received", "resolved")
    ), sorted(QuarterlyReport.objects.values_list("unit__code", "year", "quarter"))


def test_the_successor_is_compared_with_the_sum_of_its_predecessors(reform):
    old, tien_giang, new = reform
    before = snapshot()
    sides, rows = compare(new, Period.parse("2024"), Period.parse("2026Q1"), statuses=COUNTED_STATUSES)
    assert [u.code for u in sides[0].units] == ["80", "87"] and not sides[0].own
    assert sides[1].units == [new] and sides[1].own
    by_code = {row.indicator.code: row for row in rows}
    on_time = by_code["on_time_rate"]
    # 2024: (90 + 45 + 5) / (100 + 50 + 10) = 140 / 160 = 87,50 %; 2026Q1: 180 / 200 = 90,00 %; +2,50 points.
    assert (on_time.first.numerator, on_time.first.denominator) == (140, 160)
    assert on_time.first.value == Decimal("87.50")
    assert on_time.second.value == Decimal("90.00")
    assert on_time.change == Decimal("2.50")
    online = by_code["online_rate"]
    # 2024: (30 + 20 + 10) / (200 + 60 + 40) = 60 / 300 = 20,00 %; 2026Q1: 150 / 300 = 50,00 %.
    assert (online.first.numerator, online.first.denominator, online.second.value) == (60, 300, Decimal("50.00"))
    # Added up on the fly: nothing written to the predecessors' reports nor to the successor's.
    assert snapshot() == before


def test_the_districts_that_also_name_the_successor_are_not_counted_twice(reform):
    _old, _tien_giang, new = reform
    # The districts' successor is the new province too, but only predecessors of its level stand for it.
    assert [u.code for u in units_for(new, Period.parse("2024"))] == ["80", "87"]


def test_a_unit_that_existed_in_both_periods_is_compared_with_itself(reform):
    old, *_ = reform
    make_counted_report(old.children.get(), 2023, 4, resolved=10, resolved_in_time=10)
    sides, rows = compare(old, Period.parse("2023"), Period.parse("2024"), statuses=COUNTED_STATUSES)
    assert all(side.own for side in sides)
    on_time = next(row for row in rows if row.indicator.code == "on_time_rate")
    # 2023: 10 / 10 = 100 %; 2024: 90 / 100 = 90 % (old Đồng Tháp's only district): −10 points.
    assert (on_time.first.value, on_time.second.value, on_time.change) == (Decimal(100), Decimal(90), Decimal(-10))


def test_a_code_names_the_unit_that_held_it_on_the_day(reform):
    _old, _tien_giang, new = reform
    assert resolve_unit("82", date(2026, 3, 31)) == new
    assert resolve_unit("99", date(2026, 3, 31)) is None


def test_the_comparison_page(client, reform):
    old, tien_giang, new = reform
    client.force_login(make_user(PROVINCIAL_STAFF, new))
    page = client.get("/compare/?unit=82&first=2024&second=2026Q1").content.decode()
    assert "Tiền Giang (80) + Đồng Tháp (cũ) (87)" in page
    assert "87,50%" in page and "90,00%" in page and "+2,50" in page


def test_the_comparison_page_tells_a_bad_period_beside_the_field(client, reform):
    _old, _tien_giang, new = reform
    client.force_login(make_user(PROVINCIAL_STAFF, new))
    response = client.get("/compare/?unit=82&first=2024X&second=2026Q1")
    assert response.status_code == 200
    assert "“2024X” không phải mã kỳ báo cáo" in response.content.decode()


@pytest.mark.parametrize(
    ("code", "previous"),
    [
        ("2024Q1", "2023Q4"),
        ("2024Q3", "2024Q2"),
        ("2024H1", "2023H2"),
        ("2024H2", "2024H1"),
        ("2024", "2023"),
        ("2024M9", "2023M9"),
    ],
)
def test_the_period_before(code, previous):
    from cchc.comparisons import previous_period

    assert previous_period(Period.parse(code)).code == previous
