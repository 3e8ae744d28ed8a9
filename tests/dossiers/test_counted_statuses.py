"""Which reports count in the figures each user reads (docs/domain.md, §Users): dossiers.access, the one home
that the dashboard, the unit page, the comparison, the brief and the sessions' check ask."""

import pytest

from dossiers.access import statuses_counted_for
from tests.factories import make_user

EVERY_STATUS = {"draft", "submitted", "returned", "approved"}


@pytest.mark.parametrize("who", ["staff", "inspector"])
def test_those_who_follow_every_province_count_submitted_and_approved_reports(request, who):
    user = request.getfixturevalue(who)
    assert set(statuses_counted_for(user)) == {"submitted", "approved"}
    assert set(statuses_counted_for(user, approved_only=True)) == {"approved"}


def test_an_administrator_counts_like_provincial_staff(db):
    admin = make_user(username="root", is_superuser=True)
    assert set(statuses_counted_for(admin)) == {"submitted", "approved"}


def test_a_district_officer_counts_approved_reports_only_even_of_their_own_unit(officer, thanh_binh, lap_vo):
    assert set(statuses_counted_for(officer)) == {"approved"}
    assert set(statuses_counted_for(officer, unit=lap_vo)) == {"approved"}


def test_a_units_own_officer_reads_its_drafts_where_they_check_their_own_figures(officer, thanh_binh, staff):
    assert set(statuses_counted_for(officer, unit=thanh_binh)) == EVERY_STATUS
    # The province checking the same unit still counts only what was handed in.
    assert set(statuses_counted_for(staff, unit=thanh_binh)) == {"submitted", "approved"}
