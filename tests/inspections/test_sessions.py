"""Sessions on the plain pages: the inspection team records its province's rounds with their team and units, a
district records its own internal inspections, everybody else reads; bad input saves nothing.

And the check of item 4: the units a district inspected, as its sessions record them, beside the "units
inspected" of its quarterly report.
"""

from datetime import date

import pytest
from django.urls import reverse

from dossiers.models import ReportStatus
from inspections.models import InspectedUnit, InspectionSession, Recommendation, TeamMember
from tests.factories import logged_in, make_commune, make_counted_report, make_recommendation, make_session
from tests.formsets import management

pytestmark = pytest.mark.django_db

NEW = "/inspections/sessions/new/"


def session_post(inspecting_unit, *, team=(), units=(), **fields):
    """The POST data of the session form: ``team`` as (name, title, lead) and ``units`` as dicts of fields."""
    data = {
        "title": "Kiểm tra CCHC năm 2024",
        "inspecting_unit": inspecting_unit.pk,
        "format": "on_site",
        "starts_on": "2024-10-14",
        "ends_on": "2024-10-16",
        "note": "",
        **fields,
        **management("team", len(team)),
        **management("units", len(units)),
    }
    for number, (name, title, lead) in enumerate(team):
        data.update({f"team-{number}-full_name": name, f"team-{number}-title": title})
        if lead:
            data[f"team-{number}-is_lead"] = "on"
    for number, unit_fields in enumerate(units):
        data.update({f"units-{number}-{name}": value for name, value in unit_fields.items()})
    return data


TEAM = [("Nguyễn Văn A", "Phó Giám đốc Sở Nội vụ", True), ("Trần Thị B", "Chuyên viên Sở Nội vụ", False)]


def session_titles(response):
    return sorted(row.record.title for row in response.context["table"].rows)


def counts():
    return (InspectionSession.objects.count(), InspectedUnit.objects.count(), TeamMember.objects.count())


# --- The inspection team records a round ------------------------------------------------------------------------------


def test_the_team_records_a_round_with_its_team_and_two_units(client, inspector, dong_thap, thanh_binh, lap_vo):
    logged_in(client, inspector)
    data = session_post(
        dong_thap,
        team=TEAM,
        units=[
            {"unit": thanh_binh.pk, "inspected_on": "2024-10-14", "attended_by": "Phó Chủ tịch UBND huyện"},
            {"unit": lap_vo.pk, "inspected_on": "2024-10-15", "findings": "Chưa niêm yết đủ thủ tục.", "score": "82,5"},
        ],
    )

    response = client.post(NEW, data)

    session = InspectionSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("inspections:session_detail", args=[session.pk])
    assert (session.inspecting_unit, session.starts_on, session.ends_on) == (
        dong_thap,
        date(2024, 10, 14),
        date(2024, 10, 16),
    )
    assert [(m.full_name, m.is_lead) for m in session.team.all()] == [("Nguyễn Văn A", True), ("Trần Thị B", False)]
    rows = {row.unit.code: row for row in session.inspected_units.all()}
    assert set(rows) == {"874", "875"}
    assert str(rows["875"].score) == "82.50"


def test_blank_extra_rows_are_skipped(client, inspector, dong_thap, thanh_binh):
    logged_in(client, inspector)
    data = session_post(dong_thap, team=[*TEAM, ("", "", False)], units=[{"unit": thanh_binh.pk}, {"unit": ""}])

    assert client.post(NEW, data).status_code == 302
    assert counts() == (1, 1, 2)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"ends_on": "2024-10-13"}, "ends_on", "Ngày kết thúc đợt kiểm tra không được trước ngày bắt đầu."),
        ({"title": ""}, "title", "Trường này là bắt buộc."),
        # dd/mm/yyyy is how dates are typed (cchc/lib/dates.py); 31/02 is no day at all
        ({"starts_on": "31/02/2024"}, "starts_on", "Nhập một ngày hợp lệ."),
    ],
)
def test_a_bad_session_field_saves_nothing(client, inspector, dong_thap, thanh_binh, change, field, message):
    logged_in(client, inspector)

    response = client.post(NEW, session_post(dong_thap, team=TEAM, units=[{"unit": thanh_binh.pk}], **change))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert counts() == (0, 0, 0)


def test_a_day_outside_the_session_is_refused_next_to_the_unit_and_nothing_is_saved(
    client, inspector, dong_thap, thanh_binh
):
    logged_in(client, inspector)
    data = session_post(dong_thap, team=TEAM, units=[{"unit": thanh_binh.pk, "inspected_on": "2024-10-20"}])

    response = client.post(NEW, data)

    assert response.status_code == 200
    assert response.context["units"].forms[0].errors["inspected_on"] == [
        "Ngày phải nằm trong thời gian của đợt kiểm tra."
    ]
    assert "Chưa lưu gì" in response.content.decode()
    assert counts() == (0, 0, 0)


