"""Warning flags, each raised and not raised at its edge, worked out by hand; dismissing one with a comment."""

import pytest

from cchc import selectors
from cchc.flags import open_quarter_flags, quarter_flags, unit_year_flags
from cchc.lib.periods import Period
from cchc.lib.roles import DISTRICT_OFFICER, PROVINCIAL_STAFF
from cchc.models import FlagDismissal
from districts.models import Unit
from dossiers.models import COUNTED_STATUSES
from tests.factories import make_counted_report, make_district, make_province, make_user


@pytest.fixture
def district(db):
    return make_district(make_province())


def raised(unit, year=2023, quarter=2):
    flags = quarter_flags(
        units=Unit.objects.filter(pk=unit.pk), quarter=Period.quarter(year, quarter), statuses=COUNTED_STATUSES
    )
    return sorted((flag.code, flag.subject) for flag in flags)


# --- A rate that moved more than the margin (10 points) ------------------------------------------------------------


def test_a_rate_that_moved_exactly_the_margin_raises_nothing(district):
    make_counted_report(district, 2023, 1, resolved=100, resolved_in_time=80)  # 80,00 %
    make_counted_report(district, 2023, 2, resolved=100, resolved_in_time=90)  # 90,00 %: +10,00, not more
    assert raised(district) == []


def test_a_rate_that_moved_more_than_the_margin_is_flagged(district):
    make_counted_report(district, 2023, 1, resolved=100, resolved_in_time=80)  # 80,00 %
    make_counted_report(district, 2023, 2, resolved=1000, resolved_in_time=901)  # 90,10 %: +10,10
    assert raised(district) == [("rate_moved", "on_time_rate")]


def test_a_fall_counts_as_a_move_and_the_flag_carries_its_figures(district):
    make_counted_report(district, 2023, 1, received=100, received_online=50)  # 50,00 %
    make_counted_report(district, 2023, 2, received=100, received_online=39)  # 39,00 %: −11
    (flag,) = quarter_flags(
        units=Unit.objects.filter(pk=district.pk), quarter=Period.quarter(2023, 2), statuses=COUNTED_STATUSES
    )
    assert (flag.code, flag.subject) == ("rate_moved", "online_rate")
    assert [value for _label, value in flag.facts] == ["50,00% → 39,00%", "50 / 100", "39 / 100", "10,00"]


def test_no_previous_report_no_move(district):
    make_counted_report(district, 2023, 2, resolved=100, resolved_in_time=10)
    assert raised(district) == []


# --- 100 % on time while dossiers are pending overdue -----------------------------------------------------------


def test_all_on_time_with_one_overdue_is_flagged(district):
    make_counted_report(district, 2023, 2, resolved=10, resolved_in_time=10, pending=3, pending_overdue=1)
    assert raised(district) == [("on_time_with_overdue", "")]


def test_all_on_time_with_nothing_overdue_is_not(district):
    make_counted_report(district, 2023, 2, resolved=10, resolved_in_time=10, pending=3, pending_overdue=0)
    assert raised(district) == []


def test_one_late_with_overdue_is_not_the_100_percent_flag(district):
    make_counted_report(district, 2023, 2, resolved=10, resolved_in_time=9, pending=3, pending_overdue=1)
    assert raised(district) == []


# --- Fewer apology letters than late dossiers ------------------------------------------------------------------


def test_fewer_letters_than_late_dossiers_is_flagged(district):
    make_counted_report(district, 2023, 2, resolved_late=3, apology_letters=2)
    assert raised(district) == [("few_apologies", "")]


def test_as_many_letters_as_late_dossiers_is_not(district):
    make_counted_report(district, 2023, 2, resolved_late=3, apology_letters=3)
    assert raised(district) == []


def test_blank_letters_are_not_zero_letters(district):
    make_counted_report(district, 2023, 2, resolved_late=3)
    assert raised(district) == []


# --- Online share 0 while procedures are offered online ------------------------------------------------------------


def test_no_online_dossier_while_procedures_are_offered_online_is_flagged(district):
    make_counted_report(district, 2023, 2, received=10, received_online=0, procedures_online=1)
    assert raised(district) == [("online_zero", "")]


@pytest.mark.parametrize(
    "figures",
    [
        {"received": 10, "received_online": 0, "procedures_online": 0},  # nothing offered online
        {"received": 10, "received_online": 1, "procedures_online": 5},  # one online dossier
        {"received": 10, "procedures_online": 5},  # online not tracked (blank)
        {"received": 0, "received_online": 0, "procedures_online": 5},  # nothing received: no share at all
    ],
)
def test_online_share_edges_that_raise_nothing(district, figures):
    make_counted_report(district, 2023, 2, **figures)
    assert raised(district) == []


# --- A report unchanged from the previous quarter --------------------------------------------------------------------


def test_a_report_identical_to_the_previous_quarter_is_flagged(district):
    figures = {"received": 120, "resolved": 100, "resolved_in_time": 95, "resolved_late": 5, "apology_letters": 5}
    make_counted_report(district, 2023, 1, **figures)
    make_counted_report(district, 2023, 2, **figures)
    assert raised(district) == [("unchanged_report", "")]


