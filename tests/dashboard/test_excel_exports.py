"""Downloads for Excel users (cchc/lib/excel.py): the .xlsx has a title block, percent and thousands formats, a
frozen heading row and an autofilter; the CSV for Excel in Vietnamese has semicolons and decimal commas; no cell
holds HTML. Figures from the demo (seed 000: Thanh Bình 2021, 86.041 of 86.048 in time; plan 18 of 35)."""

import csv
import io

import pytest

from tests.spreadsheets import table_cells, title_block, workbook_sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def xlsx(demo_staff):
    return demo_staff.get("/", {"province": "87", "period": "2021", "_export": "xlsx"}).content


def cells_by_heading(content, code):
    rows = table_cells(content)
    headings = [cell.value for cell in rows[0]]
    row = next(row for row in rows[1:] if row[headings.index("Mã")].value == code)
    return dict(zip(headings, row, strict=True))


def test_the_xlsx_opens_with_a_title_block_naming_province_period_and_who_made_it(xlsx, demo):
    block = title_block(xlsx)

    assert block["Tỉnh"] == "Tỉnh Đồng Tháp"
    assert block["Kỳ báo cáo"] == "Năm 2021"
    assert block["Người lập"] == "Cán bộ Sở Demo"
    assert set(block) >= {"Báo cáo được tính", "Lập lúc"}
    assert workbook_sheet(xlsx)["A1"].value == "Bảng theo dõi"


def test_rates_are_fractions_with_a_percent_format_and_counts_have_thousands_separators(xlsx):
    row = cells_by_heading(xlsx, "874")

    # 18 / 35 = 0,514285… → shown 51,43 % by Excel
    assert row["Kế hoạch"].value == pytest.approx(0.5143)
    assert row["Kế hoạch"].number_format == "0.00%"
    assert row["Đã giải quyết"].value == 86048
    assert row["Đã giải quyết"].number_format == "#,##0"


def test_the_heading_row_is_frozen_and_filtered_and_the_columns_are_wide_enough(xlsx):
    sheet = workbook_sheet(xlsx)
    heading = int(sheet.freeze_panes[1:]) - 1

    assert sheet.auto_filter.ref.startswith(f"A{heading}:")
    assert sheet.column_dimensions["A"].width >= len("Huyện Thanh Bình")


def test_the_csv_for_excel_in_vietnamese_has_semicolons_and_decimal_commas(demo_staff):
    response = demo_staff.get("/", {"province": "87", "period": "2021", "_export": "csv_vi"})

    assert response["Content-Disposition"] == 'attachment; filename="cchc-87-2021-excel-tieng-viet.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    thanh_binh = next(row for row in rows if row["Mã"] == "874")
    assert thanh_binh["Kế hoạch"] == "51,43%"
    assert thanh_binh["Đúng hạn"] == "99,99%"
    assert thanh_binh["Đã giải quyết"] == "86048"


def test_the_machine_csv_stays_with_commas_and_decimal_points(demo_staff):
    response = demo_staff.get("/", {"province": "87", "period": "2021", "_export": "csv"})

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert next(row for row in rows if row["Mã"] == "874")["Kế hoạch"] == "51.43"


def test_the_page_names_the_two_csvs_so_a_user_picks_the_right_one(demo_staff):
    html = demo_staff.get("/", {"province": "87", "period": "2021"}).content.decode()

    assert "CSV cho Excel (tiếng Việt)" in html
    assert "CSV cho phần mềm" in html


def test_the_recommendations_export_holds_the_session_title_as_plain_text(demo_staff):
    content = demo_staff.get("/inspections/recommendations/", {"_export": "xlsx"}).content

    rows = table_cells(content)
    headings = [cell.value for cell in rows[0]]
    sessions = {row[headings.index("Đợt kiểm tra")].value for row in rows[1:]}
    assert sessions and not any("<" in (value or "") for value in sessions)
    assert any(value and "Kiểm tra" in value for value in sessions)
