"""Fixtures of the dashboard tests: the demo data, and clients logged in as each kind of user."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def demo(db):
    """The demo data of the five articles (fixtures/demo), with its users."""
    call_command("load_demo", stdout=StringIO())


def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def demo_staff(demo, client, django_user_model):
    """A client logged in as the demo's provincial staff of Đồng Tháp (87), who see every province."""
    return logged_in(client, django_user_model.objects.get(username="province"))


@pytest.fixture
def demo_officer(demo, client, django_user_model):
    """A client logged in as the demo's district officer of Thanh Bình (874, under Đồng Tháp 87)."""
    return logged_in(client, django_user_model.objects.get(username="thanhbinh"))
