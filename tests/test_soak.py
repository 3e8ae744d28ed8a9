"""``make soak`` for a few seconds against the test suite's live server, so that a change that breaks the soak's
pages or forms fails here and not on the night it runs. The figures themselves are the soak's, by hand."""

import os
import re
from io import StringIO

import pytest
from django.core.management import call_command

from cchc.management.commands.soak import post_forms


@pytest.mark.django_db(transaction=True)
def test_a_short_soak_reads_and_saves_as_the_four_roles_without_an_error(live_server):
    port = int(live_server.url.rsplit(":", 1)[1])
    out = StringIO()

    call_command(
        "soak",
        "--tiny",
        "--seconds",
        "6",
        "--clients",
        "4",
        "--pause",
        "0",
        "--port",
        str(port),
        "--server-pid",
        str(os.getpid()),
        stdout=out,
    )
    text = out.getvalue()

    total = re.search(r"^SOAK requests=(\d+) errors=(\d+) p95_ms=([\d.]+)$", text, re.M)
    assert total, text
    assert int(total[1]) >= 4 and int(total[2]) == 0, text
    for role in ("province", "district officer", "inspector", "admin"):
        row = re.search(rf"^\| {role} \| ([\d,]+) \| (\d+) \| (\d+) \| (\d+) \|", text, re.M)
        assert row and int(row[1].replace(",", "")) > 0 and row[2] == "0", text
    assert "memory of the server's workers at start:" in text and "at end:" in text
    # The province and the admin save one target: a refusal is the stale-save message, never another.
    for refusal in re.findall(r"^- a save refused on .*$", text, re.M):
        assert "sau khi bạn mở" in refusal or "trong khi bạn đang sửa" in refusal, text


def test_the_forms_are_read_as_a_browser_submits_them():
    html = """
    <form method="get"><input name="q" value="ignored"></form>
    <form method="post">
      <input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input name="value" value="80,5"><input type="checkbox" name="on" checked><input type="checkbox" name="off">
      <select name="area"><option value="" selected>---</option><option value="a">A</option>
        <option value="b">B</option></select>
      <select name="unit"><option value="1">1</option><option value="2" selected>2</option></select>
      <textarea name="text">Kiến nghị</textarea><input type="submit" name="go" value="Lưu">
    </form>"""

    assert post_forms(html) == [
        {"csrfmiddlewaretoken": "t", "value": "80,5", "on": "on", "area": "a", "unit": "2", "text": "Kiến nghị"}
    ]
