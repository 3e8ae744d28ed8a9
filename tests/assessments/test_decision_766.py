"""Decision-766 group scores: groups as data valid over years, results by unit and period, percentage-only
results, the .csv import (all or nothing), the list page and the trend."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from assessments.models import GroupScore, ScoreGroup
from assessments.selectors import group_trends
from tests.factories import make_district, make_province
from tests.files import csv_bytes, upload


@pytest.fixture
def groups(db):
    """The 2022 groups, and the split of online service into provision (12) and payment (10) from 2025 (an
    administrator's edit, as the portal changed it)."""
    made = {}
    for code, name, points, first, last in (
        ("publicity", "Công khai, minh bạch", 18, 2022, None),
        ("progress", "Tiến độ giải quyết", 20, 2022, None),
        ("online_service", "Dịch vụ công trực tuyến", 22, 2022, 2024),
        ("online_provision", "Cung cấp dịch vụ trực tuyến", 12, 2025, None),
    ):
        made[code], _created = ScoreGroup.objects.update_or_create(
            code=code,
            valid_from_year=first,
            defaults={"name": name, "max_points": Decimal(points), "valid_until_year": last},
        )
    return made


def test_a_result_is_points_or_a_percentage_within_the_groups_maximum_and_years(groups, lap_vo):
    with translation.override("vi"):
        score = GroupScore(group=groups["progress"], unit=lap_vo, period="2023m9", points=Decimal(21))
        with pytest.raises(ValidationError) as raised:
            score.full_clean()
        assert raised.value.message_dict["points"] == ["Nhóm này tối đa 20 điểm."]
        score = GroupScore(group=groups["online_service"], unit=lap_vo, period="2025", percent=Decimal(80))
        with pytest.raises(ValidationError) as raised:
            score.full_clean()
        assert raised.value.message_dict["group"] == ["Nhóm này không thuộc bộ chỉ số năm 2025."]
        with pytest.raises(ValidationError) as raised:
            GroupScore(group=groups["progress"], unit=lap_vo, period="2023M9").full_clean()
        assert "points" in raised.value.message_dict
    score = GroupScore(group=groups["progress"], unit=lap_vo, period="2023m9", percent=Decimal("87.26"))
    score.full_clean()
    assert score.period == "2023M9"
    assert score.percent_only and score.share == Decimal("87.26")
    # 17,452 of 20 points is 87,26 % of the maximum
    assert GroupScore(group=groups["progress"], unit=lap_vo, period="2023", points=Decimal("17.452")).share == Decimal(
        "87.26"
    )


def post_file(client, rows, name="ket-qua-766.csv"):
    return client.post(reverse("assessments:group_scores"), {"file": upload(name, csv_bytes(rows, bom=True))})


def test_a_csv_file_brings_results_in_all_or_nothing(client, groups, staff, lap_vo, thanh_binh):
    client.force_login(staff)
    header = ["unit_code", "period", "group", "points", "percent", "comment"]
    response = post_file(
        client,
        [
            header,
            ["875", "2023M9", "progress", "", "87,26", "Báo Đồng Tháp, 25/10/2023"],
            ["875", "2023M9", "publicity", "25", "", ""],  # row 3: above 18
            ["999", "2023M9", "progress", "10", "", ""],  # row 4: no such unit
            ["874", "2023M9", "online_provision", "5", "", ""],  # row 5: the group starts in 2025
        ],
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Dòng 3, cột D: Nhóm này tối đa 18 điểm." in page
    assert "Dòng 4, cột A: Không có đơn vị mã 999 mà bạn được cập nhật." in page
    assert "Dòng 5, cột C: Không có nhóm online_provision trong năm 2023." in page
    assert not GroupScore.objects.exists()
    response = post_file(
        client,
        [
            header,
            ["875", "2023M9", "progress", "", "87,26", "Báo Đồng Tháp, 25/10/2023"],
            ["875", "2024", "progress", "18", "", ""],
            ["874", "2023", "online_service", "20,5", "", ""],
        ],
    )
    assert response.status_code == 302
    assert GroupScore.objects.count() == 3
    page = client.get(reverse("assessments:group_scores")).content.decode()
    assert "87,26%" in page
    assert "chỉ có tỷ lệ phần trăm, theo nguồn" in page
    # Importing again updates the same rows.
    post_file(client, [header, ["875", "2024", "progress", "19", "", ""]])
    assert GroupScore.objects.get(unit=lap_vo, period="2024").points == Decimal(19)
    assert GroupScore.objects.count() == 3


def test_a_district_officer_does_not_import(client, groups, officer):
    client.force_login(officer)
    response = post_file(client, [["unit_code", "period", "group", "points"], ["874", "2023", "progress", "10"]])
    assert response.status_code == 403
    assert not GroupScore.objects.exists()


def test_the_trend_compares_the_share_of_the_maximum_between_the_last_two_periods(groups, lap_vo):
    progress = groups["progress"]
    GroupScore.objects.create(group=progress, unit=lap_vo, period="2024", points=Decimal(18))
    GroupScore.objects.create(group=progress, unit=lap_vo, period="2023M9", percent=Decimal("87.26"))
    GroupScore.objects.create(group=groups["publicity"], unit=lap_vo, period="2023M9", percent=Decimal("82.7"))
    trends = {trend.group.code: trend for trend in group_trends(lap_vo)}
    assert [score.period for score in trends["progress"].scores] == ["2023M9", "2024"]
    # 2024: 18 of 20 = 90 %; 2023M9: 87,26 % → +2,74 percentage points
    assert trends["progress"].change == Decimal("2.74")
    assert trends["publicity"].change is None


def test_provincial_staff_import_results_of_their_own_province_only(client, groups, staff, lap_vo):
    my_tho = make_district(make_province("82", "Tỉnh Tiền Giang"), "815", "Thành phố Mỹ Tho")
    client.force_login(staff)
    header = ["unit_code", "period", "group", "points", "percent", "comment"]
    response = post_file(
        client, [header, ["875", "2024", "progress", "18", "", ""], ["815", "2024", "progress", "18", "", ""]]
    )
    assert response.status_code == 400
    assert "Dòng 3, cột A: Không có đơn vị mã 815 mà bạn được cập nhật." in response.content.decode()
    assert not GroupScore.objects.filter(unit__in=[lap_vo, my_tho]).exists()
