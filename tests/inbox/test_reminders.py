"""The inbox and the daily reminders (inbox/): what waits for whom, shown on the landing page and in the menu,
and e-mailed by ``send_reminders`` once and only once per event, except to users who opted out.

Deadlines, worked out by hand with the test settings (REPORT_DUE_DAYS 10, REMINDER_DAYS_BEFORE 7):
2024Q3 ends 30/09/2024, so its report is due 10/10/2024; it shows as due from 03/10 (10 − 7) and as overdue
from 11/10.
"""

import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from assessments.models import Assessment, AssessmentStatus
from cchc.lib.roles import DISTRICT_OFFICER, INSPECTION_TEAM, PROVINCIAL_STAFF
from dossiers import services
from dossiers.models import ReportStatus
from inbox.models import ReminderSetting, SentReminder
from inbox.sources import items_for
from tests.factories import (
    make_recommendation,
    make_report,
    make_session,
    make_set,
    make_user,
)

pytestmark = pytest.mark.django_db

S = ReportStatus


@pytest.fixture(autouse=True)
def deadlines(settings):
    settings.REPORT_DUE_DAYS = 10
    settings.REMINDER_DAYS_BEFORE = 7
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def officer(thanh_binh):
    return make_user(DISTRICT_OFFICER, thanh_binh, username="thanhbinh", email="thanhbinh@example.org")


@pytest.fixture
def staff(dong_thap):
    return make_user(PROVINCIAL_STAFF, dong_thap, username="province", email="province@example.org")


@pytest.fixture
def inspector(dong_thap):
    return make_user(INSPECTION_TEAM, dong_thap, username="inspector", email="inspector@example.org")


def send(day):
    call_command("send_reminders", "--today", day.isoformat(), stdout=io.StringIO())


def mails_to(address):
    return [message for message in mail.outbox if address in message.to]


def keys(user, day):
    return [item.key for item in items_for(user, day)]


def hand_in_earlier_quarters(unit, *quarters):
    for year, quarter in quarters:
        make_report(unit, year, quarter, status=S.APPROVED)


# --- A returned report ----------------------------------------------------------------------------------------------


def test_a_returned_report_is_e_mailed_to_the_district_once_and_only_once(officer, staff, thanh_binh):
    hand_in_earlier_quarters(thanh_binh, (2024, 1), (2023, 4), (2023, 3))
    report = make_report(thanh_binh, 2024, 2, status=S.SUBMITTED)
    services.return_to_unit(report, by=staff, comment="Thiếu số liệu cấp xã.")
    day = date(2024, 7, 1)  # 2024Q2 ended the day before; nothing else is due yet (due 10/07, shown from 03/07)

    send(day)
    send(day)
    send(day + timedelta(days=1))

    [message] = mails_to("thanhbinh@example.org")
    assert "Quý II/2024" in message.body
    assert "/dossiers/874/2024Q2/" in message.body
    assert message.subject == "[CCHC] 1 việc đang chờ bạn"
    assert SentReminder.objects.filter(user=officer).count() == 1


def test_a_report_returned_a_second_time_is_a_new_reminder(officer, staff, thanh_binh):
    report = make_report(thanh_binh, 2024, 2, status=S.SUBMITTED)
    day = date(2024, 7, 1)
    services.return_to_unit(report, by=staff, comment="Lần 1.")
    send(day)
    services.submit(report, by=officer)
    services.return_to_unit(report, by=staff, comment="Lần 2.")

    send(day)

    assert len(mails_to("thanhbinh@example.org")) == 2


# --- A report due, then overdue -------------------------------------------------------------------------------------


def test_a_report_due_soon_then_overdue_gives_two_reminders_each_sent_once(officer, thanh_binh):
    hand_in_earlier_quarters(thanh_binh, (2024, 2), (2024, 1), (2023, 4))

    assert keys(officer, date(2024, 10, 2)) == []  # 8 days before the deadline: not yet
    assert keys(officer, date(2024, 10, 3)) == [f"report-due:{thanh_binh.pk}:2024Q3"]
    assert keys(officer, date(2024, 10, 11)) == [f"report-overdue:{thanh_binh.pk}:2024Q3"]

    for day in (date(2024, 10, 3), date(2024, 10, 4), date(2024, 10, 11), date(2024, 10, 12)):
        send(day)

    subjects = [message.body for message in mails_to("thanhbinh@example.org")]
    assert len(subjects) == 2
    assert "hạn nộp 10/10/2024" in subjects[0]
    assert "đã quá hạn" in subjects[1]


def test_a_report_handed_in_is_no_longer_due(officer, thanh_binh):
    hand_in_earlier_quarters(thanh_binh, (2024, 2), (2024, 1), (2023, 4))
    make_report(thanh_binh, 2024, 3, status=S.SUBMITTED)

    assert keys(officer, date(2024, 10, 11)) == []


# --- Recommendations ------------------------------------------------------------------------------------------------


def test_a_recommendation_near_then_past_its_deadline_reminds_the_owner_and_past_it_the_team(
    officer, inspector, dong_thap, thanh_binh
):
    session = make_session(dong_thap, starts_on=date(2024, 3, 1), ends_on=date(2024, 3, 2))
    recommendation = make_recommendation(thanh_binh, session, deadline=date(2024, 5, 31))
    hand_in_earlier_quarters(thanh_binh, (2024, 1), (2023, 4), (2023, 3), (2023, 2))

    assert keys(officer, date(2024, 5, 23)) == []  # 8 days before
    assert keys(officer, date(2024, 5, 24)) == [f"recommendation-near:{recommendation.pk}"]
    assert keys(inspector, date(2024, 5, 24)) == []  # the team hears of it once it is late
    assert keys(officer, date(2024, 6, 1)) == [f"recommendation-overdue:{recommendation.pk}"]
    assert keys(inspector, date(2024, 6, 1)) == [f"team-recommendation-overdue:{recommendation.pk}"]

    for day in (date(2024, 5, 24), date(2024, 5, 25), date(2024, 6, 1), date(2024, 6, 2)):
        send(day)

    assert len(mails_to("thanhbinh@example.org")) == 2
    assert len(mails_to("inspector@example.org")) == 1


