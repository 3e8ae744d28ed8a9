"""Reports of quarters long past, loaded from a file and approved by the province, are history: their handing-in
is "imported from a file", neither on time nor late, and their history says who loaded them and when."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cchc.lib.periods import Period
from districts.models import Unit
from dossiers.deadlines import completeness
from dossiers.models import ReportEvent
from tests.dossiers.imports.test_report_import import HEADER, run
from tests.factories import make_report
from tests.files import report_rows

pytestmark = pytest.mark.django_db

IN_TIME = datetime(2019, 4, 5, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # before the due date, 10/04/2019

# Thanh Bình (874) in 2019Q1, due 10/04/2019: years before the import.
THANH_BINH_2019 = {
    "unit_code": "874",
    "quarter": "2019Q1",
    "district_level_received": 1000,
    "district_level_resolved": 900,
    "district_level_resolved_in_time": 890,
    "district_level_resolved_late": 10,
}


def test_an_imported_2019_report_counts_neither_on_time_nor_late(staff, dong_thap):
    result = run(report_rows(HEADER, THANH_BINH_2019), staff, approve=True)
    assert result.saved, result.errors
    # Cao Lãnh (873) handed its 2019Q1 report in through the page, in time.
    cao_lanh = Unit.objects.get(code="873")
    on_time = make_report(cao_lanh, 2019, 1, status="submitted")
    ReportEvent.objects.create(
        report=on_time,
        from_status="draft",
        to_status="submitted",
        at=timezone.make_aware(timezone.datetime(2019, 4, 5)),
    )

    result = completeness(units=Unit.objects.filter(parent=dong_thap), period=Period.parse("2019Q1"))

    states = {unit.code: quarters[0].state for unit, quarters in result.rows}
    assert states == {"873": "on_time", "874": "imported", "875": "missing"}
    # Owed 3, handed in 2 (873, 874); of the 3 − 1 imported = 2 whose timeliness counts, 1 on time.
    assert (result.expected, result.handed_in, result.imported, result.timed, result.on_time) == (3, 2, 1, 2, 1)


def test_the_completeness_page_says_imported_and_leaves_it_out_of_the_on_time_rate(staff, dong_thap, client):
    run(report_rows(HEADER, THANH_BINH_2019), staff, approve=True)
    client.force_login(staff)

    response = client.get("/dossiers/completeness/", {"province": "87", "period": "2019Q1"})

    page = response.content.decode()
    assert "nhập từ tệp" in page and "1 báo cáo nhập từ tệp, không tính" in page
    # Nothing handed in on time, of the 3 owed − 1 imported = 2 whose timeliness counts.
    rate = response.context["on_time_rate"]
    assert (rate.numerator, rate.denominator) == (0, 2)


def test_the_history_of_an_imported_report_says_who_loaded_it_and_when(staff, dong_thap):
    before = timezone.now()
    run(report_rows(HEADER, THANH_BINH_2019), staff, approve=True)

    events = ReportEvent.objects.filter(report__unit__code="874", report__year=2019).order_by("id")
    assert [(event.to_status, event.by, event.imported) for event in events] == [
        ("submitted", staff, True),
        ("approved", staff, True),
    ]
    assert all(event.at >= before for event in events)
    assert events[0].comment == "Nhập từ tệp."
