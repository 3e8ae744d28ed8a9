"""Fixtures of the import tests: Đồng Tháp (87) with some of its districts, and users of each role."""

import pytest

from cchc.lib.roles import DISTRICT_OFFICER, INSPECTION_TEAM, PROVINCIAL_STAFF
from districts.models import Unit
from dossiers.models import LevelFigures, QuarterlyReport, ReportEvent
from tests.factories import make_commune, make_district, make_province, make_user

END_OF_DISTRICTS = "2025-06-30"


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes minutes (a 10,000-row file); -m 'not slow' leaves it out")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads kept between preview and confirmation go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def dong_thap(db):
    """Đồng Tháp (87), which existed until 30/06/2025, with Cao Lãnh district (873), Thanh Bình (874) and
    Lấp Vò (875), and one commune of Thanh Bình (Tân Thạnh, 29620)."""
    province = make_province("87", "Tỉnh Đồng Tháp", valid_until=END_OF_DISTRICTS)
    make_district(province, "873", "Huyện Cao Lãnh", valid_until=END_OF_DISTRICTS)
    thanh_binh = make_district(province, "874", "Huyện Thanh Bình", valid_until=END_OF_DISTRICTS)
    make_district(province, "875", "Huyện Lấp Vò", valid_until=END_OF_DISTRICTS)
    make_commune(thanh_binh, "29620", "Xã Tân Thạnh", valid_until=END_OF_DISTRICTS)
    return province


@pytest.fixture
def unit(dong_thap):
    return lambda code: Unit.objects.get(code=code)


@pytest.fixture
def staff(dong_thap):
    return make_user(PROVINCIAL_STAFF, unit=dong_thap, username="so-noi-vu")


@pytest.fixture
def officer(dong_thap):
    """The district officer of Thanh Bình (874)."""
    return make_user(DISTRICT_OFFICER, unit=Unit.objects.get(code="874"), username="thanh-binh")


@pytest.fixture
def inspector(dong_thap):
    return make_user(INSPECTION_TEAM, unit=dong_thap, username="doan-kiem-tra")


def database_dump():
    """Every row of the tables an import may touch, with the history tables: what "unchanged" compares."""
    models = [Unit, QuarterlyReport, LevelFigures, ReportEvent]
    models += [model.history.model for model in (QuarterlyReport, LevelFigures)]
    dump = {}
    for model in models:
        fields = [field.attname for field in model._meta.concrete_fields]
        dump[model._meta.label] = sorted(model.objects.values_list(*fields), key=repr)
    return dump


@pytest.fixture
def unchanged_database():
    """``with unchanged_database():`` fails if the block changes any row an import may touch."""
    from contextlib import contextmanager

    @contextmanager
    def check():
        before = database_dump()
        yield
        after = database_dump()
        assert {label: len(rows) for label, rows in after.items()} == {
            label: len(rows) for label, rows in before.items()
        }
        assert after == before

    return check
