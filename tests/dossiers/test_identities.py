"""The identities every quarterly report must satisfy (docs/domain.md, §Identities), in the model's validation
and in the database.

Figures come from the seed articles where they fit: Đắk Song, H1 2023 (carried over 1.727 + received 13.324,
resolved 12.530 of which 10.840 in time, so 1.690 late and, with nothing returned, 2.521 pending); Thanh Bình,
2021 (procedures reviewed 181 of 456, simplified 36; internal inspections 9 of 19 units).
"""

from datetime import date

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import translation

from dossiers.models import LevelFigures, QuarterlyReport, ReportLevel, ReportStatus, overlapping_figures
from dossiers.services import submit
from tests.factories import (
    clean_errors,
    errors_of,
    make_commune,
    make_district,
    make_province,
    make_report,
    make_user,
    save_refused_by_database,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dak_song():
    return make_district(make_province(code="67", name="Đắk Nông"), code="665", name="Đắk Song")


@pytest.fixture
def report(dak_song):
    # Submitted: the identities hold for a report handed in (a draft may keep errors, see test_drafts.py).
    return make_report(dak_song, 2023, 2, status=ReportStatus.SUBMITTED)


# Each identity: figures that break it, the same figures mended, the field the error goes to, and what the
# Vietnamese message must say (the figures' names and the numbers as written in Vietnamese).
LEVEL_IDENTITIES = {
    "resolved equals in time plus late": (
        {"resolved": 12530, "resolved_in_time": 10840, "resolved_late": 1600},
        {"resolved": 12530, "resolved_in_time": 10840, "resolved_late": 1690},
        "resolved",
        ["đã giải quyết", "đúng hạn và trước hạn", "trễ hạn", "12.530", "10.840", "1.600"],
    ),
    "early within in time": (
        {"resolved_in_time": 10840, "resolved_early": 10841},
        {"resolved_in_time": 10840, "resolved_early": 10840},
        "resolved_early",
        ["giải quyết trước hạn", "đúng hạn và trước hạn", "10.841", "10.840"],
    ),
    "pending balance with nothing returned": (
        {"carried_over": 1727, "received": 13324, "resolved": 12530, "pending": 2520},
        {"carried_over": 1727, "received": 13324, "resolved": 12530, "pending": 2521},
        "pending",
        ["đang giải quyết", "tồn kỳ trước", "tiếp nhận mới", "đã giải quyết", "2.520", "1.727", "13.324"],
    ),
    "pending balance with returns": (
        {"carried_over": 1727, "received": 13324, "resolved": 12530, "returned": 21, "pending": 2521},
        {"carried_over": 1727, "received": 13324, "resolved": 12530, "returned": 21, "pending": 2500},
        "pending",
        ["đang giải quyết", "trả lại, rút hồ sơ", "2.521", "(21)"],
    ),
    "pending overdue within pending": (
        {"pending": 101, "pending_overdue": 102},
        {"pending": 101, "pending_overdue": 101},
        "pending_overdue",
        ["đang giải quyết quá hạn", "102", "101"],
    ),
    "online and postal within received": (
        {"received": 13324, "received_online": 10000, "received_postal": 3325},
        {"received": 13324, "received_online": 10000, "received_postal": 3324},
        "received",
        ["tiếp nhận trực tuyến", "bưu chính công ích", "tiếp nhận mới", "10.000", "3.325", "13.324"],
    ),
    "fully online within online": (
        {"received_online": 484, "received_online_full": 485},
        {"received_online": 484, "received_online_full": 484},
        "received_online_full",
        ["trực tuyến toàn trình", "tiếp nhận trực tuyến", "485", "484"],
    ),
}

REPORT_IDENTITIES = {
    "simplified within reviewed": (
        {"procedures_total": 456, "procedures_reviewed": 181, "procedures_simplified": 182},
        {"procedures_total": 456, "procedures_reviewed": 181, "procedures_simplified": 181},
        "procedures_simplified",
        ["TTHC đã đơn giản hóa", "TTHC đã rà soát", "182", "181"],
    ),
    "reviewed within catalogue": (
        {"procedures_total": 456, "procedures_reviewed": 457},
        {"procedures_total": 456, "procedures_reviewed": 456},
        "procedures_reviewed",
        ["TTHC đã rà soát", "TTHC thuộc thẩm quyền", "457", "456"],
    ),
    "inspected within planned": (
        {"units_planned_inspection": 19, "units_inspected": 20},
        {"units_planned_inspection": 19, "units_inspected": 19},
        "units_inspected",
        ["đơn vị đã kiểm tra", "kế hoạch kiểm tra", "(20)", "(19)"],
    ),
}


def level_row(report, figures, level=ReportLevel.DISTRICT):
    return LevelFigures(report=report, level=level, **figures)


def unsaved_report(unit, figures, year=2023, quarter=2):
    return QuarterlyReport(unit=unit, year=year, quarter=quarter, status=ReportStatus.SUBMITTED, **figures)


def level_row_of(request, figures):
    """A level row of the Đắk Song report (``report``), holding ``figures``."""
    return level_row(request.getfixturevalue("report"), figures)


def report_of(request, figures):
    """A Đắk Song report holding ``figures``."""
    return unsaved_report(request.getfixturevalue("dak_song"), figures)


# Every identity with what it binds: a level row or the report itself.
IDENTITIES = [
    *(pytest.param(level_row_of, *case, id=f"level row: {name}") for name, case in LEVEL_IDENTITIES.items()),
    *(pytest.param(report_of, *case, id=f"report: {name}") for name, case in REPORT_IDENTITIES.items()),
]


@pytest.mark.parametrize(("build", "broken", "_mended", "field", "says"), IDENTITIES)
def test_full_clean_rejects_figures_breaking_an_identity_in_vietnamese(request, build, broken, _mended, field, says):
    errors = clean_errors(build(request, broken))

    assert list(errors) == [field]
    [message] = errors[field]
    for words in says:
        assert words in message


@pytest.mark.parametrize(("build", "broken", "_mended", "_field", "_says"), IDENTITIES)
def test_the_database_refuses_figures_breaking_an_identity(request, build, broken, _mended, _field, _says):
    row = build(request, broken)

    assert save_refused_by_database(row)
    # Nothing of the kind was saved (a level row's report is the fixture's, saved before).
    assert not type(row).objects.exists()


@pytest.mark.parametrize(("build", "_broken", "mended", "_field", "_says"), IDENTITIES)
def test_it_accepts_figures_satisfying_the_identity(request, build, _broken, mended, _field, _says):
    row = build(request, mended)

    row.full_clean()
    row.save()

    # Saved as given: the mended figures, every other figure blank.
    assert type(row).objects.get(pk=row.pk).figure_values() == {**dict.fromkeys(row.figure_values()), **mended}


def test_a_blank_returned_shows_as_the_zero_it_counts_as_in_the_pending_message(report):
    errors = clean_errors(level_row(report, {"carried_over": 0, "received": 10, "resolved": 4, "pending": 5}))

    assert "trả lại, rút hồ sơ (0)" in errors["pending"][0]


# A figure left blank is not tracked: an identity that needs it is not checked, neither by full_clean nor by
# the database. Each row below would break its identity if the blank figure were taken as 0.
BLANK_FIGURE_ROWS = {
    "late blank": {"resolved": 10, "resolved_in_time": 5},
    "in time blank": {"resolved": 10, "resolved_late": 3},
    "received blank in the balance": {"carried_over": 3, "resolved": 1, "pending": 7},
    "carried over blank in the balance": {"received": 3, "resolved": 1, "pending": 7},
    "pending blank under overdue": {"pending_overdue": 4},
    "postal blank": {"received": 10, "received_online": 8},
    "received blank under channels": {"received_online": 8, "received_postal": 5},
    "online blank under full online": {"received_online_full": 8},
}


@pytest.mark.parametrize("figures", BLANK_FIGURE_ROWS.values(), ids=BLANK_FIGURE_ROWS)
def test_an_identity_with_a_blank_figure_is_not_checked(report, figures):
    row = level_row(report, figures)

    row.full_clean()
    row.save()

    assert LevelFigures.objects.filter(report=report).count() == 1


def test_a_report_identity_with_a_blank_figure_is_not_checked(dak_song):
    # 36 simplified of a blank number reviewed, 181 reviewed of a blank catalogue, 9 inspected of no plan.
    report = unsaved_report(dak_song, {"procedures_simplified": 36, "units_inspected": 9})
    report.full_clean()
    report.save()

    other = unsaved_report(dak_song, {"procedures_reviewed": 181}, quarter=3)
    other.full_clean()
    other.save()

    assert QuarterlyReport.objects.count() == 2


@pytest.mark.parametrize("code", ["received", "resolved_late", "pending", "apology_letters"])
def test_it_rejects_a_negative_dossier_figure(report, code):
    row = level_row(report, {code: -1})

    assert code in clean_errors(row)
    assert save_refused_by_database(row)


@pytest.mark.parametrize("code", ["procedures_total", "units_inspected", "communication_news"])
def test_it_rejects_a_negative_report_figure(dak_song, code):
    report = unsaved_report(dak_song, {code: -1})

    assert code in clean_errors(report)
    assert save_refused_by_database(report)


def test_fewer_apology_letters_than_late_dossiers_is_a_warning_not_an_error(report):
    # Thanh Bình, 2021: 86.041 resolved in time and 7 late; say only 5 apology letters were sent.
    figures = {"resolved": 86048, "resolved_in_time": 86041, "resolved_late": 7, "apology_letters": 5}
    row = level_row(report, figures)
    row.full_clean()
    row.save()

    with translation.override("vi"):
        [warning] = report.warnings()

    assert (warning.rule, warning.field, warning.severity) == ("apology_letters_for_late", "apology_letters", "warning")
    assert "Số thư xin lỗi (5) ít hơn số hồ sơ giải quyết trễ hạn (7)" in warning.message


@pytest.mark.parametrize("apology_letters", [7, 8, None])
def test_as_many_apology_letters_as_late_dossiers_or_a_blank_count_raises_no_warning(report, apology_letters):
    make_level = {"resolved_late": 7, "apology_letters": apology_letters}
    LevelFigures.objects.create(report=report, level=ReportLevel.DISTRICT, **make_level)

    assert report.warnings() == []


def test_a_report_with_a_warning_can_still_be_submitted(dak_song):
    report = make_report(dak_song, 2023, 2, levels={"district": {"resolved_late": 7, "apology_letters": 0}})

    submit(report, by=make_user(unit=dak_song))

    report.refresh_from_db()
    assert report.status == "submitted"
    assert len(report.warnings()) == 1


def test_it_warns_when_carried_over_differs_from_the_previous_quarters_pending(dak_song):
    make_report(dak_song, 2023, 1, levels={"district": {"pending": 2521}, "commune": {"pending": 40}})
    report = make_report(
        dak_song, 2023, 2, levels={"district": {"carried_over": 2500}, "commune": {"carried_over": 40}}
    )

    with translation.override("vi"):
        [warning] = report.warnings()

    assert (warning.rule, warning.field, warning.severity) == ("carried_over_continuity", "carried_over", "warning")
    assert "Số tồn kỳ trước (2.500) khác số đang giải quyết cuối quý trước (2.521)" in warning.message


def test_the_first_quarter_is_compared_with_the_last_quarter_of_the_year_before(dak_song):
    make_report(dak_song, 2022, 4, levels={"district": {"pending": 300}})
    make_report(dak_song, 2023, 3, levels={"district": {"pending": 999}})
    report = make_report(dak_song, 2023, 1, levels={"district": {"carried_over": 301}})

    [warning] = report.warnings()

    assert warning.rule == "carried_over_continuity"
    assert "(301)" in warning.message
    assert "(300)" in warning.message


def test_carried_over_equal_to_the_previous_pending_raises_no_warning(dak_song):
    make_report(dak_song, 2023, 1, levels={"district": {"pending": 2521}})
    report = make_report(dak_song, 2023, 2, levels={"district": {"carried_over": 2521}})

    assert report.warnings() == []


def test_without_a_previous_report_there_is_no_continuity_warning(dak_song):
    report = make_report(dak_song, 2023, 2, levels={"district": {"carried_over": 1727}})

    assert report.warnings() == []


# The "all levels" row: a source that gives only the unit's total.


def test_a_figure_given_both_for_all_levels_and_for_one_level_overlaps():
    rows = {
        ReportLevel.ALL: {"received": 14607, "resolved": 14506},
        ReportLevel.DISTRICT: {"received": 1598, "resolved": None},
        ReportLevel.COMMUNE: {"resolved": None},
    }

    assert [figure.code for figure in overlapping_figures(rows)] == ["received"]


def test_different_figures_in_the_all_levels_row_and_a_level_row_do_not_overlap():
    rows = {"all": {"received": 14607, "resolved": None}, "district": {"received": None, "resolved": 1497}}

    assert overlapping_figures(rows) == []


def test_rows_of_single_levels_alone_never_overlap():
    rows = {"district": {"received": 1598}, "commune": {"received": 13009}}

    assert overlapping_figures(rows) == []


def test_saved_level_rows_read_back_with_string_levels_still_overlap(report):
    LevelFigures.objects.create(report=report, level="all", received=14607)
    LevelFigures.objects.create(report=report, level="district", received=1598)

    rows = {row.level: row.figure_values() for row in report.levels.all()}

    assert [figure.code for figure in overlapping_figures(rows)] == ["received"]


def test_a_districts_report_has_no_province_row(report):
    errors = clean_errors(level_row(report, {"received": 10}, level=ReportLevel.PROVINCE))

    assert errors == {"level": ["Báo cáo của Đắk Song không có số liệu cấp tỉnh."]}


@pytest.mark.parametrize("level", ["district", "commune", "all"])
def test_a_districts_report_takes_district_commune_and_all_levels_rows(report, level):
    assert errors_of(level_row(report, {"received": 10}, level=level)) == {}


def test_a_provinces_own_report_has_no_district_row():
    province_report = make_report(make_province(), 2021, 3)

    errors = clean_errors(level_row(province_report, {"received": 10}, level=ReportLevel.DISTRICT))

    assert errors == {"level": ["Báo cáo của Đồng Tháp không có số liệu cấp huyện."]}


def test_a_communes_report_has_commune_figures_only(dak_song):
    commune_report = make_report(make_commune(dak_song, code="24770", name="Nam Bình"), 2023, 2)

    for level, label in [("district", "cấp huyện"), ("all", "tổng các cấp, không tách")]:
        errors = clean_errors(level_row(commune_report, {"received": 10}, level=level))
        assert errors == {"level": [f"Báo cáo của Nam Bình không có số liệu {label}."]}
    level_row(commune_report, {"received": 10}, level="commune").full_clean()


def test_a_report_has_one_row_per_level(report):
    LevelFigures.objects.create(report=report, level="district", received=1598)
    second = level_row(report, {"received": 1}, level="district")

    assert NON_FIELD_ERRORS in clean_errors(second)
    assert save_refused_by_database(second)


# A report belongs to a unit as it was in that quarter (the 2025 reform closed every district on 30 June).


@pytest.fixture
def thanh_binh():
    province = make_province(code="87", name="Đồng Tháp", valid_until=date(2025, 6, 30))
    return make_district(province, code="874", name="Thanh Bình", valid_until=date(2025, 6, 30))


@pytest.mark.parametrize(("quarter", "label"), [(3, "Quý III/2025"), (4, "Quý IV/2025")])
def test_it_rejects_a_report_of_a_district_for_a_quarter_after_it_was_abolished(thanh_binh, quarter, label):
    errors = clean_errors(QuarterlyReport(unit=thanh_binh, year=2025, quarter=quarter))

    assert errors == {"unit": [f"Thanh Bình không tồn tại trong {label}."]}


def test_it_accepts_a_report_of_a_district_for_its_last_quarter(thanh_binh):
    assert errors_of(QuarterlyReport(unit=thanh_binh, year=2025, quarter=2)) == {}


def test_it_rejects_a_report_of_a_new_unit_for_a_quarter_before_it_existed():
    new_dong_thap = make_province(code="82", name="Đồng Tháp (mới)", valid_from=date(2025, 7, 1))

    errors = clean_errors(QuarterlyReport(unit=new_dong_thap, year=2025, quarter=2))

    assert errors == {"unit": ["Đồng Tháp (mới) không tồn tại trong Quý II/2025."]}
    QuarterlyReport(unit=new_dong_thap, year=2025, quarter=3).full_clean()


def test_a_unit_founded_in_the_middle_of_a_quarter_reports_for_that_quarter():
    # Existing on one day of the quarter is enough; the quarter before is still refused.
    province = make_province(code="82", name="Đồng Tháp (mới)", valid_from=date(2025, 8, 15))

    QuarterlyReport(unit=province, year=2025, quarter=3).full_clean()
    assert "unit" in clean_errors(QuarterlyReport(unit=province, year=2025, quarter=2))


def test_a_unit_abolished_in_the_middle_of_a_quarter_reports_for_that_quarter():
    province = make_province(code="67", name="Đắk Nông", valid_until=date(2025, 5, 10))

    QuarterlyReport(unit=province, year=2025, quarter=2).full_clean()
    assert "unit" in clean_errors(QuarterlyReport(unit=province, year=2025, quarter=3))


def test_a_year_out_of_range_is_a_validation_error_not_a_crash(dak_song):
    errors = clean_errors(QuarterlyReport(unit=dak_song, year=20231, quarter=1))

    assert list(errors) == ["year"]


def test_a_year_out_of_range_is_a_validation_error(dak_song):
    assert list(clean_errors(QuarterlyReport(unit=dak_song, year=1999, quarter=1))) == ["year"]


def test_a_unit_has_one_report_per_quarter(report):
    errors = clean_errors(QuarterlyReport(unit=report.unit, year=2023, quarter=2))

    assert errors[NON_FIELD_ERRORS] == ["Đơn vị này đã có báo cáo của quý đó."]
    assert save_refused_by_database(QuarterlyReport(unit=report.unit, year=2023, quarter=2))


def test_it_rejects_a_quarter_outside_1_to_4(dak_song):
    report = QuarterlyReport(unit=dak_song, year=2023, quarter=5)

    assert "quarter" in clean_errors(report)
    assert save_refused_by_database(report)
