"""The import pages: who may use them, upload → preview → confirm, the template, and files that cannot be read."""

import io

import pytest
from openpyxl import load_workbook

from cchc.lib.roles import PROVINCIAL_STAFF
from dossiers.models import QuarterlyReport, ReportStatus
from tests.dossiers.imports.test_report_import import CAO_LANH, HEADER, THANH_BINH, clean_file
from tests.factories import make_report, make_user
from tests.files import csv_bytes, report_rows, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

HOME = "/imports/"
REPORTS = "/imports/reports/"
UNITS = "/imports/units/"
TEMPLATE = "/imports/template/"


@pytest.fixture
def as_user(client):
    def log_in(user):
        client.force_login(user)
        return client

    return log_in


def post_file(client, content, name="so-lieu.xlsx", url=REPORTS, **data):
    field = "units-file" if url == UNITS else "file"
    return client.post(url, {field: upload(name, content), **data})


def confirm_url(response):
    return f"/imports/confirm/{response.context['token']}/"


# --- Who may -----------------------------------------------------------------------------------------------------


def test_anonymous_uploads_are_sent_to_log_in_and_save_nothing(client, dong_thap):
    response = post_file(client, xlsx_bytes(clean_file()))

    assert response.status_code == 302
    assert QuarterlyReport.objects.count() == 0


def test_only_an_administrator_imports_units(as_user, staff, officer):
    content = csv_bytes([["code", "name", "kind"], ["89", "Tỉnh An Giang", "tỉnh"]])

    assert post_file(as_user(staff), content, "don-vi.csv", url=UNITS).status_code == 403
    assert post_file(as_user(officer), content, "don-vi.csv", url=UNITS).status_code == 403
    assert 'data-testid="unit-upload"' not in as_user(staff).get(HOME).content.decode()


def test_provincial_staff_may_ask_for_approval_and_a_district_officer_may_not(as_user, staff, officer):
    assert 'name="approve"' in as_user(staff).get(HOME).content.decode()
    assert 'name="approve"' not in as_user(officer).get(HOME).content.decode()


def test_the_menu_offers_the_import_page_to_those_who_may_import(as_user, staff, inspector):
    assert 'href="/imports/"' in as_user(staff).get("/").content.decode()
    assert 'href="/imports/"' not in as_user(inspector).get("/").content.decode()


# --- Upload, preview, confirm ----------------------------------------------------------------------------------


def test_the_preview_shows_each_row_and_saves_nothing_until_confirmed(as_user, staff):
    client = as_user(staff)

    preview = post_file(client, xlsx_bytes(clean_file()))

    assert preview.status_code == 200
    assert QuarterlyReport.objects.count() == 0
    page = preview.content.decode()
    assert "874 – Huyện Thanh Bình · 2024Q1" in page
    assert "Tiếp nhận mới – cấp huyện: — → <strong>17.800</strong>" in page
    assert preview.context["counts"] == {"new": 2, "changed": 0, "unchanged": 0}

    done = client.post(confirm_url(preview))

    assert done.status_code == 302 and done["Location"] == HOME
    assert QuarterlyReport.objects.filter(status=ReportStatus.DRAFT).count() == 2


def test_confirming_an_approval_lands_on_the_dashboard_with_the_rates(as_user, staff):
    client = as_user(staff)
    preview = post_file(client, xlsx_bytes(clean_file()), approve="on")

    done = client.post(confirm_url(preview), follow=True)

    assert done.redirect_chain[-1][0] == "/?province=87&period=2024Q1"
    page = done.content.decode()
    assert "99,75%" in page and "95,00%" in page
    assert QuarterlyReport.objects.filter(status=ReportStatus.APPROVED).count() == 2