def test_a_report_that_differs_by_one_dossier_is_not(district):
    figures = {"received": 120, "resolved": 100, "resolved_in_time": 95, "resolved_late": 5, "apology_letters": 5}
    make_counted_report(district, 2023, 1, **figures)
    make_counted_report(district, 2023, 2, **{**figures, "received": 121})
    assert raised(district) == []


def test_flags_of_many_units_take_two_queries(db, django_assert_num_queries):
    province = make_province()
    for number in range(6):
        district = make_district(province, str(870 + number), f"H{number}")
        make_counted_report(district, 2023, 2, resolved_late=3, apology_letters=2)
    units = Unit.objects.filter(parent=province)
    # This quarter's rows and the previous quarter's in one read; the dismissals.
    with django_assert_num_queries(2):
        flags = quarter_flags(units=units, quarter=Period.quarter(2023, 2), statuses=COUNTED_STATUSES)
    assert len(flags) == 6


def test_the_open_flags_counted_from_rows_read_are_those_not_dismissed_in_one_query(db, django_assert_num_queries):
    province = make_province()
    for number in range(3):
        district = make_district(province, str(870 + number), f"H{number}")
        make_counted_report(district, 2023, 1, received=100, received_online=50)
        make_counted_report(district, 2023, 2, received=100, received_online=39, resolved_late=3, apology_letters=2)
    first = Unit.objects.get(code="870")
    FlagDismissal.objects.create(unit=first, year=2023, quarter=2, code="few_apologies", comment="Đã xem.")
    FlagDismissal.objects.create(unit=first, year=2023, quarter=1, code="rate_moved", subject="online_rate")
    quarter = Period.quarter(2023, 2)
    previous_rows, rows = selectors.rows_by_period(
        units=Unit.objects.filter(parent=province), periods=[quarter.previous_quarter(), quarter]
    )
    every = quarter_flags(quarter=quarter, rows=rows, previous_rows=previous_rows, statuses=None)
    # The keys of the dismissals only.
    with django_assert_num_queries(1):
        counted = open_quarter_flags(quarter=quarter, rows=rows, previous_rows=previous_rows)
    assert [flag.key for flag in counted] == [flag.key for flag in every if flag.dismissal is None]
    assert len(every) == 6 and len(counted) == 5
    # Without the figures behind them: only counted.
    assert all(flag.facts == [] for flag in counted) and all(flag.facts for flag in every)


# --- Dismissing a flag ------------------------------------------------------------------------------------------------


def dismiss_url(unit):
    return f"/flags/dismiss/?unit={unit.pk}&quarter=2023Q2&flag=few_apologies&subject="


def test_provincial_staff_dismiss_a_flag_with_a_comment_kept_in_history(client, district):
    make_counted_report(district, 2023, 2, resolved_late=3, apology_letters=2)
    staff = make_user(PROVINCIAL_STAFF, district.parent)
    client.force_login(staff)
    data = {"unit": district.pk, "quarter": "2023Q2", "flag": "few_apologies", "subject": ""}
    response = client.post("/flags/dismiss/", {**data, "comment": "  "})
    assert response.status_code == 200
    assert "Nêu lý do bỏ qua cờ" in response.content.decode()
    assert not FlagDismissal.objects.exists()
    response = client.post("/flags/dismiss/", {**data, "comment": "Thư xin lỗi gửi trong quý sau."})
    assert response.status_code == 302
    (flag,) = unit_year_flags(district, 2023, statuses=COUNTED_STATUSES)
    assert flag.dismissal.comment == "Thư xin lỗi gửi trong quý sau." and flag.dismissal.dismissed_by == staff
    assert flag.dismissal.history.count() == 1
    page = client.get(f"/districts/{district.code}/?year=2023").content.decode()
    assert "Thư xin lỗi gửi trong quý sau." in page


def test_a_district_officer_cannot_dismiss(client, district):
    make_counted_report(district, 2023, 2, resolved_late=3, apology_letters=2)
    client.force_login(make_user(DISTRICT_OFFICER, district))
    assert client.get(dismiss_url(district)).status_code == 403


def test_a_flag_that_is_not_raised_cannot_be_dismissed(client, district):
    make_counted_report(district, 2023, 2, resolved_late=3, apology_letters=3)
    client.force_login(make_user(PROVINCIAL_STAFF, district.parent))
    assert client.get(dismiss_url(district)).status_code == 404


def test_the_dashboard_counts_open_flags(client, district):
    make_counted_report(district, 2023, 2, resolved_late=3, apology_letters=2)
    client.force_login(make_user(PROVINCIAL_STAFF, district.parent))
    page = client.get("/?province=87&period=2023Q2").content.decode()
    section = page[page.index('data-testid="flag-count"') :]
    assert "1 cờ cảnh báo trong Quý II/2023" in section[:400]
    assert "Thanh Bình</a> (1)" in section[:600]
