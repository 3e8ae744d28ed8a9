"""Evidence files that would exhaust whoever opens them are refused; replaced and removed files are accounted for.

A replaced or removed file is kept while a history row of its recommendation names it (the history records
what the district sent); ``manage.py evidence_files`` counts every file by what needs it and deletes, when
asked, the files nothing names any more.
"""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from inspections.models import Recommendation
from tests.factories import pdf_upload
from tests.inspections.test_evidence import answer_with, assert_refused, stored_files

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def zip_bomb(document_part, *, unpacked=64 * MB):
    """An office file whose one extra part is ``unpacked`` bytes of zeros, packed about a thousand times."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(document_part, "<document/>")
        with archive.open("payload.xml", "w", force_zip64=True) as payload:
            for _ in range(unpacked // MB):
                payload.write(b"\0" * MB)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "part"), [("so-lieu.xlsx", "xl/workbook.xml"), ("quyet-dinh.docx", "word/document.xml")]
)
def test_a_zip_bomb_named_like_an_office_file_is_refused(officer_client, recommendation, media_root, name, part):
    content = zip_bomb(part)
    # 64 MB in well under 1 MB: far below the 10 MB upload limit, so only the look inside the archive stops it.
    assert len(content) < MB

    response = answer_with(officer_client, recommendation, SimpleUploadedFile(name, content))

    message = response.context["form"].errors["evidence_file"][0]
    assert message.startswith("Tệp được nén 1.0") and "(phần payload.xml), vượt giới hạn 100 lần" in message
    assert_refused(response, recommendation, media_root, message)


def test_a_real_office_file_is_still_accepted(officer_client, recommendation):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Biên bản khắc phục", 2021])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = answer_with(officer_client, recommendation, SimpleUploadedFile("bien-ban.xlsx", buffer.getvalue()))

    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.evidence_file_name == "bien-ban.xlsx"


# --- Lifecycle ------------------------------------------------------------------------------------------------


def inventory_counts():
    output = io.StringIO()
    call_command("evidence_files", stdout=output)
    return output.getvalue().splitlines()


def test_a_replaced_and_a_removed_file_are_kept_for_the_history_and_counted(officer_client, recommendation, media_root):
    answer_with(officer_client, recommendation, pdf_upload("lan-1.pdf"))
    answer_with(officer_client, recommendation, pdf_upload("lan-2.pdf"))
    recommendation.refresh_from_db()
    second = recommendation.evidence_file.name

    # Two files on disk: the second attached, the first replaced but named by the history row of the first answer.
    assert len(stored_files(media_root)) == 2
    assert inventory_counts() == [
        "đang đính kèm: 1",
        "đã thay hoặc gỡ, giữ lại cho lịch sử: 1",
        "không còn được dùng: 0",
        "được nhắc đến nhưng không có trên đĩa: 0",
    ]

    answer_with(officer_client, recommendation, response="Đã xong.", remove_file="on")
    recommendation.refresh_from_db()
    assert recommendation.evidence_file.name == ""
    # Both files are now only in the history: 0 attached, 2 kept.
    assert inventory_counts()[:2] == ["đang đính kèm: 0", "đã thay hoặc gỡ, giữ lại cho lịch sử: 2"]
    assert default_storage.exists(second)


def test_files_no_history_names_any_more_are_listed_and_deleted_on_request(officer_client, recommendation, media_root):
    answer_with(officer_client, recommendation, pdf_upload("lan-1.pdf"))
    first = Recommendation.objects.get(pk=recommendation.pk).evidence_file.name
    answer_with(officer_client, recommendation, pdf_upload("lan-2.pdf"))
    second = Recommendation.objects.get(pk=recommendation.pk).evidence_file.name
    # The history pruned down to the latest row (as clean_old_history would), and a file a failed save left.
    Recommendation.history.exclude(history_id=Recommendation.history.latest().history_id).delete()
    stray = default_storage.save("recommendations/left-by-a-failed-save.pdf", ContentFile(b"%PDF-1.4"))

    listing = io.StringIO()
    call_command("evidence_files", "--list", stdout=listing)
    assert f"  {first}" in listing.getvalue() and f"  {stray}" in listing.getvalue()
    assert "không còn được dùng: 2" in listing.getvalue()

    output = io.StringIO()
    call_command("evidence_files", "--delete-unused", stdout=output)

    assert "Đã xóa 2 tệp không còn được dùng." in output.getvalue()
    assert [path.name for path in stored_files(media_root)] == [second.rsplit("/", 1)[1]]
    assert inventory_counts() == [
        "đang đính kèm: 1",
        "đã thay hoặc gỡ, giữ lại cho lịch sử: 0",
        "không còn được dùng: 0",
        "được nhắc đến nhưng không có trên đĩa: 0",
    ]


def test_a_named_file_missing_from_the_disk_is_reported(officer_client, recommendation):
    answer_with(officer_client, recommendation, pdf_upload("lan-1.pdf"))
    default_storage.delete(Recommendation.objects.get(pk=recommendation.pk).evidence_file.name)

    assert inventory_counts()[3] == "được nhắc đến nhưng không có trên đĩa: 1"


def test_the_par_index_evidence_folder_is_covered_too(media_root):
    # One stray file in each evidence folder: the recommendations' and the PAR-index scores'.
    strays = [
        default_storage.save("recommendations/stray.pdf", ContentFile(b"%PDF-1.4")),
        default_storage.save("assessments/stray.pdf", ContentFile(b"%PDF-1.4")),
    ]

    assert inventory_counts()[2] == "không còn được dùng: 2"
    call_command("evidence_files", "--delete-unused", stdout=io.StringIO())
    assert not any(default_storage.exists(name) for name in strays)
