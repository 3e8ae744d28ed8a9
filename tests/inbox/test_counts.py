"""The menu's count of what waits (``count_for``): counted in the database, and always the number of items the
inbox shows (``items_for``), for every role.

The cast of tests/conftest.py on 11/10/2024, with the test settings (REPORT_DUE_DAYS 10, REMINDER_DAYS_BEFORE 7),
worked out by hand:

- Thanh Bình's officer: the 2024Q2 report the province returned (1); 2024Q3 not handed in, due 10/10 (1, overdue;
  2024Q1 and 2023Q4 were handed in, 2024Q2 is the returned one); the recommendation past its deadline of 01/10 and
  the one due on 15/10 (2); nothing appraised for Thanh Bình. 4.
- Lấp Vò's officer: every quarter handed in (2024Q3 submitted); its recommendation of no session past its deadline
  of 01/09 (1); its self-assessment appraised, to answer (1). 2.
- The province's staff: Lấp Vò's 2024Q3 submitted, to review (1; Tân Thạnh is a commune under a district, and An
  Giang another province); the two self-assessments of Đồng Tháp's set, submitted and appraised (2). 3.
- The inspection team of Đồng Tháp: the two recommendations past their deadline (2; the one due on 15/10 is not
  late yet, the one past its deadline in An Giang not theirs). 2.
- An administrator: every report submitted (3) and every self-assessment waiting (2); no role, so no
  recommendations. 5.
"""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from assessments.models import Assessment, AssessmentStatus
from cchc.lib.roles import INSPECTION_TEAM, has_role
from dossiers import services
from dossiers.models import ReportStatus
from inbox import sources
from inbox.sources import count_for, items_for
from tests.factories import (
    logged_in,
    make_commune,
    make_district,
    make_province,
    make_recommendation,
    make_report,
    make_session,
    make_set,
    make_user,
)

pytestmark = pytest.mark.django_db

S = ReportStatus
DAY = date(2024, 10, 11)


@pytest.fixture(autouse=True)
def deadlines(settings):
    settings.REPORT_DUE_DAYS = 10
    settings.REMINDER_DAYS_BEFORE = 7


