"""The site is closed to anonymous visitors: every page but the login page sends them to log in."""

import pytest
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next=/"


def test_it_sends_anonymous_visitors_of_the_admin_site_to_its_login_page(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"


def _urls_without_arguments(patterns=None, namespace=""):
    """Every named URL of the project that can be reversed without arguments, as (name, path)."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _urls_without_arguments(pattern.url_patterns, inner)
        elif pattern.name:
            name = f"{namespace}{pattern.name}"
            try:
                yield name, reverse(name)
            except NoReverseMatch:
                continue


# The language switcher is public so that the login page can offer it.
PUBLIC_URLS = {"login", "admin:login", "set_language"}


def test_every_page_but_the_login_pages_requires_login(client):
    checked = 0
    for name, url in _urls_without_arguments():
        if name in PUBLIC_URLS:
            continue
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith((f"{LOGIN_URL}?next=", "/admin/login/?next=")), name
        checked += 1

    assert checked > 3


def test_the_login_page_is_open_to_anonymous_visitors(client):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    assert reverse("login") == LOGIN_URL


def test_the_login_page_is_in_vietnamese_without_a_language_preference(client):
    response = client.get(LOGIN_URL)

    assert '<html lang="vi">' in response.content.decode()


def test_the_admin_login_page_is_open_to_anonymous_visitors(client):
    assert client.get("/admin/login/").status_code == 200


def test_a_user_attached_to_no_unit_is_told_so_on_the_dashboard(client, django_user_model):
    user = django_user_model.objects.create_user("officer", password="secret-pass-123", first_name="Lan")
    client.force_login(user)

    response = client.get("/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Lan" in page
    assert "chưa được gắn với đơn vị nào" in page


def test_logout_takes_a_post_and_returns_to_the_login_page(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("officer", password="secret-pass-123"))

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert client.get("/").status_code == 302


def test_a_page_that_does_not_exist_answers_in_vietnamese(client, django_user_model, settings):
    settings.DEBUG = False
    client.force_login(django_user_model.objects.create_user("officer", password="secret-pass-123"))

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
