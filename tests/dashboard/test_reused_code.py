"""Code 82 held by two provinces: Tiền Giang until 30/06/2025, the new Đồng Tháp from 01/07/2025. Each period's
dashboard, JSON feed and export show the province that held 82 then, and never the other one.

Figures (on-time rate = resolved in time / resolved, over the province's own report and its direct units):
- 2024Q4, Tiền Giang: its own report 20 of 20, Mỹ Tho city (815) 90 of 100 → 110 / 120 = 91,67 %;
- 2025Q4, the new Đồng Tháp: its own report 27 of 30, commune Tân Thạnh (29620) 40 of 50 → 67 / 80 = 83,75 %.
"""

import csv
import io

import pytest

from cchc.lib.roles import PROVINCIAL_STAFF
from tests.factories import make_counted_report, make_user

pytestmark = pytest.mark.django_db

FEED = "/api/indicators/"


@pytest.fixture
def both_82(both_82):
    """The root cast's two holders of 82, each with its units' counted reports of its last quarter of 2024/2025."""
    make_counted_report(both_82["tien_giang"], 2024, 4, level="province", resolved=20, resolved_in_time=20)
    make_counted_report(both_82["my_tho"], 2024, 4, level="district", resolved=100, resolved_in_time=90)
    make_counted_report(both_82["dong_thap"], 2025, 4, level="province", resolved=30, resolved_in_time=27)
    make_counted_report(both_82["tan_thanh"], 2025, 4, level="commune", resolved=50, resolved_in_time=40)
    return both_82


@pytest.fixture
def staff(client, both_82):
    client.force_login(make_user(PROVINCIAL_STAFF, unit=both_82["dong_thap"]))
    return client


@pytest.mark.parametrize(
    ("period", "shown", "never"),
    [("2024Q4", "Thành phố Mỹ Tho", "Xã Tân Thạnh"), ("2025Q4", "Xã Tân Thạnh", "Thành phố Mỹ Tho")],
)
def test_the_dashboard_of_82_shows_the_province_of_the_period(staff, both_82, period, shown, never):
    response = staff.get("/", {"province": "82", "period": period})

    assert response.status_code == 200
    page = response.content.decode()
    assert shown in page and never not in page
    holder = both_82["tien_giang"] if period == "2024Q4" else both_82["dong_thap"]
    assert response.context["scope"].province == holder
    # The province list offers the 82 of the period only.
    options = [label for _value, label in response.context["form"].fields["province"].choices]
    assert [label for label in options if "(82" in label] == [
        "Tỉnh Tiền Giang (82, đến 30/06/2025)" if period == "2024Q4" else "Tỉnh Đồng Tháp (82)"
    ]


@pytest.mark.parametrize(
    ("period", "codes", "counts", "value"),
    [
        # 20 + 90 = 110 in time of 20 + 100 = 120 resolved → 91,67 %
        ("2024Q4", ["815", "82"], (110, 120), 91.67),
        # 27 + 40 = 67 in time of 30 + 50 = 80 resolved → 83,75 %
        ("2025Q4", ["29620", "82"], (67, 80), 83.75),
    ],
)
def test_the_feed_of_82_gives_the_province_of_the_period(staff, period, codes, counts, value):
    data = staff.get(FEED, {"province": "82", "period": period}).json()

    assert sorted(unit["code"] for unit in data["units"]) == codes
    on_time = data["total"]["indicators"]["on_time_rate"]
    assert (on_time["numerator"], on_time["denominator"], on_time["value"]) == (*counts, value)


@pytest.mark.parametrize(
    ("period", "names"),
    [("2024Q4", {"Tỉnh Tiền Giang", "Thành phố Mỹ Tho"}), ("2025Q4", {"Tỉnh Đồng Tháp", "Xã Tân Thạnh"})],
)
def test_the_export_of_82_lists_the_units_of_the_period(staff, period, names):
    response = staff.get("/", {"province": "82", "period": period, "_export": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    listed = {row[0] for row in rows[1:]}
    assert names <= listed
    assert not listed & ({"Tỉnh Tiền Giang", "Thành phố Mỹ Tho", "Tỉnh Đồng Tháp", "Xã Tân Thạnh"} - names)


def test_the_page_of_each_82_links_to_the_other(staff, both_82):
    tien_giang, dong_thap = both_82["tien_giang"], both_82["dong_thap"]

    old_page = staff.get("/districts/82/", {"on": "2025-06-30"}).content.decode()
    new_page = staff.get("/districts/82/").content.decode()

    assert "Tỉnh Tiền Giang" in old_page and "Mã 82 từ 01/07/2025" in old_page
    assert "Mã 82 trước 01/07/2025" in new_page and tien_giang.get_absolute_url() in new_page
    assert staff.get("/districts/82/", {"year": "2024"}).context["unit"] == tien_giang
    assert staff.get("/districts/82/", {"year": "2026"}).context["unit"] == dong_thap
