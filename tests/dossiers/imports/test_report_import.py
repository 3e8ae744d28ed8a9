"""Importing quarterly figures from real files: what is saved, what is refused (whole), and where it is said.

Figures of Đồng Tháp (87) in 2024Q1, worked out by hand:
- Thanh Bình (874): district level 100 carried over + 1.000 received − 980 resolved = 120 pending, of the 980
  resolved 970 in time and 10 late; commune level 20 + 3.000 − 3.010 = 10 pending, all 3.010 in time. Together
  3.980 in time of 3.990 resolved → 99,75 %; 3.990 resolved of 120 + 4.000 to handle → 96,84 %; 400 + 600
  online of 4.000 received → 25,00 %. Procedures: 181 reviewed of 456 → 39,69 %; 36 simplified of 181 → 19,89 %.
- Cao Lãnh district (873): district level 0 + 17.800 − 17.000 = 800 pending; 16.150 in time of 17.000 → 95,00 %;
  8.900 online of 17.800 → 50,00 %.
- The province: 3.980 + 16.150 = 20.130 in time of 3.990 + 17.000 = 20.990 → 95,90 %; online
  1.000 + 8.900 = 9.900 of 4.000 + 17.800 = 21.800 → 45,41 %.
"""

import pytest

from cchc.lib.imports import RowOutcome, read_table
from dossiers.imports import COLUMNS, REQUIRED, import_reports
from dossiers.models import LevelFigures, QuarterlyReport, ReportEvent, ReportStatus
from tests.factories import make_report
from tests.files import csv_bytes, report_rows, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = [
    "unit_code",
    "quarter",
    "district_level_carried_over",
    "district_level_received",
    "district_level_received_online",
    "district_level_received_postal",
    "district_level_resolved",
    "district_level_resolved_in_time",
    "district_level_resolved_late",
    "district_level_pending",
    "district_level_apology_letters",
    "commune_level_carried_over",
    "commune_level_received",
    "commune_level_received_online",
    "commune_level_resolved",
    "commune_level_resolved_in_time",
    "commune_level_resolved_late",
    "commune_level_pending",
    "procedures_total",
    "procedures_reviewed",
    "procedures_simplified",
]
THANH_BINH = {
    "unit_code": "874",
    "quarter": "2024Q1",
    "district_level_carried_over": 100,
    "district_level_received": "1.000",
    "district_level_received_online": 400,
    "district_level_received_postal": 50,
    "district_level_resolved": 980,
    "district_level_resolved_in_time": 970,
    "district_level_resolved_late": 10,
    "district_level_pending": 120,
    "district_level_apology_letters": 10,
    "commune_level_carried_over": 20,
    "commune_level_received": "3.000",
    "commune_level_received_online": 600,
    "commune_level_resolved": "3.010",
    "commune_level_resolved_in_time": "3010",
    "commune_level_resolved_late": 0,
    "commune_level_pending": 10,
    "procedures_total": 456,
    "procedures_reviewed": 181,
    "procedures_simplified": 36,
}
CAO_LANH = {
    "unit_code": "873",
    "quarter": "2024Q1",
    "district_level_carried_over": 0,
    "district_level_received": "17.800",
    "district_level_received_online": "8.900",
    "district_level_resolved": "17.000",
    "district_level_resolved_in_time": "16.150",
    "district_level_resolved_late": 850,
    "district_level_pending": 800,
    "district_level_apology_letters": 850,
}


def clean_file():
    return report_rows(HEADER, THANH_BINH, CAO_LANH)


def run(rows, user, *, kind="xlsx", approve=False, commit=True, bom=False):
    content = xlsx_bytes(rows) if kind == "xlsx" else csv_bytes(rows, bom=bom)
    table = read_table(content, f"so-lieu.{kind}", columns=COLUMNS, required=REQUIRED)
    return import_reports(table, user=user, approve=approve, commit=commit)


def place(result):
    """Errors as (row, column letter, column code), in file order."""
    return [(error.row, error.letter, error.column) for error in result.errors]


