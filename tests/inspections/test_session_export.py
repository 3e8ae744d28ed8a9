"""The inspection sessions' list downloads as the other lists do (issue 13): an .xlsx with a title block (the
filters, when and by whom), dates as dates and counts as numbers, no markup in any cell; a CSV for Excel in
Vietnamese (semicolons, dd/mm/yyyy) beside the CSV for programs."""

import csv
import io
from datetime import date

import pytest

from tests.factories import logged_in, make_recommendation
from tests.spreadsheets import table_cells, title_block

pytestmark = pytest.mark.django_db

SESSIONS = "/inspections/sessions/"


@pytest.fixture
def listed(client, staff, round_2021, thanh_binh):
    make_recommendation(thanh_binh, session=round_2021)
    logged_in(client, staff)
    return round_2021


def test_the_xlsx_has_the_title_block_and_typed_cells(client, listed):
    response = client.get(SESSIONS, {"year": "2021", "_export": "xlsx"})

    assert response.status_code == 200
    assert 'filename="inspection-sessions-' in response["Content-Disposition"]
    block = title_block(response.content)
    assert block["Năm"] == "2021"
    assert block["Người lập"] == "province"
    assert "Lập lúc" in block
    header, *rows = table_cells(response.content)
    assert [cell.value for cell in header] == [
        "Đợt kiểm tra",
        "Đơn vị kiểm tra",
        "Hình thức",
        "Từ ngày",
        "Đến ngày",
        "Đơn vị được kiểm tra",
        "Kiến nghị",
    ]
    (row,) = rows
    # The title is text, not the page's link; two units inspected, one recommendation.
    assert row[0].value == listed.title and "<" not in row[0].value
    assert [cell.value.date() for cell in row[3:5]] == [date(2021, 10, 26), date(2021, 10, 28)]
    assert row[3].number_format == "dd/mm/yyyy"
    assert [cell.value for cell in row[5:]] == [2, 1]


def test_the_csv_for_excel_in_vietnamese_uses_semicolons_and_vietnamese_dates(client, listed):
    response = client.get(SESSIONS, {"_export": "csv_vi"})

    assert 'excel-tieng-viet.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Đợt kiểm tra"
    assert rows[1][3:] == ["26/10/2021", "28/10/2021", "2", "1"]


def test_the_page_offers_the_three_downloads_with_its_filters(client, listed):
    page = client.get(SESSIONS, {"year": "2021"}).content.decode()

    assert 'href="?year=2021&amp;_export=xlsx"' in page
    assert "CSV cho Excel (tiếng Việt)" in page
    assert 'href="?year=2021&amp;_export=csv"' in page
