"""The official list imported as it is: a code reused across the 2025 reform comes on two rows, parents and
successors are resolved by date, and importing the same list again changes nothing."""

from datetime import date

import pytest

from cchc.lib.imports import RowOutcome, read_table
from districts.imports import COLUMNS, REQUIRED, import_units
from districts.models import Unit
from tests.factories import make_province
from tests.files import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = ["code", "name", "kind", "parent_code", "valid_from", "valid_until", "successor_codes"]
LAST_DAY, FIRST_DAY = date(2025, 6, 30), date(2025, 7, 1)

# Tiền Giang (82) and Đồng Tháp (87) until 30/06/2025, each with a district and a commune; from 01/07/2025 the
# new Đồng Tháp takes 82, and the new commune Cái Bè takes the code of one of the communes merged into it.
REFORM = [
    HEADER,
    ["82", "Tỉnh Tiền Giang", "tỉnh", "", "", "30/06/2025", "82"],
    ["82", "Tỉnh Đồng Tháp", "tỉnh", "", "01/07/2025", "", ""],
    ["87", "Tỉnh Đồng Tháp", "tỉnh", "", "", "30/06/2025", "82"],
    ["819", "Huyện Cái Bè", "huyện", "82", "", "30/06/2025", "82"],
    ["874", "Huyện Thanh Bình", "huyện", "87", "", "30/06/2025", "82"],
    ["28435", "Thị trấn Cái Bè", "thị trấn", "819", "", "30/06/2025", "28435"],
    ["29620", "Xã Tân Thạnh", "xã", "874", "", "30/06/2025", "29620"],
    ["28435", "Xã Cái Bè", "xã", "82", "01/07/2025", "", ""],
    ["29620", "Xã Tân Thạnh", "xã", "82", "01/07/2025", "", ""],
]


def run(rows, *, kind="csv", commit=True):
    content = xlsx_bytes(rows) if kind == "xlsx" else csv_bytes(rows, bom=True)
    return import_units(read_table(content, f"don-vi.{kind}", columns=COLUMNS, required=REQUIRED), commit=commit)


def holder(code, day):
    return Unit.objects.holding(code, on=day)


def place(result):
    return [(error.row, error.column) for error in result.errors]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_reused_code_comes_on_two_rows_and_gives_two_units(kind):
    result = run(REFORM, kind=kind)

    assert result.saved and result.errors == []
    assert result.counts == {"new": 9, "changed": 0, "unchanged": 0}
    assert Unit.objects.filter(code="82").count() == 2
    assert holder("82", LAST_DAY).name == "Tỉnh Tiền Giang"
    assert holder("82", FIRST_DAY).name == "Tỉnh Đồng Tháp"


def test_parent_codes_are_resolved_on_the_rows_dates():
    run(REFORM)

    # The district Cái Bè (until 30/06/2025) sits under the 82 of its time, Tiền Giang; the new commune Cái Bè
    # (from 01/07/2025) under the 82 of its time, the new Đồng Tháp.
    assert holder("819", LAST_DAY).parent == holder("82", LAST_DAY)
    assert holder("28435", FIRST_DAY).parent == holder("82", FIRST_DAY)
    assert holder("28435", LAST_DAY).parent.code == "819"


def test_successors_are_set_on_the_day_after_the_last_day():
    run(REFORM)

    new_dong_thap = holder("82", FIRST_DAY)
    # "82" on Tiền Giang's row names the holder of 82 on 01/07/2025, not Tiền Giang itself.
    assert list(holder("82", LAST_DAY).successors.all()) == [new_dong_thap]
    assert list(holder("87", LAST_DAY).successors.all()) == [new_dong_thap]
    assert list(holder("874", LAST_DAY).successors.all()) == [new_dong_thap]
    assert list(holder("28435", LAST_DAY).successors.all()) == [holder("28435", FIRST_DAY)]
    assert sorted(unit.name for unit in new_dong_thap.predecessors.all()) == [
        "Huyện Cái Bè",
        "Huyện Thanh Bình",
        "Tỉnh Tiền Giang",
        "Tỉnh Đồng Tháp",
    ]


def test_several_successors_are_separated_by_semicolons():
    rows = [
        HEADER,
        ["87", "Tỉnh Đồng Tháp", "tỉnh", "", "", "30/06/2025", "82; 68"],
        ["82", "Tỉnh Đồng Tháp", "tỉnh", "", "01/07/2025", "", ""],
        ["68", "Tỉnh Lâm Đồng", "tỉnh", "", "", "", ""],
    ]

    run(rows)

    assert sorted(unit.code for unit in holder("87", LAST_DAY).successors.all()) == ["68", "82"]


def test_importing_the_same_list_again_changes_nothing(unchanged_database):
    run(REFORM)

    with unchanged_database():
        result = run(REFORM)

    assert result.saved
    assert result.counts == {"new": 0, "changed": 0, "unchanged": 9}


def test_a_row_of_the_old_82_is_a_new_unit_not_a_change_of_the_new_one():
    # The case: the new Đồng Tháp is in the system; the official list gives Tiền Giang's old 82.
    new_dong_thap = make_province("82", "Tỉnh Đồng Tháp", valid_from=FIRST_DAY)

    result = run([HEADER[:6], ["82", "Tỉnh Tiền Giang", "tỉnh", "", "", "30/06/2025"]])

    assert result.rows[0].action == RowOutcome.NEW
    new_dong_thap.refresh_from_db()
    assert (new_dong_thap.name, new_dong_thap.valid_from) == ("Tỉnh Đồng Tháp", FIRST_DAY)
    assert holder("82", LAST_DAY).name == "Tỉnh Tiền Giang"


