"""The three roles exist as groups after migrate, each with what it may do (cchc/lib/roles.py)."""

import pytest
from django.contrib.auth.models import Group

from cchc.lib.roles import DISTRICT_OFFICER, INSPECTION_TEAM, PROVINCIAL_STAFF, ROLES, has_role, sync_role_groups
from tests.factories import make_district, make_province, make_user

pytestmark = pytest.mark.django_db


def permissions_of(group):
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_the_three_role_groups_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Cán bộ Sở Nội vụ",
        "Cán bộ Phòng Nội vụ cấp huyện",
        "Đoàn kiểm tra CCHC",
    }


@pytest.mark.parametrize("role", ROLES, ids=[role.code for role in ROLES])
def test_each_group_has_every_permission_of_its_role_and_no_other(role):
    # A misspelt permission would silently be left out of the group.
    assert permissions_of(Group.objects.get(name=role.group_name)) == set(role.permissions)


# What each role may do, as docs/domain.md (§Users) describes them.
MAY = {
    PROVINCIAL_STAFF: {
        "dossiers.change_quarterlyreport": True,
        "dossiers.change_levelfigures": True,
        "dossiers.view_reportevent": True,
        "districts.change_reformplan": True,
        "inspections.view_recommendation": True,
        "inspections.change_recommendation": False,
        "districts.change_unit": False,
    },
    DISTRICT_OFFICER: {
        "dossiers.add_quarterlyreport": True,
        "dossiers.change_quarterlyreport": True,
        "dossiers.change_levelfigures": True,
        "dossiers.delete_quarterlyreport": False,
        "dossiers.delete_levelfigures": False,
        "districts.change_reformtask": True,
        "districts.add_reformtask": True,
        "inspections.change_recommendation": True,
        "inspections.add_recommendation": False,
        "inspections.change_inspectionsession": False,
        "districts.change_unit": False,
    },
    INSPECTION_TEAM: {
        "inspections.add_inspectionsession": True,
        "inspections.change_inspectedunit": True,
        "inspections.add_teammember": True,
        "inspections.change_recommendation": True,
        "inspections.delete_recommendation": True,
        "dossiers.view_quarterlyreport": True,
        "dossiers.change_quarterlyreport": False,
        "dossiers.change_levelfigures": False,
        "districts.change_reformtask": False,
    },
}
CASES = [
    (role, permission, allowed) for role, permissions in MAY.items() for permission, allowed in permissions.items()
]


@pytest.mark.parametrize(
    ("role", "permission", "allowed"), CASES, ids=[f"{role.code}-{permission}" for role, permission, _allowed in CASES]
)
def test_a_user_in_a_role_may_do_what_the_role_allows_and_nothing_else(role, permission, allowed):
    district = make_district(make_province())
    user = make_user(role=role, unit=district)

    assert user.has_perm(permission) is allowed


@pytest.mark.parametrize("role", ROLES, ids=[role.code for role in ROLES])
def test_a_user_has_the_role_of_their_group_only(role):
    user = make_user(role=role)

    assert [other.code for other in ROLES if has_role(user, other)] == [role.code]


def test_syncing_again_restores_a_groups_permissions_and_creates_no_duplicate_group():
    group = Group.objects.get(name=INSPECTION_TEAM.group_name)
    group.permissions.clear()

    sync_role_groups()

    assert permissions_of(group) == set(INSPECTION_TEAM.permissions)
    assert Group.objects.filter(name=INSPECTION_TEAM.group_name).count() == 1
