"""The admin in Vietnamese: every page a Vietnamese user opens, walked as a superuser, holds none of a list of
English words and phrases that once showed there (Django's own strings our catalogue lacked, a msgid of ours
that took over Django's "Save and add another", permission names stored in English)."""

import contextlib
import re

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

pytestmark = pytest.mark.django_db

# Words and phrases that are English and never Vietnamese. Matched as whole words, case-sensitive where a
# capital letter starts the English phrase (so "Filter" is caught, "filter" in a URL or a class is not: the
# page's text is read without its tags, attributes, scripts and styles).
ENGLISH = [
    "Save and add another",
    "Save and continue editing",
    "Reset password",
    "Choose all",
    "Remove all",
    "Show counts",
    "Hide counts",
    "Password-based authentication",
    "Can add",
    "Can change",
    "Can delete",
    "Can view",
    "Can approve",
    "historical",
    "Add another",
    "Filter",
    "Search",
    "Delete",
    "History",
    "Select all",
    "Clear selection",
    "Action",
    "Go",
    "Home",
    "Welcome",
    "View site",
    "Log out",
    "Change password",
    "Available",
    "Chosen",
    "Today",
    "Now",
    "Yes",
    "No",
    "Unknown",
    "All",
    "Add",
    "Change",
    "Save",
    "Close",
    "Recent actions",
    "My actions",
    "None available",
    "Enabled",
    "Disabled",
]


def visible_text(html):
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", " ", html)
    return " ".join(text.split())


def english_in(html):
    text = visible_text(html)
    return sorted({phrase for phrase in ENGLISH if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text)})


def admin_pages():
    """The index, every registered model's list and add page, and the change page of its first object."""
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    for model, _model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        with contextlib.suppress(NoReverseMatch):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
            urls.append(reverse("admin:{}_{}_history".format(*info), args=[first.pk]))
    return urls


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher", *settings.PASSWORD_HASHERS]
    call_command("load_demo", verbosity=0)


def test_no_admin_page_shows_english_to_a_vietnamese_superuser(client, demo, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="secret-pass-123"))
    client.cookies["django_language"] = "vi"

    found = {}
    for url in admin_pages():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
        if response.status_code == 403:
            continue  # an add page the admin forbids (e.g. events are recorded, never added)
        assert response.status_code == 200, url
        words = english_in(response.content.decode())
        if words:
            found[url] = words

    assert found == {}


def test_save_and_add_another_reads_as_django_says_it_not_as_the_recommendation_button(client, demo, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="secret-pass-123"))

    html = client.get(reverse("admin:districts_unit_add"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()

    assert "Lưu và thêm kiến nghị khác" not in html
    assert 'value="Lưu và thêm mới"' in html


def test_the_admins_javascript_strings_are_vietnamese_too(client, django_user_model):
    # "Choose all", "Remove all" … of the two-list permission picker come from the JavaScript catalogue.
    client.force_login(django_user_model.objects.create_superuser("root", password="secret-pass-123"))

    catalogue = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()

    assert '"Choose all %s": "Ch\\u1ecdn t\\u1ea5t c\\u1ea3 %s"' in catalogue or "Chọn tất cả %s" in catalogue
    assert "Bỏ tất cả %s" in catalogue or "B\\u1ecf t\\u1ea5t c\\u1ea3 %s" in catalogue


def test_permissions_are_named_in_vietnamese_on_the_group_page(client, demo, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="secret-pass-123"))
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="Cán bộ Sở Nội vụ")
    html = client.get(reverse("admin:auth_group_change", args=[group.pk]), HTTP_ACCEPT_LANGUAGE="vi").content.decode()

    assert "Thủ tục và hồ sơ | báo cáo quý | Được duyệt, trả lại và mở lại báo cáo quý" in html
    assert "Được xem lịch sử kiến nghị" in html
