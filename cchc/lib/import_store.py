"""Where an uploaded table waits between its preview and its confirmation.

The uploaded table is parsed once and kept on the server, in a file under ``MEDIA_ROOT/imports/`` named by a
random token that only the uploader's session knows; the confirmation re-checks every row against the database
as it is then. Nothing the browser posts back but the token is trusted.
"""

import json
import re
import secrets
import time
from pathlib import Path

from django.conf import settings

from cchc.lib.imports import Table

# How long an uploaded table waits for its confirmation, and how many a session keeps.
KEEP_SECONDS = 24 * 3600
KEEP_PER_SESSION = 5
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _store_dir():
    return Path(settings.MEDIA_ROOT) / "imports"


def keep(request, kind, table, *, filename, approve=False):
    """Keep the parsed table until its confirmation; the token that names it, known to this session only."""
    directory = _store_dir()
    directory.mkdir(parents=True, exist_ok=True)
    _sweep(directory)
    token = secrets.token_urlsafe(24)
    (directory / f"{token}.json").write_text(json.dumps(table.to_json()), encoding="utf-8")
    kept = request.session.get("imports", {})
    for old in sorted(kept, key=lambda t: kept[t]["at"])[: max(0, len(kept) - KEEP_PER_SESSION + 1)]:
        kept.pop(old)
        (directory / f"{old}.json").unlink(missing_ok=True)
    kept[token] = {"kind": kind, "filename": filename, "approve": approve, "at": time.time()}
    request.session["imports"] = kept
    return token


def take(request, token):
    """The kept upload of ``token`` if this session made it, removed from the server; else ``None``."""
    kept = request.session.get("imports", {})
    if not TOKEN.match(token) or token not in kept:
        return None
    meta = kept.pop(token)
    request.session["imports"] = kept
    path = _store_dir() / f"{token}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    finally:
        path.unlink(missing_ok=True)
    if time.time() - meta["at"] > KEEP_SECONDS:
        return None
    return meta, Table.from_json(data)


def _sweep(directory):
    """Remove the uploads nobody confirmed within a day."""
    limit = time.time() - KEEP_SECONDS
    for path in directory.glob("*.json"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue
