"""Pages remembered until a write (cchc/lib/page_memo.py): the dashboard, its charts and its feed are answered
again from memory while the database is unchanged, and rendered afresh after any committed write.

PostgreSQL only for the memory itself: the key is the database's snapshot, which SQLite does not name. These tests
commit their writes (``transaction=True``), as a running site does; a test inside a transaction is never
answered from memory (the last test here shows it on either database).
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dossiers.models import LevelFigures
from tests.dashboard.pages import dashboard_table
from tests.factories import logged_in, make_counted_report

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pages are remembered under PostgreSQL's snapshot only"
)
PAGE = ("/", {"province": "87", "period": "2023Q1"})
# What a page answered from memory still asks: the session, its user and the database's snapshot.
QUERIES_FROM_MEMORY = 3


@pytest.fixture
def thanh_binh_report(thanh_binh):
    # 90 of 100 resolved in time: 90,00 %
    return make_counted_report(thanh_binh, 2023, 1, resolved=100, resolved_in_time=90, resolved_late=10)


def from_memory(client, path, params, attempts=5):
    """GET until an answer comes from memory (three queries); the answer and how many queries each try took.

    The snapshot is the server's: a write to another database of the same PostgreSQL server (another test run,
    autovacuum's ANALYZE) between two requests renders the page afresh, rightly. A few tries make the test
    independent of such a neighbour; a memory that never answers fails all of them.
    """
    counts = []
    for _attempt in range(attempts):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, params)
        counts.append(len(captured))
        if len(captured) == QUERIES_FROM_MEMORY:
            return response, counts
    pytest.fail(f"never answered from memory in {attempts} tries: {counts} queries")


def on_time_cell(response):
    return dashboard_table(response).row_of_unit("874")["on_time_rate"]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_same_page_again_is_answered_from_memory(staff_client, thanh_binh_report):
    first = staff_client.get(*PAGE)

    again, _counts = from_memory(staff_client, *PAGE)

    assert again.status_code == 200
    assert again.content == first.content
    # The headers are the site's own, not remembered ones: never stored by a browser or a proxy
    assert "no-store" in again["Cache-Control"]
    assert "Content-Security-Policy" in again


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_committed_write_shows_on_the_next_view(staff_client, thanh_binh_report):
    assert on_time_cell(staff_client.get(*PAGE)).startswith("90,00%")

    # Another request (the report form, the admin, an import) corrects the figure: 95 of 100 in time
    LevelFigures.objects.filter(report=thanh_binh_report).update(resolved_in_time=95, resolved_late=5)

    assert on_time_cell(staff_client.get(*PAGE)).startswith("95,00%")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_page_is_never_given_to_another_session(staff, thanh_binh_report):
    logged_in(Client(), staff).get(*PAGE)
    other = logged_in(Client(), staff)

    # The same user in another browser renders the page: more than the three queries of a page from memory
    with CaptureQueriesContext(connection) as captured:
        response = other.get(*PAGE)

    assert response.status_code == 200
    assert len(captured) > QUERIES_FROM_MEMORY


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_each_address_is_remembered_on_its_own(staff_client, thanh_binh, thanh_binh_report):
    make_counted_report(thanh_binh, 2023, 2, resolved=10, resolved_in_time=4, resolved_late=6)
    staff_client.get(*PAGE)

    # The second quarter's page is its own: 4 of 10 in time
    response = staff_client.get("/", {"province": "87", "period": "2023Q2"})

    assert on_time_cell(response).startswith("40,00%")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_charts_and_the_feed_are_remembered_too(staff_client, thanh_binh_report):
    for path in ("/charts/on-time-by-unit/", "/charts/trend/", "/charts/channels/", "/api/indicators/"):
        first = staff_client.get(path, PAGE[1])
        again, _counts = from_memory(staff_client, path, PAGE[1])
        assert again.json() == first.json()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_exports_are_rendered_each_time(staff_client, thanh_binh_report):
    query = {**PAGE[1], "_export": "csv"}
    staff_client.get("/", query)

    with CaptureQueriesContext(connection) as captured:
        response = staff_client.get("/", query)

    assert response["Content-Disposition"].startswith("attachment")
    assert len(captured) > QUERIES_FROM_MEMORY


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_switched_off_every_page_is_rendered(settings, staff_client, thanh_binh_report):
    settings.PAGE_MEMO = False
    staff_client.get(*PAGE)

    with CaptureQueriesContext(connection) as captured:
        staff_client.get(*PAGE)

    assert len(captured) > QUERIES_FROM_MEMORY


@pytest.mark.django_db
def test_inside_a_transaction_every_view_is_rendered(staff_client, thanh_binh_report):
    # A test's transaction (or a writing request's) hides its own writes from the snapshot's name: the second
    # view must show the corrected figure all the same.
    assert on_time_cell(staff_client.get(*PAGE)).startswith("90,00%")
    LevelFigures.objects.filter(report=thanh_binh_report).update(resolved_in_time=95, resolved_late=5)

    assert on_time_cell(staff_client.get(*PAGE)).startswith("95,00%")
