"""Fixtures of the inspection tests: units of Đồng Tháp, a user of each role, files, and a safe MEDIA_ROOT."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.lib.roles import DISTRICT_OFFICER, INSPECTION_TEAM, PROVINCIAL_STAFF
from tests.factories import make_commune, make_district, make_province, make_session, make_user

# The smallest PDF a reader opens: a header, one empty page, a cross-reference table and a trailer.
MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n165\n%%EOF\n"
)
# What a Windows program starts with ("MZ"), and a web page: neither may pass for a PDF by its name.
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
WEB_PAGE = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def pdf_upload(name="bien-ban-khac-phuc.pdf", content=MINIMAL_PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a fresh folder per test, never to the checkout's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def dong_thap(db):
    return make_province(code="87", name="Tỉnh Đồng Tháp")


@pytest.fixture
def thanh_binh(dong_thap):
    return make_district(dong_thap, code="874", name="Huyện Thanh Bình")


@pytest.fixture
def lap_vo(dong_thap):
    return make_district(dong_thap, code="875", name="Huyện Lấp Vò")


@pytest.fixture
def tan_thanh(thanh_binh):
    """A commune of Thanh Bình."""
    return make_commune(thanh_binh, code="29620", name="Xã Tân Thạnh")


@pytest.fixture
def round_2021(dong_thap, thanh_binh, lap_vo):
    """The province's online round of 26–28 October 2021 over Thanh Bình and Lấp Vò."""
    session = make_session(dong_thap, starts_on=date(2021, 10, 26), ends_on=date(2021, 10, 28))
    session.inspected_units.create(unit=thanh_binh, inspected_on=date(2021, 10, 26))
    session.inspected_units.create(unit=lap_vo, inspected_on=date(2021, 10, 27))
    return session


@pytest.fixture
def inspector(dong_thap):
    return make_user(INSPECTION_TEAM, dong_thap, username="inspector", first_name="Thành viên đoàn")


@pytest.fixture
def staff(dong_thap):
    return make_user(PROVINCIAL_STAFF, dong_thap, username="province")


@pytest.fixture
def officer(thanh_binh):
    """The district officer of Thanh Bình."""
    return make_user(DISTRICT_OFFICER, thanh_binh, username="thanhbinh", first_name="Cán bộ Thanh Bình")


@pytest.fixture
def lap_vo_officer(lap_vo):
    return make_user(DISTRICT_OFFICER, lap_vo, username="lapvo")


def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def clock(monkeypatch):
    """Set the moment ``timezone.now()`` returns; pages derive "today" from it in Asia/Ho_Chi_Minh."""
    from django.utils import timezone

    def set_now(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_now
