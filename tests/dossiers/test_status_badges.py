"""A report's status is drawn from its choice (label and colour, dossiers.models.ReportStatus) by one partial, and
the report page offers the actions the workflow's one table (TRANSITIONS) allows from that status."""

import pytest

from cchc.lib.roles import PROVINCIAL_STAFF
from dossiers.models import ReportStatus
from tests.factories import make_report, make_user

pytestmark = pytest.mark.django_db

PAGE = "/dossiers/874/2024Q1/"


@pytest.mark.parametrize(
    ("status", "colour", "label"),
    [
        (ReportStatus.DRAFT, "secondary", "bản nháp"),
        (ReportStatus.SUBMITTED, "primary", "đã gửi"),
        (ReportStatus.RETURNED, "danger", "bị trả lại"),
        (ReportStatus.APPROVED, "success", "đã duyệt"),
    ],
)
def test_the_status_badge_takes_its_label_and_colour_from_the_choice(client, thanh_binh, status, colour, label):
    make_report(thanh_binh, 2024, 1, status=status)
    client.force_login(make_user(unit=thanh_binh))

    badge = f'<span class="badge text-bg-{colour} fs-6" data-testid="report-status">{label}</span>'
    assert badge in client.get(PAGE).content.decode()


@pytest.mark.parametrize(
    ("status", "offered"),
    [
        (ReportStatus.SUBMITTED, {"approve", "return"}),
        (ReportStatus.APPROVED, {"reopen"}),
        (ReportStatus.DRAFT, set()),
    ],
)
def test_the_province_is_offered_the_actions_the_workflow_allows(client, thanh_binh, status, offered):
    make_report(thanh_binh, 2024, 1, status=status)
    client.force_login(make_user(PROVINCIAL_STAFF, unit=thanh_binh.parent))

    page = client.get(PAGE).content.decode()

    assert {action for action in ("approve", "return", "reopen") if f'value="{action}"' in page} == offered
