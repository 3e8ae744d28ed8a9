"""The follow-up list at /inspections/recommendations/: filters, sorting, counts and the .xlsx and .csv exports.

Six recommendations of Đồng Tháp's rounds, seen on 10 January 2022 (Asia/Ho_Chi_Minh):

| | unit | round | area | deadline | status | closed on | overdue | due | on time |
|---|---|---|---|---|---|---|---|---|---|
| r1 | Thanh Bình | Oct 2021 | direction | 31/12/2021 | open | | 10 days | yes | |
| r2 | Thanh Bình | Oct 2021 | communication | 31/03/2022 | in progress | | | | |
| r3 | Thanh Bình | Oct 2021 | procedures | 31/12/2021 | done | 20/12/2021 | | yes | yes |
| r4 | Lấp Vò | Oct 2021 | direction | 30/11/2021 | verified | 15/12/2021 | | yes | late |
| r5 | Lấp Vò | Oct 2021 | | | open | | | | |
| r6 | Lấp Vò | Jun 2021 | | 01/12/2021 | in progress | | 40 days | yes | |

So: 6 in all, 4 not done (r1, r2, r5, r6), 2 overdue (r1, r6), 4 due (r1, r3, r4, r6) of which 1 closed on time
(r3): 1/4 = 25,00 %.
"""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.models import Recommendation
from tests.factories import logged_in, make_recommendation, make_session
from tests.spreadsheets import table_cells

pytestmark = pytest.mark.django_db

S = Recommendation.Status
LIST = "/inspections/recommendations/"
# 10 January 2022, 09:00 in Hồ Chí Minh City.
TEN_JANUARY = datetime(2022, 1, 10, 2, 0, tzinfo=UTC)


# The table above: the unit's code, the round, the text, area, deadline, status and closed on.
ROWS = {
    "r1": ("874", "october", "Rà soát 06 nhiệm vụ", "direction", date(2021, 12, 31), S.OPEN, None),
    "r2": ("874", "october", "Tuyên truyền thủ tục", "communication", date(2022, 3, 31), S.IN_PROGRESS, None),
    "r3": ("874", "october", "Niêm yết thủ tục", "procedures", date(2021, 12, 31), S.DONE, date(2021, 12, 20)),
    "r4": ("875", "october", "Phối hợp liên ngành", "direction", date(2021, 11, 30), S.VERIFIED, date(2021, 12, 15)),
    "r5": ("875", "october", "Cập nhật văn bản mới", "", None, S.OPEN, None),
    "r6": ("875", "june", "Kiểm tra nội bộ", "", date(2021, 12, 1), S.IN_PROGRESS, None),
}


@pytest.fixture
def rows(round_2021, dong_thap, thanh_binh, lap_vo, clock):
    clock(TEN_JANUARY)
    june = make_session(dong_thap, starts_on=date(2021, 6, 1), ends_on=date(2021, 6, 1), title="Kiểm tra tháng 6")
    june.inspected_units.create(unit=lap_vo)
    units = {"874": thanh_binh, "875": lap_vo}
    rounds = {"october": round_2021, "june": june}
    return {
        name: make_recommendation(
            units[unit],
            rounds[session],
            text=f"{name} {text}",
            area=area,
            deadline=deadline,
            status=status,
            closed_on=closed_on,
        )
        for name, (unit, session, text, area, deadline, status, closed_on) in ROWS.items()
    }


@pytest.fixture
def team(client, inspector):
    return logged_in(client, inspector)


def shown(response, rows):
    """The names (r1…r6) of the recommendations in the table, in their order."""
    names = {recommendation.pk: name for name, recommendation in rows.items()}
    return [names[row.record.pk] for row in response.context["table"].paginated_rows]


# --- Filters ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["r4", "r6", "r1", "r3", "r2", "r5"]),
        ({"unit": "874"}, ["r1", "r3", "r2"]),
        ({"status": "open"}, ["r1", "r5"]),
        ({"overdue": "yes"}, ["r6", "r1"]),
        ({"overdue": "no"}, ["r4", "r3", "r2", "r5"]),
        ({"area": "direction"}, ["r4", "r1"]),
        ({"unit": "875", "overdue": "yes"}, ["r6"]),
    ],
)
def test_the_list_keeps_the_recommendations_the_filters_ask_for(team, rows, query, expected):
    assert shown(team.get(LIST, query), rows) == expected


def test_the_list_filters_by_round(team, rows, round_2021):
    assert shown(team.get(LIST, {"session": round_2021.pk}), rows) == ["r4", "r1", "r3", "r2", "r5"]


def test_an_invalid_filter_shows_its_error_and_every_row(team, rows):
    response = team.get(LIST, {"status": "lost", "session": "999"})

    assert response.status_code == 200
    errors = response.context["filter"].form.errors
    assert set(errors) == {"status", "session"}
    assert len(shown(response, rows)) == 6


# --- Counts -----------------------------------------------------------------------------------------------------------


def test_the_counts_are_worked_out_over_every_row(team, rows):
    counts = team.get(LIST).context["counts"]

    assert (counts["total"], counts["open"], counts["overdue"]) == (6, 4, 2)
    assert (counts["closed_on_time"], counts["due"]) == (1, 4)
    assert counts["on_time"].value == Decimal("25.00")


def test_the_counts_follow_the_filters(team, rows):
    response = team.get(LIST, {"unit": "875"})

    counts = response.context["counts"]
    # r4, r5, r6: r5 and r6 not done, r6 overdue; r4 (late) and r6 (overdue) due, none on time
    assert (counts["total"], counts["open"], counts["overdue"], counts["closed_on_time"], counts["due"]) == (
        3,
        2,
        1,
        0,
        2,
    )
    page = response.content.decode()
    assert 'data-testid="count-overdue">1<' in page
    assert 'data-testid="share-closed-on-time">0,00%<' in page


