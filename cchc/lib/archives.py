"""Looking inside a ZIP archive before anything unpacks it: .xlsx and .docx files are ZIP archives.

A few kilobytes of ZIP can unpack into gigabytes (a "zip bomb"), and the readers of office files (openpyxl for
the imports) unpack whole parts into memory. So an archive is refused on what its directory declares, before
a single part is read: too many parts, a part or the whole too large once unpacked, or a part packed so tightly
that only a machine-made file would be (real workbooks and documents pack 5 to 30 times; the bombs thousands).

The declared sizes can be trusted as upper bounds: Python's ``zipfile``, which openpyxl also reads through,
stops at a part's declared size and then checks its CRC, so a part that lies about its size fails to read
rather than unpacking further. Nothing here touches the database or imports an app.
"""

import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cchc.lib.numbers import format_number

MIB = 1024 * 1024


class ArchiveError(Exception):
    """The archive is refused; ``str(error)`` is the message for the user, naming the limit it broke."""


@dataclass(frozen=True)
class ArchiveLimits:
    max_members: int = 1_000
    max_total_bytes: int = 64 * MIB
    max_member_bytes: int = 64 * MIB
    max_ratio: int = 100
    # Below this size a part's ratio does not matter: however tightly packed, it cannot unpack into much.
    ratio_from_bytes: int = 1 * MIB


def _mib(size):
    return f"{size / MIB:.0f}" if size >= MIB else f"{size / MIB:.2f}"


def check_archive(file, limits):
    """Raise ``ArchiveError`` when the ZIP archive in ``file`` (a path or a binary file) would unpack too much.

    ``file`` is left where it was for the caller. A file that is not a ZIP archive at all raises
    ``zipfile.BadZipFile``: whether that is an error is the caller's call.
    """
    position = file.tell() if hasattr(file, "tell") else None
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    finally:
        if position is not None:
            file.seek(position)
    if len(members) > limits.max_members:
        raise ArchiveError(
            _("The file holds %(count)s parts; the limit is %(limit)s.")
            % {"count": format_number(len(members)), "limit": format_number(limits.max_members)}
        )
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > limits.max_member_bytes or total > limits.max_total_bytes:
            raise ArchiveError(
                _("Unpacked, the file would exceed the limit of %(limit)s MB.")
                % {"limit": _mib(min(limits.max_member_bytes, limits.max_total_bytes))}
            )
        if member.file_size >= limits.ratio_from_bytes:
            ratio = member.file_size / max(member.compress_size, 1)
            if ratio > limits.max_ratio:
                raise ArchiveError(
                    _(
                        "The file is compressed %(ratio)s times (part %(part)s); the limit is %(limit)s times: "
                        "it looks machine-made to exhaust the server. Open it in Excel or Word and save it again."
                    )
                    % {"ratio": format_number(round(ratio)), "part": member.filename, "limit": limits.max_ratio}
                )
