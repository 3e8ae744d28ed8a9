"""Settings for the test suite: the production settings with what a test run cannot have.

Plain static storage, because the hashed names of the manifest storage exist only after collectstatic
(``live_server`` would 404 them); plain HTTP, because the test client and the browser tests talk to a
loopback server; a fast password hasher, because the suite creates many users.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("HTTPS", "false")

from cchc.settings import *  # noqa: E402,F403
from cchc.settings import DATABASES, STORAGES  # noqa: E402

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# MD5 first for the users the tests create; PBKDF2 still checks the demo accounts' stored hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file rather than memory: Django hands the browser tests' live server the test's own in-memory
    # connection, and two threads on one connection break each other's savepoints (every request is a
    # transaction here). A file gives the server a connection of its own. One file per test process, so
    # that two runs side by side do not share it; it need not survive a crash, hence no fsync.
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"cchc-test-{os.getpid()}.sqlite3")}
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA synchronous=OFF; PRAGMA journal_mode=WAL;"

# Uploaded evidence and import files go to a folder of the test run's own, never into the checkout.
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"cchc-test-media-{os.getpid()}"
