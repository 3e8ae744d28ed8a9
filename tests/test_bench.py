"""``make bench`` on a tiny country, so that a change that breaks it fails here and not on the night it is run.

The national scale runs only by hand (``make bench``); these tests check that every step runs and says what
it measured, never how fast anything is.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from cchc.management.commands.bench_dashboard import load
from dossiers.models import QuarterlyReport

READS = [
    "province read (selector + total)",
    "country read (selector)",
    "dashboard page, one province",
    "dashboard page, the whole country",
    "chart: on time by unit",
    "chart: trend",
    "chart: channels",
    "JSON feed, one province",
    "JSON feed, the whole country",
]


@pytest.mark.django_db
def test_the_benchmark_runs_end_to_end_on_a_tiny_country():
    out = StringIO()
    call_command("bench_dashboard", "--tiny", "--in-place", "--runs", "2", "--no-server", stdout=out)
    text = out.getvalue()

    # 3 old provinces with 6 districts (2 each) and 2 new provinces with 8 communes (4 each).
    assert "31 units" in text
    assert "| raw GROUP BY, one province (2 districts, 2023H1) |" in text
    assert "| raw GROUP BY, one new province (4 communes, 2026H1) |" in text
    for read in READS:
        row = re.search(
            rf"^\| {re.escape(read)} \| ([\d,.]+) \| ([\d,.]+) \| (\d+) \| (\d+) \| ([\d,.]+)× \|", text, re.M
        )
        assert row, f"no figures for {read!r} in:\n{text}"
        # Every read of the product reads the figures once, whatever else its request asks the database.
        assert row[4] == "1", f"{read!r}: {row[4]} figure reads"
    # The page again from memory is measured beside it (in this test's transaction it is rendered each time)
    assert re.search(r"^\| dashboard page, one province, from memory \| [\d,.]+ \|", text, re.M)
    # The import: 100 rows of the districts' earlier quarters, every one new.
    assert "`import_reports` of 100 rows" in text
    assert "Đã nhập: 100 mới, 0 thay đổi" in text
    assert QuarterlyReport.objects.filter(year__lt=2018).count() == 100


@pytest.mark.django_db(transaction=True)
def test_the_load_client_stops_at_its_number_of_requests(live_server):
    port = int(live_server.url.rsplit(":", 1)[1])

    result = load(port, "/accounts/login/", "", clients=3, requests=10, seconds=60, warm_up=1)

    # 10 requests in all, whatever the 3 threads' timing; the login page answers 200 to anyone.
    assert (result.done, result.errors) == (10, 0)
    assert len(result.latencies) == 10 and result.rate > 0


@pytest.mark.django_db(transaction=True)
def test_the_load_client_stops_at_its_time(live_server):
    port = int(live_server.url.rsplit(":", 1)[1])

    result = load(port, "/accounts/login/", "", clients=2, requests=10**6, seconds=1, warm_up=0)

    assert 0 < result.done < 10**6 and result.seconds < 30
