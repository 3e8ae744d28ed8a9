"""What `make bench` and `make soak` share to drive a gunicorn of their own on 127.0.0.1: starting and stopping
it, one request, waiting for the server to answer, the throw-away database's URL for its workers, and the
machine's load."""

import contextlib
import http.client
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection


def get_status(port, path, cookie=""):
    """The status of one GET of ``path`` on 127.0.0.1:``port`` (the body read and dropped)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def wait_for(port, server, timeout=60):
    """Return once the login page answers; fail if gunicorn (``server``) stopped or ``timeout`` s passed."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if server.poll() is not None:
            raise CommandError("gunicorn stopped at once: see its messages above.")
        with contextlib.suppress(OSError):
            if get_status(port, "/accounts/login/") == 200:
                return
        time.sleep(0.3)
    raise CommandError(f"gunicorn did not answer on 127.0.0.1:{port} within {timeout} s.")


def database_url():
    """The URL of the database in use (the throw-away one), for the gunicorn workers."""
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    user = config.get("USER") or ""
    password = f":{config['PASSWORD']}" if config.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{config.get('HOST') or '127.0.0.1'}:{config.get('PORT') or 5432}/{config['NAME']}"


def load_average():
    """The machine's load average, as printed beside every figure (the machine is shared)."""
    try:
        return ", ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "?"


def find_gunicorn():
    """The gunicorn beside this Python (the project's venv), else the one on the PATH; ``None`` if there is none."""
    return shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which("gunicorn")


@contextlib.contextmanager
def gunicorn(executable, port, workers, *, timeout=60, environment=None):
    """Run gunicorn (``executable``) with ``workers`` sync workers on 127.0.0.1:``port`` over the database in
    use, production settings (and ``environment`` beside them); yield its process once it answers (within
    ``timeout`` s) and stop it after."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "cchc.settings",
        "DEBUG": "false",
        # Plain HTTP on the loopback: asked for here, as `make serve` lets one ask for it.
        "HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        **(environment or {}),
    }
    command = [executable, "cchc.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    command += ["--log-level", "warning", "--timeout", "120"]
    server = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)
    try:
        wait_for(port, server, timeout=timeout)
        yield server
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
