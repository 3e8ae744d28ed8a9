"""Importing the official list of units: kinds as the lists write them, parents anywhere in the file, dates,
updates, and every error at its row and column with nothing saved."""

from datetime import date

import pytest

from cchc.lib.imports import RowOutcome, read_table
from districts.imports import COLUMNS, REQUIRED, import_units
from districts.models import Level, Unit, UnitKind
from tests.factories import make_province
from tests.files import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = ["code", "name", "kind", "parent_code", "valid_from", "valid_until"]


def run(rows, *, kind="csv", commit=True):
    content = xlsx_bytes(rows) if kind == "xlsx" else csv_bytes(rows, bom=True)
    return import_units(read_table(content, f"don-vi.{kind}", columns=COLUMNS, required=REQUIRED), commit=commit)


def place(result):
    return [(error.row, error.letter, error.column) for error in result.errors]


def units():
    return {unit.code: (unit.name, unit.kind, unit.parent.code if unit.parent else None) for unit in Unit.objects.all()}


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_province_its_districts_and_a_commune_are_created_with_parents_given_later_in_the_file(kind):
    rows = [
        HEADER,
        ["29620", "Xã Tân Thạnh", "xã", "874", "", "30/06/2025"],
        ["874", "Huyện Thanh Bình", "huyện", "87", "", "30/06/2025"],
        ["866", "Thành phố Cao Lãnh", "thành phố", "87", "", "2025-06-30"],
        ["87", "Tỉnh Đồng Tháp", "Tỉnh", "", "", "30/06/2025"],
    ]

    result = run(rows, kind=kind)

    assert result.saved and result.errors == []
    assert units() == {
        "87": ("Tỉnh Đồng Tháp", UnitKind.PROVINCE, None),
        "866": ("Thành phố Cao Lãnh", UnitKind.PROVINCIAL_CITY, "87"),
        "874": ("Huyện Thanh Bình", UnitKind.DISTRICT, "87"),
        "29620": ("Xã Tân Thạnh", UnitKind.COMMUNE, "874"),
    }
    assert Unit.objects.get(code="874").valid_until == date(2025, 6, 30)
    assert Unit.objects.get(code="29620").level == Level.COMMUNE


@pytest.mark.parametrize(
    ("code", "written", "kind"),
    [
        ("01", "thành phố", UnitKind.CENTRAL_CITY),
        ("01", "Thành phố trực thuộc trung ương", UnitKind.CENTRAL_CITY),
        ("02", "central_city", UnitKind.CENTRAL_CITY),
        ("866", "thành phố thuộc tỉnh", UnitKind.PROVINCIAL_CITY),
        ("866", "Thành phố", UnitKind.PROVINCIAL_CITY),
        ("869", "Thị xã", UnitKind.TOWN),
        ("001", "Quận", UnitKind.URBAN_DISTRICT),
        ("871", "HUYỆN", UnitKind.DISTRICT),
        ("00001", "phường", UnitKind.WARD),
        ("00002", "xã", UnitKind.COMMUNE),
        ("00003", "thị trấn", UnitKind.TOWNSHIP),
        ("00004", "đặc khu", UnitKind.SPECIAL_ZONE),
        ("00005", "township", UnitKind.TOWNSHIP),
    ],
)
def test_kinds_are_read_as_the_official_lists_write_them(code, written, kind):
    make_province("87", "Tỉnh Đồng Tháp")
    parent = {2: "", 3: "87", 5: "870"}[len(code)]
    rows = [HEADER, ["870", "Huyện Hồng Ngự", "huyện", "87", "", ""], [code, "Đơn vị", written, parent, "", ""]]

    assert run(rows).saved
    assert Unit.objects.get(code=code).kind == kind


def test_a_number_cell_that_lost_its_leading_zeros_gets_them_back_from_the_kind():
    make_province("01", "Thành phố Hà Nội", kind=UnitKind.CENTRAL_CITY)
    rows = [HEADER, [1, "Quận Ba Đình", "quận", "01", None, None]]

    assert run(rows, kind="xlsx").saved
    assert Unit.objects.get(name="Quận Ba Đình").code == "001"


def test_an_existing_unit_is_updated_and_the_change_is_shown_old_to_new():
    make_province("87", "Đồng Tháp")

    result = run([HEADER, ["87", "Tỉnh Đồng Tháp", "tỉnh", "", "", "30/06/2025"]])

    assert result.rows[0].action == RowOutcome.CHANGED
    assert [(code, old, new) for code, _title, old, new in result.rows[0].changes] == [
        ("name", "Đồng Tháp", "Tỉnh Đồng Tháp"),
        ("valid_until", None, "30/06/2025"),
    ]
    assert Unit.objects.get(code="87").valid_until == date(2025, 6, 30)


