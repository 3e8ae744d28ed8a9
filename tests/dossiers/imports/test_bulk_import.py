"""The import writes in bulk: every change still in the history, and a number of queries that does not grow with
the rows.

Files of Đồng Tháp's three districts (873, 874, 875) for one to four quarters of 2024: 3 to 12 rows. Each row:
district level 10 carried over + 90 received − 95 resolved = 5 pending, 94 of the 95 in time and 1 late with
its apology letter; procedures 40 reviewed of 100, 10 simplified.
"""

import pytest
from django.contrib.auth import get_user_model

from cchc.lib.imports import read_table
from dossiers.imports import COLUMNS, REQUIRED, import_reports
from dossiers.models import LevelFigures, QuarterlyReport, ReportEvent, ReportStatus
from tests.files import csv_bytes

pytestmark = pytest.mark.django_db

HEADER = [
    "unit_code",
    "quarter",
    "district_level_carried_over",
    "district_level_received",
    "district_level_resolved",
    "district_level_resolved_in_time",
    "district_level_resolved_late",
    "district_level_pending",
    "district_level_apology_letters",
    "procedures_total",
    "procedures_reviewed",
    "procedures_simplified",
]
DISTRICTS = ("873", "874", "875")


def file_of(quarters, *, received=90):
    rows = [HEADER]
    for quarter in range(1, quarters + 1):
        for code in DISTRICTS:
            # 10 + received − (received + 5) = 5 pending.
            resolved = received + 5
            rows.append([code, f"2024Q{quarter}", 10, received, resolved, resolved - 1, 1, 5, 1, 100, 40, 10])
    return rows


def run(rows, user, **options):
    table = read_table(csv_bytes(rows), "so-lieu.csv", columns=COLUMNS, required=REQUIRED)
    return import_reports(table, user=user, **options)


def test_every_new_report_and_level_row_has_its_history_entry_by_the_importer(staff):
    result = run(file_of(2), staff)

    assert result.saved and result.counts["new"] == 6
    # 3 districts × 2 quarters = 6 reports, each with one district-level row: 6 "+" entries in each history.
    report_history = QuarterlyReport.history.all()
    level_history = LevelFigures.history.all()
    assert set(report_history.values_list("history_type", "history_user__username")) == {("+", "province")}
    assert report_history.count() == 6 and level_history.count() == 6
    assert set(level_history.values_list("history_type", "history_user__username")) == {("+", "province")}
    entry = LevelFigures.history.get(report__unit__code="874", report__quarter=2)
    assert (entry.received, entry.resolved, entry.pending) == (90, 95, 5)


def test_a_changed_report_gets_one_history_entry_per_row_with_the_new_figures(staff):
    run(file_of(1), staff)
    report = QuarterlyReport.objects.get(unit__code="874")

    # 10 + 100 − 105 = 5 pending: every report of the quarter changes.
    result = run(file_of(1, received=100), staff)

    assert result.counts == {"new": 0, "changed": 3, "unchanged": 0}
    history = list(report.history.order_by("history_id").values_list("history_type", "version"))
    assert history == [("+", 1), ("~", 2)]
    level = report.levels.get()
    assert [(h.history_type, h.received, h.resolved) for h in level.history.order_by("history_id")] == [
        ("+", 90, 95),
        ("~", 100, 105),
    ]
    level.refresh_from_db()
    assert (level.received, level.resolved, level.resolved_in_time) == (100, 105, 104)
    report.refresh_from_db()
    assert report.version == 2


def test_an_approving_import_records_submit_and_approve_in_history_and_events(staff):
    run(file_of(1), staff, approve=True)

    report = QuarterlyReport.objects.get(unit__code="873")
    # Created as a draft, then submitted, then approved: three entries, as through the status services.
    assert list(report.history.order_by("history_id").values_list("history_type", "status")) == [
        ("+", "draft"),
        ("~", "submitted"),
        ("~", "approved"),
    ]
    events = ReportEvent.objects.filter(report=report).order_by("id")
    # The import created the report: its submission comes from no saved draft (the log says "gửi thẳng").
    assert [(e.from_status, e.to_status, e.by.username) for e in events] == [
        ("", "submitted", "province"),
        ("submitted", "approved", "province"),
    ]
    assert report.status == ReportStatus.APPROVED
    assert set(LevelFigures.objects.values_list("draft", flat=True)) == {False}


def test_an_imported_draft_keeps_the_draft_flag_on_its_rows(staff):
    run(file_of(1), staff)

    # A draft's rows are exempt from the identity constraints, as when the page saves them (LevelFigures.save).
    assert LevelFigures.objects.filter(draft=True).count() == 3


def queries_of(django_assert_num_queries, rows, user, expected, **options):
    with django_assert_num_queries(expected):
        result = run(rows, user, **options)
    assert result.saved, result.errors


# New reports. The queries, whatever the number of rows (up to 500 rows a statement):
#  1 the user's groups (for the right to enter each unit's figures)  2 whether the user is provincial staff
#  3 the units of the file's codes  4 SAVEPOINT (the import's transaction inside the test's)
#  5 the reports of the file's units and years, locked (none: their level rows need no query)
#  6 INSERT reports  7 INSERT their history  8 INSERT level rows  9 INSERT their history  10 RELEASE SAVEPOINT
NEW_FILE_QUERIES = 10


@pytest.mark.parametrize("quarters", [1, 4])
def test_a_new_file_takes_the_same_queries_for_3_or_12_rows(staff, django_assert_num_queries, quarters):
    queries_of(django_assert_num_queries, file_of(quarters), staff, NEW_FILE_QUERIES)


# Changed reports: 1 groups, 2 provincial staff?, 3 units, 4 SAVEPOINT, 5 reports (locked), 6 their level rows,
# 7 UPDATE reports, 8 INSERT their history, 9 UPDATE level rows, 10 INSERT their history, 11 RELEASE SAVEPOINT.
CHANGED_FILE_QUERIES = 11


@pytest.mark.parametrize("quarters", [1, 4])
def test_a_changed_file_takes_the_same_queries_for_3_or_12_rows(staff, django_assert_num_queries, quarters):
    run(file_of(quarters), staff)
    # The user as a new request would have it: its groups not yet read.
    again = get_user_model().objects.get(pk=staff.pk)
    queries_of(django_assert_num_queries, file_of(quarters, received=100), again, CHANGED_FILE_QUERIES)


# Approving new reports: the first 9 of a new file, then 10 UPDATE status submitted, 11 its history, 12 UPDATE
# status approved, 13 its history, 14 INSERT the events, 15 UPDATE the level rows' draft flag (the database now
# holds them to every identity), 16 RELEASE SAVEPOINT.
APPROVING_QUERIES = 16


@pytest.mark.parametrize("quarters", [1, 4])
def test_an_approving_import_takes_the_same_queries_for_3_or_12_rows(staff, django_assert_num_queries, quarters):
    queries_of(django_assert_num_queries, file_of(quarters), staff, APPROVING_QUERIES, approve=True)