# --- A clean file ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "bom"), [("xlsx", False), ("csv", False), ("csv", True)])
def test_a_clean_file_saves_every_figure_as_a_draft(staff, unit, kind, bom):
    result = run(clean_file(), staff, kind=kind, bom=bom)

    assert result.saved and result.errors == []
    assert result.counts == {"new": 2, "changed": 0, "unchanged": 0}
    report = QuarterlyReport.objects.get(unit__code="874", year=2024, quarter=1)
    assert report.status == ReportStatus.DRAFT
    assert (report.procedures_total, report.procedures_reviewed, report.procedures_simplified) == (456, 181, 36)
    assert report.procedures_postal is None
    levels = {row.level: row for row in report.levels.all()}
    assert set(levels) == {"district", "commune"}
    assert (levels["district"].received, levels["district"].pending, levels["district"].returned) == (1000, 120, None)
    assert (levels["commune"].received, levels["commune"].resolved_in_time) == (3000, 3010)
    cao_lanh = LevelFigures.objects.get(report__unit__code="873")
    assert (cao_lanh.received, cao_lanh.resolved_in_time, cao_lanh.received_online) == (17800, 16150, 8900)


def test_approved_figures_show_on_the_dashboard_and_in_the_json_feed(staff, client):
    result = run(clean_file(), staff, approve=True)
    assert result.saved

    client.force_login(staff)
    data = client.get("/api/indicators/", {"period": "2024Q1", "province": "87"}).json()
    # Every level row gives both figures of each pair: each rate covers its whole denominator (share 1.0)
    units = {unit["code"]: unit["indicators"] for unit in data["units"]}
    assert units["874"]["on_time_rate"] == {
        "numerator": 3980,
        "denominator": 3990,
        "value": 99.75,
        "coverage": {"denominator": 3990, "share": 1.0},
        "target": None,
        "band": None,
    }
    assert units["874"]["resolution_rate"] == {
        "numerator": 3990,
        "denominator": 4120,
        "value": 96.84,
        "coverage": {"denominator": 4120, "share": 1.0},
        "target": None,
        "band": None,
    }
    assert units["874"]["online_rate"]["value"] == 25.0
    assert units["874"]["procedures_reviewed_rate"]["value"] == 39.69
    assert units["874"]["procedures_simplified_rate"]["value"] == 19.89
    assert units["873"]["on_time_rate"] == {
        "numerator": 16150,
        "denominator": 17000,
        "value": 95.0,
        "coverage": {"denominator": 17000, "share": 1.0},
        "target": None,
        "band": None,
    }
    assert units["873"]["online_rate"]["value"] == 50.0
    assert data["total"]["indicators"]["on_time_rate"] == {
        "numerator": 20130,
        "denominator": 20990,
        "value": 95.9,
        "coverage": {"denominator": 20990, "share": 1.0},
        "target": None,
        "band": None,
    }
    assert data["total"]["indicators"]["online_rate"]["value"] == 45.41

    page = client.get("/", {"province": "87", "period": "2024Q1"}).content.decode()
    for shown in ("99,75%", "3.980 / 3.990", "95,00%", "16.150 / 17.000", "95,90%", "20.130 / 20.990"):
        assert shown in page


def test_imported_drafts_are_not_counted_on_the_dashboard(staff, client):
    run(clean_file(), staff)

    client.force_login(staff)
    data = client.get("/api/indicators/", {"period": "2024Q1", "province": "87"}).json()
    assert data["total"]["indicators"]["on_time_rate"]["value"] is None


def test_approving_goes_through_submit_and_approve_recorded_under_the_importers_name(staff):
    run(clean_file(), staff, approve=True)

    report = QuarterlyReport.objects.get(unit__code="874", year=2024, quarter=1)
    assert report.status == ReportStatus.APPROVED
    events = list(report.events.values_list("from_status", "to_status", "by__username"))
    # The import created the report: no draft was ever saved, so its submission has no former status.
    assert events == [("", "submitted", "province"), ("submitted", "approved", "province")]
    reasons = [
        (status, reason or None)  # a bulk history entry records "no reason" as ""
        for status, reason in report.history.order_by("history_id").values_list("status", "history_change_reason")
    ]
    assert reasons == [("draft", None), ("submitted", "submitted-directly"), ("approved", None)]


