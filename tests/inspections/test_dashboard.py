"""Recommendations on the dashboard and the district page: open and overdue per district, and the share closed by
the deadline, over several districts a ratio of sums (never the mean of the districts' shares).

On 10 January 2022 (Asia/Ho_Chi_Minh):

| | district | deadline | status | closed on | due | on time |
|---|---|---|---|---|---|---|
| a1 | Thanh Bình | 31/12/2021 | done | 20/12/2021 | yes | yes |
| a2 | Thanh Bình | 31/12/2021 | open | | yes (overdue) | |
| a3 | Thanh Bình | 31/03/2022 | in progress | | | |
| b1 | Lấp Vò | 30/11/2021 | verified | 15/12/2021 | yes | late |
| b2 | Lấp Vò | 30/11/2021 | verified | 30/11/2021 | yes | yes |
| b3 | Lấp Vò | 31/03/2022 | done | 05/01/2022 | yes | yes (early) |
| b4 | Lấp Vò | | done | 05/01/2022 | | |

Thanh Bình: 1 on time of 2 due → 50,00 %; 2 not done, 1 overdue. Lấp Vò: 2 of 3 → 66,67 %; nothing open.
Đồng Tháp: (1 + 2) / (2 + 3) = 3/5 → 60,00 %, where the mean of the shares would be 58,33 %.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from cchc.indicators import INDICATORS, RECOMMENDATIONS_ON_TIME
from cchc.selectors import province_rows, totals
from inspections.models import Recommendation
from tests.dashboard.pages import dashboard_table
from tests.factories import logged_in, make_recommendation, make_session
from tests.spreadsheets import table_cells

pytestmark = pytest.mark.django_db

S = Recommendation.Status
TEN_JANUARY = datetime(2022, 1, 10, 2, 0, tzinfo=UTC)
TODAY = date(2022, 1, 10)


@pytest.fixture
def follow_up(round_2021, thanh_binh, lap_vo, clock):
    clock(TEN_JANUARY)
    end_2021, end_nov, end_march = date(2021, 12, 31), date(2021, 11, 30), date(2022, 3, 31)
    for deadline, status, closed_on in [
        (end_2021, S.DONE, date(2021, 12, 20)),
        (end_2021, S.OPEN, None),
        (end_march, S.IN_PROGRESS, None),
    ]:
        make_recommendation(thanh_binh, round_2021, deadline=deadline, status=status, closed_on=closed_on)
    for deadline, status, closed_on in [
        (end_nov, S.VERIFIED, date(2021, 12, 15)),
        (end_nov, S.VERIFIED, end_nov),
        (end_march, S.DONE, date(2022, 1, 5)),
        (None, S.DONE, date(2022, 1, 5)),
    ]:
        make_recommendation(lap_vo, round_2021, deadline=deadline, status=status, closed_on=closed_on)


def rows_by_code(province):
    return {row.code: row for row in province_rows(province=province, period="2021Q4", today=TODAY)}


# --- The indicator ----------------------------------------------------------------------------------------------------


def test_each_district_has_its_counts_and_share(follow_up, dong_thap):
    rows = rows_by_code(dong_thap)
    thanh_binh, lap_vo = rows["874"], rows["875"]

    assert (thanh_binh.recommendations_open, thanh_binh.recommendations_overdue) == (2, 1)
    assert (thanh_binh.recommendations_on_time_num, thanh_binh.recommendations_on_time_den) == (1, 2)
    assert (lap_vo.recommendations_open, lap_vo.recommendations_overdue) == (0, 0)
    assert (lap_vo.recommendations_on_time_num, lap_vo.recommendations_on_time_den) == (2, 3)


def test_the_provinces_share_is_the_ratio_of_the_sums(follow_up, dong_thap):
    total = totals(rows_by_code(dong_thap).values())

    pair = total["follow_up"]["recommendations_on_time"]
    assert (pair.numerator, pair.denominator) == (3, 5)
    assert pair.value == Decimal("60.00")
    assert (total["recommendations_open"], total["recommendations_overdue"]) == (2, 1)
    assert (total["recommendations_due"], total["recommendations_closed_on_time"]) == (5, 3)


def test_the_core_indicators_of_the_total_stay_as_they_were(follow_up, dong_thap):
    total = totals(rows_by_code(dong_thap).values())

    # The share is a follow-up figure beside the eight core indicators, not a ninth one.
    assert set(total["indicators"]) == {indicator.code for indicator in INDICATORS}
    assert set(total["follow_up"]) == {"recommendations_on_time"}


def test_a_district_with_nothing_due_has_no_share(round_2021, thanh_binh, dong_thap):
    make_recommendation(thanh_binh, round_2021, deadline=date(2030, 1, 1))

    row = rows_by_code(dong_thap)["874"]

    assert (row.recommendations_on_time_num, row.recommendations_on_time_den) == (0, 0)
    assert RECOMMENDATIONS_ON_TIME.value(0, 0) is None


def test_a_districts_own_internal_inspection_stays_out_of_its_dashboard_counts(dong_thap, thanh_binh, tan_thanh):
    internal = make_session(thanh_binh, title="Kiểm tra nội bộ")
    internal.inspected_units.create(unit=thanh_binh, department="Phòng Tư pháp")
    internal.inspected_units.create(unit=tan_thanh)
    make_recommendation(thanh_binh, internal, deadline=date(2021, 11, 1))  # to the district's own department
    provincial = make_recommendation(thanh_binh, deadline=date(2021, 11, 1))  # no session: the province's

    row = rows_by_code(dong_thap)["874"]

    assert (row.recommendations_open, row.recommendations_overdue) == (1, 1)
    assert Recommendation.objects.filter(unit=thanh_binh).count() == 2
    assert provincial.session is None


# --- The dashboard page -----------------------------------------------------------------------------------------------


@pytest.fixture
def dashboard(client, staff, follow_up):
    return logged_in(client, staff).get("/", {"province": "87", "period": "2021Q4"})


def test_the_dashboard_shows_open_overdue_and_the_share_per_district_and_in_total(dashboard):
    table = dashboard_table(dashboard)

    thanh_binh = table.row_of_unit("874")
    assert thanh_binh["recommendations_open"] == "2 1 quá hạn"
    assert thanh_binh["recommendations_on_time"] == "50,00% 1 / 2"
    assert table.row_of_unit("875")["recommendations_on_time"] == "66,67% 2 / 3"
    footer = table.as_dict(table.footer[0])
    assert footer["recommendations_open"] == "2 1 quá hạn"
    assert footer["recommendations_on_time"] == "60,00% 3 / 5"


def test_the_dashboard_sorts_by_the_share_with_blanks_last(client, staff, follow_up, dong_thap):
    from tests.factories import make_district

    make_district(dong_thap, "871", "Huyện Tam Nông")  # nothing due: no share
    logged_in(client, staff)

    response = client.get("/", {"province": "87", "period": "2021Q4", "sort": "-recommendations_on_time"})

    assert dashboard_table(response).unit_codes() == ["875", "874", "871"]


def test_the_dashboard_export_has_the_counts_and_the_pair_as_numbers(client, staff, follow_up):
    logged_in(client, staff)

    response = client.get("/", {"province": "87", "period": "2021Q4", "_export": "xlsx"})

    sheet = table_cells(response.content)
    headings = [cell.value for cell in sheet[0]]
    rows = {row[headings.index("Mã")].value: dict(zip(headings, row, strict=True)) for row in sheet[1:-1]}
    total = dict(zip(headings, sheet[-1], strict=True))
    share = "Tỷ lệ kiến nghị hoàn thành đúng hạn"
    assert rows["874"]["Kiến nghị chưa hoàn thành"].value == 2
    assert rows["874"]["Kiến nghị quá hạn"].value == 1
    assert rows["874"]["Kiến nghị hoàn thành trong hạn"].value == 0.5  # 50 %, as Excel's fraction
    assert (rows["875"][f"{share} – hoàn thành đúng hạn"].value, rows["875"][f"{share} – đến hạn"].value) == (2, 3)
    assert (total["Kiến nghị chưa hoàn thành"].value, total["Kiến nghị quá hạn"].value) == (2, 1)
    assert total["Kiến nghị hoàn thành trong hạn"].value == 0.6  # 60 %, as Excel's fraction
    assert (total[f"{share} – hoàn thành đúng hạn"].value, total[f"{share} – đến hạn"].value) == (3, 5)


# --- The district page ------------------------------------------------------------------------------------------------


def test_the_district_page_shows_its_counts_and_share(client, officer, follow_up):
    logged_in(client, officer)

    page = client.get("/districts/874/", {"year": "2021"}).content.decode()

    assert "2 chưa hoàn thành, 1 trong số đó quá hạn" in page
    assert 'data-testid="recommendations-on-time">50,00%<' in page
    assert "(1 / 2)" in page
    assert 'href="/inspections/recommendations/?unit=874"' in page
