"""Settings for the test suite: the production settings with what a test run cannot have.

Plain static storage, because the hashed names of the manifest storage exist only after collectstatic
(``live_server`` would 404 them); plain HTTP, because the test client and the browser tests talk to a
loopback server; a fast password hasher, because the suite creates many users.
"""

import os

os.environ.setdefault("HTTPS", "false")

from cchc.settings import *  # noqa: E402,F403
from cchc.settings import STORAGES  # noqa: E402

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# MD5 first for the users the tests create; PBKDF2 still checks the demo accounts' stored hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
