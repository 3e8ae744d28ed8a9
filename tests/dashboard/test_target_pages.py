"""The targets page and the import of targets: who sees what, errors beside the field, all rows or none."""

from decimal import Decimal

import pytest

from cchc.lib.roles import DISTRICT_OFFICER, INSPECTION_TEAM, PROVINCIAL_STAFF
from cchc.models import Target
from tests.factories import make_user
from tests.files import csv_bytes, upload, xlsx_bytes

D = Decimal


@pytest.fixture
def place(bands, dong_thap, thanh_binh, lap_vo):
    """The root cast's Đồng Tháp, Thanh Bình and Lấp Vò, with the colour bands."""
    return dong_thap, thanh_binh, lap_vo


def test_provincial_staff_set_a_target_on_the_page(client, place):
    province, *_ = place
    client.force_login(make_user(PROVINCIAL_STAFF, province))
    response = client.post(
        "/targets/new/",
        {"indicator": "on_time_rate", "year": "2023", "unit": province.pk, "value": "97,5", "comment": "Kế hoạch"},
    )
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.unit, target.value, target.history.count()) == (province, D("97.5"), 1)
    page = client.get("/targets/?year=2023").content.decode()
    assert "≥ 97,50%" in page


def test_bad_input_is_told_beside_the_field_in_vietnamese_and_nothing_is_saved(client, place):
    province, *_ = place
    client.force_login(make_user(PROVINCIAL_STAFF, province))
    response = client.post(
        "/targets/new/", {"indicator": "on_time_rate", "year": "2023", "unit": province.pk, "value": "101"}
    )
    assert response.status_code == 200
    assert "Chỉ tiêu là một tỷ lệ phần trăm từ 0 đến 100." in response.content.decode()
    assert not Target.objects.exists()


def test_a_stale_form_is_refused_with_a_message(client, place):
    province, *_ = place
    client.force_login(make_user(PROVINCIAL_STAFF, province))
    target = Target.objects.create(indicator="on_time_rate", year=2023, unit=province, value=D("95"))
    Target.objects.filter(pk=target.pk).update(version=2)  # someone saved meanwhile
    data = {"indicator": "on_time_rate", "year": "2023", "unit": province.pk, "value": "90", "version": "1"}
    response = client.post(f"/targets/{target.pk}/", data)
    assert response.status_code == 200
    assert "Người khác đã sửa chỉ tiêu này" in response.content.decode()
    assert Target.objects.get().value == D("95")


def test_a_district_officer_sees_the_targets_that_hold_for_them_and_tightens_one(client, place):
    province, thanh_binh, lap_vo = place
    Target.objects.create(indicator="on_time_rate", year=2023, unit=province, value=D("95"), allows_stricter=True)
    Target.objects.create(indicator="online_rate", year=2023, unit=lap_vo, value=D("50"))  # not theirs
    client.force_login(make_user(DISTRICT_OFFICER, thanh_binh))
    page = client.get("/targets/").content.decode()
    assert "≥ 95,00%" in page and "≥ 50,00%" not in page
    response = client.post("/targets/new/", {"indicator": "on_time_rate", "year": "2023", "value": "94"})
    assert response.status_code == 200 and not Target.objects.filter(unit=thanh_binh).exists()
    response = client.post("/targets/new/", {"indicator": "on_time_rate", "year": "2023", "value": "99"})
    assert response.status_code == 302
    assert Target.objects.get(unit=thanh_binh).value == D("99")


def test_a_district_officer_cannot_open_another_units_target(client, place):
    province, thanh_binh, lap_vo = place
    other = Target.objects.create(indicator="online_rate", year=2023, unit=lap_vo, value=D("50"))
    client.force_login(make_user(DISTRICT_OFFICER, thanh_binh))
    assert client.get(f"/targets/{other.pk}/").status_code == 404
    assert client.post(f"/targets/{other.pk}/delete/", {"version": "1"}).status_code == 404
    assert client.get("/targets/import/").status_code == 403


def test_the_inspection_team_reads_targets_but_sets_none(client, place):
    province, *_ = place
    client.force_login(make_user(INSPECTION_TEAM, province))
    assert client.get("/targets/").status_code == 200
    assert client.get("/targets/new/").status_code == 403


def test_login_is_required(client, place):
    assert client.get("/targets/").status_code == 302


# --- Import -------------------------------------------------------------------------------------------------------

HEADER = ["unit_code", "year", "indicator", "target", "comment"]


def import_file(client, content, name="chi-tieu.xlsx"):
    return client.post("/targets/import/", {"file": upload(name, content)})


def test_an_xlsx_file_of_targets_is_imported(client, place):
    province, _thanh_binh, lap_vo = place
    client.force_login(make_user(PROVINCIAL_STAFF, province))
    rows = [
        HEADER,
        ["87", 2023, "on_time_rate", 95, "Kế hoạch tỉnh"],
        ["875", 2023, "Tỷ lệ trực tuyến", "50%", "Bài viết 003"],  # the indicator by its Vietnamese name
        [875, "2023", "on-time rate", "98,5", None],  # by its English name; a code typed as a number
    ]
    response = import_file(client, xlsx_bytes(rows))
    assert response.status_code == 200
    stored = {(t.unit.code, t.indicator): t.value for t in Target.objects.select_related("unit")}
    assert stored == {
        ("87", "on_time_rate"): D("95"),
        ("875", "online_rate"): D("50"),
        ("875", "on_time_rate"): D("98.5"),
    }
    assert Target.objects.get(unit=lap_vo, indicator="online_rate").history.count() == 1


def test_a_file_with_one_bad_row_saves_nothing_and_names_the_cell(client, place):
    province, *_ = place
    client.force_login(make_user(PROVINCIAL_STAFF, province))
    rows = [
        HEADER,
        ["87", 2023, "on_time_rate", 95, ""],
        ["874", 2023, "on_time_rate", "120", ""],  # row 3, column D
        ["999", 2023, "online_rate", "50", ""],  # row 4, column A
        ["874", 2023, "happiness", "50", ""],  # row 5, column C
    ]
    page = import_file(client, xlsx_bytes(rows)).content.decode()
    assert not Target.objects.exists()
    assert "Dòng 3, cột D (target): Chỉ tiêu là một tỷ lệ phần trăm từ 0 đến 100." in page
    assert "Dòng 4, cột A (unit_code)" in page
    assert "Dòng 5, cột C (indicator)" in page


def test_importing_again_changes_the_existing_target(client, place):
    province, *_ = place
    client.force_login(make_user(PROVINCIAL_STAFF, province))
    Target.objects.create(indicator="on_time_rate", year=2023, unit=province, value=D("95"))
    import_file(client, csv_bytes([HEADER, ["87", "2023", "on_time_rate", "96", ""]]), name="t.csv")
    target = Target.objects.get()
    assert (target.value, target.version, target.history.count()) == (D("96"), 2, 2)