def test_a_unit_of_another_province_cannot_be_chosen(client, inspector, dong_thap):
    from tests.factories import make_district, make_province

    dak_song = make_district(make_province("67", "Tỉnh Đắk Nông"), "665", "Huyện Đắk Song")
    logged_in(client, inspector)

    response = client.post(NEW, session_post(dong_thap, units=[{"unit": dak_song.pk}]))

    assert response.context["units"].forms[0].errors["unit"] == [
        "Đơn vị này không thuộc phạm vi kiểm tra của đơn vị kiểm tra."
    ]
    assert counts() == (0, 0, 0)


def test_a_session_needs_at_least_one_unit(client, inspector, dong_thap):
    logged_in(client, inspector)

    response = client.post(NEW, session_post(dong_thap, team=TEAM))

    assert response.context["units"].non_form_errors() == ["Hãy thêm ít nhất một đơn vị được kiểm tra."]
    assert counts() == (0, 0, 0)


def test_a_team_has_one_lead(client, inspector, dong_thap, thanh_binh):
    logged_in(client, inspector)
    two_leads = [("Nguyễn Văn A", "", True), ("Trần Thị B", "", True)]

    response = client.post(NEW, session_post(dong_thap, team=two_leads, units=[{"unit": thanh_binh.pk}]))

    assert response.context["team"].non_form_errors() == ["Mỗi đoàn chỉ có một trưởng đoàn."]
    assert counts() == (0, 0, 0)


def test_the_same_unit_twice_in_a_session_is_refused(client, inspector, dong_thap, thanh_binh):
    logged_in(client, inspector)

    response = client.post(NEW, session_post(dong_thap, units=[{"unit": thanh_binh.pk}, {"unit": thanh_binh.pk}]))

    assert response.status_code == 200
    assert response.context["units"].non_form_errors()
    assert counts() == (0, 0, 0)


def test_the_team_cannot_record_a_session_for_another_province(client, inspector, thanh_binh):
    from tests.factories import make_province

    son_la = make_province("14", "Tỉnh Sơn La")
    logged_in(client, inspector)

    response = client.post(NEW, session_post(son_la, units=[{"unit": thanh_binh.pk}]))

    assert response.context["form"].errors["inspecting_unit"] == [
        "Bạn không được ghi nhận đợt kiểm tra của đơn vị này."
    ]
    assert counts() == (0, 0, 0)


def test_the_team_edits_a_round_and_adds_a_unit(client, inspector, round_2021, dong_thap):
    from tests.factories import make_district

    tam_nong = make_district(dong_thap, "871", "Huyện Tam Nông")
    logged_in(client, inspector)
    url = reverse("inspections:session_edit", args=[round_2021.pk])
    existing = list(round_2021.inspected_units.all())
    data = session_post(dong_thap, starts_on="2021-10-26", ends_on="2021-10-28", title="Kiểm tra CCHC năm 2021")
    data.update(management("units", 3, initial=2))
    for number, row in enumerate(existing):
        data.update(
            {
                f"units-{number}-id": row.pk,
                f"units-{number}-unit": row.unit_id,
                f"units-{number}-session": round_2021.pk,
            }
        )
    data.update({"units-2-unit": tam_nong.pk, "units-2-inspected_on": "2021-10-28", "seen_version": 1})

    response = client.post(url, data)

    assert response.status_code == 302
    assert sorted(round_2021.inspected_units.values_list("unit__code", flat=True)) == ["871", "874", "875"]


def test_a_unit_with_recommendations_cannot_be_taken_out_of_the_round(
    client, inspector, round_2021, thanh_binh, dong_thap
):
    make_recommendation(thanh_binh, session=round_2021)
    logged_in(client, inspector)
    rows = list(round_2021.inspected_units.order_by("unit__code"))
    data = session_post(dong_thap, starts_on="2021-10-26", ends_on="2021-10-28")
    data.update(management("units", 2, initial=2))
    for number, row in enumerate(rows):
        data.update({f"units-{number}-id": row.pk, f"units-{number}-unit": row.unit_id})
    data["units-0-DELETE"] = "on"

    response = client.post(reverse("inspections:session_edit", args=[round_2021.pk]), data)

    assert response.context["units"].non_form_errors() == [
        "Huyện Thanh Bình có kiến nghị trong đợt kiểm tra này nên không thể bỏ ra khỏi đợt."
    ]
    assert round_2021.inspected_units.count() == 2


# --- Recommendations of a round, by the team --------------------------------------------------------------------------


