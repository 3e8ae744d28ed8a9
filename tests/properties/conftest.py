"""Property-based tests (Hypothesis): generated input to every form, every list page's query parameters and the
import, checking that none gives a server error and that a refused input saves nothing.

The number of examples is set per test (``examples``) and scaled by the profile: ``races`` (the default) runs
over 10,000 inputs in all within a few minutes on two cores; ``HYPOTHESIS_PROFILE=quick`` a tenth of them,
``HYPOTHESIS_PROFILE=long`` five times as many. Every test builds its small world once (a function-scoped
fixture) and runs each example in a savepoint rolled back afterwards, so that examples do not see each other's
saves; Hypothesis' health check against function-scoped fixtures is suppressed for that reason.
"""

import os
from contextlib import contextmanager
from datetime import date

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, settings

from cchc.lib.roles import DISTRICT_OFFICER, INSPECTION_TEAM, PROVINCIAL_STAFF
from districts.models import ReformPlan, ReformTask, Unit
from dossiers.models import LevelFigures, QuarterlyReport, ReportEvent
from inspections.models import InspectedUnit, InspectionSession, Recommendation, TeamMember
from tests.factories import (
    make_commune,
    make_district,
    make_plan,
    make_province,
    make_recommendation,
    make_report,
    make_session,
    make_tasks,
    make_user,
)
from tests.properties.strategies import counted  # noqa: F401 - the tests import it from here

SCALE = {"races": 1.0, "quick": 0.1, "long": 5.0}
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "races")
for name in SCALE:
    settings.register_profile(
        name,
        deadline=None,
        # No example database in the checkout: every run draws afresh (the seed is printed on a failure).
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
        print_blob=True,
    )
settings.load_profile(PROFILE)


def examples(count):
    """``settings`` for a test of ``count`` examples under the default profile."""
    return settings(max_examples=max(1, int(count * SCALE.get(PROFILE, 1.0))))


TRACKED = [
    Unit,
    QuarterlyReport,
    LevelFigures,
    ReportEvent,
    ReformPlan,
    ReformTask,
    InspectionSession,
    InspectedUnit,
    TeamMember,
    Recommendation,
]


def database_state(models=TRACKED):
    """Every row of ``models`` (by default all the forms and imports could write), with their history."""
    models = list(models)
    models += [model.history.model for model in models if hasattr(model, "history")]
    return {model._meta.label: list(model.objects.order_by("pk").values_list()) for model in models}


@contextmanager
def rolled_back():
    """A savepoint undone at the end: the example leaves the database as it found it."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def world(db, settings, tmp_path):
    """Đồng Tháp with Thanh Bình (and a commune) and Lấp Vò; reports, a plan, a session, recommendations, users."""
    settings.MEDIA_ROOT = tmp_path / "media"
    province = make_province("87", "Tỉnh Đồng Tháp")
    thanh_binh = make_district(province, "874", "Huyện Thanh Bình")
    commune = make_commune(thanh_binh, "29620", "Xã Tân Thạnh")
    lap_vo = make_district(province, "875", "Huyện Lấp Vò")
    make_report(thanh_binh, 2024, 1, levels={"district": {"received": 100, "resolved": 90}}, procedures_total=456)
    make_report(lap_vo, 2024, 1, status="submitted", levels={"all": {"received": 50}})
    plan = make_plan(thanh_binh, 2021)
    make_tasks(plan, 3)
    make_tasks(plan, 1, status=ReformTask.Status.DONE, completed_on=date(2021, 6, 30))
    session = make_session(province)
    session.inspected_units.create(unit=thanh_binh, findings="Còn 6 nhiệm vụ")
    session.inspected_units.create(unit=lap_vo)
    recommendation = make_recommendation(thanh_binh, session=session, deadline=date(2021, 12, 31))
    make_recommendation(lap_vo, session=session)
    users = {
        "officer": make_user(DISTRICT_OFFICER, thanh_binh),
        "staff": make_user(PROVINCIAL_STAFF, province),
        "inspector": make_user(INSPECTION_TEAM, province),
    }
    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return {
        "province": province,
        "thanh_binh": thanh_binh,
        "commune": commune,
        "lap_vo": lap_vo,
        "plan": plan,
        "session": session,
        "recommendation": recommendation,
        "users": users,
        "clients": clients,
    }