def test_two_rows_of_one_code_with_overlapping_dates_are_an_error(unchanged_database):
    rows = [
        HEADER[:6],
        ["82", "Tỉnh Tiền Giang", "tỉnh", "", "", "30/06/2025"],
        ["82", "Tỉnh Đồng Tháp", "tỉnh", "", "30/06/2025", ""],
    ]

    with unchanged_database():
        result = run(rows)

    assert place(result) == [(3, "code")]
    assert result.errors[0].message == "Dòng 2 đã khai báo đơn vị 82 trong khoảng thời gian giao với khoảng này."


def test_a_row_overlapping_another_holder_in_the_system_is_an_error(unchanged_database):
    make_province("82", "Tỉnh Tiền Giang", valid_until=LAST_DAY)
    make_province("82", "Tỉnh Đồng Tháp", valid_from=FIRST_DAY)

    # Tiền Giang's row matches Tiền Giang; extending it past 30/06/2025 runs into the new Đồng Tháp.
    with unchanged_database():
        result = run([HEADER[:6], ["82", "Tỉnh Tiền Giang", "tỉnh", "", "", "31/12/2025"]])

    assert place(result) == [(2, "code")]
    assert "Mã 82 thuộc về Tỉnh Đồng Tháp (từ 01/07/2025)" in result.errors[0].message


@pytest.mark.parametrize(
    ("dates", "column", "says"),
    [
        (("", ""), "valid_until", "Huyện Thanh Bình chỉ tồn tại đến 30/06/2025: đơn vị trực thuộc không thể"),
        # The case: from 2026 under 874, abolished on 30/06/2025: no 874 existed then.
        (("01/01/2026", ""), "parent_code", "Không có đơn vị nào mang mã “874” vào ngày 01/01/2026."),
    ],
    ids=["still open", "from 2026"],
)
def test_a_commune_outside_its_parents_dates_is_an_error(dates, column, says, unchanged_database):
    rows = [
        HEADER[:6],
        ["87", "Tỉnh Đồng Tháp", "tỉnh", "", "", "30/06/2025"],
        ["874", "Huyện Thanh Bình", "huyện", "87", "", "30/06/2025"],
        ["29620", "Xã Tân Thạnh", "xã", "874", *dates],
    ]

    with unchanged_database():
        result = run(rows)

    assert place(result) == [(4, column)]
    assert says in result.errors[0].message


@pytest.mark.parametrize(
    ("row", "says"),
    [
        (
            ["87", "Tỉnh Đồng Tháp", "tỉnh", "", "", "30/06/2025", "99"],
            "Không có đơn vị nào mang mã “99” vào ngày 01/07/2025",
        ),
        (["87", "Tỉnh Đồng Tháp", "tỉnh", "", "", "", "82"], "Chỉ đơn vị có ngày kết thúc"),
    ],
    ids=["successor unknown on the day after", "successor of an open unit"],
)
def test_a_successor_that_cannot_be_resolved_is_an_error_at_its_column(row, says, unchanged_database):
    with unchanged_database():
        result = run([HEADER, ["82", "Tỉnh Đồng Tháp", "tỉnh", "", "01/07/2025", "", ""], row])

    assert place(result) == [(3, "successor_codes")]
    assert says in result.errors[0].message


def test_closing_a_district_and_its_communes_in_one_file_works_children_first():
    province = make_province("87", "Tỉnh Đồng Tháp")
    rows = [
        HEADER[:6],
        ["87", "Tỉnh Đồng Tháp", "tỉnh", "", "", "30/06/2025"],
        ["874", "Huyện Thanh Bình", "huyện", "87", "", "30/06/2025"],
        ["29620", "Xã Tân Thạnh", "xã", "874", "", "30/06/2025"],
    ]
    run(
        [HEADER[:6], ["874", "Huyện Thanh Bình", "huyện", "87", "", ""], ["29620", "Xã Tân Thạnh", "xã", "874", "", ""]]
    )

    result = run(rows)

    assert result.saved, result.errors
    assert result.counts == {"new": 0, "changed": 3, "unchanged": 0}
    province.refresh_from_db()
    assert province.valid_until == LAST_DAY


def test_a_unit_that_shrinks_and_moves_to_a_new_parent_of_the_same_file_is_saved_after_its_parent():
    make_province("87", "Tỉnh Đồng Tháp")
    run(
        [HEADER[:6], ["874", "Huyện Thanh Bình", "huyện", "87", "", ""], ["29620", "Xã Tân Thạnh", "xã", "874", "", ""]]
    )
    # The commune's interval shrinks (it now starts on 01/01/2021) and it moves under a district that is new in
    # the file: the shrinking rows are saved first, but this one only once its new parent exists.
    rows = [
        HEADER[:6],
        ["29620", "Xã Tân Thạnh", "xã", "875", "01/01/2021", ""],
        ["875", "Huyện Tân Hồng Mới", "huyện", "87", "01/01/2020", ""],
    ]

    result = run(rows)

    assert result.saved, result.errors
    assert result.counts == {"new": 1, "changed": 1, "unchanged": 0}
    commune = Unit.objects.get(code="29620")
    assert commune.parent == Unit.objects.get(code="875")
    assert commune.valid_from == date(2021, 1, 1)
    # Re-importing the same file changes nothing.
    assert run(rows).counts == {"new": 0, "changed": 0, "unchanged": 2}
