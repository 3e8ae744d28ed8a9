"""The report form's live preview is computed by the server's rules: the form's script sends the figures as
typed and writes back what the preview URL answers (no rate, rounding or identity in JavaScript).

Figures: Thanh Bình's district level as typed in the browser test: carried over 120, received 1.500, resolved
1.400 of which 1.365 in time, 600 received online, 80 returned. To handle 120 + 1.500 = 1.620; on time
1.365 / 1.400 = 97,50%; online 600 / 1.500 = 40,00%; pending 1.620 − 1.400 − 80 = 140.
"""

import pytest

from tests.factories import make_district, make_user

pytestmark = pytest.mark.django_db

URL = "/dossiers/874/2024Q1/preview/"
TYPED = {
    "district__carried_over": "120",
    "district__received": "1.500",
    "district__resolved": "1 400",
    "district__resolved_in_time": "1365",
    "district__received_online": "600",
    "district__returned": "80",
    "commune__received": "3.200",
    "commune__carried_over": "abc",
}


def test_it_computes_each_level_row_as_the_server_does(client, thanh_binh):
    client.force_login(make_user(unit=thanh_binh))

    cells = client.get(URL, TYPED).json()["cells"]

    assert cells == {
        "to_handle.0": "1.620",
        "on_time_rate.0": "97,50%",
        "online_rate.0": "40,00%",
        "pending.0": "140",
        # The commune column: an unreadable carried over counts as blank, and blank is not zero.
        "to_handle.1": "—",
        "on_time_rate.1": "—",
        "online_rate.1": "—",
        "pending.1": "—",
    }


def test_a_returned_count_left_blank_counts_as_0_in_pending(client, thanh_binh):
    client.force_login(make_user(unit=thanh_binh))
    typed = {key: value for key, value in TYPED.items() if key != "district__returned"}

    assert client.get(URL, typed).json()["cells"]["pending.0"] == "220"


def test_it_answers_404_for_a_unit_the_user_may_not_see(client, thanh_binh):
    other = make_district(thanh_binh.parent, code="875", name="Tháp Mười")
    client.force_login(make_user(unit=other))

    assert client.get(URL, TYPED).status_code == 404


def test_it_sends_anonymous_visitors_to_log_in(client, thanh_binh):
    response = client.get(URL, TYPED)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_form_names_its_preview_url_and_cells(client, thanh_binh):
    client.force_login(make_user(unit=thanh_binh))

    page = client.get("/dossiers/874/2024Q1/").content.decode()

    assert f'data-preview-url="{URL}"' in page
    assert 'data-preview-cell="on_time_rate.1"' in page


def test_no_script_of_the_site_holds_arithmetic(settings):
    # Every rate, rounding, sum and identity is the server's: the scripts send what is typed and show what comes
    # back, or format what the server computed (the charts), never read a figure or round one themselves. (Pixels,
    # as wide_tables.js measures them, are no figure.)
    scripts = [path for path in (settings.BASE_DIR / "static").rglob("*.js") if "vendor" not in path.parts]
    assert scripts
    for path in scripts:
        text = path.read_text()
        for arithmetic in ("Math.round", "Math.floor", "parseInt", "parseFloat", "toFixed", "* 100", "/ 100", "+="):
            assert arithmetic not in text, (path.name, arithmetic)
