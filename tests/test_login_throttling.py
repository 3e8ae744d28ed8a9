"""Login throttling (issue 11, failure 5): 30 wrong passwords in 36 s went unanswered, and the right one was
accepted straight after. Now the 5th failure locks the user name from that address for 15 minutes (the
defaults), the right password is refused while locked, and an administrator can unlock it in the admin.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY

from tests.factories import make_province, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSWORD = "secret-pass-123"  # tests.factories.make_user's
WRONG = "Sai mật khẩu"
LOCKED = (
    "Đăng nhập sai quá nhiều lần: tên đăng nhập này bị chặn đăng nhập từ địa chỉ này trong 15 phút. "
    "Hãy thử lại sau, hoặc nhờ quản trị viên mở khóa."
)
# Django's message for a wrong user name or password, the same for both.
BAD_LOGIN = "Vui lòng điền vào Tên đăng nhập và mật khẩu chính xác."


@pytest.fixture
def officer(db):
    return make_user(unit=make_province("87", "Tỉnh Đồng Tháp"), username="thanhbinh")


def log_in(client, username, password, address="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client):
    return SESSION_KEY in client.session


def test_four_failures_leave_the_right_password_working(client, officer):
    for _ in range(4):
        assert log_in(client, "thanhbinh", WRONG).status_code == 200

    response = log_in(client, "thanhbinh", PASSWORD)

    assert response.status_code == 302 and logged_in(client)


def test_the_fifth_failure_locks_and_the_right_password_is_refused_while_locked(client, officer):
    for _ in range(4):
        assert BAD_LOGIN in log_in(client, "thanhbinh", WRONG).content.decode()

    fifth = log_in(client, "thanhbinh", WRONG)
    right = log_in(client, "thanhbinh", PASSWORD)

    assert fifth.status_code == 429 and LOCKED in fifth.content.decode()
    assert right.status_code == 429 and LOCKED in right.content.decode()
    assert not logged_in(client)


def test_the_lock_holds_for_the_pair_of_user_name_and_address(client, officer):
    for _ in range(5):
        log_in(client, "thanhbinh", WRONG)

    # A colleague behind the same office router logs in; the locked user from another address does too.
    make_user(username="laivung")
    assert log_in(client, "laivung", PASSWORD).status_code == 302
    client.logout()
    assert log_in(client, "thanhbinh", PASSWORD, address="198.51.100.9").status_code == 302


def test_the_lock_ends_after_fifteen_minutes(client, officer):
    for _ in range(5):
        log_in(client, "thanhbinh", WRONG)
    # The failures as if made 15 minutes and a second ago.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=15, seconds=1)
    )

    assert log_in(client, "thanhbinh", PASSWORD).status_code == 302


def test_an_administrator_unlocks_in_the_admin(client, officer):
    for _ in range(5):
        log_in(client, "thanhbinh", WRONG)
    attempt = AccessAttempt.objects.get(username="thanhbinh")
    admin = make_user(username="quantri", is_staff=True, is_superuser=True)
    client.force_login(admin)

    listing = client.get("/admin/axes/accessattempt/")
    deleted = client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    client.logout()

    assert "thanhbinh" in listing.content.decode()
    assert deleted.status_code == 302
    assert log_in(client, "thanhbinh", PASSWORD).status_code == 302


def test_an_unknown_user_name_is_answered_like_a_wrong_password_then_locked_alike(client, officer):
    unknown = [log_in(client, "khongcoai", WRONG) for _ in range(5)]
    known = [log_in(client, "thanhbinh", WRONG) for _ in range(5)]

    # Same status and same message at every step: the page never tells whether the account exists.
    assert [r.status_code for r in unknown] == [r.status_code for r in known] == [200, 200, 200, 200, 429]
    assert all(BAD_LOGIN in r.content.decode() for r in unknown[:4] + known[:4])
    assert LOCKED in unknown[4].content.decode() and LOCKED in known[4].content.decode()


def test_a_success_clears_the_earlier_failures(client, officer):
    for _ in range(4):
        log_in(client, "thanhbinh", WRONG)
    log_in(client, "thanhbinh", PASSWORD)
    client.logout()

    # Four more failures: had the first four still counted, the fifth of these would be the ninth.
    responses = [log_in(client, "thanhbinh", WRONG) for _ in range(4)]

    assert [r.status_code for r in responses] == [200, 200, 200, 200]


def test_behind_the_proxy_the_address_is_the_one_it_reports(client, officer, settings):
    settings.BEHIND_PROXY = True
    for _ in range(5):
        client.post(
            LOGIN, {"username": "thanhbinh", "password": WRONG}, REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.7"
        )

    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