def test_the_team_adds_recommendations_to_units_of_the_round(client, inspector, round_2021, lap_vo):
    logged_in(client, inspector)
    url = reverse("inspections:recommendation_create", args=[round_2021.pk])
    data = {"unit": lap_vo.pk, "text": "Cập nhật văn bản mới", "area": "institutions", "deadline": "2022-03-31"}

    another = client.post(url, {**data, "_addanother": "1"})
    done = client.post(url, {**data, "text": "Tăng cường kiểm tra nội bộ", "area": "direction"})

    assert another["Location"] == url
    assert done["Location"] == reverse("inspections:session_detail", args=[round_2021.pk])
    assert list(Recommendation.objects.order_by("pk").values_list("text", "unit__code", "session")) == [
        ("Cập nhật văn bản mới", "875", round_2021.pk),
        ("Tăng cường kiểm tra nội bộ", "875", round_2021.pk),
    ]
    assert Recommendation.objects.first().history.first().history_user == inspector


def test_a_recommendation_goes_to_a_unit_the_round_inspected(client, inspector, round_2021, dong_thap):
    from tests.factories import make_district

    tam_nong = make_district(dong_thap, "871", "Huyện Tam Nông")
    logged_in(client, inspector)

    response = client.post(
        reverse("inspections:recommendation_create", args=[round_2021.pk]), {"unit": tam_nong.pk, "text": "Kiến nghị"}
    )

    assert response.context["form"].errors["unit"] == ["Hãy chọn một trong các đơn vị được kiểm tra trong đợt này."]
    assert not Recommendation.objects.exists()


def test_a_deadline_before_the_round_is_refused(client, inspector, round_2021, thanh_binh):
    logged_in(client, inspector)

    response = client.post(
        reverse("inspections:recommendation_create", args=[round_2021.pk]),
        {"unit": thanh_binh.pk, "text": "Kiến nghị", "deadline": "2021-10-01"},
    )

    assert response.context["form"].errors["deadline"] == ["Thời hạn không được trước đợt kiểm tra."]
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize("user", ["staff", "officer"])
def test_only_the_team_records_the_provinces_rounds(client, request, round_2021, thanh_binh, dong_thap, user):
    logged_in(client, request.getfixturevalue(user))

    assert client.get(reverse("inspections:session_edit", args=[round_2021.pk])).status_code == 403
    assert client.get(reverse("inspections:recommendation_create", args=[round_2021.pk])).status_code == 403
    posted = client.post(
        reverse("inspections:recommendation_create", args=[round_2021.pk]), {"unit": thanh_binh.pk, "text": "Kiến nghị"}
    )
    assert posted.status_code == 403
    assert not Recommendation.objects.exists()


def test_provincial_staff_read_rounds_but_record_none(client, staff, round_2021):
    logged_in(client, staff)

    assert client.get(reverse("inspections:session_detail", args=[round_2021.pk])).status_code == 200
    assert client.get(NEW).status_code == 403
    assert 'data-testid="new-session"' not in client.get("/inspections/sessions/").content.decode()


# --- A district's internal inspections --------------------------------------------------------------------------------


def test_a_district_records_its_inspection_of_a_department_and_a_commune(client, officer, thanh_binh, tan_thanh):
    logged_in(client, officer)
    data = session_post(
        thanh_binh,
        title="Kiểm tra CCHC nội bộ năm 2024",
        units=[{"unit": thanh_binh.pk, "department": "Phòng Tư pháp"}, {"unit": tan_thanh.pk}],
    )

    response = client.post(NEW, data)

    assert response.status_code == 302
    session = InspectionSession.objects.get()
    assert session.inspecting_unit == thanh_binh
    assert sorted(row.inspected_name for row in session.inspected_units.all()) == [
        "Huyện Thanh Bình – Phòng Tư pháp",
        "Xã Tân Thạnh",
    ]


def test_a_district_records_no_session_in_the_provinces_name(client, officer, dong_thap, thanh_binh):
    logged_in(client, officer)

    response = client.post(NEW, session_post(dong_thap, units=[{"unit": thanh_binh.pk}]))

    assert "inspecting_unit" in response.context["form"].errors
    assert counts() == (0, 0, 0)


def test_a_district_does_not_inspect_another_district(client, officer, thanh_binh, lap_vo):
    logged_in(client, officer)

    response = client.post(NEW, session_post(thanh_binh, units=[{"unit": lap_vo.pk}]))

    assert "unit" in response.context["units"].forms[0].errors
    assert counts() == (0, 0, 0)


def test_two_departments_of_a_district_in_one_session(client, officer, thanh_binh):
    logged_in(client, officer)
    units = [
        {"unit": thanh_binh.pk, "department": "Phòng Tư pháp"},
        {"unit": thanh_binh.pk, "department": "Phòng Tài chính – Kế hoạch"},
    ]

    assert client.post(NEW, session_post(thanh_binh, units=units)).status_code == 302
    assert InspectedUnit.objects.count() == 2


