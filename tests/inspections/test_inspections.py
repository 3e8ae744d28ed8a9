"""Reform inspections: sessions, units inspected in them, and recommendations followed to closure.

Seed 000: from 26 to 28 October 2021 the provincial team inspected nine units of Đồng Tháp online; Thanh
Bình's turn was on 26 October.
"""

from datetime import date

import pytest

from inspections.models import InspectedUnit, InspectionSession, Recommendation
from tests.factories import (
    clean_errors,
    errors_of,
    make_district,
    make_inspected_unit,
    make_province,
    make_recommendation,
    make_session,
    save_refused_by_database,
)

pytestmark = pytest.mark.django_db

DEADLINE = date(2021, 12, 31)


@pytest.fixture
def session(dong_thap):
    return make_session(dong_thap, starts_on=date(2021, 10, 26), ends_on=date(2021, 10, 28))


# Sessions.


def test_a_session_cannot_end_before_it_starts(dong_thap):
    session = InspectionSession(
        title="Kiểm tra CCHC năm 2021",
        inspecting_unit=dong_thap,
        starts_on=date(2021, 10, 28),
        ends_on=date(2021, 10, 26),
    )

    assert clean_errors(session)["ends_on"] == ["Ngày kết thúc đợt kiểm tra không được trước ngày bắt đầu."]
    assert save_refused_by_database(session)


def test_a_session_may_last_a_single_day(dong_thap):
    session = InspectionSession(
        title="Kiểm tra CCHC", inspecting_unit=dong_thap, starts_on=date(2021, 10, 26), ends_on=date(2021, 10, 26)
    )

    session.full_clean()
    session.save()

    assert InspectionSession.objects.get().ends_on == date(2021, 10, 26)


# Units inspected in a session.


@pytest.mark.parametrize("day", [date(2021, 10, 26), date(2021, 10, 27), date(2021, 10, 28)])
def test_a_unit_is_inspected_on_a_day_of_the_session(session, thanh_binh, day):
    assert errors_of(InspectedUnit(session=session, unit=thanh_binh, inspected_on=day)) == {}


@pytest.mark.parametrize("day", [date(2021, 10, 25), date(2021, 10, 29)])
def test_it_rejects_an_inspection_day_outside_the_session(session, thanh_binh, day):
    errors = clean_errors(InspectedUnit(session=session, unit=thanh_binh, inspected_on=day))

    assert errors == {"inspected_on": ["Ngày phải nằm trong thời gian của đợt kiểm tra."]}


def test_the_day_of_a_unit_may_be_left_blank(session, thanh_binh):
    assert errors_of(InspectedUnit(session=session, unit=thanh_binh)) == {}


def test_a_unit_is_in_a_session_once(session, thanh_binh):
    make_inspected_unit(session, thanh_binh, inspected_on=date(2021, 10, 26))
    again = InspectedUnit(session=session, unit=thanh_binh, inspected_on=date(2021, 10, 27))

    assert clean_errors(again)["__all__"] == ["Đơn vị này đã có trong đợt kiểm tra."]
    assert save_refused_by_database(again)


def test_the_units_of_a_session_are_those_inspected_in_it(session, dong_thap, thanh_binh):
    lap_vo = make_district(dong_thap, code="875", name="Lấp Vò")
    make_inspected_unit(session, thanh_binh, inspected_on=date(2021, 10, 26))
    make_inspected_unit(session, lap_vo, inspected_on=date(2021, 10, 27))

    assert list(session.units.order_by("code")) == [thanh_binh, lap_vo]
    assert list(thanh_binh.inspections.all()) == [session]


# Recommendations: closed on a date exactly when done or verified.


@pytest.mark.parametrize("status", [Recommendation.Status.DONE, Recommendation.Status.VERIFIED])
def test_a_closed_recommendation_needs_its_closing_date(session, thanh_binh, status):
    recommendation = Recommendation(session=session, unit=thanh_binh, text="Tăng cường kiểm tra nội bộ.", status=status)

    assert clean_errors(recommendation)["closed_on"] == [
        "Kiến nghị đã hoàn thành hoặc đã xác nhận phải có ngày hoàn thành."
    ]
    assert save_refused_by_database(recommendation)


