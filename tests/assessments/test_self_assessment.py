"""The district's self-assessment, leaf by leaf: points, evidence, totals, computed proposals, submit."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from assessments import services
from assessments.computed import band_points, figures_for, propose
from assessments.models import Assessment, AssessmentStatus, Event, LeafScore
from tests.factories import MINIMAL_PDF, WINDOWS_PROGRAM, leaf, make_counted_report, pdf_upload


def page_url(criteria_set, unit):
    return reverse("assessments:assessment", args=[criteria_set.pk, unit.code])


def post_leaves(client, criteria_set, unit, leaves, *, action="save", version=0, files=None):
    """POST the page's form: ``leaves`` maps a code to its fields (self_points, evidence_number …)."""
    data = {"version": version, "action": action}
    for code, fields in leaves.items():
        criterion = leaf(criteria_set, code)
        for name, value in fields.items():
            data[f"c{criterion.pk}-{name}"] = value
    for code, upload in (files or {}).items():
        data[f"c{leaf(criteria_set, code).pk}-evidence_file"] = upload
    return client.post(page_url(criteria_set, unit), data)


def test_the_officer_saves_a_draft_and_sees_the_totals_per_area(client, small_set, thanh_binh, officer):
    client.force_login(officer)
    response = post_leaves(
        client,
        small_set,
        thanh_binh,
        {
            "1.1": {"self_points": "3,5", "evidence_number": "12/KH-UBND", "evidence_date": "2023-01-10"},
            "1.2": {"self_points": "5", "explanation": "Hoàn thành 18/35 nhiệm vụ"},
            "2.1": {"self_points": "6", "evidence_number": "45/BC-UBND"},
        },
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get(unit=thanh_binh)
    assert assessment.status == AssessmentStatus.DRAFT
    page = client.get(page_url(small_set, thanh_binh)).content.decode()
    # Area 1: 3,5 + 5 = 8,5 of 10; area 2: 6 (2.2 not scored) of 10; overall 8,5 + 6 = 14,5 of 20 (25 − 5 survey)
    assert re.search(r'data-testid="node-self-1"[^>]*>8,5 / 10<', page)
    assert re.search(r'data-testid="node-self-2"[^>]*>6 / 10<', page)
    assert re.search(r'data-testid="self-total"[^>]*>14,5 / 20<', page)
    assert Event.objects.filter(assessment=assessment, action=Event.Action.SAVED, by=officer).count() == 1


def test_a_point_above_the_maximum_is_refused_at_the_leaf_in_vietnamese(client, small_set, thanh_binh, officer):
    client.force_login(officer)
    response = post_leaves(
        client,
        small_set,
        thanh_binh,
        {
            "1.1": {"self_points": "5", "evidence_number": "12/KH-UBND"},  # maximum 4
            "1.2": {"self_points": "2", "evidence_number": "13/KH-UBND"},
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="error-1.1">Tiêu chí 1.1 tối đa 4 điểm.<' in page
    assert 'data-testid="error-1.2"' not in page
    # Nothing is saved, not even the valid leaf.
    assert not LeafScore.objects.exists()


def test_halves_only_where_the_set_allows_them(client, small_set, thanh_binh, officer):
    client.force_login(officer)
    response = post_leaves(
        client,
        small_set,
        thanh_binh,
        {
            "1.1": {"self_points": "2,5", "evidence_number": "1"},  # halves allowed
            "1.2": {"self_points": "2,5", "evidence_number": "2"},  # whole points only
        },
    )
    page = response.content.decode()
    assert 'data-testid="error-1.2">Tiêu chí này chấm điểm nguyên (không chấm 0,5).<' in page
    assert 'data-testid="error-1.1"' not in page


def test_points_need_a_document_a_file_or_an_explanation(client, small_set, thanh_binh, officer):
    client.force_login(officer)
    response = post_leaves(client, small_set, thanh_binh, {"1.1": {"self_points": "2"}})
    assert response.status_code == 400
    assert "Cần có số văn bản, tệp minh chứng hoặc giải trình." in response.content.decode()
    response = post_leaves(client, small_set, thanh_binh, {"1.1": {"self_points": "2"}}, files={"1.1": pdf_upload()})
    assert response.status_code == 302
    score = LeafScore.objects.get(criterion=leaf(small_set, "1.1"))
    assert score.evidence_file_name == "bien-ban-khac-phuc.pdf"
    # The file is served to the officer through the login-checked view, and to nobody logged out.
    download = client.get(reverse("assessments:evidence", args=[score.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == MINIMAL_PDF
    assert download["Cache-Control"] == "private, no-store"
    client.logout()
    assert client.get(reverse("assessments:evidence", args=[score.pk])).status_code == 302


def test_a_program_renamed_pdf_is_refused_as_evidence(client, small_set, thanh_binh, officer):
    client.force_login(officer)
    response = post_leaves(
        client,
        small_set,
        thanh_binh,
        {"1.1": {"self_points": "2"}},
        files={"1.1": pdf_upload("minh-chung.pdf", WINDOWS_PROGRAM)},
    )
    assert response.status_code == 400
    assert not LeafScore.objects.exists()


@pytest.mark.parametrize(
    ("in_time", "resolved", "points"),
    [
        (98, 100, Decimal(4)),  # exactly 98 %: the top band
        (9799, 10000, Decimal(2)),  # 97,99 %: below 98, at least 95
        (95, 100, Decimal(2)),  # exactly 95 %
        (9499, 10000, Decimal(0)),  # 94,99 %: below every band
        (100, 100, Decimal(4)),
    ],
)
def test_a_computed_leaf_is_proposed_from_the_units_figures_at_each_band_edge(
    small_set, thanh_binh, in_time, resolved, points
):
    # Two quarters of 2023 add up: half the dossiers in Q1, half in Q3 (resolved = in time + late).
    half_in_time, half_resolved = in_time // 2, resolved // 2
    make_counted_report(
        thanh_binh,
        2023,
        1,
        resolved=half_resolved,
        resolved_in_time=half_in_time,
        resolved_late=half_resolved - half_in_time,
    )
    rest_resolved, rest_in_time = resolved - half_resolved, in_time - half_in_time
    make_counted_report(
        thanh_binh,
        2023,
        3,
        resolved=rest_resolved,
        resolved_in_time=rest_in_time,
        resolved_late=rest_resolved - rest_in_time,
    )
    # A report of 2022 is not the set's year and changes nothing.
    make_counted_report(thanh_binh, 2022, 4, resolved=10, resolved_in_time=0, resolved_late=10)
    proposal = propose(leaf(small_set, "2.2"), figures_for(thanh_binh, 2023))
    assert (proposal.numerator, proposal.denominator) == (in_time, resolved)
    assert proposal.points == points


def test_no_figures_no_proposal(small_set, thanh_binh):
    proposal = propose(leaf(small_set, "2.2"), figures_for(thanh_binh, 2023))
    assert proposal.points is None
    with translation.override("vi"):
        assert proposal.basis == "chưa có số liệu của năm"
    assert band_points([], 5, 10) == Decimal(0)


def test_the_page_shows_the_proposal_with_its_counts_and_keeps_it_unless_explained(
    client, small_set, thanh_binh, officer
):
    # 86.041 in time of 86.048 resolved (seed 000's Thanh Bình): 99,99 % → 4 points
    make_counted_report(thanh_binh, 2023, 2, resolved=86048, resolved_in_time=86041, resolved_late=7)
    client.force_login(officer)
    page = client.get(page_url(small_set, thanh_binh)).content.decode()
    assert "<strong>4</strong> (86.041 / 86.048 = 99,99%)" in page
    # Keeping the proposal needs no other evidence: the figures are the evidence.
    response = post_leaves(client, small_set, thanh_binh, {"2.2": {"self_points": "4"}})
    assert response.status_code == 302
    score = LeafScore.objects.get(criterion=leaf(small_set, "2.2"))
    assert (score.self_points, score.proposed_points) == (Decimal(4), Decimal(4))
    assert score.proposal_basis == "86.041 / 86.048 = 99,99%"
    # Overriding it needs a written explanation, even with a document number.
    version = Assessment.objects.get().version
    response = post_leaves(
        client, small_set, thanh_binh, {"2.2": {"self_points": "3", "evidence_number": "9/BC"}}, version=version
    )
    assert response.status_code == 400
    assert "Chấm khác điểm đề xuất từ số liệu thì phải giải trình." in response.content.decode()
    response = post_leaves(
        client,
        small_set,
        thanh_binh,
        {"2.2": {"self_points": "3", "explanation": "7 hồ sơ trễ hạn chưa gửi thư xin lỗi"}},
        version=version,
    )
    assert response.status_code == 302
    assert LeafScore.objects.get(criterion=leaf(small_set, "2.2")).self_points == Decimal(3)


def score_everything(criteria_set, unit, by, *, submit=True, today=None, **points):
    """Self-assess every leaf the unit scores (1.1, 1.2, 2.1, 2.2) with a document number each."""
    assessment = services.start_assessment(criteria_set, unit)
    entries = {
        leaf(criteria_set, code).pk: {
            "self_points": Decimal(value),
            "evidence_number": f"{code}/BC",
            "explanation": "x",
        }
        for code, value in points.items()
    }
    return services.save_self_assessment(
        assessment, by=by, entries=entries, version=assessment.version, submit=submit, today=today
    )


def test_submitting_needs_every_leaf_and_the_deadline(small_set, thanh_binh, officer):
    small_set.deadline = date(2024, 1, 15)
    small_set.save()
    assessment = services.start_assessment(small_set, thanh_binh)
    with translation.override("vi"), pytest.raises(ValidationError) as raised:
        services.save_self_assessment(
            assessment,
            by=officer,
            entries={leaf(small_set, "1.1").pk: {"self_points": Decimal(4), "evidence_number": "1"}},
            version=assessment.version,
            submit=True,
            today=date(2024, 1, 15),
        )
    # 1.2, 2.1 and 2.2 are not scored yet
    missing = {
        key for key, messages in raised.value.message_dict.items() if "Chấm tiêu chí này trước khi nộp." in messages
    }
    assert missing == {f"{leaf(small_set, code).pk}:self_points" for code in ("1.2", "2.1", "2.2")}
    with translation.override("vi"), pytest.raises(ValidationError, match="Hạn nộp bản tự chấm là ngày 15/01/2024"):
        score_everything(
            small_set, thanh_binh, officer, today=date(2024, 1, 16), **{"1.1": 4, "1.2": 6, "2.1": 6, "2.2": 4}
        )
    assessment = score_everything(
        small_set, thanh_binh, officer, today=date(2024, 1, 15), **{"1.1": 4, "1.2": 6, "2.1": 6, "2.2": 4}
    )
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert assessment.submitted_at is not None
    # Once submitted, the unit can no longer change it.
    with pytest.raises(ValidationError):
        score_everything(small_set, thanh_binh, officer, submit=False, **{"1.1": 1})


def test_a_save_from_an_older_copy_is_refused(small_set, thanh_binh, officer):
    assessment = score_everything(small_set, thanh_binh, officer, submit=False, **{"1.1": 1})
    stale = assessment.version - 1
    # The refusal names who saved first (the history keeps it).
    with translation.override("vi"), pytest.raises(ValidationError, match="thanhbinh đã lưu nội dung này lúc"):
        services.save_self_assessment(
            assessment,
            by=officer,
            entries={leaf(small_set, "1.1").pk: {"self_points": Decimal(2), "evidence_number": "1"}},
            version=stale,
        )
    assert LeafScore.objects.get(criterion=leaf(small_set, "1.1")).self_points == Decimal(1)


def test_the_page_refuses_a_stale_form(client, small_set, thanh_binh, officer):
    score_everything(small_set, thanh_binh, officer, submit=False, **{"1.1": 1})
    client.force_login(officer)
    # The form was opened before the assessment existed (version 0): someone else created it meanwhile.
    response = post_leaves(client, small_set, thanh_binh, {"1.1": {"self_points": "2", "evidence_number": "1"}})
    assert response.status_code == 400
    assert "thanhbinh đã lưu nội dung này lúc" in response.content.decode()


def test_the_running_totals_are_added_by_the_server_as_typed(client, small_set, thanh_binh, officer, lap_vo_officer):
    # The page's script sends the points as typed: 1.1 "3,5", 1.2 "5", 2.1 unreadable. Area 1: 3,5 + 5 = 8,5 of
    # 10; area 2 nothing readable: — of 10; overall 8,5 of 20 (25 − 5 survey points).
    url = reverse("assessments:totals", args=[small_set.pk, thanh_binh.code])
    typed = {
        f"c{leaf(small_set, code).pk}-self_points": text for code, text in (("1.1", "3,5"), ("1.2", "5"), ("2.1", "x"))
    }
    client.force_login(officer)

    cells = client.get(url, typed).json()["cells"]

    assert (cells["1"], cells["1.1"], cells["2"], cells[""]) == ("8,5 / 10", "3,5 / 4", "— / 10", "8,5 / 20")
    client.force_login(lap_vo_officer)
    assert client.get(url, typed).status_code == 404