def test_approving_a_draft_saved_before_records_draft_to_submitted(staff):
    run(clean_file(), staff)  # saved as a draft first
    run(clean_file(), staff, approve=True)

    report = QuarterlyReport.objects.get(unit__code="874", year=2024, quarter=1)
    events = list(report.events.values_list("from_status", "to_status"))
    assert events == [("draft", "submitted"), ("submitted", "approved")]


def test_a_district_officer_cannot_ask_for_approval_and_nothing_is_saved(officer, unchanged_database):
    with unchanged_database():
        result = run(report_rows(HEADER, THANH_BINH), officer, approve=True)

    assert not result.saved
    assert "Sở Nội vụ" in result.errors[0].message


def test_a_district_officer_imports_their_own_district_and_its_communes(officer):
    commune = {"unit_code": "29620", "quarter": "2024Q1", "commune_level_received": 5, "commune_level_resolved": 5}

    result = run(report_rows(HEADER, THANH_BINH, commune), officer)

    assert result.saved
    assert QuarterlyReport.objects.filter(unit__code__in=["874", "29620"]).count() == 2


def test_a_missing_column_and_an_empty_cell_are_blank_figures_not_zero(staff):
    rows = [["unit_code", "quarter", "district_level_received", "district_level_resolved"], ["873", "2024Q1", 50, None]]

    run(rows, staff)

    figures = LevelFigures.objects.get(report__unit__code="873")
    assert (figures.received, figures.resolved, figures.pending) == (50, None, None)


def test_a_row_without_any_figure_is_skipped_so_a_template_may_be_filled_for_a_few_units(staff):
    rows = report_rows(HEADER, THANH_BINH, {"unit_code": "875", "quarter": "2024Q1"})

    result = run(rows, staff)

    assert result.saved
    assert [row.action for row in result.rows] == [RowOutcome.NEW, RowOutcome.EMPTY]
    assert not QuarterlyReport.objects.filter(unit__code="875").exists()


def test_a_unit_code_that_lost_its_leading_zeros_in_excel_is_found(staff, dong_thap):
    from tests.factories import make_commune

    make_commune(dong_thap.children.get(code="874"), "00412", "Xã Bình Thành", valid_until="2025-06-30")
    rows = [["unit_code", "quarter", "commune_level_received"], [412, "2024Q1", 7]]

    assert run(rows, staff).saved
    assert LevelFigures.objects.get(report__unit__code="00412").received == 7


def test_figures_are_read_by_their_vietnamese_titles_too(staff):
    rows = [
        ["Mã đơn vị", "Quý", "Tiếp nhận mới – cấp huyện", "Đã giải quyết – cấp huyện"],
        ["873", "2024Q1", "17.800", 9],
    ]

    run(rows, staff)

    figures = LevelFigures.objects.get(report__unit__code="873")
    assert (figures.received, figures.resolved) == (17800, 9)


# --- Re-import, changes and warnings -----------------------------------------------------------------------------


def test_importing_the_same_file_twice_changes_nothing_the_second_time(staff, unchanged_database):
    run(clean_file(), staff, approve=True)

    with unchanged_database():
        result = run(clean_file(), staff, approve=True)

    assert result.saved and result.errors == []
    assert result.counts == {"new": 0, "changed": 0, "unchanged": 2}


def test_a_changed_figure_is_shown_old_to_new_and_only_that_report_gets_a_new_version(staff):
    run(clean_file(), staff)
    thanh_binh = QuarterlyReport.objects.get(unit__code="874")
    history = thanh_binh.history.count()
    changed = {**CAO_LANH, "district_level_received_online": "9.000"}

    result = run(report_rows(HEADER, THANH_BINH, changed), staff)

    outcomes = {row.row: row for row in result.rows}
    assert outcomes[2].action == RowOutcome.UNCHANGED
    assert outcomes[3].action == RowOutcome.CHANGED
    assert [(code, old, new) for code, _title, old, new in outcomes[3].changes] == [
        ("district_level_received_online", 8900, 9000)
    ]
    assert thanh_binh.history.count() == history
    assert LevelFigures.objects.get(report__unit__code="873").received_online == 9000


