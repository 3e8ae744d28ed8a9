"""Fixtures of the PAR-index tests: Đồng Tháp with two districts, a small criteria set, a user of each role."""

from decimal import Decimal

import pytest

from assessments.models import CriteriaSet, Criterion, GradeBand, Method, ScoreBand, ScoredUnits, Source
from assessments.tree import link_parents
from cchc.lib.roles import DISTRICT_OFFICER, PROVINCIAL_STAFF
from tests.factories import make_district, make_province, make_user

# A small set: two areas of 10 points each scored by the unit, and a survey area of 5 points (25 in all).
#   1   Direction (10) = 1.1 (4, halves allowed) + 1.2 (6)
#   2   Procedures (10) = 2.1 (6) + 2.2 (4, computed from the on-time rate: ≥ 98 % → 4, ≥ 95 % → 2)
#   3   Survey (5) = 3.1 (5, survey)
SMALL_SET = (
    ("1", "Công tác chỉ đạo, điều hành", "10", Method.SELF, False, ""),
    ("1.1", "Ban hành kế hoạch CCHC năm", "4", Method.SELF, True, ""),
    ("1.2", "Thực hiện kế hoạch CCHC", "6", Method.SELF, False, ""),
    ("2", "Cải cách thủ tục hành chính", "10", Method.SELF, False, ""),
    ("2.1", "Rà soát, đơn giản hóa TTHC", "6", Method.SELF, False, ""),
    ("2.2", "Tỷ lệ hồ sơ giải quyết đúng hạn", "4", Method.COMPUTED, False, Source.ON_TIME),
    ("3", "Khảo sát sự hài lòng", "5", Method.SURVEY, False, ""),
    ("3.1", "Mức độ hài lòng của người dân", "5", Method.SURVEY, False, ""),
)


def make_set(province, year=2023, nodes=SMALL_SET, bands=((98, 4), (95, 2)), **fields):
    fields.setdefault("title", f"Bộ tiêu chí thử {year}")
    fields.setdefault("scored_units", ScoredUnits.DISTRICT)
    criteria_set = CriteriaSet.objects.create(province=province, year=year, **fields)
    for code, text, points, method, halves, source in nodes:
        criterion = Criterion.objects.create(
            criteria_set=criteria_set,
            code=code,
            text=text,
            max_points=Decimal(points),
            method=method,
            halves_allowed=halves,
            source=source,
        )
        if source:
            for rate, band_points in bands:
                ScoreBand.objects.create(criterion=criterion, min_rate=Decimal(rate), points=Decimal(band_points))
    link_parents(criteria_set)
    return criteria_set


def leaf(criteria_set, code):
    return criteria_set.criteria.get(code=code)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
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
def small_set(dong_thap, thanh_binh, lap_vo):
    criteria_set = make_set(dong_thap)
    for label, points in (("Tốt", 20), ("Khá", 15), ("Trung bình", 10), ("Yếu", 0)):
        GradeBand.objects.create(criteria_set=criteria_set, label=label, min_points=Decimal(points))
    return criteria_set


@pytest.fixture
def staff(dong_thap):
    return make_user(PROVINCIAL_STAFF, dong_thap, username="province")


@pytest.fixture
def officer(thanh_binh):
    return make_user(DISTRICT_OFFICER, thanh_binh, username="thanhbinh")


@pytest.fixture
def lap_vo_officer(lap_vo):
    return make_user(DISTRICT_OFFICER, lap_vo, username="lapvo")
