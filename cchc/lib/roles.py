"""The three roles of the system, as groups with their permissions.

The groups are kept in step with this module after every ``migrate``, so a fresh database has them and a
change here reaches existing databases. What a role may *see* is narrowed further in views and querysets
(a district officer sees their own unit only); the permissions below say what it may *do*.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from cchc.lib.compiled import compiled


@dataclass(frozen=True)
class Role:
    code: str
    group_name: str
    label: str
    permissions: tuple  # "app_label.codename"


def _crud(app_label, *models, actions=("view", "add", "change", "delete")):
    return tuple(f"{app_label}.{action}_{model}" for model in models for action in actions)


_ASSESSMENT_MODELS = (
    "criteriaset",
    "criterion",
    "scoreband",
    "gradeband",
    "assessment",
    "leafscore",
    "scoregroup",
    "groupscore",
)
_VIEW_ALL = (
    _crud("districts", "unit", "reformplan", "reformtask", actions=("view",))
    + _crud("dossiers", "quarterlyreport", "levelfigures", "reportevent", actions=("view",))
    + _crud("inspections", "inspectionsession", "teammember", "inspectedunit", "recommendation", actions=("view",))
    + _crud("cchc", "target", "legendset", "band", actions=("view",))
    + _crud("assessments", *_ASSESSMENT_MODELS, actions=("view",))
)

PROVINCIAL_STAFF = Role(
    "provincial_staff",
    "Cán bộ Sở Nội vụ",
    _("provincial staff"),
    _VIEW_ALL
    + _crud("districts", "reformplan", "reformtask")
    + _crud("dossiers", "quarterlyreport", "levelfigures")
    + ("dossiers.approve_quarterlyreport",)
    + _crud("cchc", "target", "legendset", "band")
    # The province writes the PAR-index criteria sets, appraises, enters survey and Decision-766 results.
    + _crud("assessments", "criteriaset", "criterion", "scoreband", "gradeband", "scoregroup", "groupscore")
    + _crud("assessments", "assessment", actions=("change",)),
)
DISTRICT_OFFICER = Role(
    "district_officer",
    "Cán bộ Phòng Nội vụ cấp huyện",
    _("district officer"),
    _crud("districts", "unit", actions=("view",))
    + _crud("districts", "reformplan", "reformtask")
    + _crud("dossiers", "quarterlyreport", "levelfigures", actions=("view", "add", "change"))
    + _crud("inspections", "inspectionsession", "inspectedunit", "recommendation", actions=("view",))
    + ("inspections.change_recommendation",)
    + _crud(
        "assessments",
        "criteriaset",
        "criterion",
        "assessment",
        "leafscore",
        "scoregroup",
        "groupscore",
        actions=("view",),
    ),
)
INSPECTION_TEAM = Role(
    "inspection_team",
    "Đoàn kiểm tra CCHC",
    _("inspection team"),
    _VIEW_ALL + _crud("inspections", "inspectionsession", "teammember", "inspectedunit", "recommendation"),
)

ROLES = (PROVINCIAL_STAFF, DISTRICT_OFFICER, INSPECTION_TEAM)


def role_names(user):
    """The names of the user's groups: the one place group membership is read.

    Read once per user object and kept on it, so one request may ask several questions of it at the cost of one
    query (as Django's own permission checks keep ``_perm_cache``).
    """
    names = getattr(user, "_role_names", None)
    if names is None:
        names = frozenset(_group_names_of(user.pk).read()) if user.is_authenticated else frozenset()
        user._role_names = names
    return names


@compiled
def _group_names_of(user_pk):
    # ``user.groups.values_list("name", flat=True)``, compiled once per user and process: every page asks, and
    # building the related manager's query cost more than the database takes to answer it.
    from django.contrib.auth.models import Group

    return Group.objects.filter(user=user_pk).values_list("name", flat=True)


def has_role(user, *roles):
    """Whether the user is in (one of) the roles' groups. An administrator is in no role unless given one."""
    return any(role.group_name in role_names(user) for role in roles)


def sync_role_groups(**kwargs):
    """Create each role's group and give it exactly the role's permissions."""
    from django.contrib.auth.models import Group, Permission

    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role.group_name)
        wanted = []
        for dotted in role.permissions:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                wanted.append(permission)
        group.permissions.set(wanted)
