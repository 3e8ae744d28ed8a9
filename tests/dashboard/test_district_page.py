"""The page of one unit at ``/districts/<code>/``: its indicators quarter by quarter, its reform plan, the
quarters it reported, and the recommendations of its inspections.
"""

import re
from datetime import date

import pytest

from districts.models import ReformTask
from dossiers.models import ReportStatus
from tests.dashboard.pages import rate_and_counts, table_by_testid
from tests.factories import make_counted_report, make_district, make_plan, make_tasks

pytestmark = pytest.mark.django_db

# The six recommendations of the October 2021 inspection to Thanh Bình (seed 000), as they begin.
THANH_BINH_RECOMMENDATIONS = (
    "Khẩn trương rà soát lại 06 nhiệm vụ cải cách hành chính",
    "Quan tâm cập nhật những văn bản mới",
    "Có giải pháp để từng ngành tự nghiên cứu, đề xuất các mô hình mới",
    "UBND huyện quan tâm nhiều hơn việc phối hợp giữa các ngành",
    "Tăng cường công tác kiểm tra, giám sát nội bộ",
    "Làm tốt công tác truyền thông, tuyên truyền về cải cách hành chính",
)


def quarter_rows(response):
    """{period label: {column heading: cell text}} of the quarter table."""
    table = table_by_testid(response, "quarter-table")
    headings = [cell.text for cell in table.header]
    rows = {}
    for cells in table.body:
        label = cells[0].text.replace("chưa báo cáo", "").replace("chưa duyệt", "").strip()
        rows[label] = dict(zip(headings, (cell.text for cell in cells), strict=True))
    return rows


def test_thanh_binhs_page_has_the_four_quarters_and_the_year_2021(demo_staff):
    response = demo_staff.get("/districts/874/")

    assert response.status_code == 200
    assert list(quarter_rows(response)) == ["Quý I/2021", "Quý II/2021", "Quý III/2021", "Quý IV/2021", "Năm 2021"]


def test_thanh_binhs_third_quarter_row_has_the_articles_figures(demo_staff):
    row = quarter_rows(demo_staff.get("/districts/874/"))["Quý III/2021"]

    assert row["Đã giải quyết"] == "86.048"
    # 86.041/86.048 → 99,99 %; 181/456 → 39,69 %; 36/181 → 19,89 %; 9/19 → 47,37 %; 18/35 → 51,43 %
    assert rate_and_counts(row["Đúng hạn"]) == ("99,99%", "86.041 / 86.048")
    assert rate_and_counts(row["Rà soát"]) == ("39,69%", "181 / 456")
    assert rate_and_counts(row["Đơn giản hóa"]) == ("19,89%", "36 / 181")
    assert rate_and_counts(row["Kiểm tra nội bộ"]) == ("47,37%", "9 / 19")
    assert rate_and_counts(row["Kế hoạch"]) == ("51,43%", "18 / 35")
    assert row["Giải quyết"] == "—"


def test_the_year_row_of_thanh_binh_repeats_its_only_report(demo_staff):
    rows = quarter_rows(demo_staff.get("/districts/874/"))

    assert rate_and_counts(rows["Năm 2021"]["Đúng hạn"]) == ("99,99%", "86.041 / 86.048")
    assert rows["Năm 2021"]["Rà soát"] == rows["Quý III/2021"]["Rà soát"]


def test_the_quarters_without_a_report_are_marked_and_the_reported_one_is_not(demo_staff):
    response = demo_staff.get("/districts/874/")

    table = table_by_testid(response, "quarter-table")
    marked = {cells[0].text.split(" chưa")[0]: "chưa báo cáo" in cells[0].text for cells in table.body}
    assert marked == {
        "Quý I/2021": True,
        "Quý II/2021": True,
        "Quý III/2021": False,
        "Quý IV/2021": True,
        "Năm 2021": False,
    }


def reports_listed(response):
    """The lines of the unit page's list of quarterly reports, as text ("Quý III/2021: đã duyệt")."""
    content = response.content.decode()
    section = content.split('<h2 class="h5">Báo cáo quý</h2>')[1].split("</ul>")[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip() for item in section.split("<li>")[1:]]


def test_the_list_of_reports_says_which_quarter_thanh_binh_reported(demo_staff):
    assert reports_listed(demo_staff.get("/districts/874/")) == ["Quý III/2021: đã duyệt"]


def test_the_plan_completion_reads_18_of_35(demo_staff):
    content = demo_staff.get("/districts/874/").content.decode()

    plan = content.split('data-testid="plan-completion">')[1].split("</p>")[0]
    # 18/35 → 51,43 %
    assert "18/35" in plan
    assert "51,43%" in plan


