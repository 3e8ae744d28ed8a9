"""``import_units`` and ``import_reports`` on the command line: what they print and how they end."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from districts.models import Unit
from dossiers.models import QuarterlyReport, ReportEvent, ReportStatus
from tests.dossiers.imports.test_report_import import CAO_LANH, HEADER, THANH_BINH, clean_file
from tests.files import csv_bytes, report_rows, write, xlsx_bytes

pytestmark = pytest.mark.django_db


def command(name, *args):
    out, err = StringIO(), StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err)
    except CommandError as error:
        return error, out.getvalue(), err.getvalue()
    return None, out.getvalue(), err.getvalue()


def test_import_units_creates_the_units_and_says_how_many(tmp_path):
    path = write(
        tmp_path,
        "don-vi.csv",
        csv_bytes(
            [
                ["code", "name", "kind", "parent_code"],
                ["874", "Huyện Thanh Bình", "huyện", "87"],
                ["87", "Tỉnh Đồng Tháp", "tỉnh", ""],
            ]
        ),
    )

    error, out, _err = command("import_units", str(path))

    assert error is None
    assert "2 mới" in out
    assert Unit.objects.get(code="874").parent.code == "87"


def test_import_units_prints_every_error_and_fails_when_nothing_was_saved(tmp_path):
    path = write(
        tmp_path,
        "don-vi.xlsx",
        xlsx_bytes([["code", "name", "kind"], ["87", "Tỉnh Đồng Tháp", "tỉnh"], ["88", "X", "làng"]]),
    )

    error, _out, err = command("import_units", str(path))

    assert error is not None and error.returncode == 1
    assert "Dòng 3, cột C (kind):" in err
    assert Unit.objects.count() == 0


def test_import_units_says_why_a_file_cannot_be_read(tmp_path):
    error, _out, _err = command("import_units", str(write(tmp_path, "don-vi.csv", b"")))

    assert "Tệp rỗng" in str(error)


def test_a_missing_file_is_a_clear_error(tmp_path):
    error, _out, _err = command("import_reports", str(tmp_path / "khong-co.xlsx"))

    assert "Không mở được" in str(error)


def test_import_reports_with_approve_submits_and_approves(tmp_path, dong_thap):
    path = write(tmp_path, "so-lieu.xlsx", xlsx_bytes(clean_file()))

    error, out, _err = command("import_reports", str(path), "--approve")

    assert error is None
    assert "2 mới" in out
    assert set(QuarterlyReport.objects.values_list("status", flat=True)) == {ReportStatus.APPROVED}
    assert ReportEvent.objects.filter(to_status=ReportStatus.APPROVED, by=None).count() == 2


def test_import_reports_prints_warnings_and_still_saves(tmp_path, dong_thap):
    path = write(
        tmp_path, "so-lieu.csv", csv_bytes(report_rows(HEADER, {**CAO_LANH, "district_level_apology_letters": 1}))
    )

    error, out, _err = command("import_reports", str(path))

    assert error is None
    assert "Dòng 2, cột K (district_level_apology_letters):" in out
    assert QuarterlyReport.objects.count() == 1


def test_import_reports_as_a_district_officer_refuses_another_district_whole(tmp_path, officer):
    path = write(tmp_path, "so-lieu.xlsx", xlsx_bytes(clean_file()))

    error, _out, err = command("import_reports", str(path), "--user", officer.username)

    assert error is not None and error.returncode == 1
    assert "Dòng 3, cột A (unit_code):" in err
    assert QuarterlyReport.objects.count() == 0


def test_a_dry_run_saves_nothing(tmp_path, dong_thap):
    path = write(tmp_path, "so-lieu.xlsx", xlsx_bytes(report_rows(HEADER, THANH_BINH)))

    error, out, _err = command("import_reports", str(path), "--dry-run")

    assert error is None and "1 mới" in out
    assert QuarterlyReport.objects.count() == 0
