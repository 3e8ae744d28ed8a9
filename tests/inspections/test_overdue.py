"""Overdue is worked out, never stored: a recommendation not closed is overdue from the day after its deadline,
as the day is in Asia/Ho_Chi_Minh (UTC+7).

At 17:00 UTC on 31 December it is already 1 January in Hồ Chí Minh City: a server that took its date in UTC would
still call a recommendation due on 31 December "not yet overdue" for seven hours.
"""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.selectors import unit_rows
from districts.models import Unit
from inspections.models import Recommendation
from tests.factories import logged_in, make_recommendation

pytestmark = pytest.mark.django_db

S = Recommendation.Status
DEADLINE = date(2021, 12, 31)
LAST_SECOND_OF_THE_DEADLINE = datetime(2021, 12, 31, 16, 59, 59, tzinfo=UTC)  # 23:59:59 on 31/12 in HCMC
FIRST_SECOND_AFTER = datetime(2021, 12, 31, 17, 0, 0, tzinfo=UTC)  # 00:00:00 on 1/1/2022 in HCMC


@pytest.fixture
def recommendation(round_2021, thanh_binh):
    return make_recommendation(thanh_binh, session=round_2021, deadline=DEADLINE, text="Rà soát 06 nhiệm vụ")


@pytest.fixture
def team(client, inspector):
    return logged_in(client, inspector)


def test_the_local_day_changes_at_17_00_utc(clock):
    clock(LAST_SECOND_OF_THE_DEADLINE)
    assert timezone.localdate() == date(2021, 12, 31)

    clock(FIRST_SECOND_AFTER)
    assert timezone.localdate() == date(2022, 1, 1)
    assert FIRST_SECOND_AFTER.date() == date(2021, 12, 31)


@pytest.mark.parametrize(("now", "overdue"), [(LAST_SECOND_OF_THE_DEADLINE, []), (FIRST_SECOND_AFTER, ["yes"])])
def test_the_list_calls_it_overdue_from_midnight_in_ho_chi_minh_city(team, recommendation, clock, now, overdue):
    clock(now)

    response = team.get("/inspections/recommendations/", {"overdue": "yes"})

    assert ["yes" for _row in response.context["table"].paginated_rows] == overdue
    assert response.context["counts"]["overdue"] == len(overdue)


def test_the_first_day_after_the_deadline_is_one_day_overdue(team, recommendation, clock):
    clock(FIRST_SECOND_AFTER)

    response = team.get(reverse("inspections:recommendation_detail", args=[recommendation.pk]))

    assert response.context["days_overdue"] == 1
    assert "quá hạn 1 ngày" in response.content.decode()


def test_on_the_deadline_itself_it_is_not_overdue(team, recommendation, clock):
    clock(LAST_SECOND_OF_THE_DEADLINE)

    response = team.get(reverse("inspections:recommendation_detail", args=[recommendation.pk]))

    assert response.context["days_overdue"] is None
    assert 'data-testid="overdue"' not in response.content.decode()


@pytest.mark.parametrize(("now", "overdue"), [(LAST_SECOND_OF_THE_DEADLINE, 0), (FIRST_SECOND_AFTER, 1)])
def test_the_dashboard_counts_it_overdue_from_midnight_in_ho_chi_minh_city(recommendation, clock, now, overdue):
    clock(now)

    row = unit_rows(units=Unit.objects.filter(code="874"), period="2021Q4")[0]

    assert (row.recommendations_open, row.recommendations_overdue) == (1, overdue)


@pytest.mark.parametrize("status", [S.DONE, S.VERIFIED])
def test_a_recommendation_closed_late_is_not_overdue_but_not_on_time_either(team, recommendation, clock, status):
    Recommendation.objects.filter(pk=recommendation.pk).update(status=status, closed_on=date(2022, 1, 5))
    clock(datetime(2022, 1, 10, 3, 0, tzinfo=UTC))

    counts = team.get("/inspections/recommendations/").context["counts"]

    assert (counts["overdue"], counts["due"], counts["closed_on_time"]) == (0, 1, 0)


def test_closed_on_the_deadline_is_on_time(team, recommendation, clock):
    Recommendation.objects.filter(pk=recommendation.pk).update(status=S.DONE, closed_on=DEADLINE)
    clock(FIRST_SECOND_AFTER)

    counts = team.get("/inspections/recommendations/").context["counts"]

    assert (counts["overdue"], counts["due"], counts["closed_on_time"]) == (0, 1, 1)


def test_the_queryset_and_the_model_agree_on_every_side_of_the_deadline(recommendation):
    for today in (date(2021, 12, 30), DEADLINE, date(2022, 1, 1)):
        annotated = Recommendation.objects.with_overdue(today).get()
        assert annotated.overdue is recommendation.is_overdue(today)
        assert Recommendation.objects.overdue(today).exists() is recommendation.is_overdue(today)
