"""cchc.lib.urls.reversed_url keeps what reverse answers, per URLconf and script prefix."""

from django.test import override_settings
from django.urls import clear_script_prefix, path, reverse, set_script_prefix

from cchc.lib.urls import reversed_url

urlpatterns = [path("elsewhere/<str:code>/", lambda request, code: None, name="unit")]


def test_it_answers_what_reverse_answers():
    for _twice in range(2):
        assert reversed_url("districts:detail", "01") == reverse("districts:detail", args=["01"])
        assert reversed_url("compare") == reverse("compare")


def test_it_follows_the_script_prefix():
    try:
        set_script_prefix("/cchc/")
        assert reversed_url("districts:detail", "01") == "/cchc/districts/01/"
    finally:
        clear_script_prefix()
    assert reversed_url("districts:detail", "01") == "/districts/01/"


@override_settings(ROOT_URLCONF=__name__)
def test_it_follows_the_urlconf():
    assert reversed_url("unit", "01") == "/elsewhere/01/"