def test_thanh_binhs_page_lists_the_six_recommendations_of_its_inspection(demo_staff):
    response = demo_staff.get("/districts/874/")

    table = table_by_testid(response, "recommendations")
    texts = [cells[0].text for cells in table.body]
    assert len(texts) == 6
    for text, beginning in zip(texts, THANH_BINH_RECOMMENDATIONS, strict=True):
        assert text.startswith(beginning)
    # None has a deadline in the article, so none is overdue
    assert all(cells[1].text == "—" for cells in table.body)
    assert "quá hạn" not in " ".join(cells[2].text for cells in table.body)


def test_thanh_binhs_page_names_the_inspection_and_who_chaired_it(demo_staff):
    content = demo_staff.get("/districts/874/").content.decode()

    assert "Kiểm tra công tác cải cách hành chính năm 2021" in content
    assert "26/10/2021" in content
    assert "Phan Văn Hợp, Giám đốc Sở Nội vụ" in content


def test_an_abolished_district_names_its_successor(demo_staff):
    content = demo_staff.get("/districts/874/").content.decode()

    assert "30/06/2025" in content
    assert '<a href="/districts/82/">Tỉnh Đồng Tháp (82)</a>' in content


def test_the_year_can_be_chosen(demo_staff):
    rows = quarter_rows(demo_staff.get("/districts/873/", {"year": "2020"}))

    # Cao Lãnh's 2020Q1: 484 online of 17.800 + 19.000 = 36.800 → 1,32 %
    assert rows["Quý I/2020"]["Tiếp nhận mới"] == "36.800"
    assert rate_and_counts(rows["Quý I/2020"]["Trực tuyến"]) == ("1,32%", "484 / 36.800")


@pytest.mark.parametrize("year", ["abc", "0", "99999", "-1"])
def test_an_unusable_year_falls_back_to_the_latest_year_with_data(demo_staff, year):
    response = demo_staff.get("/districts/874/", {"year": year})

    assert response.status_code == 200
    assert "Quý III/2021" in quarter_rows(response)


def test_an_unknown_unit_is_not_found(demo_staff):
    assert demo_staff.get("/districts/999/").status_code == 404


# --- Built cases -------------------------------------------------------------------------------------------------


def test_each_quarter_row_has_that_quarters_figures_and_the_year_adds_them_up(staff_client, dong_thap):
    district = make_district(dong_thap, "874")
    make_counted_report(district, 2023, 1, carried_over=10, received=90, resolved=80, resolved_in_time=60)
    make_counted_report(district, 2023, 2, carried_over=20, received=100, resolved=100, resolved_in_time=100)

    rows = quarter_rows(staff_client.get("/districts/874/", {"year": "2023"}))

    # Q1: 60/80 → 75,00 %; Q2: 100/100 → 100,00 %; year: 160/180 → 88,888… → 88,89 %
    assert rate_and_counts(rows["Quý I/2023"]["Đúng hạn"]) == ("75,00%", "60 / 80")
    assert rate_and_counts(rows["Quý II/2023"]["Đúng hạn"]) == ("100,00%", "100 / 100")
    assert rate_and_counts(rows["Năm 2023"]["Đúng hạn"]) == ("88,89%", "160 / 180")
    # Resolution over the year: 180 / (10 carried over from Q1 + 190 received) = 90,00 %
    assert rate_and_counts(rows["Năm 2023"]["Giải quyết"]) == ("90,00%", "180 / 200")
    assert rows["Quý III/2023"]["Đúng hạn"] == "—"


def test_a_submitted_report_is_marked_not_yet_approved_for_provincial_staff(staff_client, dong_thap):
    district = make_district(dong_thap, "874")
    make_counted_report(district, 2023, 1, status=ReportStatus.SUBMITTED, resolved=10, resolved_in_time=10)

    table = table_by_testid(staff_client.get("/districts/874/", {"year": "2023"}), "quarter-table")

    assert "chưa duyệt" in table.body[0][0].text


def test_the_plan_completion_counts_tasks_done_by_today_within_the_year(staff_client, dong_thap):
    district = make_district(dong_thap, "874")
    plan = make_plan(district, 2021)
    make_tasks(plan, 3, status=ReformTask.Status.DONE, completed_on=date(2021, 3, 1))
    make_tasks(plan, 1, status=ReformTask.Status.IN_PROGRESS)

    content = staff_client.get("/districts/874/", {"year": "2021"}).content.decode()

    plan_text = content.split('data-testid="plan-completion">')[1].split("</p>")[0]
    # 3 of 4 by 31/12/2021 → 75,00 %
    assert "3/4" in plan_text
    assert "31/12/2021" in plan_text
    assert "75,00%" in plan_text
