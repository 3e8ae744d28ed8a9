"""A save rolled back leaves no uploaded file on disk (issue 11, item 8): the file an answer's save wrote is
deleted when the save is refused or fails afterwards, and kept when it commits (cchc/lib/uploads.py)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from cchc.lib.uploads import files_follow_the_transaction
from inspections import services
from inspections.models import Recommendation
from tests.factories import logged_in, make_recommendation, pdf_upload
from tests.inspections.test_evidence import answer_with, stored_files


@pytest.fixture
def recommendation(round_2021, thanh_binh):
    return make_recommendation(thanh_binh, session=round_2021, deadline=date(2021, 12, 31))


def fail_after_saving(monkeypatch, error):
    """The answer's save writes its row and file, then something after it fails (a later check, the database)."""
    save = services._save

    def save_then_fail(recommendation, by):
        save(recommendation, by)
        assert recommendation.evidence_file.storage.exists(recommendation.evidence_file.name)  # the file is written
        raise error

    monkeypatch.setattr(services, "_save", save_then_fail)


@pytest.mark.django_db
def test_a_save_refused_after_the_file_was_written_leaves_no_file(
    client, officer, recommendation, media_root, monkeypatch
):
    fail_after_saving(monkeypatch, ValidationError("Một kiểm tra sau khi lưu đã từ chối."))

    response = answer_with(logged_in(client, officer), recommendation, pdf_upload())

    assert response.status_code == 200
    assert stored_files(media_root) == []
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.evidence_file.name) == (Recommendation.Status.OPEN, "")


@pytest.mark.django_db
def test_a_save_that_fails_after_the_file_was_written_leaves_no_file(
    client, officer, recommendation, media_root, monkeypatch
):
    fail_after_saving(monkeypatch, RuntimeError("the database went away"))
    client.raise_request_exception = False

    response = answer_with(logged_in(client, officer), recommendation, pdf_upload())

    assert response.status_code == 500
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_a_save_that_succeeds_keeps_its_file(client, officer, recommendation, media_root):
    response = answer_with(logged_in(client, officer), recommendation, pdf_upload())

    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert [path.name for path in stored_files(media_root)] == [recommendation.evidence_file.name.rsplit("/", 1)[1]]


@pytest.mark.django_db(transaction=True)
def test_the_outermost_block_keeps_committed_files_and_deletes_rolled_back_ones(officer, recommendation, media_root):
    kept = make_recommendation(recommendation.unit, session=recommendation.session)
    with files_follow_the_transaction(), transaction.atomic():
        kept.evidence_file = pdf_upload("giu-lai.pdf")
        kept.save()
        try:
            with transaction.atomic():  # a savepoint, rolled back: its file goes, the outer save's stays
                recommendation.evidence_file = pdf_upload("bo-di.pdf")
                recommendation.save()
                raise ValidationError("từ chối")
        except ValidationError:
            pass

    kept_name = kept.evidence_file.name
    assert [path.relative_to(media_root).as_posix() for path in stored_files(media_root)] == [kept_name]

    with pytest.raises(RuntimeError), files_follow_the_transaction(), transaction.atomic():
        kept.evidence_file = pdf_upload("cung-bo-di.pdf")
        kept.save()
        raise RuntimeError("the whole transaction rolls back")

    assert [path.relative_to(media_root).as_posix() for path in stored_files(media_root)] == [kept_name]
