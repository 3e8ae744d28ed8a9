"""The provincial dashboard at ``/``: the table of units with their rates, the province total, sorting, filters,
errors shown beside their fields, and a query budget that does not grow with the number of districts.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.lib.roles import PROVINCIAL_STAFF
from districts.models import UnitKind
from tests.dashboard.pages import dashboard_table, field_classes, field_errors, rate_and_counts
from tests.factories import (
    make_counted_report,
    make_district,
    make_province_with_districts,
    make_user,
)

pytestmark = pytest.mark.django_db


# --- The articles' figures, from the demo data ----------------------------------------------------------------------


def test_dak_songs_row_shows_its_on_time_and_resolution_rates_with_their_counts(demo_staff):
    response = demo_staff.get("/", {"province": "67", "period": "2023H1"})

    row = dashboard_table(response).row_of_unit("665")
    # 10.840 / 12.530 → 86,51 %; 12.530 / (1.727 + 13.324 = 15.051) → 83,25 %
    assert rate_and_counts(row["on_time_rate"]) == ("86,51%", "10.840 / 12.530")
    assert rate_and_counts(row["resolution_rate"]) == ("83,25%", "12.530 / 15.051")
    assert (row["to_handle"], row["received"], row["resolved"]) == ("15.051", "13.324", "12.530")


def test_bac_yens_row_shows_100_percent_on_time_and_its_plan(demo_staff):
    response = demo_staff.get("/", {"province": "14", "period": "2018H1"})

    row = dashboard_table(response).row_of_unit("121")
    # 14.506 of 14.506 in time → 100,00 %; 14.506 / (0 + 14.607) → 99,31 %; 250/295 → 84,75 %
    assert rate_and_counts(row["on_time_rate"]) == ("100,00%", "14.506 / 14.506")
    assert rate_and_counts(row["resolution_rate"]) == ("99,31%", "14.506 / 14.607")
    assert rate_and_counts(row["plan_completion"]) == ("84,75%", "250 / 295")


def test_thanh_binhs_row_shows_99_99_percent_not_100_and_its_procedure_rates(demo_staff):
    response = demo_staff.get("/", {"province": "87", "period": "2021"})

    row = dashboard_table(response).row_of_unit("874")
    # 86.041 / 86.048 → 99,99 %: the 7 late dossiers stay visible
    assert rate_and_counts(row["on_time_rate"]) == ("99,99%", "86.041 / 86.048")
    # 181/456 → 39,69 %; 36/181 → 19,89 %; 9/19 → 47,37 %; 18/35 → 51,43 %
    assert rate_and_counts(row["procedures_reviewed_rate"]) == ("39,69%", "181 / 456")
    assert rate_and_counts(row["procedures_simplified_rate"]) == ("19,89%", "36 / 181")
    assert rate_and_counts(row["inspection_coverage"]) == ("47,37%", "9 / 19")
    assert rate_and_counts(row["plan_completion"]) == ("51,43%", "18 / 35")
    assert "100,00%" not in row["on_time_rate"]


def test_thanh_binhs_rates_that_need_a_blank_count_show_a_dash(demo_staff):
    response = demo_staff.get("/", {"province": "87", "period": "2021"})

    row = dashboard_table(response).row_of_unit("874")
    # Received and carried over are not in the article: no resolution, online or postal rate
    assert (row["resolution_rate"], row["online_rate"], row["postal_rate"]) == ("—", "—", "—")
    assert row["received"] == "—"


def test_the_dashboard_opens_on_the_latest_quarter_with_a_report(demo_staff):
    response = demo_staff.get("/")

    # Đồng Tháp's latest report is Thanh Bình's 2021Q3
    assert response.context["scope"].period.code == "2021Q3"
    assert "Quý III/2021" in response.content.decode()
    assert dashboard_table(response).row_of_unit("874")["on_time_rate"].startswith("99,99%")


def test_a_district_without_a_report_is_marked_not_reported(demo_staff):
    response = demo_staff.get("/", {"province": "87", "period": "2021"})

    table = dashboard_table(response)
    assert "chưa báo cáo" in table.row_of_unit("875")["unit"]
    assert "chưa báo cáo" not in table.row_of_unit("874")["unit"]


# --- Built cases ---------------------------------------------------------------------------------------------------


def on_time_report(dong_thap, code, in_time, resolved, name=None, **fields):
    """A district with one approved 2023Q1 report: ``in_time`` of ``resolved`` (the rest late)."""
    district = make_district(dong_thap, code, name or f"Huyện {code}", **fields)
    late = None if resolved is None or in_time is None else resolved - in_time
    make_counted_report(district, 2023, 1, resolved=resolved, resolved_in_time=in_time, resolved_late=late)
    return district


def test_the_total_row_is_the_ratio_of_the_sums_not_the_mean_of_the_rates(staff_client, dong_thap):
    on_time_report(dong_thap, "874", 79200, 80000)  # 99 %
    on_time_report(dong_thap, "875", 400, 800)  # 50 %

    response = staff_client.get("/", {"period": "2023Q1"})

    total = dashboard_table(response).total()
    # (79.200 + 400) / (80.000 + 800) = 79.600 / 80.800 = 0,985148… → 98,51 %; the mean would be 74,50 %
    assert rate_and_counts(total["on_time_rate"]) == ("98,51%", "79.600 / 80.800")
    assert total["resolved"] == "80.800"
    assert total["unit"] == "Tổng cộng"


def test_the_on_time_card_shows_the_provinces_total(staff_client, dong_thap):
    on_time_report(dong_thap, "874", 79200, 80000)
    on_time_report(dong_thap, "875", 400, 800)

    content = staff_client.get("/", {"period": "2023Q1"}).content.decode()

    # 98,51 % (as above)
    assert 'data-testid="card-on-time">98,51%</div>' in content
    assert "79.600 / 80.800" in content


def test_a_unit_with_a_blank_count_is_left_out_of_the_total_rate(staff_client, dong_thap):
    on_time_report(dong_thap, "874", 79200, 80000)
    on_time_report(dong_thap, "875", 400, 800)
    on_time_report(dong_thap, "876", None, 1000)  # resolved, but not how many in time

    response = staff_client.get("/", {"period": "2023Q1"})

    table = dashboard_table(response)
    # Still 79.600 / 80.800 → 98,51 %, while the resolved column adds all three: 80.000 + 800 + 1.000; the line
    # under the rate says the pair covers 80.800 of those 81.800 resolved
    assert table.total()["on_time_rate"] == "98,51% 79.600 / 80.800 tính trên 80.800 / 81.800 hồ sơ đã giải quyết"
    assert table.total()["resolved"] == "81.800"
    assert table.row_of_unit("876")["on_time_rate"] == "—"


def test_a_zero_denominator_shows_a_dash_never_0_or_100_percent(staff_client, dong_thap):
    on_time_report(dong_thap, "874", 0, 0)

    response = staff_client.get("/", {"period": "2023Q1"})

    table = dashboard_table(response)
    assert table.row_of_unit("874")["on_time_rate"] == "—"
    assert table.row_of_unit("874")["resolved"] == "0"
    assert rate_and_counts(table.total()["on_time_rate"]) == ("—", None)


def test_a_blank_figure_shows_a_dash_and_a_zero_shows_zero(staff_client, dong_thap):
    district = make_district(dong_thap, "874")
    make_counted_report(district, 2023, 1, received=0)

    row = dashboard_table(staff_client.get("/", {"period": "2023Q1"})).row_of_unit("874")

    assert (row["received"], row["resolved"]) == ("0", "—")


def test_a_provinces_own_report_is_a_row_of_its_own_and_counts_in_the_total(staff_client, dong_thap):
    make_counted_report(dong_thap, 2023, 1, level="province", resolved=1000, resolved_in_time=900, resolved_late=100)
    on_time_report(dong_thap, "874", 100, 100)

    response = staff_client.get("/", {"period": "2023Q1"})

    table = dashboard_table(response)
    assert table.unit_codes() == ["87", "874"]
    assert "cấp tỉnh" in table.row_of_unit("87")["unit"]
    # 900/1.000 → 90,00 %; total (900 + 100) / (1.000 + 100) = 0,909090… → 90,91 %
    assert rate_and_counts(table.row_of_unit("87")["on_time_rate"]) == ("90,00%", "900 / 1.000")
    assert rate_and_counts(table.total()["on_time_rate"]) == ("90,91%", "1.000 / 1.100")


def test_a_district_abolished_in_2025_shows_in_2023_and_not_in_2026(staff_client, dong_thap):
    make_district(dong_thap, "874", "Huyện Thanh Bình", valid_until=date(2025, 6, 30))
    make_district(dong_thap, "875", "Huyện Lấp Vò")

    in_2023 = dashboard_table(staff_client.get("/", {"period": "2023Q1"}))
    in_2026 = dashboard_table(staff_client.get("/", {"period": "2026Q1"}))

    assert in_2023.unit_codes() == ["874", "875"]
    assert in_2026.unit_codes() == ["875"]


# --- Sorting ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def five_districts(dong_thap):
    on_time_report(dong_thap, "874", 99, 100, kind=UnitKind.DISTRICT)  # 99 %
    on_time_report(dong_thap, "875", 50, 100, kind=UnitKind.DISTRICT)  # 50 %
    on_time_report(dong_thap, "876", None, 100, kind=UnitKind.DISTRICT)  # no value: in time blank
    on_time_report(dong_thap, "866", 90, 100, name="Thành phố Cao Lãnh", kind=UnitKind.PROVINCIAL_CITY)  # 90 %
    on_time_report(dong_thap, "867", 0, 0, name="Thành phố Sa Đéc", kind=UnitKind.PROVINCIAL_CITY)  # no value: 0/0


def test_sorting_by_on_time_rate_descending_puts_blanks_last(staff_client, five_districts):
    response = staff_client.get("/", {"period": "2023Q1", "sort": "-on_time_rate"})

    # 99 %, 90 %, 50 %, then the two without a value by code
    assert dashboard_table(response).unit_codes() == ["874", "866", "875", "867", "876"]


def test_sorting_by_on_time_rate_ascending_also_puts_blanks_last(staff_client, five_districts):
    response = staff_client.get("/", {"period": "2023Q1", "sort": "on_time_rate"})

    assert dashboard_table(response).unit_codes() == ["875", "866", "874", "867", "876"]


def test_without_a_sort_the_rows_follow_the_unit_codes(staff_client, five_districts):
    assert dashboard_table(staff_client.get("/", {"period": "2023Q1"})).unit_codes() == [
        "866",
        "867",
        "874",
        "875",
        "876",
    ]


def test_the_column_headers_link_to_the_sort_keeping_the_period(staff_client, five_districts):
    response = staff_client.get("/", {"period": "2023Q1"})

    header = {cell.text: cell.links for cell in dashboard_table(response).header}
    assert header["Đúng hạn"] == ["?period=2023Q1&sort=on_time_rate"]


# --- Filters ---------------------------------------------------------------------------------------------------------


def test_the_kind_filter_keeps_only_units_of_that_kind(staff_client, five_districts):
    response = staff_client.get("/", {"period": "2023Q1", "kind": UnitKind.PROVINCIAL_CITY})

    assert dashboard_table(response).unit_codes() == ["866", "867"]


def test_below_a_threshold_keeps_only_units_under_it_and_none_without_a_value(staff_client, five_districts):
    response = staff_client.get("/", {"period": "2023Q1", "indicator": "on_time_rate", "below": "90"})

    # 50 % only: 90 % is not below 90, 99 % is above, and 876 and 867 have no value
    assert dashboard_table(response).unit_codes() == ["875"]


def test_the_threshold_takes_a_decimal_comma(staff_client, five_districts):
    response = staff_client.get("/", {"period": "2023Q1", "indicator": "on_time_rate", "below": "99,5"})

    # 99 %, 90 % and 50 % are below 99,5 %
    assert dashboard_table(response).unit_codes() == ["866", "874", "875"]


def test_the_kind_and_threshold_filters_combine(staff_client, five_districts):
    response = staff_client.get(
        "/", {"period": "2023Q1", "kind": UnitKind.DISTRICT, "indicator": "on_time_rate", "below": "100"}
    )

    assert dashboard_table(response).unit_codes() == ["874", "875"]


# --- Invalid input: the page still answers, with the error beside its field -------------------------------------------


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"period": "2023Q5"}, "period", "“2023Q5” không phải mã kỳ báo cáo"),
        ({"indicator": "on_time_rate", "below": "abc"}, "below", "Ngưỡng phải là một số"),
        ({"indicator": "on_time_rate", "below": "150"}, "below", "Ngưỡng là tỷ lệ phần trăm từ 0 đến 100."),
        ({"indicator": "on_time_rate", "below": "-1"}, "below", "Ngưỡng là tỷ lệ phần trăm từ 0 đến 100."),
        ({"province": "99"}, "province", "Tỉnh này không tồn tại hoặc bạn không có quyền xem."),
        ({"kind": "castle"}, "kind", "Hãy chọn một lựa chọn hợp lệ."),
    ],
    ids=["period-2023Q5", "below-abc", "below-150", "below-negative", "province-99", "kind-unknown"],
)
def test_an_invalid_choice_answers_200_with_a_vietnamese_error_beside_its_field(
    staff_client, five_districts, query, field, message
):
    response = staff_client.get("/", query)

    assert response.status_code == 200
    errors = field_errors(response, field)
    assert len(errors) == 1
    assert errors[0].startswith(message)
    assert "is-invalid" in field_classes(response, field)


def test_an_invalid_period_falls_back_to_the_latest_period_and_says_so_in_the_choice(staff_client, five_districts):
    response = staff_client.get("/", {"period": "2023Q5"})

    assert response.context["scope"].period.code == "2023Q1"
    assert dashboard_table(response).unit_codes() == ["866", "867", "874", "875", "876"]
    assert response.context["form"]["period"].value() == "2023Q1"


def test_an_invalid_threshold_leaves_the_rows_unfiltered_rather_than_empty(staff_client, five_districts):
    response = staff_client.get("/", {"period": "2023Q1", "indicator": "on_time_rate", "below": "abc"})

    assert len(dashboard_table(response).unit_codes()) == 5


def test_a_threshold_without_an_indicator_asks_for_both(staff_client, five_districts):
    response = staff_client.get("/", {"period": "2023Q1", "below": "90"})

    assert response.status_code == 200
    assert "Hãy chọn cả chỉ tiêu lẫn ngưỡng, hoặc bỏ trống cả hai." in response.content.decode()
    assert len(dashboard_table(response).unit_codes()) == 5


def test_a_period_in_year_zero_is_an_error_on_the_field_not_a_server_error(staff_client, five_districts):
    response = staff_client.get("/", {"period": "0000"})

    assert response.status_code == 200
    assert field_errors(response, "period")


# --- Query budget -----------------------------------------------------------------------------------------------------


def _queries(client, path, query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, query)
    assert response.status_code == 200
    return len(queries), response


def test_the_dashboard_takes_as_many_queries_for_30_districts_as_for_3(client):
    few = make_province_with_districts("11", 3, first_code=100)
    make_province_with_districts("12", 30, first_code=200)
    client.force_login(make_user(PROVINCIAL_STAFF, unit=few))

    few_count, few_response = _queries(client, "/", {"province": "11", "period": "2023H1"})
    many_count, many_response = _queries(client, "/", {"province": "12", "period": "2023H1"})

    assert len(dashboard_table(few_response).unit_codes()) == 3
    assert len(dashboard_table(many_response).unit_codes()) == 30
    assert many_count == few_count


def test_the_sorted_and_filtered_dashboard_takes_as_many_queries_for_30_districts_as_for_3(client):
    few = make_province_with_districts("11", 3, first_code=100)
    make_province_with_districts("12", 30, first_code=200)
    client.force_login(make_user(PROVINCIAL_STAFF, unit=few))
    query = {"period": "2023H1", "sort": "-on_time_rate", "indicator": "on_time_rate", "below": "95"}

    few_count, few_response = _queries(client, "/", {"province": "11", **query})
    many_count, many_response = _queries(client, "/", {"province": "12", **query})

    # Each district: (9 + 8) / (9 + 10) = 17/19 = 89,47 % < 95 %, so every row stays
    assert len(dashboard_table(many_response).unit_codes()) == 30
    assert many_count == few_count