@pytest.mark.parametrize("status", [Recommendation.Status.OPEN, Recommendation.Status.IN_PROGRESS])
def test_an_open_recommendation_has_no_closing_date(session, thanh_binh, status):
    recommendation = Recommendation(
        session=session, unit=thanh_binh, text="Tăng cường kiểm tra nội bộ.", status=status, closed_on=DEADLINE
    )

    assert clean_errors(recommendation)["closed_on"] == [
        "Chỉ kiến nghị đã hoàn thành hoặc đã xác nhận mới có ngày hoàn thành."
    ]
    assert save_refused_by_database(recommendation)


@pytest.mark.parametrize(
    ("status", "closed_on"),
    [
        (Recommendation.Status.OPEN, None),
        (Recommendation.Status.IN_PROGRESS, None),
        (Recommendation.Status.DONE, date(2021, 12, 20)),
        (Recommendation.Status.VERIFIED, date(2022, 1, 10)),
    ],
)
def test_it_accepts_a_recommendation_whose_closing_date_matches_its_status(session, thanh_binh, status, closed_on):
    recommendation = Recommendation(
        session=session, unit=thanh_binh, text="Tăng cường kiểm tra nội bộ.", status=status, closed_on=closed_on
    )

    recommendation.full_clean()
    recommendation.save()

    assert Recommendation.objects.get().status == status


def test_a_recommendation_may_stand_without_a_session(thanh_binh):
    assert errors_of(Recommendation(unit=thanh_binh, text="Đẩy mạnh tuyên truyền về thủ tục hành chính.")) == {}


# Overdue: past the deadline and not closed. Never stored, always worked out for a given day.


@pytest.mark.parametrize(
    ("today", "overdue"),
    [
        (date(2021, 12, 30), False),
        (DEADLINE, False),
        (date(2022, 1, 1), True),
        (date(2023, 6, 30), True),
    ],
)
@pytest.mark.parametrize("status", [Recommendation.Status.OPEN, Recommendation.Status.IN_PROGRESS])
def test_an_open_recommendation_is_overdue_from_the_day_after_its_deadline(thanh_binh, status, today, overdue):
    recommendation = make_recommendation(thanh_binh, deadline=DEADLINE, status=status)

    assert recommendation.is_overdue(today) is overdue


@pytest.mark.parametrize("status", [Recommendation.Status.DONE, Recommendation.Status.VERIFIED])
def test_a_closed_recommendation_is_never_overdue(thanh_binh, status):
    recommendation = make_recommendation(thanh_binh, deadline=DEADLINE, status=status, closed_on=date(2022, 3, 1))

    assert recommendation.is_overdue(date(2022, 3, 2)) is False


def test_a_recommendation_without_a_deadline_is_never_overdue(thanh_binh):
    recommendation = make_recommendation(thanh_binh, deadline=None)

    assert recommendation.is_overdue(date(2030, 1, 1)) is False


# Departments: a district inspects its own departments, which are no administrative units.


def test_a_district_inspects_two_of_its_departments_in_one_session(thanh_binh):
    internal = make_session(thanh_binh, title="Kiểm tra nội bộ")
    for department in ("Phòng Tư pháp", "Văn phòng HĐND và UBND"):
        InspectedUnit(session=internal, unit=thanh_binh, department=department).full_clean()
        make_inspected_unit(internal, thanh_binh, department=department)

    assert [row.inspected_name for row in internal.inspected_units.order_by("pk")] == [
        "Huyện Thanh Bình – Phòng Tư pháp",
        "Huyện Thanh Bình – Văn phòng HĐND và UBND",
    ]


