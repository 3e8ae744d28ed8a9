"""Content-Security-Policy on every page and ``Cache-Control: no-store`` on everything a logged-in user gets
(issue 11, failure 6). The browser side — no violation in the console — is in test_browser_csp.py.
"""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    call_command("load_demo", stdout=StringIO())
    client.force_login(get_user_model().objects.get(username="province"))
    return client


def directives(response):
    return {part.split()[0]: part.split()[1:] for part in response["Content-Security-Policy"].split("; ")}


def test_the_policy_allows_the_sites_own_files_only_and_no_frame(client):
    response = client.get("/accounts/login/")

    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    # Bootstrap's check marks and select arrows are data: images; nothing else is let in.
    assert policy["img-src"] == ["'self'", "data:"]
    assert "script-src" not in policy and "style-src" not in policy  # default-src 'self' governs both
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "url",
    [
        "/?province=87&period=2021",
        "/?province=87&period=2021&_export=xlsx",
        "/?province=87&period=2021&_export=csv",
        "/api/indicators/?province=87&period=2021",
        "/charts/trend/?province=87",
        "/districts/874/",
        "/dossiers/review/",
        "/inspections/recommendations/",
        "/admin/",
    ],
)
def test_every_response_to_a_logged_in_user_is_not_stored(staff, url):
    response = staff.get(url)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"].split(", ")
    assert "Content-Security-Policy" in response


def settings_with(**environment):
    """The production settings as another process reads them with ``environment`` set."""
    code = (
        "import django, json; from django.conf import settings; django.setup(); "
        "print(json.dumps([getattr(settings, 'CONTENT_SECURITY_POLICY', None), "
        "getattr(settings, 'CONTENT_SECURITY_POLICY_REPORT_ONLY', None)]))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cchc.settings", **environment}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=django_settings.BASE_DIR
    )
    return result.stdout


def test_csp_report_only_sends_the_same_policy_without_enforcing_it():
    enforced, report_only = json.loads(settings_with(CSP_REPORT_ONLY="false"))
    assert enforced["DIRECTIVES"]["default-src"] == ["'self'"] and report_only is None

    enforced, report_only = json.loads(settings_with(CSP_REPORT_ONLY="true"))
    assert enforced is None and report_only["DIRECTIVES"]["frame-ancestors"] == ["'none'"]
