"""``load_demo`` refuses a database that people use (issue 11, failure 9): it used to overwrite rows and reset
a superuser ``admin`` to the demo password everyone knows.
"""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from districts.models import Unit
from tests.factories import make_province, make_user

pytestmark = pytest.mark.django_db

User = get_user_model()


def load_demo(*args):
    call_command("load_demo", *args, stdout=StringIO())


def test_it_loads_into_an_empty_database_and_again_over_itself():
    load_demo()
    load_demo()

    assert User.objects.get(username="admin").check_password("demo12345")
    assert Unit.objects.filter(code="874").count() == 1


def test_it_refuses_a_database_with_a_user_of_its_own_and_changes_nothing():
    make_user(username="nguyenvana", unit=make_province("82", "Tỉnh Đồng Tháp", valid_from="2025-07-01"))

    with pytest.raises(CommandError) as refused:
        load_demo()

    assert "nguyenvana" in str(refused.value) and "--force" in str(refused.value)
    assert not User.objects.filter(username="admin").exists()
    assert list(Unit.objects.values_list("code", flat=True)) == ["82"]


def test_it_refuses_a_demo_database_whose_admin_password_was_changed():
    load_demo()
    admin = User.objects.get(username="admin")
    admin.set_password("mat-khau-rieng-2026")
    admin.save()

    with pytest.raises(CommandError) as refused:
        load_demo()

    assert "admin" in str(refused.value)
    admin.refresh_from_db()
    assert admin.check_password("mat-khau-rieng-2026")


def test_force_loads_anyway():
    make_user(username="nguyenvana")

    load_demo("--force")

    assert User.objects.get(username="admin").check_password("demo12345")
    assert User.objects.filter(username="nguyenvana").exists()