def test_dates_left_out_of_the_file_are_kept():
    make_province("87", "Tỉnh Đồng Tháp", valid_until=date(2025, 6, 30))

    result = run([["code", "name", "kind", "parent_code"], ["87", "Tỉnh Đồng Tháp", "tỉnh", ""]])

    assert result.rows[0].action == RowOutcome.UNCHANGED
    assert Unit.objects.get(code="87").valid_until == date(2025, 6, 30)


def test_importing_the_same_list_twice_changes_nothing_the_second_time(unchanged_database):
    rows = [
        HEADER,
        ["87", "Tỉnh Đồng Tháp", "tỉnh", "", "", "30/06/2025"],
        ["874", "Huyện Thanh Bình", "huyện", "87", "", "30/06/2025"],
    ]
    run(rows)

    with unchanged_database():
        result = run(rows)

    assert result.counts == {"new": 0, "changed": 0, "unchanged": 2}


def test_the_preview_saves_nothing(unchanged_database):
    with unchanged_database():
        result = run([HEADER, ["87", "Tỉnh Đồng Tháp", "tỉnh", "", "", ""]], commit=False)

    assert not result.saved and result.counts["new"] == 1


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (["874", "Huyện Thanh Bình", "huyện", "99", "", ""], "parent_code", "99"),
        (["874", "Huyện Thanh Bình", "quận huyện", "87", "", ""], "kind", "không phải là loại đơn vị"),
        (["874", "Huyện Thanh Bình", "huyện", "87", "31/02/2020", ""], "valid_from", "31/02/2020"),
        (["8740", "Huyện Thanh Bình", "huyện", "87", "", ""], "code", "3 chữ số"),
        (["87a", "Huyện Thanh Bình", "huyện", "87", "", ""], "code", "chữ số"),
        (["874", "", "huyện", "87", "", ""], "name", "tên"),
        (["874", "Huyện Thanh Bình", "huyện", "", "", ""], "parent_code", "đơn vị cấp trên"),
        (["874", "Huyện Thanh Bình", "huyện", "87", "01/07/2025", "30/06/2025"], "valid_until", "Hiệu lực đến"),
        (["8741", "Thành phố X", "thành phố", "87", "", ""], "kind", "4 chữ số"),
        (["29620", "Xã Tân Thạnh", "xã", "29620", "", ""], "parent_code", "chính nó"),
    ],
    ids=[
        "unknown parent",
        "unknown kind",
        "impossible date",
        "code length",
        "code not digits",
        "no name",
        "district without parent",
        "interval backwards",
        "ambiguous city",
        "own parent",
    ],
)
def test_a_bad_row_is_an_error_at_its_column_and_nothing_is_saved(row, column, reason, unchanged_database):
    make_province("87", "Tỉnh Đồng Tháp")
    letters = {code: chr(ord("A") + index) for index, code in enumerate(HEADER)}

    with unchanged_database():
        result = run([HEADER, ["875", "Huyện Lấp Vò", "huyện", "87", "", ""], row])

    assert not result.saved
    assert place(result) == [(3, letters[column], column)]
    assert reason in result.errors[0].message


def test_a_child_of_a_row_with_errors_is_an_error_too():
    rows = [
        HEADER,
        ["87", "Tỉnh Đồng Tháp", "tỉnh", "", "ngày mai", ""],
        ["874", "Huyện Thanh Bình", "huyện", "87", "", ""],
    ]

    result = run(rows)

    assert place(result) == [(2, "E", "valid_from"), (3, "D", "parent_code")]
    assert "dòng 2" in result.errors[1].message
    assert Unit.objects.count() == 0


def test_parents_that_form_a_loop_are_an_error():
    rows = [HEADER, ["874", "A", "huyện", "875", "", ""], ["875", "B", "huyện", "874", "", ""]]

    result = run(rows)

    assert place(result) == [(2, "D", "parent_code"), (3, "D", "parent_code")]
    assert Unit.objects.count() == 0


def test_a_code_given_twice_is_an_error_on_the_second_row():
    rows = [HEADER, ["87", "Tỉnh Đồng Tháp", "tỉnh", "", "", ""], ["87", "Đồng Tháp", "tỉnh", "", "", ""]]

    result = run(rows)

    assert place(result) == [(3, "A", "code")]
    assert Unit.objects.count() == 0