def test_the_share_has_no_value_when_nothing_is_due(team, thanh_binh, round_2021, clock):
    clock(TEN_JANUARY)
    make_recommendation(thanh_binh, round_2021, deadline=date(2022, 6, 30))

    response = team.get(LIST)

    assert response.context["counts"]["on_time"].value is None
    assert 'data-testid="share-closed-on-time">—<' in response.content.decode()


# --- Sorting ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        # Blank deadlines last both ways; r1 and r3 share a deadline and keep the order they were made in
        ("deadline", ["r4", "r6", "r1", "r3", "r2", "r5"]),
        ("-deadline", ["r2", "r1", "r3", "r6", "r4", "r5"]),
        ("unit", ["r1", "r2", "r3", "r4", "r5", "r6"]),
        # Descending reverses the tie-breaker too: still one order, never a skipped row
        ("-unit", ["r6", "r5", "r4", "r3", "r2", "r1"]),
        # open, in progress, done, verified
        ("status", ["r1", "r5", "r2", "r6", "r3", "r4"]),
        # Most days overdue first, then the rest by deadline
        ("-days_overdue", ["r6", "r1", "r4", "r3", "r2", "r5"]),
        ("closed_on", ["r4", "r3", "r1", "r2", "r5", "r6"]),
    ],
)
def test_the_list_sorts_by_its_columns(team, rows, sort, expected):
    assert shown(team.get(LIST, {"sort": sort}), rows) == expected


def test_paging_through_rows_of_equal_deadline_skips_and_repeats_none(team, thanh_binh, round_2021):
    made = {make_recommendation(thanh_binh, round_2021, deadline=date(2021, 12, 31)).pk for _ in range(55)}

    first = team.get(LIST, {"sort": "deadline"}).context["table"]
    second = team.get(LIST, {"sort": "deadline", "page": 2}).context["table"]

    seen = [row.record.pk for row in first.paginated_rows] + [row.record.pk for row in second.paginated_rows]
    assert len(seen) == 55
    assert set(seen) == made


def test_the_list_takes_as_many_queries_for_many_rows_as_for_few(team, thanh_binh, lap_vo, round_2021):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert team.get(LIST).status_code == 200
        return len(captured)

    make_recommendation(thanh_binh, round_2021)
    few = queries()
    for number in range(20):
        make_recommendation(lap_vo if number % 2 else thanh_binh, round_2021, text=f"Kiến nghị {number}")

    assert queries() == few


# --- Exports ----------------------------------------------------------------------------------------------------------


def xlsx_rows(response):
    lines = table_cells(response.content)
    headings = [cell.value for cell in lines[0]]
    return [dict(zip(headings, line, strict=True)) for line in lines[1:]]


def test_the_xlsx_has_every_filtered_row_with_numbers_and_dates_as_such(team, rows):
    response = team.get(LIST, {"unit": "874", "_export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="recommendations-20220110.xlsx"'
    exported = xlsx_rows(response)
    assert [row["Kiến nghị"].value for row in exported] == [
        "r1 Rà soát 06 nhiệm vụ",
        "r3 Niêm yết thủ tục",
        "r2 Tuyên truyền thủ tục",
    ]
    r1 = exported[0]
    assert (r1["Đơn vị"].value, r1["Mã đơn vị"].value) == ("Huyện Thanh Bình", "874")
    # 31/12/2021 → 10/01/2022: ten days overdue, as a number
    assert (r1["Số ngày quá hạn"].value, r1["Số ngày quá hạn"].data_type) == (10, "n")
    assert r1["Thời hạn"].value.date() == date(2021, 12, 31)
    assert r1["Thời hạn"].is_date
    assert r1["Trạng thái"].value == "Chưa thực hiện"
    assert exported[1]["Ngày hoàn thành"].value.date() == date(2021, 12, 20)
    assert exported[1]["Số ngày quá hạn"].value is None


def test_the_export_ignores_paging(team, thanh_binh, round_2021):
    for _ in range(55):
        make_recommendation(thanh_binh, round_2021)

    assert len(xlsx_rows(team.get(LIST, {"_export": "xlsx", "page": 2}))) == 55


def test_the_csv_is_utf8_with_a_byte_order_mark_and_follows_the_filters(team, rows):
    response = team.get(LIST, {"overdue": "yes", "_export": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    exported = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(row["Đơn vị"], row["Số ngày quá hạn"]) for row in exported] == [
        ("Huyện Lấp Vò", "40"),
        ("Huyện Thanh Bình", "10"),
    ]


def test_text_a_spreadsheet_would_run_is_made_inert(team, thanh_binh, round_2021):
    make_recommendation(
        thanh_binh,
        round_2021,
        text='=HYPERLINK("http://example.com","Bấm")',
        response="+84 phối hợp",
        evidence="@SUM(A1)",
    )

    [row] = xlsx_rows(team.get(LIST, {"_export": "xlsx"}))
    [line] = list(csv.DictReader(io.StringIO(team.get(LIST, {"_export": "csv"}).content.decode("utf-8-sig"))))

    assert row["Kiến nghị"].value == '\'=HYPERLINK("http://example.com","Bấm")'
    assert row["Kiến nghị"].data_type == "s"
    assert (line["Phản hồi của đơn vị"], line["Minh chứng"]) == ("'+84 phối hợp", "'@SUM(A1)")


@pytest.mark.parametrize("export_format", ["json", "xls", "yaml", "nonsense"])
def test_a_format_the_page_does_not_offer_shows_the_page(team, rows, export_format):
    response = team.get(LIST, {"_export": export_format})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