# --- Item 4: recorded inspections against the report's "units inspected" ----------------------------------------------


@pytest.fixture
def internal_2021(thanh_binh, tan_thanh):
    """Thanh Bình's internal inspections of 2021: a commune and a department in Q2, the same commune again and a
    second commune in Q4."""
    second_commune = make_commune(thanh_binh, "29623", "Thị trấn Thanh Bình")
    may = make_session(thanh_binh, date(2021, 5, 10), date(2021, 5, 12), title="Kiểm tra nội bộ đợt 1")
    may.inspected_units.create(unit=tan_thanh)
    may.inspected_units.create(unit=thanh_binh, department="Phòng Tư pháp")
    november = make_session(thanh_binh, date(2021, 11, 3), date(2021, 11, 4), title="Kiểm tra nội bộ đợt 2")
    november.inspected_units.create(unit=tan_thanh)
    november.inspected_units.create(unit=second_commune)
    return may, november


def test_the_units_recorded_are_counted_once_each_beside_the_report(client, officer, thanh_binh, internal_2021):
    # The Q3 report counts the year so far: 9 of 19 planned (seed 000). By 30 September the sessions recorded two
    # units (the commune and the department); over the year three (the commune again counts once).
    make_counted_report(thanh_binh, 2021, 3, units_planned_inspection=19, units_inspected=9)
    logged_in(client, officer)

    response = client.get("/inspections/sessions/", {"inspecting_unit": "874", "year": "2021"})

    check = response.context["check"]
    assert (check.recorded_in_year, check.recorded_by_report, check.report.units_inspected) == (3, 2, 9)
    assert not check.matches
    page = response.content.decode()
    assert 'data-testid="recorded-units">3<' in page
    assert 'data-testid="reported-units">9<' in page
    assert 'data-testid="check-differs"' in page


def test_a_report_that_matches_the_sessions_says_so(client, officer, thanh_binh, internal_2021):
    make_counted_report(thanh_binh, 2021, 4, units_planned_inspection=5, units_inspected=3)
    logged_in(client, officer)

    response = client.get(reverse("inspections:session_detail", args=[internal_2021[1].pk]))

    assert response.context["check"].matches
    assert "Báo cáo khớp với các đợt kiểm tra đã ghi nhận" in response.content.decode()


def test_the_district_compares_with_its_draft_but_the_province_with_submitted_reports_only(
    client, officer, staff, thanh_binh, internal_2021
):
    make_counted_report(thanh_binh, 2021, 4, status=ReportStatus.DRAFT, units_planned_inspection=5, units_inspected=3)
    query = {"inspecting_unit": "874", "year": "2021"}

    own = logged_in(client, officer).get("/inspections/sessions/", query).context["check"]
    provincial = logged_in(client, staff).get("/inspections/sessions/", query).context["check"]

    assert own.report.units_inspected == 3
    assert provincial.report is None


def test_the_year_filter_refuses_nonsense_without_an_error_page(client, officer):
    logged_in(client, officer)

    response = client.get("/inspections/sessions/", {"inspecting_unit": "874", "year": "20x1"})

    assert response.status_code == 200
    assert response.context["check"] is None
    assert response.context["filter"].form.errors["year"] == ["Hãy nhập năm từ 2000 đến 2100."]


def test_a_district_sees_its_own_internal_sessions_and_the_provinces_rounds_of_it(
    client, officer, lap_vo_officer, round_2021, internal_2021
):
    own = session_titles(logged_in(client, officer).get("/inspections/sessions/"))
    lap_vo = session_titles(logged_in(client, lap_vo_officer).get("/inspections/sessions/"))

    assert own == ["Kiểm tra CCHC năm 2021", "Kiểm tra nội bộ đợt 1", "Kiểm tra nội bộ đợt 2"]
    assert lap_vo == ["Kiểm tra CCHC năm 2021"]


def test_a_date_typed_as_day_month_year_is_read_as_such(client, inspector, dong_thap, thanh_binh):
    logged_in(client, inspector)
    data = session_post(
        dong_thap, team=TEAM, units=[{"unit": thanh_binh.pk}], starts_on="03/04/2024", ends_on="05/04/2024"
    )

    assert client.post(NEW, data).status_code == 302
    session = InspectionSession.objects.get()
    # 03/04/2024 is the 3rd of April, not the 4th of March
    assert (session.starts_on.month, session.starts_on.day) == (4, 3)
    assert 'value="03/04/2024"' in client.get(f"/inspections/sessions/{session.pk}/edit/").content.decode()
