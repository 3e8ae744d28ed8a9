"""Evidence files: checked by size and by kind (the name's extension AND the file's first bytes), stored under
MEDIA_ROOT with a name no one can guess, and handed out only through a login-checked download.

A refused file leaves a clear message next to the field and saves nothing: neither the answer nor the file.
"""

import io
import re
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections.models import Recommendation
from tests.factories import MINIMAL_PDF, WEB_PAGE, WINDOWS_PROGRAM, logged_in, pdf_upload

pytestmark = pytest.mark.django_db

S = Recommendation.Status


def current_version(recommendation):
    """The version the answer page offers now: what a user opening it would send back."""
    return type(recommendation).objects.get(pk=recommendation.pk).version


def answer_with(client, recommendation, upload=None, **data):
    """The answer page posted as done, with the file ``upload`` (none: the file as it is) and any other ``data``."""
    fields = {
        "status": "done",
        "closed_on": "2021-12-20",
        "response": "Đã ban hành kế hoạch khắc phục.",
        "version": current_version(recommendation),
    }
    return client.post(
        reverse("inspections:recommendation_answer", args=[recommendation.pk]),
        {**fields, **data, **({"evidence_file": upload} if upload is not None else {})},
    )


def stored_files(media_root):
    return sorted(path for path in media_root.rglob("*") if path.is_file())