def test_a_figure_left_out_the_second_time_is_blanked(staff):
    run(clean_file(), staff)
    without_procedures = [code for code in HEADER if not code.startswith("procedures_")]

    run(report_rows(without_procedures, THANH_BINH), staff)

    assert QuarterlyReport.objects.get(unit__code="874").procedures_total is None


def test_the_preview_saves_nothing_and_says_what_would_change(staff, unchanged_database):
    with unchanged_database():
        result = run(clean_file(), staff, approve=True, commit=False)

    assert not result.saved and result.errors == []
    new = result.rows[1]
    assert (new.row, new.action, new.approved) == (3, RowOutcome.NEW, True)
    assert ("district_level_received", None, 17800) in [(code, old, new) for code, _t, old, new in new.changes]


def test_warnings_are_listed_and_do_not_block(staff, unit):
    # Q4 2023 left 90 pending at district level, the file says 100 were carried over; and 10 late dossiers got
    # only 5 apology letters.
    make_report(unit("874"), 2023, 4, levels={"district": {"pending": 90}})
    rows = report_rows(HEADER, {**THANH_BINH, "district_level_apology_letters": 5})

    result = run(rows, staff)

    assert result.saved
    messages = {(w.row, w.column): w.message for w in result.warnings}
    assert set(messages) == {(2, "district_level_carried_over"), (2, "district_level_apology_letters")}
    assert "90" in messages[(2, "district_level_carried_over")]


def test_a_previous_quarter_in_the_same_file_is_the_one_the_carried_over_is_compared_with(staff):
    # Q1 leaves 120 pending; Q2 (written first in the file) carries over 120: no warning.
    q2 = {"unit_code": "874", "quarter": "2024Q2", "district_level_carried_over": 120}
    rows = report_rows(HEADER, q2, {**THANH_BINH, "district_level_apology_letters": 10})

    result = run(rows, staff)

    assert result.saved and result.warnings == []


def test_an_all_levels_row_entered_from_an_article_is_kept(staff, unit):
    make_report(unit("874"), 2024, 1, levels={"all": {"resolved_in_time": 86041, "resolved_late": 7}})
    rows = [["unit_code", "quarter", "procedures_total"], ["874", "2024Q1", 456]]

    assert run(rows, staff).saved
    report = QuarterlyReport.objects.get(unit__code="874")
    assert report.procedures_total == 456
    assert report.levels.get().resolved_in_time == 86041


# --- Errors: at their row and column, and nothing saved ------------------------------------------------------------


def test_an_unknown_unit_is_an_error_on_its_code(staff, unchanged_database):
    rows = report_rows(HEADER, THANH_BINH, {**CAO_LANH, "unit_code": "999"})

    with unchanged_database():
        result = run(rows, staff)

    assert not result.saved
    assert place(result) == [(3, "A", "unit_code")]
    assert "999" in result.errors[0].message


def test_a_unit_that_did_not_exist_in_the_quarter_is_an_error(staff, unchanged_database):
    rows = report_rows(HEADER, {**CAO_LANH, "quarter": "2025Q3"}, THANH_BINH)

    with unchanged_database():
        result = run(rows, staff)

    assert place(result) == [(2, "A", "unit_code")]
    assert "không tồn tại" in result.errors[0].message


def test_a_quarter_that_is_not_one_is_an_error_on_the_quarter(staff, unchanged_database):
    rows = report_rows(HEADER, THANH_BINH, {**CAO_LANH, "quarter": "2024H1"})

    with unchanged_database():
        result = run(rows, staff)

    assert place(result) == [(3, "B", "quarter")]


@pytest.mark.parametrize(
    ("written", "reason"),
    [("17,8", "không phải là số nguyên"), ("-3", "âm"), ("abc", "không phải là số nguyên"), ("=A1+1", "công thức")],
)
def test_a_bad_number_is_an_error_at_its_cell(staff, unchanged_database, written, reason):
    rows = report_rows(HEADER, THANH_BINH, {**CAO_LANH, "district_level_received": written})

    with unchanged_database():
        result = run(rows, staff)

    assert place(result) == [(3, "D", "district_level_received")]
    assert reason in result.errors[0].message


