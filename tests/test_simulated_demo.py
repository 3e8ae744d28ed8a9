"""The simulated demo province (``load_demo --simulated``, ``make demo``): its dashboard for its last full year
has a value in every indicator column and every chart, it is named as simulated, and the articles' units and
figures are left as they are."""

import io
from datetime import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from cchc.indicators import INDICATORS
from cchc.simulation import SIMULATED_PROVINCE_NAME
from districts.models import Unit
from dossiers.models import QuarterlyReport
from tests.dashboard.pages import dashboard_table

pytestmark = pytest.mark.django_db

# "Today" for the generator and the pages: 20/11/2026, so the last quarter generated is 2026Q3 and the last full
# year 2025 (districts until 30 June, communes since 1 July).
NOW = timezone.make_aware(datetime(2026, 11, 20, 10, 0))


@pytest.fixture
def demo(settings, monkeypatch):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher", *settings.PASSWORD_HASHERS]
    monkeypatch.setattr("cchc.simulation._now", lambda: NOW)
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    articles = list(QuarterlyReport.objects.order_by("pk").values_list("pk", "unit__code", "year", "quarter"))
    call_command("load_demo", "--simulated", verbosity=0, stdout=io.StringIO())
    return articles


@pytest.fixture
def staff(demo, client, django_user_model):
    client.force_login(django_user_model.objects.get(username="province"))
    return client


def test_the_simulated_province_is_named_as_simulated_and_coded_outside_the_real_ranges(demo):
    province = Unit.objects.get(code="98")

    assert province.name == SIMULATED_PROVINCE_NAME == "Tỉnh Mô Phỏng — dữ liệu giả lập"
    # Real province codes end at 96, district codes at 973: everything under 98 is 980… or 98001…
    assert all(unit.code.startswith("98") for unit in Unit.objects.filter(parent=province))


def test_the_articles_reports_are_unchanged_beside_it(demo):
    # The reports loaded from fixtures/demo are the same rows; the simulated ones are all under province 98
    assert (
        list(
            QuarterlyReport.objects.exclude(unit__code__startswith="98")
            .order_by("pk")
            .values_list("pk", "unit__code", "year", "quarter")
        )
        == demo
    )


def test_loading_it_again_leaves_it_as_it_is(demo):
    before = QuarterlyReport.objects.count()

    call_command("load_demo", "--simulated", verbosity=0, stdout=io.StringIO())

    assert QuarterlyReport.objects.count() == before


def test_its_dashboard_for_the_last_full_year_has_a_value_in_every_indicator_column(staff):
    response = staff.get("/", {"province": "98", "period": "2025"})

    assert response.status_code == 200
    assert SIMULATED_PROVINCE_NAME in response.content.decode()
    table = dashboard_table(response)
    totals = table.as_dict(table.footer[0])
    for indicator in INDICATORS:
        shown = [value for column, value in totals.items() if column in (indicator.code, indicator.sort)]
        assert shown, (indicator.code, list(totals))
        assert all(value and value != "—" for value in shown), (indicator.code, shown)


@pytest.mark.parametrize("chart", ["/charts/on-time-by-unit/", "/charts/trend/", "/charts/channels/"])
def test_every_chart_of_that_dashboard_has_values(staff, chart):
    data = staff.get(chart, {"province": "98", "period": "2025"}).json()

    values = [value for dataset in data["datasets"] for value in dataset["data"]]
    assert values and any(value not in (None, 0) for value in values), chart