@pytest.fixture
def superuser(db):
    return make_user(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def waiting(officer, lap_vo_officer, staff, inspector, superuser, dong_thap, thanh_binh, lap_vo):
    """The cast's work of 11/10/2024 (the module's docstring); the users by role."""
    for year, quarter in ((2024, 1), (2023, 4)):
        make_report(thanh_binh, year, quarter, status=S.APPROVED)
    returned = make_report(thanh_binh, 2024, 2, status=S.SUBMITTED)
    services.return_to_unit(returned, by=staff, comment="Thiếu số liệu cấp xã.")
    for year, quarter in ((2024, 2), (2024, 1), (2023, 4)):
        make_report(lap_vo, year, quarter, status=S.APPROVED)
    make_report(lap_vo, 2024, 3, status=S.SUBMITTED)
    make_report(make_commune(thanh_binh), 2024, 3, status=S.SUBMITTED)
    an_giang = make_province("89", "Tỉnh An Giang")
    long_xuyen = make_district(an_giang, "883", "Thành phố Long Xuyên")
    make_report(long_xuyen, 2024, 3, status=S.SUBMITTED)

    session = make_session(dong_thap, starts_on=date(2024, 3, 1), ends_on=date(2024, 3, 2))
    make_recommendation(thanh_binh, session, deadline=date(2024, 10, 1))
    make_recommendation(thanh_binh, session, deadline=date(2024, 10, 15))
    make_recommendation(thanh_binh, session, deadline=date(2024, 12, 1))  # not near yet
    make_recommendation(thanh_binh, session, deadline=date(2024, 9, 1), status="done", closed_on=date(2024, 9, 1))
    make_recommendation(lap_vo, deadline=date(2024, 9, 1))
    make_recommendation(long_xuyen, deadline=date(2024, 9, 1))

    criteria_set = make_set(dong_thap)
    Assessment.objects.create(criteria_set=criteria_set, unit=thanh_binh, status=AssessmentStatus.SUBMITTED)
    Assessment.objects.create(criteria_set=criteria_set, unit=lap_vo, status=AssessmentStatus.APPRAISED)
    return {
        "officer": officer,
        "lap_vo_officer": lap_vo_officer,
        "staff": staff,
        "inspector": inspector,
        "superuser": superuser,
    }


BY_HAND = {"officer": 4, "lap_vo_officer": 2, "staff": 3, "inspector": 2, "superuser": 5}


@pytest.mark.parametrize("role", BY_HAND)
def test_the_count_is_the_number_of_items_worked_out_by_hand(waiting, role):
    user = waiting[role]

    assert len(items_for(user, DAY)) == BY_HAND[role]
    assert count_for(user, DAY) == BY_HAND[role]


@pytest.mark.parametrize(
    "day",
    [
        date(2024, 7, 1),  # nothing due yet for 2024Q3
        date(2024, 9, 30),
        date(2024, 10, 3),  # 2024Q3 due soon; the recommendation of 01/10 near
        date(2024, 10, 10),
        DAY,
        date(2025, 3, 1),
    ],
)
def test_the_count_is_the_number_of_items_every_day_for_every_role(waiting, day):
    for role, user in waiting.items():
        assert count_for(user, day) == len(items_for(user, day)), role


def test_the_count_stops_where_the_items_stop(waiting, monkeypatch):
    # Each list of a source stops at LIMIT; so does its count.
    monkeypatch.setattr(sources, "LIMIT", 1)

    counts = {role: (count_for(user, DAY), len(items_for(user, DAY))) for role, user in waiting.items()}

    # The officer's two recommendations give one; the administrator's three reports and two assessments give two.
    assert counts == {
        "officer": (3, 3),
        "lap_vo_officer": (2, 2),
        "staff": (2, 2),
        "inspector": (1, 1),
        "superuser": (2, 2),
    }


def test_an_officer_in_the_inspection_team_counts_both_lists(waiting, thanh_binh):
    # Thanh Bình's overdue recommendation is the officer's to answer and the team's to follow up: two items. The
    # team follows the province of the user's unit, so Lấp Vò's too: the officer's 4 and the team's 2.
    both = make_user(INSPECTION_TEAM, thanh_binh, username="both")
    both.groups.add(*waiting["officer"].groups.all())

    assert [item.key.split(":")[0] for item in items_for(both, DAY)].count("team-recommendation-overdue") == 2
    assert count_for(both, DAY) == len(items_for(both, DAY)) == 6


# --- On the pages ---------------------------------------------------------------------------------------------------


def render_count(user):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load inbox %}{% inbox_count as waiting %}{{ waiting }}").render(Context({"request": request}))


def test_the_menus_count_reads_no_item(waiting, staff, lap_vo, django_assert_num_queries):
    has_role(staff, INSPECTION_TEAM)  # the user's roles, read once per user
    with django_assert_num_queries(2):  # the reports to review; the self-assessments to appraise
        assert render_count(staff) == "3"
    # Many more reports submitted: still two queries, and the count stops at LIMIT as the items do.
    for year in range(1970, 1970 + sources.LIMIT):
        make_report(lap_vo, year, 1, status=S.SUBMITTED)
    with django_assert_num_queries(2):
        assert render_count(staff) == str(sources.LIMIT + 2)
    assert len(items_for(staff, DAY)) == sources.LIMIT + 2


def test_no_count_without_a_user(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert render_count(AnonymousUser()) == "0"


def badge(html):
    count = html[html.index('data-testid="inbox-count"') :]
    return int(count.split(">", 1)[1].split("<", 1)[0])


def test_a_page_without_the_box_counts_in_the_database(waiting, client, thanh_binh, today):
    today(DAY)
    logged_in(client, waiting["staff"])

    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"/districts/{thanh_binh.code}/").content.decode()

    assert badge(html) == 3
    # The count's queries, not the items' (the latest submission of each report is the items' annotation)
    assert sum(") subquery" in query["sql"] and "COUNT(*)" in query["sql"] for query in queries) == 2
    assert not any("submitted_event" in query["sql"] for query in queries)


def test_the_landing_page_counts_the_items_of_its_box(waiting, client, today):
    today(DAY)
    logged_in(client, waiting["superuser"])

    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()

    assert badge(html) == 5
    box = html[html.index('data-testid="inbox-box"') :]
    assert box[: box.index("</section>")].count("<li") == 5
    # The box reads the items; the menu above it counts them instead of asking the database again.
    assert not any(") subquery" in query["sql"] and "COUNT(*)" in query["sql"] for query in queries)