def test_a_changed_figure_is_previewed_old_to_new(as_user, staff):
    client = as_user(staff)
    client.post(confirm_url(post_file(client, xlsx_bytes(clean_file()))))

    preview = post_file(
        client,
        xlsx_bytes(
            report_rows(
                HEADER, THANH_BINH, {**CAO_LANH, "district_level_pending": 801, "district_level_carried_over": 1}
            )
        ),
    )

    page = preview.content.decode()
    assert "Tồn kỳ trước – cấp huyện: 0 → <strong>1</strong>" in page
    assert "Đang giải quyết – cấp huyện: 800 → <strong>801</strong>" in page
    assert preview.context["counts"] == {"new": 0, "changed": 1, "unchanged": 1}


def test_the_confirmation_uses_the_file_kept_on_the_server_not_what_is_posted_back(as_user, staff):
    client = as_user(staff)
    preview = post_file(client, xlsx_bytes(clean_file()))

    client.post(
        confirm_url(preview), {"file": upload("x.csv", b"unit_code,quarter\r\n875,2024Q1\r\n"), "approve": "on"}
    )

    assert set(QuarterlyReport.objects.values_list("unit__code", "status")) == {("873", "draft"), ("874", "draft")}


def test_a_preview_is_confirmed_once(as_user, staff):
    client = as_user(staff)
    url = confirm_url(post_file(client, xlsx_bytes(clean_file())))
    client.post(url)

    again = client.post(url, follow=True)

    assert "không còn" in again.content.decode()
    assert QuarterlyReport.objects.count() == 2


def test_another_user_cannot_confirm_someone_elses_preview(as_user, staff, dong_thap, client):
    url = confirm_url(post_file(as_user(staff), xlsx_bytes(clean_file())))
    client.logout()
    other = make_user(PROVINCIAL_STAFF, unit=dong_thap)

    as_user(other).post(url)

    assert QuarterlyReport.objects.count() == 0


def test_a_report_approved_between_preview_and_confirmation_stops_the_import(as_user, staff, unit):
    client = as_user(staff)
    url = confirm_url(post_file(client, xlsx_bytes(clean_file())))
    make_report(unit("873"), 2024, 1, status=ReportStatus.APPROVED, levels={"district": {"received": 1}})

    response = client.post(url)

    assert response.status_code == 400
    assert [e["row"] for e in response.context["errors"]] == [3]
    assert "đã duyệt" in response.context["errors"][0]["message"]
    assert QuarterlyReport.objects.count() == 1


def test_errors_are_listed_by_row_and_column_and_there_is_nothing_to_confirm(as_user, staff):
    rows = report_rows(HEADER, {**THANH_BINH, "district_level_received": "17,8"}, {**CAO_LANH, "unit_code": "999"})

    response = post_file(as_user(staff), xlsx_bytes(rows))

    assert response.status_code == 400
    assert [(e["row"], e["column"]) for e in response.context["errors"]] == [
        (2, "D (district_level_received)"),
        (3, "A (unit_code)"),
    ]
    page = response.content.decode()
    assert 'data-testid="confirm"' not in page
    assert "không có gì được lưu" in page.lower()
    assert QuarterlyReport.objects.count() == 0


def test_a_district_officers_upload_touching_another_district_is_refused_whole(as_user, officer):
    response = post_file(as_user(officer), csv_bytes(clean_file(), bom=True), "so-lieu.csv")

    assert response.status_code == 400
    assert [(e["row"], e["column"]) for e in response.context["errors"]] == [(3, "A (unit_code)")]
    assert QuarterlyReport.objects.count() == 0


