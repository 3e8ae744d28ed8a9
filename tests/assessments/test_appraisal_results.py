"""Appraisal by the province, the unit's answers, final scores, survey points; results, ranks, grades, exports,
the JSON feed, who sees what, and the ranking's query budget."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessments import access, services
from assessments.models import Assessment, AssessmentStatus, Criterion, Event, LeafScore, Method
from assessments.selectors import competition_ranks, latest_results, results
from assessments.tree import link_parents
from cchc.lib.roles import PROVINCIAL_STAFF
from tests.assessments.test_self_assessment import score_everything
from tests.factories import leaf, make_district, make_province, make_set, make_user
from tests.spreadsheets import table_cells, title_block, workbook_sheet


@pytest.fixture
def thap_muoi(dong_thap):
    return make_district(dong_thap, code="872", name="Huyện Tháp Mười")


@pytest.fixture
def submitted(small_set, thanh_binh, lap_vo, thap_muoi, officer):
    """Three submitted self-assessments: Thanh Bình 4 + 5 + 5 + 2 = 16, Lấp Vò 3 + 6 + 4 + 2 = 15,
    Tháp Mười 4 + 4 + 5 + 2 = 15 (of 20)."""
    score_everything(small_set, thanh_binh, officer, **{"1.1": 4, "1.2": 5, "2.1": 5, "2.2": 2})
    score_everything(small_set, lap_vo, officer, **{"1.1": 3, "1.2": 6, "2.1": 4, "2.2": 2})
    score_everything(small_set, thap_muoi, officer, **{"1.1": 4, "1.2": 4, "2.1": 5, "2.2": 2})
    return small_set


def ranks(criteria_set):
    return {row.unit.code: (row.total, row.rank, row.grade) for row in results(criteria_set)}


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    assert competition_ranks([10, 12, 12, None, 9]) == [3, 1, 1, None, 4]
    assert competition_ranks([Decimal("61"), Decimal("61"), Decimal("61")]) == [1, 1, 1]


def test_appraisal_changes_the_total_and_the_rank(submitted, staff, thanh_binh):
    # Before appraisal: 874 16 → 1; 875 and 872 tie on 15 → both 2 (Khá ≥ 15)
    assert ranks(submitted) == {
        "874": (Decimal(16), 1, "Khá"),
        "875": (Decimal(15), 2, "Khá"),
        "872": (Decimal(15), 2, "Khá"),
    }
    assessment = Assessment.objects.get(unit=thanh_binh)
    services.appraise(
        assessment,
        by=staff,
        version=assessment.version,
        entries={leaf(submitted, "1.2").pk: (Decimal(2), "Chưa có báo cáo kết quả thực hiện kế hoạch")},
    )
    # Thanh Bình appraised 16 − (5 − 2) = 13 → Trung bình (≥ 10), behind the two 15s: 1, 1, 3
    assert ranks(submitted) == {
        "875": (Decimal(15), 1, "Khá"),
        "872": (Decimal(15), 1, "Khá"),
        "874": (Decimal(13), 3, "Trung bình"),
    }
    row = next(row for row in results(submitted) if row.unit.code == "874")
    assert (row.totals.self_total, row.totals.appraised_total) == (Decimal(16), Decimal(13))
    event = Event.objects.get(action=Event.Action.APPRAISED)
    assert (event.by, event.criterion.code, event.detail) == (staff, "1.2", "5 → 2")
    # Survey points count in the total: 13 + 5 = 18 → first again
    assessment.refresh_from_db()
    services.set_survey_points(assessment, by=staff, points=Decimal(5), version=assessment.version)
    assert ranks(submitted)["874"] == (Decimal(18), 1, "Khá")


def test_an_appraisal_that_differs_needs_a_comment_at_the_leaf(submitted, staff, thanh_binh):
    assessment = Assessment.objects.get(unit=thanh_binh)
    criterion = leaf(submitted, "1.2")
    with translation.override("vi"), pytest.raises(ValidationError) as raised:
        services.appraise(assessment, by=staff, version=assessment.version, entries={criterion.pk: (Decimal(2), "")})
    assert raised.value.message_dict == {
        f"{criterion.pk}:appraisal_comment": ["Ghi rõ lý do điểm thẩm định khác điểm tự chấm."]
    }
    # Confirming the unit's points needs no comment; above the maximum is refused.
    services.appraise(assessment, by=staff, version=assessment.version, entries={criterion.pk: (Decimal(5), "")})
    assessment.refresh_from_db()
    with translation.override("vi"), pytest.raises(ValidationError, match="Tiêu chí 1.2 tối đa 6 điểm"):
        services.appraise(assessment, by=staff, version=assessment.version, entries={criterion.pk: (Decimal(7), "x")})


def test_the_unit_answers_once_per_leaf_then_the_scores_are_final(submitted, staff, officer, thanh_binh):
    assessment = Assessment.objects.get(unit=thanh_binh)
    criterion = leaf(submitted, "1.2")
    assessment = services.appraise(
        assessment, by=staff, version=assessment.version, entries={criterion.pk: (Decimal(2), "Thiếu minh chứng")}
    )
    with pytest.raises(ValidationError):  # not sent to the unit yet
        services.answer(
            assessment, by=officer, criterion_id=criterion.pk, text="Đã bổ sung", version=assessment.version
        )
    assessment = services.send_appraisal(assessment, by=staff, version=assessment.version)
    assessment = services.answer(
        assessment,
        by=officer,
        criterion_id=criterion.pk,
        text="Đã bổ sung báo cáo số 99/BC",
        version=assessment.version,
    )
    assert LeafScore.objects.get(assessment=assessment, criterion=criterion).answer == "Đã bổ sung báo cáo số 99/BC"
    with translation.override("vi"), pytest.raises(ValidationError, match="Đơn vị đã giải trình tiêu chí này."):
        services.answer(assessment, by=officer, criterion_id=criterion.pk, text="Lần hai", version=assessment.version)
    # The council may revise after the answer, then closes it.
    assessment = services.appraise(
        assessment, by=staff, version=assessment.version, entries={criterion.pk: (Decimal(4), "Chấp nhận một phần")}
    )
    assessment = services.finalise(assessment, by=staff, version=assessment.version)
    assert assessment.status == AssessmentStatus.FINAL
    assert [event.action for event in assessment.events.all()] == [
        "submitted",
        "appraised",
        "sent",
        "answered",
        "appraised",
        "finalised",
    ]
    # 16 − (5 − 4) = 15
    assert ranks(submitted)["874"][0] == Decimal(15)
    with pytest.raises(ValidationError):
        services.appraise(assessment, by=staff, version=assessment.version, entries={criterion.pk: (Decimal(1), "x")})


def test_survey_points_are_at_most_the_survey_leaves_maxima(submitted, staff, thanh_binh):
    assessment = Assessment.objects.get(unit=thanh_binh)
    with translation.override("vi"), pytest.raises(ValidationError, match="tối đa 5 điểm khảo sát"):
        services.set_survey_points(assessment, by=staff, points=Decimal(6), version=assessment.version)


def test_a_district_officer_sees_no_other_districts_self_assessment_before_publication(
    client, submitted, lap_vo, lap_vo_officer, thanh_binh
):
    client.force_login(lap_vo_officer)
    other = reverse("assessments:assessment", args=[submitted.pk, thanh_binh.code])
    assert client.get(other).status_code == 404
    page = client.get(reverse("assessments:results", args=[submitted.pk])).content.decode()
    assert 'data-unit="875"' in page
    assert 'data-unit="874"' not in page
    # Nor its rank, which would tell how the others scored.
    assert 'data-testid="rank-875">—<' in page
    feed = client.get("/api/par-index/?year=2023&province=87").json()
    assert [unit["code"] for unit in feed["sets"][0]["units"]] == ["875"]
    export = client.get(reverse("assessments:results", args=[submitted.pk]) + "?_export=csv").content.decode()
    assert "Thanh Bình" not in export
    # Once published, everyone of the province sees every result.
    submitted.published_on = date(2024, 3, 1)
    submitted.save()
    assert client.get(other).status_code == 200
    page = client.get(reverse("assessments:results", args=[submitted.pk])).content.decode()
    assert 'data-unit="874"' in page
    assert 'data-testid="rank-875">2<' in page


def test_a_district_officer_cannot_appraise(client, submitted, officer, thanh_binh):
    client.force_login(officer)
    url = reverse("assessments:assessment", args=[submitted.pk, thanh_binh.code])
    criterion = leaf(submitted, "1.2")
    version = Assessment.objects.get(unit=thanh_binh).version
    data = {"action": "appraise", "version": version, f"c{criterion.pk}-appraised_points": "6"}
    assert client.post(url, data).status_code == 403
    assert client.post(url + "final/", {"version": version}).status_code == 403
    assert client.post(url + "send/", {"version": version}).status_code == 403
    assert client.post(url + "survey/", {"version": version, "survey_points": "5"}).status_code == 403
    assert LeafScore.objects.get(assessment__unit=thanh_binh, criterion=criterion).appraised_points is None
    assert not access.may_appraise(officer, submitted)


def test_staff_of_another_province_cannot_appraise(client, submitted, thanh_binh):
    dak_nong = make_province(code="67", name="Tỉnh Đắk Nông")
    other_staff = make_user(PROVINCIAL_STAFF, dak_nong)
    client.force_login(other_staff)
    url = reverse("assessments:assessment", args=[submitted.pk, thanh_binh.code])
    # Provincial staff read every province, but appraise their own province's sets only.
    assert client.get(url).status_code == 200
    version = Assessment.objects.get(unit=thanh_binh).version
    assert client.post(url + "final/", {"version": version}).status_code == 403


def test_the_province_appraises_through_the_page(client, submitted, staff, thanh_binh):
    client.force_login(staff)
    url = reverse("assessments:assessment", args=[submitted.pk, thanh_binh.code])
    assessment = Assessment.objects.get(unit=thanh_binh)
    criterion = leaf(submitted, "1.2")
    response = client.post(
        url,
        {
            "action": "appraise",
            "version": assessment.version,
            f"c{criterion.pk}-appraised_points": "2",
            f"c{criterion.pk}-appraisal_comment": "",
        },
    )
    assert response.status_code == 400
    assert "Ghi rõ lý do điểm thẩm định khác điểm tự chấm." in response.content.decode()
    response = client.post(
        url,
        {
            "action": "appraise",
            "version": assessment.version,
            f"c{criterion.pk}-appraised_points": "2",
            f"c{criterion.pk}-appraisal_comment": "Thiếu báo cáo",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    # Area 1 appraised: 4 + 2 = 6; overall 16 − 3 = 13 of 20
    assert 'data-testid="node-appraised-1">6<' in page
    assert 'data-testid="appraised-total">13 / 20<' in page
    assert "Thiếu báo cáo" in page


def test_awaiting_appraisal_lists_the_submitted_assessments_for_the_provinces_staff(submitted, staff, officer):
    assert sorted(assessment.unit.code for assessment in access.awaiting_appraisal(staff)) == ["872", "874", "875"]
    assert list(access.awaiting_appraisal(officer)) == []


def test_results_export_and_feed(client, submitted, staff, thanh_binh):
    client.force_login(staff)
    url = reverse("assessments:results", args=[submitted.pk])
    rows = list(csv.reader(io.StringIO(client.get(url + "?_export=csv").content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Xếp hạng", "Mã đơn vị", "Đơn vị"]
    assert rows[1][:3] == ["1", "874", "Huyện Thanh Bình"]
    response = client.get(url + "?_export=xlsx")
    assert 'filename="chi-so-cchc-87-2023.xlsx"' in response["Content-Disposition"]
    cells = table_cells(response.content)
    assert [cell.value for cell in cells[0]][:3] == ["Xếp hạng", "Mã đơn vị", "Đơn vị"]
    assert [cell.value for cell in cells[1]][:7] == [1, "874", "Huyện Thanh Bình", 16, None, None, 16]
    feed = json.loads(client.get("/api/par-index/?year=2023&province=87").content)
    units = {unit["code"]: unit for unit in feed["sets"][0]["units"]}
    assert (units["874"]["total"], units["874"]["rank"]) == (16.0, 1)
    assert (units["875"]["rank"], units["872"]["rank"]) == (2, 2)
    assert client.get("/api/par-index/?year=abc").status_code == 400


def test_results_export_has_the_title_block_and_a_csv_for_excel_in_vietnamese(client, submitted, staff):
    client.force_login(staff)
    url = reverse("assessments:results", args=[submitted.pk])

    xlsx = client.get(url + "?_export=xlsx").content
    block = title_block(xlsx)
    assert block["Tỉnh"] == "Tỉnh Đồng Tháp"
    assert block["Năm"] == 2023
    assert block["Bộ tiêu chí"] == submitted.title
    assert block["Trạng thái"] == "chưa công bố"
    assert block["Người lập"] == "province"
    assert "Lập lúc" in block
    assert workbook_sheet(xlsx)["A1"].value == "Chỉ số CCHC năm 2023 – Tỉnh Đồng Tháp"
    # The rank is a whole number with its format, as in the other exports.
    cells = table_cells(xlsx)
    assert cells[1][0].number_format == "#,##0"

    response = client.get(url + "?_export=csv_vi")
    assert 'filename="chi-so-cchc-87-2023-excel-tieng-viet.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][:4] == ["Xếp hạng", "Mã đơn vị", "Đơn vị", "Điểm tự chấm"]
    assert rows[1][:4] == ["1", "874", "Huyện Thanh Bình", "16"]


def test_change_since_last_year(submitted, thanh_binh, officer):
    earlier = make_set(thanh_binh.parent, year=2022)
    score_everything(earlier, thanh_binh, officer, **{"1.1": 2, "1.2": 3, "2.1": 3, "2.2": 2})
    row = next(row for row in results(submitted) if row.unit.code == "874")
    # 2022: 2 + 3 + 3 + 2 = 10; 2023: 16 → +6
    assert (row.previous_total, row.change) == (Decimal(10), Decimal(6))


def test_the_latest_results_read_the_sets_once_and_give_the_change_since_last_year(
    submitted, thanh_binh, officer, django_assert_num_queries
):
    earlier = make_set(thanh_binh.parent, year=2022)
    score_everything(earlier, thanh_binh, officer, **{"1.1": 2, "1.2": 3, "2.1": 3, "2.2": 2})
    make_set(thanh_binh.parent, year=2024)  # issued, nobody assessed yet: not the latest results
    # The province's sets (latest first, each with whether it has an assessment), then the results of 2023 but
    # the previous set: units, assessments with their totals, grade bands, 2022's assessments.
    with django_assert_num_queries(5):
        criteria_set, rows = latest_results(thanh_binh.parent, published_only=False)
    assert criteria_set == submitted
    assert (rows[thanh_binh.pk].previous_total, rows[thanh_binh.pk].change) == (Decimal(10), Decimal(6))
    assert {row.unit.code: row.rank for row in rows.values()} == {"874": 1, "875": 2, "872": 2}
    # Published only: 2022's set is the latest once it alone is published, without a set before it.
    assert latest_results(thanh_binh.parent, published_only=True) == (None, {})
    earlier.published_on = date(2023, 3, 1)
    earlier.save()
    with django_assert_num_queries(4):
        criteria_set, rows = latest_results(thanh_binh.parent, published_only=True)
    assert criteria_set == earlier and rows[thanh_binh.pk].previous_total is None


def big_province(districts, leaves=60):
    """A province of ``districts`` districts with a set of 6 areas of 10 leaves (1 point each), all submitted."""
    province = make_province(code="14", name="Tỉnh Sơn La")
    units = [make_district(province, str(100 + number), f"Huyện {number}") for number in range(districts)]
    criteria_set = make_set(province, nodes=[])
    criteria = []
    for area in range(1, 7):
        criteria.append(
            Criterion(
                criteria_set=criteria_set,
                code=str(area),
                sort_key=f"{area:04}",
                text="Lĩnh vực",
                max_points=Decimal(leaves // 6),
            )
        )
        for number in range(1, leaves // 6 + 1):
            criteria.append(
                Criterion(
                    criteria_set=criteria_set,
                    code=f"{area}.{number}",
                    sort_key=f"{area:04}.{number:04}",
                    text="Tiêu chí",
                    max_points=Decimal(1),
                    method=Method.SELF,
                )
            )
    Criterion.objects.bulk_create(criteria)
    link_parents(criteria_set)
    leaves_ = list(criteria_set.criteria.filter(code__contains="."))
    for index, unit in enumerate(units):
        assessment = Assessment.objects.create(criteria_set=criteria_set, unit=unit, status=AssessmentStatus.SUBMITTED)
        LeafScore.objects.bulk_create(
            LeafScore(assessment=assessment, criterion=criterion, self_points=Decimal(position % 2 or index % 3 == 0))
            for position, criterion in enumerate(leaves_)
        )
    return criteria_set


def test_ranking_twelve_districts_of_a_sixty_leaf_set_takes_a_constant_number_of_queries(
    client, django_assert_num_queries, db
):
    criteria_set = big_province(12)
    # Units, assessments with their totals, grade bands, the previous year's set (none, so no fifth query).
    with django_assert_num_queries(4):
        rows = results(criteria_set)
    assert len(rows) == 12
    # Odd positions score 1 (30 leaves), even ones 1 only for every third district: 60 or 30 points.
    assert sorted({row.total for row in rows}) == [Decimal(30), Decimal(60)]
    # Districts 0, 3, 6, 9 score 60 and share rank 1; the other eight share rank 5.
    assert sorted(row.rank for row in rows) == [1] * 4 + [5] * 8
    admin = make_user(username="admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    with CaptureQueriesContext(connection) as twelve:
        assert client.get(reverse("assessments:results", args=[criteria_set.pk])).status_code == 200
    Assessment.objects.filter(unit__code__gte="104").delete()
    with CaptureQueriesContext(connection) as four:
        assert client.get(reverse("assessments:results", args=[criteria_set.pk])).status_code == 200
    assert len(twelve) == len(four)


def test_survey_points_are_imported_for_every_unit_or_none(client, submitted, staff, officer):
    from tests.files import csv_bytes, upload

    client.force_login(staff)
    url = reverse("assessments:results", args=[submitted.pk])
    bad = csv_bytes([["unit_code", "points"], ["874", "4,5"], ["875", "6"], ["869", "1"]])
    response = client.post(url, {"file": upload("khao-sat.csv", bad)})
    assert response.status_code == 400
    page = response.content.decode()
    # Row 3: above the set's 5 survey points; row 4: Tân Hồng (869) is not in the test province.
    assert "Dòng 3, cột B: Bộ tiêu chí này tối đa 5 điểm khảo sát." in page
    assert "Dòng 4, cột A: Bộ tiêu chí này không chấm đơn vị mã 869." in page
    assert not Assessment.objects.filter(survey_points__isnull=False).exists()
    good = csv_bytes([["unit_code", "points"], ["874", "4,5"], ["875", "5"]])
    assert client.post(url, {"file": upload("khao-sat.csv", good)}).status_code == 302
    # 874: 16 + 4,5 = 20,5 → 1; 875: 15 + 5 = 20 → 2; 872: 15 → 3
    assert ranks(submitted) == {
        "874": (Decimal("20.5"), 1, "Tốt"),
        "875": (Decimal(20), 2, "Tốt"),
        "872": (Decimal(15), 3, "Khá"),
    }
    client.force_login(officer)
    assert client.post(url, {"file": upload("khao-sat.csv", good)}).status_code == 403


def test_the_province_returns_a_submitted_self_assessment_to_the_unit_before_appraising(
    client, submitted, staff, officer, thanh_binh
):
    url = reverse("assessments:assessment", args=[submitted.pk, thanh_binh.code])
    assessment = Assessment.objects.get(unit=thanh_binh)
    client.force_login(officer)
    assert client.post(url + "return/", {"version": assessment.version}).status_code == 403
    client.force_login(staff)
    assert client.post(url + "return/", {"version": assessment.version}).status_code == 302
    assessment.refresh_from_db()
    assert (assessment.status, assessment.submitted_at) == (AssessmentStatus.DRAFT, None)
    assert assessment.events.last().action == Event.Action.REOPENED
    # The unit changes a criterion and submits again; once appraised, it can no longer be returned.
    assessment = score_everything(submitted, thanh_binh, officer, **{"1.1": 4, "1.2": 6, "2.1": 5, "2.2": 2})
    services.appraise(
        assessment, by=staff, version=assessment.version, entries={leaf(submitted, "1.2").pk: (Decimal(5), "x")}
    )
    assessment.refresh_from_db()
    with pytest.raises(ValidationError):
        services.return_to_draft(assessment, by=staff, version=assessment.version)


def test_each_step_of_the_appraisal_tells_the_appraiser_what_it_did_or_why_not(client, submitted, staff, thanh_binh):
    def told(response):
        """The messages the step left for the page it leads back to (the page shows them, and so uses them up)."""
        assert response.status_code == 302
        shown = [(message.level_tag, message.message) for message in get_messages(response.wsgi_request)]
        assert client.get(response.url).status_code == 200
        return shown

    def vi(text):
        with translation.override("vi"):
            return translation.gettext(text)

    client.force_login(staff)
    url = reverse("assessments:assessment", args=[submitted.pk, thanh_binh.code])
    assessment = Assessment.objects.get(unit=thanh_binh)
    sent = told(client.post(url + "send/", {"version": assessment.version}))
    assert sent == [("success", vi("The appraisal is sent to the unit, which may answer once on each criterion."))]
    assert sent[0][1].startswith("Đã gửi kết quả thẩm định")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.APPRAISED
    again = told(client.post(url + "send/", {"version": assessment.version}))
    assert again == [("error", vi("Only a submitted self-assessment can be sent back with its appraisal."))]
    stale = told(client.post(url + "final/", {"version": "x"}))
    assert stale == [("error", vi("The page was out of date: reload it and try again."))]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.APPRAISED
    final = told(client.post(url + "final/", {"version": assessment.version}))
    assert final == [("success", vi("The scores are final."))]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.FINAL
