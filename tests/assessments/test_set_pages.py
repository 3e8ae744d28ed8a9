"""The pages that write criteria sets: the admin (sums checked over the whole tree), the import page, the copy."""

from decimal import Decimal

from django.urls import reverse
from django.utils import translation

from assessments.models import CriteriaSet, Criterion
from tests.assessments.test_criteria_sets import GOOD_ROWS, HEADER
from tests.factories import make_province, make_user
from tests.files import upload, xlsx_bytes
from tests.formsets import management


def admin_post(criteria_set, nodes):
    """The admin change form of ``criteria_set`` with its criteria inline, as ``nodes`` (code, text, max)."""
    existing = list(criteria_set.criteria.order_by("sort_key"))
    data = {
        "province": criteria_set.province_id,
        "year": criteria_set.year,
        "scored_units": criteria_set.scored_units,
        "title": criteria_set.title,
        **management("criteria", len(nodes), len(existing)),
        **management("grade_bands"),
    }
    for index, (code, text, points, method) in enumerate(nodes):
        prefix = f"criteria-{index}"
        if index < len(existing):
            data[f"{prefix}-id"] = existing[index].pk
        data[f"{prefix}-criteria_set"] = criteria_set.pk
        data.update(
            {
                f"{prefix}-code": code,
                f"{prefix}-text": text,
                f"{prefix}-max_points": points,
                f"{prefix}-method": method,
                f"{prefix}-source": "on_time_rate" if method == "computed" else "",
            }
        )
    return data


def test_the_admin_refuses_a_tree_whose_sums_do_not_add_up_and_saves_one_that_does(client, small_set):
    admin = make_user(username="admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    url = reverse("admin:assessments_criteriaset_change", args=[small_set.pk])
    nodes = [
        (node.code, node.text, str(node.max_points), node.method) for node in small_set.criteria.order_by("sort_key")
    ]
    nodes[2] = ("1.2", "Thực hiện kế hoạch CCHC", "7", "self")  # 4 + 7 = 11, area 1 says 10
    with translation.override("vi"):
        response = client.post(url, admin_post(small_set, nodes), HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    assert (
        "Điểm tối đa của 1 (10) không bằng tổng điểm tối đa của các tiêu chí thành phần (11)"
        in response.content.decode()
    )
    assert small_set.criteria.get(code="1.2").max_points == Decimal(6)
    # Raising area 1 to 11 as well makes the tree sound: it is saved, and the new node finds its parent.
    nodes[0] = ("1", "Công tác chỉ đạo, điều hành", "11", "self")
    nodes.append(("2.3", "Tiêu chí mới", "0", "self"))
    response = client.post(url, admin_post(small_set, nodes))
    assert response.status_code == 302
    assert small_set.criteria.get(code="1.2").max_points == Decimal(7)
    assert small_set.criteria.get(code="2.3").parent.code == "2"


def test_the_import_page_creates_a_set_or_lists_the_errors(client, dong_thap, staff):
    client.force_login(staff)
    url = reverse("assessments:import")
    rows = [list(row) for row in GOOD_ROWS]
    rows[3][2] = 9  # area 2: 4,5 + 4 = 8,5
    form = {"province": dong_thap.pk, "year": 2024, "scored_units": "district", "title": "Bộ tiêu chí 2024"}
    response = client.post(url, {**form, "file": upload("bo.xlsx", xlsx_bytes([HEADER, *rows]))})
    assert response.status_code == 400
    assert "Dòng 5, cột C:" in response.content.decode()
    assert not CriteriaSet.objects.exists()
    response = client.post(url, {**form, "file": upload("bo.xlsx", xlsx_bytes([HEADER, *GOOD_ROWS]))})
    criteria_set = CriteriaSet.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:set_detail", args=[criteria_set.pk])
    assert Criterion.objects.filter(criteria_set=criteria_set).count() == 6


def test_a_district_officer_neither_imports_nor_copies(client, small_set, officer):
    client.force_login(officer)
    assert client.get(reverse("assessments:import")).status_code == 403
    assert client.post(reverse("assessments:set_detail", args=[small_set.pk]), {"year": 2024}).status_code == 403
    assert CriteriaSet.objects.count() == 1


def test_the_set_page_copies_the_set_to_another_year_once(client, small_set, staff):
    client.force_login(staff)
    url = reverse("assessments:set_detail", args=[small_set.pk])
    response = client.post(url, {"year": 2024})
    copy = CriteriaSet.objects.get(year=2024)
    assert response["Location"] == reverse("assessments:set_detail", args=[copy.pk])
    assert copy.criteria.count() == small_set.criteria.count() == 8
    response = client.post(url, {"year": 2024})
    assert "Tỉnh đã có bộ tiêu chí cho loại đơn vị này trong năm đó." in response.content.decode()
    assert CriteriaSet.objects.count() == 2


def test_provincial_staff_import_sets_for_their_own_province_only(client, dong_thap, staff):
    tien_giang = make_province("82", "Tỉnh Tiền Giang")
    client.force_login(staff)
    url = reverse("assessments:import")
    assert list(client.get(url).context["form"].fields["province"].queryset) == [dong_thap]
    form = {"province": tien_giang.pk, "year": 2024, "scored_units": "district", "title": "Bộ tiêu chí 2024"}
    response = client.post(url, {**form, "file": upload("bo.xlsx", xlsx_bytes([HEADER, *GOOD_ROWS]))})
    assert "province" in response.context["form"].errors
    assert not CriteriaSet.objects.exists()