def test_an_officer_posting_approve_gets_drafts_all_the_same(as_user, officer):
    client = as_user(officer)
    preview = post_file(client, xlsx_bytes(report_rows(HEADER, THANH_BINH)), approve="on")

    client.post(confirm_url(preview))

    assert QuarterlyReport.objects.get().status == ReportStatus.DRAFT


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "so-lieu.xlsx", "Tệp rỗng"),
        (b"PK\x03\x04 garbage", "so-lieu.xlsx", "tệp bị hỏng"),
        (bytes(range(256)), "so-lieu.csv", "không phải là tệp CSV"),
        (b"unit_code,quarter,\xd0\xf5n vi\xf2\r\n", "so-lieu.csv", "UTF-8"),
        (csv_bytes([["874", "2024Q1"]]), "so-lieu.csv", "dòng tiêu đề"),
        (b"%PDF-1.4", "so-lieu.pdf", ".xlsx"),
    ],
    ids=["empty", "corrupt xlsx", "binary renamed csv", "other encoding", "no header row", "pdf"],
)
def test_a_file_that_cannot_be_read_gets_its_reason_next_to_the_field(as_user, staff, content, name, message):
    response = post_file(as_user(staff), content, name)

    assert response.status_code == 400
    errors = response.context["report_form"].errors["file"]
    assert message in errors[0]
    assert 'data-testid="file-error"' in response.content.decode()


def test_a_file_above_the_size_limit_is_refused_next_to_the_field(as_user, staff, monkeypatch):
    from cchc.lib import import_pages

    monkeypatch.setattr(import_pages, "MAX_UPLOAD_BYTES", 1000)

    response = post_file(as_user(staff), xlsx_bytes(clean_file()))

    assert response.status_code == 400
    assert "lớn hơn" in response.context["report_form"].errors["file"][0]


def test_unknown_columns_are_named_in_the_preview(as_user, staff):
    rows = [HEADER + ["Ghi chú"], [THANH_BINH.get(code) for code in HEADER] + ["số liệu ước"]]

    page = post_file(as_user(staff), xlsx_bytes(rows)).content.decode()

    assert "Ghi chú" in page


# --- The template ------------------------------------------------------------------------------------------------


def template(client, **query):
    response = client.get(TEMPLATE, query)
    assert response.status_code == 200, response.content.decode()[:500]
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return response, load_workbook(io.BytesIO(response.content))


def test_the_template_lists_the_provinces_units_of_the_quarter_with_titles_and_codes(as_user, staff):
    response, workbook = template(as_user(staff), province="87", quarter="2024Q1")

    assert 'filename="cchc-87-2024Q1.xlsx"' in response["Content-Disposition"]
    figures, explanation = workbook.worksheets
    rows = list(figures.iter_rows(values_only=True))
    assert rows[0][:4] == ("Mã đơn vị", "Tên đơn vị", "Quý", "Tồn kỳ trước – cấp tỉnh")
    # The second row tells, in Vietnamese, how to fill each column (the codes are on the explanation sheet).
    assert rows[1][:4] == (
        "mã chính thức, ví dụ 874",
        "chỉ để đọc, không được nhập",
        "ghi dạng 2024Q1 … 2024Q4",
        "số nguyên ≥ 0, để trống nếu không theo dõi",
    )
    assert set(rows[1][3:]) == {"số nguyên ≥ 0, để trống nếu không theo dõi"}
    assert len(rows[0]) == 3 + 3 * 13 + 11
    # The province itself (its own departments' dossiers), then its districts; no commune.
    assert [row[:3] for row in rows[2:] if row[0]] == [
        ("87", "Tỉnh Đồng Tháp", "2024Q1"),
        ("873", "Huyện Cao Lãnh", "2024Q1"),
        ("874", "Huyện Thanh Bình", "2024Q1"),
        ("875", "Huyện Lấp Vò", "2024Q1"),
    ]
    text = "\n".join(str(cell) for row in explanation.iter_rows(values_only=True) for cell in row if cell)
    assert "district_level_resolved_in_time" in text
    assert "Số đã giải quyết (resolved) phải bằng" in text
    assert "Tỉnh Đồng Tháp, Quý I/2024" in text


def test_a_district_officers_template_lists_their_district_and_its_communes(as_user, officer):
    _response, workbook = template(as_user(officer), province="87", quarter="2024Q1")

    codes = [row[0] for row in workbook.worksheets[0].iter_rows(min_row=3, values_only=True) if row[0]]
    assert codes == ["874", "29620"]


