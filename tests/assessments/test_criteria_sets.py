"""Criteria sets as data: the tree and its sums, the import from a workbook (all or nothing), the yearly copy."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from assessments.imports import CRITERIA_COLUMNS, CRITERIA_REQUIRED, import_criteria
from assessments.models import CriteriaSet, Criterion, Method, ScoredUnits, Source, sort_key
from assessments.tree import Tree, copy_set, tree_errors
from cchc.lib.imports import read_upload
from tests.factories import SMALL_SET, make_set
from tests.files import csv_bytes, upload, xlsx_bytes

HEADER = ["Mã tiêu chí", "Tiêu chí", "Điểm tối đa", "Phương pháp chấm", "Chấm 0,5", "Tính từ", "Thang điểm"]


def read(name, content):
    with translation.override("vi"):
        return read_upload(upload(name, content), columns=CRITERIA_COLUMNS, required=CRITERIA_REQUIRED)


def run_import(rows, province, *, name="bo-tieu-chi.xlsx", year=2024):
    content = xlsx_bytes([HEADER, *rows]) if name.endswith(".xlsx") else csv_bytes([HEADER, *rows])
    with translation.override("vi"):
        return import_criteria(
            read(name, content), province=province, year=year, scored_units=ScoredUnits.DISTRICT, title="Bộ 2024"
        )


GOOD_ROWS = [
    ["1", "Công tác chỉ đạo, điều hành", 10, None, None, None, None],
    ["1.1", "Ban hành kế hoạch CCHC năm", 4, "tự chấm", "có", None, None],
    ["1.2", "Thực hiện kế hoạch CCHC", 6, "self", None, None, None],
    ["2", "Cải cách thủ tục hành chính", "8,5", None, None, None, None],
    ["2.1", "Tỷ lệ hồ sơ giải quyết đúng hạn", "4,5", "computed", None, "on_time_rate", "98:4,5; 95:2"],
    ["2.2", "Khảo sát", 4, "Từ khảo sát", None, None, None],
]


def test_codes_sort_as_printed():
    assert sorted(["1.10", "1.2", "10", "2", "1"], key=sort_key) == ["1", "1.2", "1.10", "2", "10"]


def test_a_sound_tree_has_no_errors_and_its_totals_add_up(small_set):
    tree = Tree.of(small_set)
    assert tree_errors(list(small_set.criteria.all())) == []
    # 1 (10) + 2 (10) + 3 (5) = 25; survey leaves: 3.1 = 5; the unit scores 25 − 5 = 20
    assert tree.max_points == Decimal(25)
    assert tree.max_by_method(Method.SURVEY) == Decimal(5)
    assert [node.criterion.code for node in tree.leaves()] == ["1.1", "1.2", "2.1", "2.2", "3.1"]
    assert tree.nodes["2.2"].criterion.parent.code == "2"


def test_a_parent_whose_maximum_is_not_the_sum_of_its_leaves_is_refused(dong_thap):
    nodes = list(SMALL_SET)
    nodes[0] = ("1", "Công tác chỉ đạo, điều hành", "12", Method.SELF, False, "")  # 4 + 6 = 10, not 12
    criteria_set = make_set(dong_thap, nodes=nodes)
    with translation.override("vi"):
        errors = tree_errors(list(criteria_set.criteria.all()))
        assert [(error.code, error.field) for error in errors] == [("1", "max_points")]
        expected = "Điểm tối đa của 1 (12) không bằng tổng điểm tối đa của các tiêu chí thành phần (10)"
        assert expected in errors[0].message
        with pytest.raises(ValidationError):
            criteria_set.full_clean()


def test_a_computed_leaf_must_say_what_it_is_computed_from(dong_thap):
    nodes = [("1", "Tỷ lệ đúng hạn", "4", Method.COMPUTED, False, "")]
    criteria_set = make_set(dong_thap, nodes=nodes)
    assert [(error.code, error.field) for error in tree_errors(list(criteria_set.criteria.all()))] == [("1", "source")]


def test_a_workbook_creates_the_whole_set(dong_thap):
    outcome = run_import(GOOD_ROWS, dong_thap)
    assert outcome.errors == []
    criteria_set = outcome.saved
    assert outcome.count == 6
    tree = Tree.of(criteria_set)
    # 10 + 8,5 = 18,5
    assert tree.max_points == Decimal("18.5")
    assert tree.nodes["1.1"].criterion.halves_allowed is True
    assert tree.nodes["1.2"].criterion.halves_allowed is False
    computed = tree.nodes["2.1"].criterion
    assert (computed.method, computed.source) == (Method.COMPUTED, Source.ON_TIME)
    assert [(band.min_rate, band.points) for band in computed.bands.all()] == [
        (Decimal("98.00"), Decimal("4.50")),
        (Decimal("95.00"), Decimal("2.00")),
    ]
    assert tree.nodes["2.2"].criterion.method == Method.SURVEY
    assert tree.nodes["2.2"].criterion.parent.code == "2"


def test_a_csv_file_is_read_the_same_way(dong_thap):
    outcome = run_import(GOOD_ROWS, dong_thap, name="bo-tieu-chi.csv")
    assert outcome.errors == []
    assert outcome.saved.criteria.count() == 6


def test_a_broken_sum_refuses_the_whole_file_at_its_row_and_column(dong_thap):
    rows = [list(row) for row in GOOD_ROWS]
    rows[3][2] = 9  # area 2 says 9, its leaves 4,5 + 4 = 8,5
    outcome = run_import(rows, dong_thap)
    assert outcome.saved is None
    # The header is row 1, so area 2 (the fourth node) is on row 5; "Điểm tối đa" is column C.
    assert [(error.row, error.letter) for error in outcome.errors] == [(5, "C")]
    assert "không bằng tổng điểm tối đa" in outcome.errors[0].message
    assert not CriteriaSet.objects.exists()
    assert not Criterion.objects.exists()


def test_every_bad_cell_is_listed_and_nothing_is_saved(dong_thap):
    rows = [list(row) for row in GOOD_ROWS]
    rows[1][2] = "bốn"  # row 3, column C
    rows[2][3] = "chấm bừa"  # row 4, column D
    rows[4][6] = "98 được 4"  # row 6, column G
    rows.append(["3.1", "Không có tiêu chí cha", 1, None, None, None, None])  # row 8: no "3"
    outcome = run_import(rows, dong_thap)
    assert [(error.row, error.letter) for error in outcome.errors] == [(3, "C"), (4, "D"), (6, "G"), (8, "A")]
    assert "không phải là số điểm" in outcome.errors[0].message
    assert not CriteriaSet.objects.exists()


def test_a_set_the_province_already_has_is_not_imported_twice(dong_thap):
    make_set(dong_thap, year=2024)
    outcome = run_import(GOOD_ROWS, dong_thap)
    assert outcome.saved is None
    assert outcome.errors[0].row is None
    assert CriteriaSet.objects.count() == 1


def test_last_years_set_is_copied_with_its_tree_bands_and_grades(small_set):
    copy = copy_set(small_set, year=2024)
    assert (copy.year, copy.province, copy.scored_units) == (2024, small_set.province, small_set.scored_units)
    old, new = Tree.of(small_set), Tree.of(copy)
    assert [(n.criterion.code, n.criterion.max_points, n.depth) for n in new.in_order()] == [
        (n.criterion.code, n.criterion.max_points, n.depth) for n in old.in_order()
    ]
    assert new.nodes["2.2"].criterion.parent_id == new.nodes["2"].criterion.pk
    assert [(b.min_rate, b.points) for b in new.nodes["2.2"].criterion.bands.all()] == [
        (Decimal(98), Decimal(4)),
        (Decimal(95), Decimal(2)),
    ]
    assert [band.label for band in copy.grade_bands.all()] == ["Tốt", "Khá", "Trung bình", "Yếu"]
    # The copy is a set of its own: editing it leaves last year's alone.
    new.nodes["1.1"].criterion.text = "Sửa đổi"
    new.nodes["1.1"].criterion.save()
    assert small_set.criteria.get(code="1.1").text == "Ban hành kế hoạch CCHC năm"