def test_a_formula_in_a_workbook_is_refused_even_though_excel_would_compute_it(staff, unchanged_database):
    rows = report_rows(HEADER, THANH_BINH, {**CAO_LANH, "district_level_received": "=17000+800"})

    with unchanged_database():
        result = run(rows, staff, kind="xlsx")

    assert place(result) == [(3, "D", "district_level_received")]


def test_a_failed_identity_is_an_error_at_the_figure_save_report_names(staff, unchanged_database):
    # 16.150 in time + 850 late = 17.000, not 17.001
    rows = report_rows(HEADER, THANH_BINH, {**CAO_LANH, "district_level_resolved": "17.001"})

    with unchanged_database():
        result = run(rows, staff)

    assert (3, "G", "district_level_resolved") in place(result)
    assert any("17.001" in error.message for error in result.errors)


def test_a_failed_identity_of_the_report_figures_is_an_error_at_its_column(staff, unchanged_database):
    rows = report_rows(HEADER, {**THANH_BINH, "procedures_simplified": 200})

    with unchanged_database():
        result = run(rows, staff)

    assert place(result) == [(2, "U", "procedures_simplified")]


def test_figures_for_a_level_the_unit_does_not_report_are_an_error(staff, unchanged_database):
    rows = [["unit_code", "quarter", "commune_level_received", "province_level_received"], ["29620", "2024Q1", 5, 6]]

    with unchanged_database():
        result = run(rows, staff)

    assert place(result) == [(2, "D", "province_level_received")]


def test_an_approved_report_is_refused_whole(staff, unit, unchanged_database):
    make_report(unit("873"), 2024, 1, status=ReportStatus.APPROVED, levels={"district": {"received": 1}})

    with unchanged_database():
        result = run(clean_file(), staff)

    assert [error.row for error in result.errors] == [3]
    assert "đã duyệt" in result.errors[0].message


def test_a_submitted_report_is_locked_for_a_district_officer_but_not_for_the_province(officer, staff, unit):
    make_report(unit("874"), 2024, 1, status=ReportStatus.SUBMITTED, levels={"district": {"received": 1}})

    refused = run(report_rows(HEADER, THANH_BINH), officer)
    accepted = run(report_rows(HEADER, THANH_BINH), staff)

    assert [error.row for error in refused.errors] == [2]
    assert "đã gửi" in refused.errors[0].message
    assert accepted.saved


def test_a_district_officers_file_touching_another_district_is_refused_whole(officer, unchanged_database):
    with unchanged_database():
        result = run(clean_file(), officer)

    assert not result.saved
    assert place(result) == [(3, "A", "unit_code")]
    assert "Huyện Cao Lãnh" in result.errors[0].message
    assert not QuarterlyReport.objects.filter(unit__code="874").exists()


def test_a_unit_and_quarter_given_twice_is_an_error_on_the_second_row(staff, unchanged_database):
    with unchanged_database():
        result = run(report_rows(HEADER, THANH_BINH, CAO_LANH, THANH_BINH), staff)

    assert place(result) == [(4, "B", "quarter")]


def test_every_rows_errors_are_listed_not_only_the_first(staff, unchanged_database):
    rows = report_rows(
        HEADER,
        {**THANH_BINH, "district_level_received": "x", "procedures_total": "-1"},
        {**CAO_LANH, "unit_code": "123"},
    )

    with unchanged_database():
        result = run(rows, staff)

    assert place(result) == [(2, "D", "district_level_received"), (2, "S", "procedures_total"), (3, "A", "unit_code")]


def test_an_error_in_the_last_row_undoes_the_rows_saved_before_it(staff):
    rows = report_rows(HEADER, THANH_BINH, {**CAO_LANH, "district_level_resolved": "17.001"})

    result = run(rows, staff, approve=True)

    assert not result.saved
    assert QuarterlyReport.objects.count() == 0
    assert ReportEvent.objects.count() == 0
