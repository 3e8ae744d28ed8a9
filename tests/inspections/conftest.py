"""The inspection tests use the root cast (tests/conftest.py) and the province's 2021 round over two districts."""

from datetime import date

import pytest

from tests.factories import make_recommendation, make_session


@pytest.fixture
def round_2021(dong_thap, thanh_binh, lap_vo):
    """The province's online round of 26–28 October 2021 over Thanh Bình and Lấp Vò."""
    session = make_session(dong_thap, starts_on=date(2021, 10, 26), ends_on=date(2021, 10, 28))
    session.inspected_units.create(unit=thanh_binh, inspected_on=date(2021, 10, 26))
    session.inspected_units.create(unit=lap_vo, inspected_on=date(2021, 10, 27))
    return session


@pytest.fixture
def recommendation(round_2021, thanh_binh):
    """The round's recommendation to Thanh Bình, due at the end of 2021."""
    return make_recommendation(thanh_binh, session=round_2021, deadline=date(2021, 12, 31))
