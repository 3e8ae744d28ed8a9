"""Fixtures of the report tests: Đồng Tháp with Thanh Bình (874) and Cao Lãnh district (873), and the people
who handle their reports (the figures they enter are in report_data.py)."""

import pytest
from django.utils import timezone

from cchc.lib.roles import DISTRICT_OFFICER, INSPECTION_TEAM, PROVINCIAL_STAFF
from tests.factories import make_district, make_province, make_user
from tests.reports.report_data import client_of


@pytest.fixture
def dong_thap(db):
    return make_province("87", "Tỉnh Đồng Tháp")


@pytest.fixture
def thanh_binh(dong_thap):
    return make_district(dong_thap, "874", "Huyện Thanh Bình")


@pytest.fixture
def cao_lanh(dong_thap):
    return make_district(dong_thap, "873", "Huyện Cao Lãnh")


@pytest.fixture
def officer(thanh_binh):
    """Thanh Bình's district officer (no first or last name, so pages show the username)."""
    return make_user(DISTRICT_OFFICER, thanh_binh, username="thanhbinh")


@pytest.fixture
def staff(dong_thap):
    return make_user(PROVINCIAL_STAFF, dong_thap, username="province")


@pytest.fixture
def inspector(dong_thap):
    return make_user(INSPECTION_TEAM, dong_thap, username="inspector")


@pytest.fixture
def officer_client(officer):
    return client_of(officer)


@pytest.fixture
def staff_client(staff):
    return client_of(staff)


@pytest.fixture
def today(monkeypatch):
    """Call with a date to make it today for the code under test (``timezone.localdate()`` without argument)."""
    real_localdate = timezone.localdate

    def set_today(day):
        def localdate(value=None, timezone=None):
            return day if value is None else real_localdate(value, timezone)

        monkeypatch.setattr("django.utils.timezone.localdate", localdate)
        return day

    return set_today
