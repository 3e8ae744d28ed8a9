"""Checks of the evidence files districts attach to their answers (inspection recommendations, PAR index scores).

A file is accepted when its name ends with one of the extensions below AND its first bytes are those of that
kind of file: a renamed program or web page (``report.pdf`` that is really an ``.exe`` or ``.html``) is refused.
An office file (a ZIP archive) is also refused when it would unpack into too much: a zip bomb named .docx
would fill the memory or the disk of whoever opens it (``cchc.lib.archives``).
The limit on size is ``settings.EVIDENCE_MAX_BYTES`` (the environment variable of that name; 10 MiB unless set).
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from cchc.lib.archives import ArchiveError, ArchiveLimits, check_archive

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str
    signature: bytes
    # Office files are ZIP archives: the archive must hold this part to be the document it claims to be.
    zip_member: str | None = None


PDF = FileKind("PDF", "application/pdf", b"%PDF-")
JPEG = FileKind("JPEG", "image/jpeg", b"\xff\xd8\xff")
PNG = FileKind("PNG", "image/png", b"\x89PNG\r\n\x1a\n")
DOCX = FileKind(
    "Word (.docx)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    b"PK\x03\x04",
    "word/document.xml",
)
XLSX = FileKind(
    "Excel (.xlsx)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    b"PK\x03\x04",
    "xl/workbook.xml",
)
# Old .doc and .xls files are left out on purpose: their container also carries macros and installers.
EVIDENCE_KINDS = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".docx": DOCX, ".xlsx": XLSX}


# Real documents pack 5 to 30 times (their pictures hardly at all); the limits leave room for a 10 MB file of
# text, and none for a bomb.
ARCHIVE_LIMITS = ArchiveLimits(max_total_bytes=256 * 1024 * 1024, max_member_bytes=256 * 1024 * 1024, max_ratio=100)


def max_bytes():
    return getattr(settings, "EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)


def kind_of(name):
    """The kind of file its name claims, or ``None``."""
    return EVIDENCE_KINDS.get(PurePath(name or "").suffix.lower())


def evidence_response(file, name):
    """A stored evidence ``file`` as a download named ``name`` (the stored file's own name when blank), kept out
    of shared caches; ``Http404`` when the file is gone from the storage. The views check who may see it first:
    files are never served from a public URL."""
    try:
        handle = file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    kind = kind_of(file.name)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name or PurePath(file.name).name,
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _matches(file, kind):
    file.seek(0)
    head = file.read(len(kind.signature))
    file.seek(0)
    if head != kind.signature:
        return False
    if kind.zip_member is None:
        return True
    try:
        with zipfile.ZipFile(file) as archive:
            return kind.zip_member in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        file.seek(0)


def validate_evidence_file(value):
    """Refuse a newly uploaded file that is empty, too large, or not the PDF, image or office file it claims."""
    if not value or getattr(value, "_committed", False):
        # A file already stored was checked when it came in.
        return
    limit = max_bytes()
    if value.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if value.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(value.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    kind = kind_of(value.name)
    if kind is None:
        raise ValidationError(
            _("Only PDF, JPEG, PNG, Word (.docx) and Excel (.xlsx) files are accepted."), code="extension"
        )
    file = getattr(value, "file", value)
    if not _matches(file, kind):
        raise ValidationError(
            _("The content of this file is not %(kind)s, whatever its name says.") % {"kind": kind.label},
            code="content",
        )
    if kind.zip_member is not None:
        try:
            check_archive(file, ARCHIVE_LIMITS)
        except ArchiveError as error:
            raise ValidationError(str(error), code="archive") from error