def test_there_is_no_template_for_a_quarter_after_the_province_was_merged(as_user, staff):
    response = as_user(staff).get(TEMPLATE, {"province": "87", "quarter": "2025Q3"})

    assert response.status_code == 400
    assert "không tồn tại" in response.context["template_form"].errors["quarter"][0]


def filled_template(client):
    """The template of Đồng Tháp 2024Q1 with Cao Lãnh's (row 4) received 17.800 and resolved 17.000 typed in."""
    _response, workbook = template(client, province="87", quarter="2024Q1")
    sheet = workbook.worksheets[0]
    titles = [cell.value for cell in sheet[1]]
    sheet.cell(row=4, column=titles.index("Tiếp nhận mới – cấp huyện") + 1, value=17800)
    sheet.cell(row=4, column=titles.index("Đã giải quyết – cấp huyện") + 1, value="17.000")
    return workbook


def test_a_filled_in_template_imports(as_user, staff):
    client = as_user(staff)
    output = io.BytesIO()
    filled_template(client).save(output)

    preview = post_file(client, output.getvalue())

    assert preview.status_code == 200
    assert preview.context["counts"] == {"new": 1, "changed": 0, "unchanged": 0}
    assert preview.context["empty_rows"] == 3


def test_a_filled_in_template_saved_as_csv_imports_too(as_user, staff):
    client = as_user(staff)
    rows = list(filled_template(client).worksheets[0].iter_rows(values_only=True))

    preview = post_file(client, csv_bytes(rows, bom=True), "so-lieu.csv")

    assert preview.status_code == 200, preview.content.decode()[:300]
    assert preview.context["counts"] == {"new": 1, "changed": 0, "unchanged": 0}
    assert preview.context["empty_rows"] == 3
    confirm = client.post(confirm_url(preview))
    assert confirm.status_code in (200, 302)
    report = QuarterlyReport.objects.get(unit__code="873", year=2024, quarter=1)
    district = report.levels.get(level="district")
    assert (district.received, district.resolved) == (17800, 17000)


# --- Units -----------------------------------------------------------------------------------------------------


def test_an_administrator_previews_and_confirms_a_list_of_units(as_user, dong_thap):
    from districts.models import Unit

    admin = make_user(unit=None, is_superuser=True, is_staff=True)
    client = as_user(admin)
    content = csv_bytes(
        [
            ["code", "name", "kind", "parent_code", "valid_until"],
            ["876", "Huyện Lai Vung", "huyện", "87", "30/06/2025"],
        ],
        bom=True,
    )

    preview = post_file(client, content, "don-vi.csv", url=UNITS)
    assert preview.status_code == 200 and not Unit.objects.filter(code="876").exists()
    client.post(confirm_url(preview))

    assert Unit.objects.get(code="876").parent == dong_thap


def test_the_template_form_starts_from_the_last_quarter_of_a_province_merged_since(as_user, staff):
    # Đồng Tháp (87) existed until 30/06/2025: its last quarter is 2025Q2, whatever the date today.
    form = as_user(staff).get(HOME).context["template_form"]

    assert form.initial == {"province": "87", "quarter": "2025Q2"}


def test_the_import_page_marks_its_own_menu_link_and_not_the_dashboards(as_user, staff):
    page = as_user(staff).get(HOME).content.decode()

    # The import sits in the "Báo cáo" menu, which is marked too.
    assert 'class="dropdown-item active" aria-current="page" href="/imports/"' in page
    assert 'class="nav-link dropdown-toggle active"' in page
    assert 'class="nav-link active" aria-current="page" href="/"' not in page


def test_a_list_of_units_that_cannot_be_read_is_refused_next_to_the_field(as_user, dong_thap):
    admin = make_user(unit=None, is_superuser=True, is_staff=True)

    response = post_file(as_user(admin), b"\x00\x01 not a spreadsheet", "don-vi.xlsx", url=UNITS)

    assert response.status_code == 400
    assert response.context["unit_form"].errors["file"]
    assert 'data-testid="unit-upload"' in response.content.decode()
    assert 'data-testid="file-error"' in response.content.decode()