def test_a_department_is_in_a_session_once(thanh_binh):
    internal = make_session(thanh_binh, title="Kiểm tra nội bộ")
    make_inspected_unit(internal, thanh_binh, department="Phòng Tư pháp")
    again = InspectedUnit(session=internal, unit=thanh_binh, department="Phòng Tư pháp")

    assert clean_errors(again)["__all__"] == ["Đơn vị này đã có trong đợt kiểm tra."]
    assert save_refused_by_database(again)


# Which units a session may inspect: the inspecting unit itself or units under it, as they existed then.


def test_a_province_inspects_a_commune_under_one_of_its_districts(session, thanh_binh):
    from tests.factories import make_commune

    assert errors_of(InspectedUnit(session=session, unit=make_commune(thanh_binh))) == {}


def test_a_session_does_not_inspect_a_unit_of_another_province(session):
    dak_song = make_district(make_province(code="67", name="Đắk Nông"), code="665", name="Đắk Song")

    errors = clean_errors(InspectedUnit(session=session, unit=dak_song))

    assert errors == {"unit": ["Một đợt kiểm tra chỉ kiểm tra chính đơn vị kiểm tra hoặc các đơn vị trực thuộc."]}


def test_a_district_does_not_inspect_another_district(thanh_binh, dong_thap):
    lap_vo = make_district(dong_thap, code="875", name="Lấp Vò")
    internal = make_session(thanh_binh, title="Kiểm tra nội bộ")

    assert "unit" in clean_errors(InspectedUnit(session=internal, unit=lap_vo))


def test_a_unit_abolished_before_the_session_cannot_be_inspected_in_it(dong_thap):
    abolished = make_district(dong_thap, code="870", name="Hồng Ngự", valid_until=date(2020, 12, 31))
    later = make_session(dong_thap, starts_on=date(2021, 10, 26), ends_on=date(2021, 10, 28))

    errors = clean_errors(InspectedUnit(session=later, unit=abolished))

    assert errors == {"unit": ["Đơn vị này không tồn tại vào thời điểm của đợt kiểm tra."]}


# Recommendations of a session: not due, nor closed, before the inspection that made them.


def test_a_deadline_before_the_inspection_is_refused(session, thanh_binh):
    recommendation = Recommendation(session=session, unit=thanh_binh, text="Kiến nghị", deadline=date(2021, 10, 1))

    assert clean_errors(recommendation) == {"deadline": ["Thời hạn không được trước đợt kiểm tra."]}


def test_a_recommendation_closed_before_the_inspection_is_refused(session, thanh_binh):
    recommendation = Recommendation(
        session=session, unit=thanh_binh, text="Kiến nghị", status="done", closed_on=date(2021, 10, 1)
    )

    assert clean_errors(recommendation) == {
        "closed_on": ["Kiến nghị không thể hoàn thành trước đợt kiểm tra đã đưa ra kiến nghị đó."]
    }


# The states the follow-up counts, worked out for 10 January 2022.


def test_due_and_closed_on_time_as_defined_for_the_follow_up(session, thanh_binh):
    today = date(2022, 1, 10)
    on_time = make_recommendation(thanh_binh, session, deadline=DEADLINE, status="done", closed_on=date(2021, 12, 31))
    late = make_recommendation(thanh_binh, session, deadline=DEADLINE, status="verified", closed_on=date(2022, 1, 2))
    overdue = make_recommendation(thanh_binh, session, deadline=DEADLINE)
    not_yet = make_recommendation(thanh_binh, session, deadline=date(2022, 3, 31), status="in_progress")
    no_deadline = make_recommendation(thanh_binh, session, status="done", closed_on=date(2021, 12, 1))

    assert set(Recommendation.objects.due(today)) == {on_time, late, overdue}
    assert set(Recommendation.objects.closed_on_time()) == {on_time}
    assert set(Recommendation.objects.overdue(today)) == {overdue}
    assert set(Recommendation.objects.still_open()) == {overdue, not_yet}
    assert [r.closed_on_time for r in (on_time, late, no_deadline)] == [True, False, False]
