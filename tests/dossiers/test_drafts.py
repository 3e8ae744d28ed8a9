"""Drafts keep anything, submission checks everything: a draft (or returned) report may hold figures that
break an identity; submitting it is refused until they are mended, and from then on the database checks them.

Figures: Đắk Song, H1 2023 (seed 002): resolved 12.530 of which 10.840 in time, so 1.690 late. The draft
below says 1.600 late: 10.840 + 1.600 = 12.440 ≠ 12.530.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dossiers import services
from dossiers.models import LevelFigures, QuarterlyReport, ReportStatus
from tests.factories import make_district, make_province, make_report, make_user

pytestmark = pytest.mark.django_db

S = ReportStatus
BROKEN = {"district": {"resolved": 12530, "resolved_in_time": 10840, "resolved_late": 1600}}
MENDED = {"district": {"resolved": 12530, "resolved_in_time": 10840, "resolved_late": 1690}}


@pytest.fixture
def dak_song():
    return make_district(make_province(code="67", name="Đắk Nông"), code="665", name="Đắk Song")


@pytest.fixture
def officer(dak_song):
    return make_user(unit=dak_song)


def save(unit, by, levels, figures=None, **kwargs):
    return services.save_report(unit=unit, year=2023, quarter=2, figures=figures or {}, levels=levels, by=by, **kwargs)


def test_a_draft_breaking_an_identity_is_stored_and_its_rows_flagged_as_draft(dak_song, officer):
    report = save(dak_song, officer, BROKEN, keep_errors=True)

    row = LevelFigures.objects.get(report=report)
    assert (row.resolved_late, row.draft) == (1600, True)
    assert services.report_errors(report)[0][0] == "district.resolved"


def test_without_keep_errors_a_draft_breaking_an_identity_is_refused_and_nothing_stored(dak_song, officer):
    # Imports save this way: a file's row that breaks an identity is an error of the file, not a draft.
    with pytest.raises(ValidationError) as refused:
        save(dak_song, officer, BROKEN)

    assert list(refused.value.message_dict) == ["district.resolved"]
    assert not QuarterlyReport.objects.exists()


def test_submitting_a_draft_breaking_an_identity_is_refused_with_the_error_at_its_field(dak_song, officer):
    report = save(dak_song, officer, BROKEN, keep_errors=True)

    with pytest.raises(ValidationError) as refused:
        services.submit(report, by=officer)

    assert list(refused.value.message_dict) == ["district.resolved"]
    report.refresh_from_db()
    assert report.status == S.DRAFT
    assert not report.events.exists()


def test_a_report_identity_of_a_draft_is_checked_on_submit_too(dak_song, officer):
    # 500 reviewed of 456 in the catalogue
    report = save(dak_song, officer, MENDED, {"procedures_total": 456, "procedures_reviewed": 500}, keep_errors=True)

    with pytest.raises(ValidationError) as refused:
        services.submit(report, by=officer)

    assert list(refused.value.message_dict) == ["procedures_reviewed"]


def test_once_mended_the_draft_is_submitted_and_its_rows_are_checked_by_the_database(dak_song, officer):
    save(dak_song, officer, BROKEN, keep_errors=True)
    report = save(dak_song, officer, MENDED, keep_errors=True)

    services.submit(report, by=officer)

    row = LevelFigures.objects.get(report=report)
    assert row.draft is False
    with pytest.raises(IntegrityError), transaction.atomic():
        LevelFigures.objects.filter(pk=row.pk).update(resolved_late=1600)


def test_returning_a_report_lets_its_rows_keep_errors_again(dak_song, officer):
    report = save(dak_song, officer, MENDED, keep_errors=True)
    services.submit(report, by=officer)

    services.return_to_unit(report, by=officer, comment="Kiểm tra lại số trễ hạn.")

    assert LevelFigures.objects.get(report=report).draft is True
    save(dak_song, officer, BROKEN, keep_errors=True)
    assert LevelFigures.objects.get(report=report).resolved_late == 1600


def test_the_database_refuses_to_mark_a_broken_draft_as_submitted_behind_the_services_back(dak_song, officer):
    report = save(dak_song, officer, MENDED, {"procedures_total": 456, "procedures_reviewed": 500}, keep_errors=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        QuarterlyReport.objects.filter(pk=report.pk).update(status=S.SUBMITTED)


def test_the_database_refuses_a_broken_row_not_flagged_as_draft(dak_song, officer):
    report = save(dak_song, officer, BROKEN, keep_errors=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        LevelFigures.objects.filter(report=report).update(draft=False)


def test_a_saved_draft_giving_a_figure_twice_shows_the_error_beside_the_all_levels_figure(dak_song, officer, client):
    # Đắk Song's 13.324 received entered once for all levels and again, 1.598 of them, for the district level: a
    # save refuses it, but a draft stored before that rule (or through the admin's inlines) may hold it.
    twice = {"all": {"received": 13324}, "district": {"received": 1598}}
    report = make_report(dak_song, 2023, 2, levels=twice)
    client.force_login(officer)

    page = client.get(f"/dossiers/{dak_song.code}/2023Q2/", headers={"accept-language": "vi"})

    form = page.context["form"]
    message = (
        "Chỉ tiêu “tiếp nhận mới” được nhập cả ở dòng tổng các cấp và ở một cấp riêng: số liệu sẽ bị tính hai lần."
    )
    assert form.errors == {"all__received": [message]}
    assert services.report_errors(report) == [("all.received", message)]
