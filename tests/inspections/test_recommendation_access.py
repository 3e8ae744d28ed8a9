"""Who sees and does what: a district answers only its own recommendations, only the inspecting side verifies,
provincial staff read, and anyone not logged in is sent to log in.

A recommendation or session the user may not see does not exist for them (404), on its page, its answer form,
its file and in the exports; one they may see but not change answers 403 to the change.
"""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from inspections.models import Recommendation
from tests.factories import logged_in, make_recommendation, pdf_upload
from tests.spreadsheets import table_cells

pytestmark = pytest.mark.django_db

S = Recommendation.Status


@pytest.fixture
def own(round_2021, thanh_binh):
    """A recommendation of the 2021 round to Thanh Bình, due at the end of 2021."""
    return make_recommendation(
        thanh_binh, session=round_2021, text="Kiến nghị cho Thanh Bình", deadline=date(2021, 12, 31)
    )


@pytest.fixture
def others(round_2021, lap_vo):
    """A recommendation of the same round to Lấp Vò, with a file attached."""
    return make_recommendation(
        lap_vo, session=round_2021, text="Kiến nghị cho Lấp Vò", evidence_file=pdf_upload(), evidence_file_name="lv.pdf"
    )


def answer(client, recommendation, **data):
    fields = {
        "status": "done",
        "closed_on": "2021-12-20",
        "response": "Đã rà soát xong.",
        "evidence": "",
        # What the page offers: the version saved now.
        "version": type(recommendation).objects.get(pk=recommendation.pk).version,
    }
    return client.post(reverse("inspections:recommendation_answer", args=[recommendation.pk]), {**fields, **data})


def url(name, recommendation):
    return reverse(f"inspections:{name}", args=[recommendation.pk])


# --- Anonymous visitors -----------------------------------------------------------------------------------------------


# Every page's answer to each role, own or other district: tests/test_permission_matrix.py.


def test_an_anonymous_visitor_is_sent_to_log_in_from_the_export(client):
    response = client.get("/inspections/recommendations/?_export=xlsx")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_an_anonymous_post_changes_nothing(client, own):
    response = client.post(url("recommendation_verify", own))

    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == S.OPEN


# --- A district answers its own recommendations, and only those -------------------------------------------------------


def test_a_district_officer_answers_a_recommendation_of_their_district(client, officer, own):
    logged_in(client, officer)

    response = answer(client, own)

    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.status, own.closed_on, own.response) == (S.DONE, date(2021, 12, 20), "Đã rà soát xong.")
    assert own.history.first().history_user == officer


def test_a_district_officer_cannot_answer_another_districts_recommendation(client, officer, others):
    logged_in(client, officer)

    response = answer(client, others)

    assert response.status_code == 404
    others.refresh_from_db()
    assert (others.status, others.response) == (S.OPEN, "")


def test_a_district_officer_answers_for_a_commune_of_their_district(client, officer, tan_thanh):
    recommendation = make_recommendation(tan_thanh, text="Niêm yết công khai thủ tục tại xã")
    logged_in(client, officer)

    response = answer(client, recommendation, status="in_progress", closed_on="")

    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == S.IN_PROGRESS


def test_the_follow_up_list_holds_only_the_districts_own_recommendations(client, officer, own, others):
    logged_in(client, officer)

    response = client.get("/inspections/recommendations/")

    assert list(response.context["table"].data) == [own]
    assert "Kiến nghị cho Lấp Vò" not in response.content.decode()


def test_the_exports_hold_only_the_districts_own_recommendations(client, officer, own, others):
    logged_in(client, officer)

    xlsx = client.get("/inspections/recommendations/", {"_export": "xlsx"})
    csv_text = client.get("/inspections/recommendations/", {"_export": "csv"}).content.decode("utf-8-sig")

    texts = [row[3].value for row in table_cells(xlsx.content)[1:]]
    assert texts == ["Kiến nghị cho Thanh Bình"]
    assert [row["Mã đơn vị"] for row in csv.DictReader(io.StringIO(csv_text))] == ["874"]


def test_filtering_on_another_district_is_an_error_not_a_way_in(client, officer, own, others):
    logged_in(client, officer)

    response = client.get("/inspections/recommendations/", {"unit": "875"})

    assert response.status_code == 200
    assert response.context["filter"].form.errors["unit"] == ["Lựa chọn này không tồn tại hoặc bạn không có quyền xem."]
    assert list(response.context["table"].data) == [own]


def test_a_district_officer_sees_only_their_own_part_of_the_provinces_round(client, officer, round_2021, own, others):
    logged_in(client, officer)

    response = client.get(reverse("inspections:session_detail", args=[round_2021.pk]))

    assert [row.unit.code for row in response.context["inspected_units"]] == ["874"]
    assert list(response.context["recommendations"]) == [own]