def test_a_closed_recommendation_reminds_nobody(officer, thanh_binh):
    make_recommendation(thanh_binh, deadline=date(2024, 5, 31), status="done", closed_on=date(2024, 5, 1))
    hand_in_earlier_quarters(thanh_binh, (2024, 1), (2023, 4), (2023, 3), (2023, 2))

    assert keys(officer, date(2024, 6, 1)) == []


# --- The province's side --------------------------------------------------------------------------------------------


def test_a_submitted_report_waits_for_the_provinces_review(officer, staff, thanh_binh):
    report = make_report(thanh_binh, 2024, 2)
    services.submit(report, by=officer)

    items = items_for(staff, date(2024, 7, 5))

    assert [item.text for item in items] == ["Huyện Thanh Bình đã gửi báo cáo Quý II/2024: hãy xem xét."]
    send(date(2024, 7, 5))
    send(date(2024, 7, 6))
    assert len(mails_to("province@example.org")) == 1


def test_the_reports_to_review_come_oldest_quarter_first_whatever_order_they_were_made_in(
    officer, staff, thanh_binh, lap_vo
):
    # Made newest first, so that their primary keys run against the quarters.
    for unit, year, quarter in [(thanh_binh, 2024, 2), (lap_vo, 2024, 1), (thanh_binh, 2024, 1), (lap_vo, 2023, 4)]:
        report = make_report(unit, year, quarter)
        report.status = S.SUBMITTED
        report.save()

    texts = [item.text for item in items_for(staff, date(2024, 7, 5))]

    # By quarter, then by the unit's name (Lấp Vò before Thanh Bình).
    assert texts == [
        "Huyện Lấp Vò đã gửi báo cáo Quý IV/2023: hãy xem xét.",
        "Huyện Lấp Vò đã gửi báo cáo Quý I/2024: hãy xem xét.",
        "Huyện Thanh Bình đã gửi báo cáo Quý I/2024: hãy xem xét.",
        "Huyện Thanh Bình đã gửi báo cáo Quý II/2024: hãy xem xét.",
    ]


def test_a_submitted_self_assessment_waits_for_the_provinces_appraisal(staff, dong_thap, thanh_binh):
    criteria_set = make_set(dong_thap)
    assessment = Assessment.objects.create(
        criteria_set=criteria_set, unit=thanh_binh, status=AssessmentStatus.SUBMITTED
    )

    assert keys(staff, date(2024, 7, 5)) == [f"par-appraise:{assessment.pk}:submitted"]


# --- Opting out -----------------------------------------------------------------------------------------------------


def test_a_user_who_opted_out_gets_no_e_mail_but_still_sees_the_inbox(officer, staff, thanh_binh):
    hand_in_earlier_quarters(thanh_binh, (2024, 1), (2023, 4), (2023, 3))
    report = make_report(thanh_binh, 2024, 2, status=S.SUBMITTED)
    services.return_to_unit(report, by=staff, comment="Thiếu số liệu cấp xã.")
    client = Client()
    client.force_login(officer)

    client.post("/inbox/", {})  # the box unticked

    assert ReminderSetting.objects.get(user=officer).email_reminders is False
    send(date(2024, 7, 1))
    assert mails_to("thanhbinh@example.org") == []
    assert "Tỉnh đã trả lại báo cáo Quý II/2024" in client.get("/inbox/").content.decode()

    # Opting in again sends what is waiting, once
    client.post("/inbox/", {"email_reminders": "on"})
    send(date(2024, 7, 1))
    send(date(2024, 7, 1))
    assert len(mails_to("thanhbinh@example.org")) == 1


def test_a_failed_e_mail_is_not_recorded_and_is_tried_again(officer, staff, thanh_binh, monkeypatch):
    report = make_report(thanh_binh, 2024, 2, status=S.SUBMITTED)
    services.return_to_unit(report, by=staff, comment="Thiếu số liệu cấp xã.")

    def broken(*args, **kwargs):
        raise OSError("SMTP server unreachable")

    monkeypatch.setattr("inbox.services.send_mail", broken)
    with pytest.raises(Exception, match="could not be sent"):
        send(date(2024, 7, 1))
    assert not SentReminder.objects.exists()

    monkeypatch.undo()
    send(date(2024, 7, 1))
    assert len(mails_to("thanhbinh@example.org")) == 1


# --- On the pages ---------------------------------------------------------------------------------------------------


def test_the_landing_page_and_the_menu_show_what_is_waiting(officer, staff, thanh_binh, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: date(2024, 7, 1))
    hand_in_earlier_quarters(thanh_binh, (2024, 1), (2023, 4), (2023, 3))
    report = make_report(thanh_binh, 2024, 2, status=S.SUBMITTED)
    services.return_to_unit(report, by=staff, comment="Thiếu số liệu cấp xã.")
    client = Client()
    client.force_login(officer)

    html = client.get("/").content.decode()

    box = html[html.index('data-testid="inbox-box"') :]
    assert "Tỉnh đã trả lại báo cáo Quý II/2024" in box[: box.index("</section>")]
    # One thing waits: the returned report (the three quarters before it were handed in; 2024Q2's own
    # deadline item gives way to the returned report, which is the same task)
    count = html[html.index('data-testid="inbox-count"') :]
    assert count.split(">", 1)[1].startswith("1<")
