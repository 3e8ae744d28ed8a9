"""Backup and restore as docs/operations.md describes them: back up, wipe, restore, and find every row again.

On SQLite with the sqlite3 command-line tool's ``.backup`` / ``.restore`` when it is installed and with
Python's sqlite3 backup API (what the document gives for machines without the tool); on PostgreSQL with
``pg_dump --format=custom`` and ``pg_restore --clean``. Each test runs on the database the suite runs on and
skips the other's.
"""

import os
import shutil
import sqlite3
import subprocess
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from inspections.models import Recommendation

pytestmark = pytest.mark.django_db(transaction=True)

SQLITE = connection.vendor == "sqlite"


def every_row():
    """Every row of every table the project's models have, as plain values, by model."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        rows[model._meta.label] = sorted(map(repr, model._base_manager.values_list()))
    return rows


@pytest.fixture
def data():
    call_command("load_demo", stdout=StringIO())
    # A change after loading, so that the history tables hold rows too.
    recommendation = Recommendation.objects.order_by("pk").first()
    recommendation.response = "Đã ban hành kế hoạch khắc phục."
    recommendation.save()
    rows = every_row()
    # Worked out from the demo: Đồng Tháp's twelve districts and more units, the four demo logins.
    assert len(rows["districts.Unit"]) > 12 and len(rows["cchc.User"]) == 4
    return rows


def wipe():
    call_command("flush", interactive=False, verbosity=0)
    assert every_row()["districts.Unit"] == [] and every_row()["cchc.User"] == []


@pytest.mark.skipif(not SQLITE, reason="the suite runs on PostgreSQL: the SQLite backup is tested on SQLite")
def test_sqlite_backup_api_backs_up_and_restores_every_row(data, tmp_path):
    backup = tmp_path / "cchc-backup.sqlite3"
    live = connection.connection  # Django's own connection to the database file

    with sqlite3.connect(backup) as target:
        live.backup(target)
    wipe()
    with sqlite3.connect(backup) as source:
        source.backup(live)

    assert every_row() == data


@pytest.mark.skipif(not SQLITE, reason="the suite runs on PostgreSQL: the SQLite backup is tested on SQLite")
@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="the sqlite3 command-line tool is not installed")
def test_sqlite_command_line_backs_up_and_restores_every_row(data, tmp_path):
    database = connection.settings_dict["NAME"]
    backup = tmp_path / "cchc-backup.sqlite3"

    subprocess.run(["sqlite3", database, f".backup '{backup}'"], check=True, timeout=120)
    wipe()
    connection.close()  # as the document says: stop the application before restoring
    subprocess.run(["sqlite3", database, f".restore '{backup}'"], check=True, timeout=120)

    assert every_row() == data


@pytest.mark.skipif(SQLITE, reason="the suite runs on SQLite: the PostgreSQL backup is tested on PostgreSQL")
@pytest.mark.skipif(
    shutil.which("pg_dump") is None or shutil.which("pg_restore") is None,
    reason="pg_dump and pg_restore (Debian's postgresql-client) are not installed",
)
def test_pg_dump_and_pg_restore_back_up_and_restore_every_row(data, tmp_path):
    database = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": database.get("PASSWORD") or ""}
    where = ["--host", database["HOST"] or "localhost", "--port", str(database["PORT"] or 5432)]
    where += ["--username", database["USER"] or "postgres", "--dbname", database["NAME"]]
    backup = tmp_path / "cchc.dump"

    subprocess.run(["pg_dump", "--format=custom", "--file", str(backup), *where], check=True, env=env, timeout=300)
    wipe()
    connection.close()
    subprocess.run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", *where, str(backup)], check=True, env=env, timeout=300
    )

    assert every_row() == data
    # The sequences came back too: the next unit gets a key after the restored ones, not one of theirs.
    from districts.models import Unit

    last = max(Unit.objects.values_list("pk", flat=True))
    assert Unit.objects.create(code="99", name="Tỉnh thử", kind=Unit.objects.get(pk=last).kind).pk > last