def office_file(*members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member in members:
            archive.writestr(member, "<xml/>")
    return buffer.getvalue()


# --- Accepted ---------------------------------------------------------------------------------------------------------


def test_a_real_pdf_is_stored_under_media_root_with_an_unguessable_name(officer_client, recommendation, media_root):
    response = answer_with(officer_client, recommendation, pdf_upload("Biên bản khắc phục.pdf"))

    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.evidence_file_name == "Biên bản khắc phục.pdf"
    [stored] = stored_files(media_root)
    assert stored.parent == media_root / "recommendations"
    assert stored.suffix == ".pdf" and "Biên" not in stored.name
    assert stored.read_bytes() == MINIMAL_PDF
    assert not stored.is_relative_to(settings.BASE_DIR / "static")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("anh-chup.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32),
        ("anh-chup.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 32),
        ("quyet-dinh.docx", office_file("[Content_Types].xml", "word/document.xml")),
        ("so-lieu.xlsx", office_file("[Content_Types].xml", "xl/workbook.xml")),
    ],
)
def test_images_and_office_files_are_accepted_too(officer_client, recommendation, name, content):
    response = answer_with(officer_client, recommendation, SimpleUploadedFile(name, content))

    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.evidence_file_name == name


def test_the_team_downloads_the_file_as_an_attachment(client, inspector, recommendation, officer):
    answer_with(logged_in(client, officer), recommendation, pdf_upload("bien-ban.pdf"))
    logged_in(client, inspector)

    response = client.get(reverse("inspections:recommendation_evidence", args=[recommendation.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bien-ban.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_new_file_replaces_the_old_and_a_file_can_be_removed(officer_client, recommendation):
    answer_with(officer_client, recommendation, pdf_upload("lan-1.pdf"))
    answer_with(officer_client, recommendation, pdf_upload("lan-2.pdf"))
    recommendation.refresh_from_db()
    assert recommendation.evidence_file_name == "lan-2.pdf"

    answer_with(officer_client, recommendation, response="Đã xong.", remove_file="on")

    recommendation.refresh_from_db()
    assert (recommendation.evidence_file.name, recommendation.evidence_file_name) == ("", "")


# --- Refused: nothing saved, a message next to the field --------------------------------------------------------------


def assert_refused(response, recommendation, media_root, message):
    assert response.status_code == 200
    assert response.context["form"].errors["evidence_file"] == [message]
    page = response.content.decode()
    assert message in page
    field = re.search(r'<input type="file" name="evidence_file"[^>]*>', page).group()
    assert 'class="form-control is-invalid"' in field and 'aria-invalid="true"' in field
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.response, recommendation.evidence_file.name) == (S.OPEN, "", "")
    assert stored_files(media_root) == []


def test_a_file_over_the_limit_is_refused(officer_client, recommendation, media_root, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    too_large = MINIMAL_PDF + b"%" * (1025 - len(MINIMAL_PDF))

    response = answer_with(officer_client, recommendation, pdf_upload(content=too_large))

    assert_refused(response, recommendation, media_root, "Tệp quá lớn (1,0\xa0KB); dung lượng tối đa là 1,0\xa0KB.")


def test_a_file_at_the_limit_is_accepted(officer_client, recommendation, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    at_limit = MINIMAL_PDF + b"%" * (1024 - len(MINIMAL_PDF))

    assert answer_with(officer_client, recommendation, pdf_upload(content=at_limit)).status_code == 302


def test_the_default_limit_is_ten_megabytes(officer_client, recommendation, media_root):
    too_large = MINIMAL_PDF + b"%" * (10 * 1024 * 1024 + 1 - len(MINIMAL_PDF))

    response = answer_with(officer_client, recommendation, pdf_upload(content=too_large))

    assert_refused(response, recommendation, media_root, "Tệp quá lớn (10,0\xa0MB); dung lượng tối đa là 10,0\xa0MB.")


def test_a_program_is_refused_by_its_name(officer_client, recommendation, media_root):
    response = answer_with(officer_client, recommendation, SimpleUploadedFile("cai-dat.exe", WINDOWS_PROGRAM))

    assert_refused(
        response,
        recommendation,
        media_root,
        "Chỉ nhận tệp PDF, JPEG, PNG, Word (.docx) hoặc Excel (.xlsx).",
    )


@pytest.mark.parametrize("content", [WINDOWS_PROGRAM, WEB_PAGE], ids=["exe", "html"])
def test_a_program_or_web_page_named_pdf_is_refused_by_its_content(officer_client, recommendation, media_root, content):
    response = answer_with(officer_client, recommendation, pdf_upload("bao-cao.pdf", content))

    assert_refused(
        response, recommendation, media_root, "Nội dung tệp này không phải là PDF, dù tên tệp cho thấy như vậy."
    )


def test_a_zip_named_docx_without_a_document_is_refused(officer_client, recommendation, media_root):
    upload = SimpleUploadedFile("quyet-dinh.docx", office_file("[Content_Types].xml", "payload.bin"))

    response = answer_with(officer_client, recommendation, upload)

    assert_refused(
        response,
        recommendation,
        media_root,
        "Nội dung tệp này không phải là Word (.docx), dù tên tệp cho thấy như vậy.",
    )


def test_an_empty_file_is_refused(officer_client, recommendation, media_root):
    response = answer_with(officer_client, recommendation, pdf_upload(content=b""))

    # Django itself refuses an empty upload before our check sees it.
    assert response.status_code == 200
    assert "evidence_file" in response.context["form"].errors
    assert stored_files(media_root) == []


def test_the_model_refuses_a_disguised_file_outside_the_form_too(recommendation):
    from django.core.exceptions import ValidationError

    recommendation.evidence_file = pdf_upload("bao-cao.pdf", WEB_PAGE)

    with pytest.raises(ValidationError) as refused:
        recommendation.full_clean()

    assert list(refused.value.message_dict) == ["evidence_file"]


# --- Downloads --------------------------------------------------------------------------------------------------------


def test_a_recommendation_without_a_file_has_nothing_to_download(client, inspector, recommendation):
    logged_in(client, inspector)

    assert client.get(reverse("inspections:recommendation_evidence", args=[recommendation.pk])).status_code == 404


def test_a_file_missing_from_the_disk_gives_404_not_a_server_error(client, officer, inspector, recommendation):
    answer_with(logged_in(client, officer), recommendation, pdf_upload())
    recommendation.refresh_from_db()
    recommendation.evidence_file.storage.delete(recommendation.evidence_file.name)
    logged_in(client, inspector)

    assert client.get(reverse("inspections:recommendation_evidence", args=[recommendation.pk])).status_code == 404


def test_the_file_is_not_served_from_any_public_url(client, officer, recommendation):
    answer_with(logged_in(client, officer), recommendation, pdf_upload())
    recommendation.refresh_from_db()
    client.logout()

    for path in (f"/{recommendation.evidence_file.name}", f"/media/{recommendation.evidence_file.name}"):
        response = client.get(path)
        assert response.status_code in (302, 404)
        assert MINIMAL_PDF not in response.content