def test_a_district_officer_does_not_see_a_round_that_did_not_inspect_them(
    client, lap_vo_officer, dong_thap, thanh_binh
):
    from tests.factories import make_session

    session = make_session(dong_thap, title="Kiểm tra riêng Thanh Bình")
    session.inspected_units.create(unit=thanh_binh)
    logged_in(client, lap_vo_officer)

    assert client.get(reverse("inspections:session_detail", args=[session.pk])).status_code == 404
    assert "Kiểm tra riêng Thanh Bình" not in client.get("/inspections/sessions/").content.decode()


def test_a_user_attached_to_no_unit_sees_no_recommendation(client, django_user_model, own):
    logged_in(client, django_user_model.objects.create_user("khach", password="secret-pass-123"))

    assert client.get(url("recommendation_detail", own)).status_code == 404
    assert list(client.get("/inspections/recommendations/").context["table"].data) == []


# --- A district cannot verify; a verified recommendation is closed for good -------------------------------------------


def test_a_district_officer_cannot_mark_a_recommendation_verified(client, officer, own):
    logged_in(client, officer)

    refused = client.post(url("recommendation_verify", own))
    by_the_form = answer(client, own, status="verified")

    assert refused.status_code == 403
    assert by_the_form.status_code == 200
    assert by_the_form.context["form"].errors["status"] == [
        "Đơn vị chỉ đánh dấu kiến nghị đang thực hiện hoặc đã hoàn thành."
    ]
    own.refresh_from_db()
    assert own.status == S.OPEN


def test_a_verified_recommendation_can_no_longer_be_answered(client, officer, own):
    Recommendation.objects.filter(pk=own.pk).update(status=S.VERIFIED, closed_on=date(2021, 12, 20))
    logged_in(client, officer)

    response = answer(client, own, status="in_progress", closed_on="", response="Sửa lại")

    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.status, own.response) == (S.VERIFIED, "")


# --- Only the inspecting side verifies --------------------------------------------------------------------------------


def test_the_inspection_team_verifies_a_done_recommendation_keeping_its_closing_date(client, inspector, own):
    Recommendation.objects.filter(pk=own.pk).update(status=S.DONE, closed_on=date(2021, 12, 20))
    logged_in(client, inspector)

    response = client.post(url("recommendation_verify", own))

    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.status, own.closed_on) == (S.VERIFIED, date(2021, 12, 20))
    assert own.history.first().history_user == inspector


def test_the_inspection_team_sends_a_recommendation_back_to_the_unit(client, inspector, own):
    Recommendation.objects.filter(pk=own.pk).update(status=S.DONE, closed_on=date(2021, 12, 20))
    logged_in(client, inspector)

    client.post(url("recommendation_reopen", own))

    own.refresh_from_db()
    assert (own.status, own.closed_on) == (S.IN_PROGRESS, None)


def test_the_inspection_team_does_not_answer_for_the_district(client, inspector, own):
    logged_in(client, inspector)

    assert answer(client, own).status_code == 403
    own.refresh_from_db()
    assert own.status == S.OPEN


@pytest.mark.parametrize("name", ["recommendation_verify", "recommendation_reopen"])
def test_provincial_staff_read_recommendations_but_do_not_change_them(client, staff, own, name):
    logged_in(client, staff)

    assert client.get(url("recommendation_detail", own)).status_code == 200
    assert client.post(url(name, own)).status_code == 403
    assert answer(client, own).status_code == 403
    own.refresh_from_db()
    assert own.status == S.OPEN


def test_verifying_twice_says_so_and_changes_nothing(client, inspector, own):
    Recommendation.objects.filter(pk=own.pk).update(status=S.VERIFIED, closed_on=date(2021, 12, 20))
    logged_in(client, inspector)

    response = client.post(url("recommendation_verify", own), follow=True)

    assert "Kiến nghị này đã được xác nhận." in response.content.decode()
    own.refresh_from_db()
    assert own.closed_on == date(2021, 12, 20)


def test_verification_is_a_post_only(client, inspector, own):
    logged_in(client, inspector)

    assert client.get(url("recommendation_verify", own)).status_code == 405


def test_a_district_verifies_the_recommendations_of_its_own_internal_inspection(client, officer, thanh_binh, tan_thanh):
    from tests.factories import make_session

    internal = make_session(thanh_binh, title="Kiểm tra nội bộ năm 2021")
    internal.inspected_units.create(unit=tan_thanh)
    recommendation = make_recommendation(tan_thanh, session=internal, status=S.DONE, closed_on=date(2021, 11, 15))
    logged_in(client, officer)

    client.post(url("recommendation_verify", recommendation))

    recommendation.refresh_from_db()
    assert recommendation.status == S.VERIFIED


def test_a_district_does_not_verify_what_the_province_asked_of_it(client, officer, own):
    Recommendation.objects.filter(pk=own.pk).update(status=S.DONE, closed_on=date(2021, 12, 20))
    logged_in(client, officer)

    assert client.post(url("recommendation_verify", own)).status_code == 403
