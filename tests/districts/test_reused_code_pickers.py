"""A code held by two units (82: Tiền Giang until 30/06/2025, the new Đồng Tháp from 01/07/2025) in the pickers
and filters that take a code: each holder offered with its dates and its own value, a plain code resolved by the
date the page is about (the chosen period, the chosen session's day), never silently to today's holder."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.lib.roles import INSPECTION_TEAM, PROVINCIAL_STAFF
from districts.models import Unit, parse_day, split_holder_value
from dossiers.forms import ProvincePeriodForm
from tests.factories import make_recommendation, make_session, make_user

pytestmark = pytest.mark.django_db

TIEN_GIANG = "Tỉnh Tiền Giang (82, đến 30/06/2025)"
DONG_THAP = "Tỉnh Đồng Tháp (82, từ 01/07/2025)"


def select_options(html, name):
    start = html.index(f'<select name="{name}"')
    return html[start : html.index("</select>", start)]


# --- The review page's unit picker (dossiers/filters.py) -----------------------------------------------------


@pytest.mark.parametrize(
    ("period", "offered", "not_offered"),
    [
        ("2024Q4", ["Tỉnh Tiền Giang", "Thành phố Mỹ Tho"], ["Tỉnh Đồng Tháp", "Xã Tân Thạnh"]),
        ("2025Q4", ["Tỉnh Đồng Tháp", "Xã Tân Thạnh"], ["Tỉnh Tiền Giang", "Thành phố Mỹ Tho"]),
    ],
)
def test_the_review_unit_picker_offers_the_units_of_the_chosen_period(client, both_82, period, offered, not_offered):
    client.force_login(make_user(PROVINCIAL_STAFF, unit=both_82["dong_thap"]))

    units = select_options(client.get("/dossiers/review/", {"period": period}).content.decode(), "unit")

    assert all(name in units for name in offered)
    assert not any(name in units for name in not_offered)


def test_without_a_period_the_review_picker_shows_each_holder_of_82_with_its_dates(client, both_82):
    client.force_login(make_user(PROVINCIAL_STAFF, unit=both_82["dong_thap"]))

    units = select_options(client.get("/dossiers/review/").content.decode(), "unit")

    assert f'label="{TIEN_GIANG}"' in units and f'label="{DONG_THAP}"' in units
    assert f"{TIEN_GIANG} — báo cáo của tỉnh" in units and f"{DONG_THAP} — báo cáo của tỉnh" in units


# --- The recommendations filter (inspections/filters.py) ------------------------------------------------------


@pytest.fixture
def recommendations(both_82):
    old_round = make_session(
        both_82["tien_giang"], title="Kiểm tra 2024", starts_on=date(2024, 10, 1), ends_on=date(2024, 10, 3)
    )
    new_round = make_session(
        both_82["dong_thap"], title="Kiểm tra 2026", starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 4)
    )
    return {
        "old_round": old_round,
        "new_round": new_round,
        "old": make_recommendation(both_82["tien_giang"], session=old_round, text="Kiến nghị cho Tiền Giang"),
        "new": make_recommendation(both_82["dong_thap"], session=new_round, text="Kiến nghị cho Đồng Tháp mới"),
    }


@pytest.fixture
def inspector(client, both_82):
    client.force_login(make_user(INSPECTION_TEAM, unit=both_82["dong_thap"]))
    return client


def listed(response):
    assert response.status_code == 200
    return sorted(recommendation.text for recommendation in response.context["filter"].qs)


def test_the_unit_filter_offers_each_holder_of_82_with_its_dates_and_its_own_value(inspector, recommendations):
    units = select_options(inspector.get("/inspections/recommendations/").content.decode(), "unit")

    assert f'<option value="82@2025-06-30">{TIEN_GIANG}</option>' in units
    assert f'<option value="82@2025-07-01">{DONG_THAP}</option>' in units


@pytest.mark.parametrize(
    ("value", "expected"),
    [("82@2025-06-30", ["Kiến nghị cho Tiền Giang"]), ("82@2025-07-01", ["Kiến nghị cho Đồng Tháp mới"])],
)
def test_a_holders_value_keeps_that_holders_recommendations(inspector, recommendations, value, expected):
    assert listed(inspector.get("/inspections/recommendations/", {"unit": value})) == expected


def test_a_plain_code_with_a_session_names_the_unit_that_held_it_on_the_sessions_day(inspector, recommendations):
    response = inspector.get(
        "/inspections/recommendations/", {"unit": "82", "session": recommendations["old_round"].pk}
    )

    # 01/10/2024: the 82 of the day is Tiền Giang, not today's holder (whose list would be empty here).
    assert listed(response) == ["Kiến nghị cho Tiền Giang"]
    assert '<option value="82@2025-06-30" selected>' in select_options(response.content.decode(), "unit")


def test_a_plain_code_without_a_date_is_todays_holder(inspector, recommendations):
    assert listed(inspector.get("/inspections/recommendations/", {"unit": "82"})) == ["Kiến nghị cho Đồng Tháp mới"]


def test_a_plain_code_without_a_date_shows_todays_holder_chosen(inspector, recommendations):
    response = inspector.get("/inspections/recommendations/", {"unit": "82"})

    assert '<option value="82@2025-07-01" selected>' in select_options(response.content.decode(), "unit")


@pytest.mark.parametrize(("period", "chosen"), [("2024Q4", "82@2025-06-30"), ("2025Q4", "82@2025-07-01")])
def test_a_province_field_given_a_plain_code_is_drawn_from_one_read_of_its_list(both_82, period, chosen):
    form = ProvincePeriodForm({"province": "82", "period": period}, provinces=Unit.objects.provinces())
    assert form.is_valid()

    with CaptureQueriesContext(connection) as queries:
        drawn = str(form["province"])

    # The holder of the period chosen, among the rows of the list its options are drawn from: one query
    assert f'<option value="{chosen}" selected>' in drawn
    assert len(queries) == 1


@pytest.mark.parametrize("value", ["82@2031-02-30", "82@hôm qua", "82@2019-01-01x"])
def test_a_value_with_a_day_that_is_no_day_is_refused_beside_the_field(inspector, recommendations, value):
    response = inspector.get("/inspections/recommendations/", {"unit": value})

    assert response.status_code == 200
    assert response.context["filter"].form.errors["unit"] == ["Lựa chọn này không tồn tại hoặc bạn không có quyền xem."]


def test_days_are_read_as_users_type_them_and_as_urls_give_them():
    assert parse_day("30/06/2025") == parse_day("2025-06-30") == parse_day("30.6.2025") == date(2025, 6, 30)
    assert parse_day("31/02/2025") is None and parse_day("2025") is None and parse_day(None) is None
    assert split_holder_value(" 82@2025-07-01 ") == ("82", date(2025, 7, 1))
    assert split_holder_value("82") == ("82", None)


# --- The admin's search (districts/admin_filters.py) ----------------------------------------------------------------


@pytest.fixture
def admin_client_82(client, both_82, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("quantri", password="secret-pass-123"))
    return client


def found(response):
    assert response.status_code == 200
    return sorted(unit.name for unit in response.context["cl"].result_list)


def test_the_unit_admin_lists_every_holder_of_a_code_with_its_dates(admin_client_82):
    response = admin_client_82.get("/admin/districts/unit/", {"q": "82"})

    assert found(response) == ["Tỉnh Tiền Giang", "Tỉnh Đồng Tháp"]
    assert "30/06/2025" in response.content.decode() or "30 tháng 6 năm 2025" in response.content.decode()


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("82 30/06/2025", ["Tỉnh Tiền Giang"]),
        ("82 1/7/2025", ["Tỉnh Đồng Tháp"]),
        ("82@2024-12-31", ["Tỉnh Tiền Giang"]),
        ("Mỹ Tho 01/07/2025", []),
    ],
)
def test_a_date_in_the_admin_search_resolves_the_code_on_that_day(admin_client_82, q, expected):
    assert found(admin_client_82.get("/admin/districts/unit/", {"q": q})) == expected


@pytest.mark.parametrize(
    ("valid_on", "expected"),
    [
        ("2025-06-30", ["Tỉnh Tiền Giang"]),
        ("2025-07-01", ["Tỉnh Đồng Tháp"]),
        ("24/12/2024", ["Tỉnh Tiền Giang"]),
        ("không phải ngày", []),
    ],
)
def test_the_valid_on_filter_keeps_the_holder_of_the_day(admin_client_82, valid_on, expected):
    response = admin_client_82.get("/admin/districts/unit/", {"q": "82", "valid_on": valid_on})

    assert found(response) == expected


def test_the_valid_on_filter_offers_the_two_sides_of_the_reform(admin_client_82):
    page = admin_client_82.get("/admin/districts/unit/").content.decode()

    assert "?valid_on=2025-06-30" in page and "?valid_on=2025-07-01" in page


def test_the_unit_autocomplete_resolves_a_code_on_a_date(admin_client_82, both_82):
    response = admin_client_82.get(
        "/admin/autocomplete/",
        {"term": "82 31/12/2024", "app_label": "dossiers", "model_name": "quarterlyreport", "field_name": "unit"},
    )

    assert [result["id"] for result in response.json()["results"]] == [str(both_82["tien_giang"].pk)]


def test_a_date_in_the_report_admins_search_keeps_the_reports_of_that_days_holder(admin_client_82, both_82):
    from tests.factories import make_report

    make_report(both_82["tien_giang"], 2024, 4)
    make_report(both_82["dong_thap"], 2025, 4)

    response = admin_client_82.get("/admin/dossiers/quarterlyreport/", {"q": "82 31/12/2024"})

    assert [(report.unit.name, report.year) for report in response.context["cl"].result_list] == [
        ("Tỉnh Tiền Giang", 2024)
    ]


def test_the_unit_autocomplete_names_each_holder_of_82_with_its_dates(admin_client_82, both_82):
    response = admin_client_82.get(
        "/admin/autocomplete/",
        {"term": "82", "app_label": "dossiers", "model_name": "quarterlyreport", "field_name": "unit"},
    )

    assert sorted(result["text"] for result in response.json()["results"]) == [
        "82 – Tỉnh Tiền Giang (đến 30/06/2025)",
        "82 – Tỉnh Đồng Tháp (từ 01/07/2025)",
    ]


def test_the_autocomplete_still_needs_an_admin_login(client, both_82):
    response = client.get(
        "/admin/autocomplete/",
        {"term": "82", "app_label": "dossiers", "model_name": "quarterlyreport", "field_name": "unit"},
    )

    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_report_admins_unit_shows_its_dates(admin_client_82, both_82):
    from tests.factories import make_report

    report = make_report(both_82["tien_giang"], 2024, 4)

    page = admin_client_82.get(f"/admin/dossiers/quarterlyreport/{report.pk}/change/").content.decode()

    assert "82 – Tỉnh Tiền Giang (đến 30/06/2025)" in page


# --- The admin's lists --------------------------------------------------------------------------------------


def test_an_admin_list_names_each_holder_of_a_reused_code_with_its_dates(admin_client, both_82):
    from tests.factories import make_plan

    make_plan(both_82["tien_giang"], 2024, title="Kế hoạch 2024")
    make_plan(both_82["dong_thap"], 2026, title="Kế hoạch 2026")

    html = admin_client.get("/admin/districts/reformplan/").content.decode()

    assert "Tỉnh Tiền Giang (đến 30/06/2025)" in html
    assert "Tỉnh Đồng Tháp (từ 01/07/2025)" in html
