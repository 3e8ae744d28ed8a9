"""The unit page and the dashboard show each unit's latest PAR-index score and rank, and its Decision-766
results with their trend."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import GroupScore, ScoreGroup
from tests.assessments.test_appraisal_results import thap_muoi  # noqa: F401  (fixture)
from tests.assessments.test_self_assessment import score_everything


@pytest.fixture
def scored(small_set, thanh_binh, lap_vo, officer):
    # Thanh Bình 4 + 5 + 5 + 2 = 16 → rank 1; Lấp Vò 3 + 6 + 4 + 2 = 15 → rank 2 (Khá ≥ 15 both)
    score_everything(small_set, thanh_binh, officer, **{"1.1": 4, "1.2": 5, "2.1": 5, "2.2": 2})
    score_everything(small_set, lap_vo, officer, **{"1.1": 3, "1.2": 6, "2.1": 4, "2.2": 2})
    progress, _created = ScoreGroup.objects.get_or_create(
        code="progress", valid_from_year=2022, defaults={"name": "Tiến độ giải quyết", "max_points": Decimal(20)}
    )
    GroupScore.objects.create(group=progress, unit=lap_vo, period="2023M9", percent=Decimal("87.26"))
    GroupScore.objects.create(group=progress, unit=lap_vo, period="2024", points=Decimal(18))
    return small_set


def test_the_unit_page_shows_the_latest_score_rank_and_decision_766_trend(client, scored, staff, lap_vo):
    client.force_login(staff)
    page = client.get(reverse("districts:detail", args=[lap_vo.code])).content.decode()
    assert 'data-testid="unit-par-total">15<' in page
    assert "hạng 2/2" in page
    # 2024: 18 of 20 = 90 %, against 87,26 % in 2023M9: +2,74 points of the maximum
    assert "18 / 20" in page
    assert "+2,74" in page


def test_the_dashboard_lists_each_units_score_and_rank(client, scored, staff):
    client.force_login(staff)
    page = client.get("/?province=87&period=2023").content.decode()
    assert 'data-testid="par-total-874">16<' in page
    assert 'data-testid="par-total-875">15<' in page
    assert "Tiến độ giải quyết" in page


def test_a_district_officer_sees_other_units_scores_only_once_published(client, scored, lap_vo_officer, thanh_binh):
    client.force_login(lap_vo_officer)
    page = client.get(reverse("districts:detail", args=[thanh_binh.code])).content.decode()
    assert 'data-testid="unit-par-total"' not in page
    scored.published_on = date(2024, 3, 1)
    scored.save()
    page = client.get(reverse("districts:detail", args=[thanh_binh.code])).content.decode()
    assert 'data-testid="unit-par-total">16<' in page
