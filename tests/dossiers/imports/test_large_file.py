"""A province's 10,000 communes in one file: imported in one transaction, or not at all.

Each commune: 2 carried over + 10 received − 8 resolved = 4 pending; 7 of the 8 in time, 1 late with its
apology letter. The province: 70.000 in time of 80.000 resolved → 87,50 %.
"""

import pytest
from django.db.models import Count, Sum

from cchc.lib.imports import read_table
from districts.models import Level, Unit, UnitKind
from dossiers.imports import COLUMNS, REQUIRED, import_reports
from dossiers.models import LevelFigures, QuarterlyReport
from tests.factories import make_province
from tests.files import csv_bytes

# Some seconds per file (the import reads and writes in bulk); still marked slow, for the 10,000 units it builds.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

COMMUNES = 10_000
HEADER = [
    "unit_code",
    "quarter",
    "commune_level_carried_over",
    "commune_level_received",
    "commune_level_resolved",
    "commune_level_resolved_in_time",
    "commune_level_resolved_late",
    "commune_level_pending",
    "commune_level_apology_letters",
]


@pytest.fixture
def communes(db):
    """A province of 10,000 communes, as since 1 July 2025 (bulk_create skips Unit.save, so level is given)."""
    province = make_province("82", "Tỉnh Đồng Tháp", valid_from="2025-07-01")
    Unit.objects.bulk_create(
        Unit(code=f"{number:05d}", name=f"Xã {number}", kind=UnitKind.COMMUNE, level=Level.COMMUNE, parent=province)
        for number in range(1, COMMUNES + 1)
    )
    return province


def file_rows(last_received="10"):
    rows = [HEADER]
    for number in range(1, COMMUNES + 1):
        received = last_received if number == COMMUNES else "10"
        rows.append([f"{number:05d}", "2025Q3", "2", received, "8", "7", "1", "4", "1"])
    return rows


def run(rows, user=None):
    table = read_table(csv_bytes(rows, bom=True), "xa.csv", columns=COLUMNS, required=REQUIRED)
    return import_reports(table, user=user)


def test_ten_thousand_rows_are_imported_together(communes):
    result = run(file_rows())

    assert result.saved and result.errors == []
    assert result.counts["new"] == COMMUNES
    totals = LevelFigures.objects.aggregate(
        rows=Count("pk"), in_time=Sum("resolved_in_time"), resolved=Sum("resolved"), pending=Sum("pending")
    )
    assert totals == {"rows": COMMUNES, "in_time": 70_000, "resolved": 80_000, "pending": 40_000}
    assert QuarterlyReport.objects.filter(unit__parent=communes, year=2025, quarter=3).count() == COMMUNES


def test_an_error_in_the_ten_thousandth_row_leaves_nothing_saved(communes):
    # 2 + 11 − 8 = 5, not 4: the last commune's pending balance fails.
    result = run(file_rows(last_received="11"))

    assert not result.saved
    assert [(error.row, error.column) for error in result.errors] == [(COMMUNES + 1, "commune_level_pending")]
    assert QuarterlyReport.objects.count() == 0
    assert LevelFigures.objects.count() == 0
