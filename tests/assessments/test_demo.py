"""The PAR-index demo data (fixtures/demo/07_par_index.yaml) says what seeds 002 and 003 say, and no more."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from assessments.models import Assessment, CriteriaSet, GroupScore, LeafScore, Method
from assessments.selectors import results
from assessments.tree import Tree, tree_errors

pytestmark = pytest.mark.django_db


def test_the_example_sets_are_named_as_examples_and_add_up_to_90_plus_10(demo):
    sets = list(CriteriaSet.objects.order_by("pk"))
    assert [(s.province.code, s.year, s.scored_units) for s in sets] == [
        ("67", 2023, "district"),
        ("87", 2023, "district"),
    ]
    for criteria_set in sets:
        assert criteria_set.is_example
        assert "VÍ DỤ" in criteria_set.title
        tree = Tree.of(criteria_set)
        assert tree_errors(list(criteria_set.criteria.all())) == []
        # Eight areas; 100 points, of which 10 from surveys and 90 scored by the unit.
        assert len(tree.roots) == 8
        assert tree.max_points == Decimal(100)
        assert tree.max_by_method(Method.SURVEY) == Decimal(10)
        assert {band.label for band in criteria_set.grade_bands.all()} == {"Tốt", "Khá", "Trung bình", "Yếu"}


def test_dak_song_has_its_stated_total_of_61_and_no_invented_criterion_score(demo):
    assessment = Assessment.objects.get(unit__code="665")
    assert assessment.stated_self_total == Decimal(61)
    assert not LeafScore.objects.filter(assessment=assessment).exists()
    assert "ước đạt 61/90 điểm" in assessment.note
    row = next(row for row in results(assessment.criteria_set) if row.unit.code == "665")
    assert (row.totals.self_total, row.totals.stated_only, row.total, row.rank) == (Decimal(61), True, Decimal(61), 1)
    # The model keeps a stated total within the set's 90 self-assessed points.
    assessment.stated_self_total = Decimal(91)
    with translation.override("vi"), pytest.raises(ValidationError) as raised:
        assessment.full_clean()
    assert raised.value.message_dict["stated_self_total"] == ["Bộ tiêu chí này tối đa 90 điểm tự chấm."]


def test_lap_vo_has_its_four_decision_766_results_as_percentages_naming_the_article(demo):
    scores = {score.group.code: score for score in GroupScore.objects.filter(unit__code="875", period="2023M9")}
    # seed 003: online 75,1 %; progress 87,26 %; publicity 82,7 %; satisfaction 95,7 %
    assert {code: score.percent for code, score in scores.items()} == {
        "online_service": Decimal("75.1"),
        "progress": Decimal("87.26"),
        "publicity": Decimal("82.7"),
        "satisfaction": Decimal("95.7"),
    }
    for score in scores.values():
        assert score.points is None and score.percent_only
        assert "Huyện Lấp Vò: Đẩy mạnh thực hiện cải cách hành chính" in score.comment


def test_loading_the_demo_again_changes_nothing(demo):
    before = (CriteriaSet.objects.count(), GroupScore.objects.count(), Assessment.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (CriteriaSet.objects.count(), GroupScore.objects.count(), Assessment.objects.count()) == before == (2, 4, 1)
