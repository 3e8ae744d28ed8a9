"""Two "add report" saves in the admin for one unit and quarter at once (issue 11, item 3): the one saved second
is told so in Vietnamese and shown the report saved first, never a server error; nothing of it is saved."""

import pytest
from django.contrib import messages
from django.urls import reverse

from cchc.lib.roles import PROVINCIAL_STAFF
from districts.models import ReformPlan
from dossiers.models import QuarterlyReport
from tests.factories import make_plan, make_user
from tests.formsets import management, report_admin_inlines
from tests.test_races import at_once, logged_in

ADD = "admin:dossiers_quarterlyreport_add"
ADDED_MEANWHILE = (
    "Người khác vừa thêm báo cáo của Huyện Thanh Bình cho Quý I/2024 trong lúc bạn nhập báo cáo này: số liệu của "
    "bạn chưa được lưu. Đây là báo cáo của họ: hãy sửa nếu cần."
)


def add_post(unit, **figures):
    data = {
        "unit": unit.pk,
        "year": 2024,
        "quarter": 1,
        "note": "",
        "seen_version": "",
        **report_admin_inlines(),
    }
    data.update(figures)
    return data


def shown_messages(response):
    return [(message.level, message.message) for message in messages.get_messages(response.wsgi_request)]


def assert_told_saved_meanwhile(response, changelist, what):
    """The add page answered a row saved meanwhile: back to the list, told in Vietnamese what was saved."""
    assert response.status_code == 302
    assert response["Location"] == reverse(changelist)
    assert shown_messages(response) == [
        (
            messages.ERROR,
            f"Người khác vừa lưu {what} trùng với nội dung bạn đang nhập: thay đổi của bạn chưa được lưu. "
            "Hãy xem lại danh sách và thử lại nếu cần.",
        )
    ]


@pytest.mark.django_db
def test_a_report_added_by_someone_else_after_the_forms_check_gives_a_message_not_an_error(thanh_binh, monkeypatch):
    staff = logged_in(make_user(PROVINCIAL_STAFF, thanh_binh.parent, is_staff=True))
    theirs = QuarterlyReport.objects.create(unit=thanh_binh, year=2024, quarter=1, procedures_total=456)
    # The race's window: the form checked before the other person's report was committed, so it saw none.
    monkeypatch.setattr(QuarterlyReport, "validate_unique", lambda self, exclude=None: None)
    monkeypatch.setattr(QuarterlyReport, "validate_constraints", lambda self, exclude=None, using=None: None)

    response = staff.post(reverse(ADD), add_post(thanh_binh, procedures_total=999))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:dossiers_quarterlyreport_change", args=[theirs.pk])
    assert shown_messages(response) == [(messages.ERROR, ADDED_MEANWHILE)]
    assert list(QuarterlyReport.objects.values_list("procedures_total", flat=True)) == [456]


@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_adds_of_one_report_save_one_and_refuse_the_others_clearly(thanh_binh):
    clients = [logged_in(make_user(PROVINCIAL_STAFF, thanh_binh.parent, is_staff=True)) for _ in range(10)]

    results = at_once(
        [
            lambda client=client, n=n: client.post(reverse(ADD), add_post(thanh_binh, procedures_total=400 + n))
            for n, client in enumerate(clients)
        ]
    )

    errors = [result for result in results if not hasattr(result, "status_code") or result.status_code >= 500]
    assert errors == []
    assert QuarterlyReport.objects.count() == 1
    saved = [r for r in results if r.status_code == 302 and r["Location"].endswith("/quarterlyreport/")]
    # The others are told, by the form (SQLite: they waited for the first save's lock, then saw its report) or
    # by the message of the race (PostgreSQL: the database refused their insert).
    refused = [r for r in results if r not in saved]
    assert len(saved) == 1 and len(refused) == 9
    for response in refused:
        if response.status_code == 200:
            assert "đã tồn tại" in response.content.decode() or "đã có" in response.content.decode()
        else:
            assert shown_messages(response) == [(messages.ERROR, ADDED_MEANWHILE)]


@pytest.mark.django_db
def test_any_scoped_admin_answers_a_row_added_meanwhile_with_a_message_not_an_error(thanh_binh, monkeypatch):
    staff = logged_in(make_user(PROVINCIAL_STAFF, thanh_binh.parent, is_staff=True))
    make_plan(thanh_binh, 2024, title="Kế hoạch CCHC năm 2024 của người khác")
    # The race's window, as above: the form saw no plan of 2024 yet.
    monkeypatch.setattr(ReformPlan, "validate_unique", lambda self, exclude=None: None)
    monkeypatch.setattr(ReformPlan, "validate_constraints", lambda self, exclude=None, using=None: None)
    data = {
        "unit": thanh_binh.pk,
        "year": 2024,
        "title": "Kế hoạch của tôi",
        "reference_number": "",
        "note": "",
        "seen_version": "",
        **management("tasks"),
    }

    response = staff.post(reverse("admin:districts_reformplan_add"), data)

    assert_told_saved_meanwhile(response, "admin:districts_reformplan_changelist", "một kế hoạch CCHC")
    assert list(ReformPlan.objects.values_list("title", flat=True)) == ["Kế hoạch CCHC năm 2024 của người khác"]


@pytest.mark.django_db
def test_an_admin_not_scoped_to_units_answers_a_row_added_meanwhile_with_a_message_too(admin_client, monkeypatch):
    from cchc.models import LegendSet

    LegendSet.objects.create(name="Ngưỡng của người khác")
    # The race's window: the form checked before the other person's set of the same name was committed.
    monkeypatch.setattr(LegendSet, "validate_unique", lambda self, exclude=None: None)
    data = {
        "name": "Ngưỡng của người khác",
        "is_default": "",
        **management("bands"),
    }

    response = admin_client.post(reverse("admin:cchc_legendset_add"), data)

    assert_told_saved_meanwhile(response, "admin:cchc_legendset_changelist", "một bộ dải màu")
    assert LegendSet.objects.filter(name="Ngưỡng của người khác").count() == 1
