"""Issue 10, finding 2: repeated failed sign-ins are throttled (API: 429 + Retry-After; login page: 429
with a Chinese message), with rules that slow an attacker without letting them lock the owner out."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng.accounts.models import LoginAttempt, LoginThrottle
from zhiheng.accounts.tests.factories import PASSWORD, PersonFactory
from zhiheng.core import clock
from zhiheng.ledger.models import Entry

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, tzinfo=clock.SHANGHAI)
A, B, C = "10.1.1.1", "10.2.2.2", "10.3.3.3"


def login(client, username, password, address=A):
    return client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def at(seconds: float):
    return clock.frozen(T0 + dt.timedelta(seconds=seconds))


def test_ten_wrong_passwords_then_the_right_one_is_429_until_the_delay_has_passed(client, world):
    with at(0):
        statuses = [login(client, "t-deputy", "wrong-password").status_code for _ in range(10)]
        # Five free failures, the sixth starts a 1 s delay; the rest are not even heard.
        assert statuses == [401] * 6 + [429] * 4
        r = login(client, "t-deputy", PASSWORD)
    assert r.status_code == 429
    body = r.json()["error"]
    assert body["rule"] == "auth" and "秒后再试" in body["message"]
    retry_after = int(r["Retry-After"])
    assert retry_after == body["detail"]["retry_after"] == 1
    with at(retry_after):
        r = login(client, "t-deputy", PASSWORD)
        assert r.status_code == 200
        assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {r.json()['token']}").status_code == 200


def test_delays_grow_exponentially_while_failures_continue(client, world):
    now, waits = 0, []
    for _ in range(12):
        with at(now):
            assert login(client, "t-deputy", "wrong-password").status_code == 401
        pair = LoginThrottle.objects.get(key=f"pair:{A}|t-deputy")
        wait = (
            int((pair.locked_until - (T0 + dt.timedelta(seconds=now))).total_seconds())
            if pair.locked_until
            else 0
        )
        waits.append(wait)
        if wait:
            with at(now + wait - 0.5):
                assert login(client, "t-deputy", PASSWORD).status_code == 429  # not heard meanwhile
        now += wait
    assert waits == [0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64]


def test_another_address_is_not_blocked_by_the_first_address_failures(client, world):
    with at(0):
        for _ in range(8):
            login(client, "t-deputy", "wrong-password", address=A)
        assert login(client, "t-deputy", PASSWORD, address=A).status_code == 429
        # The account has 6 counted failures from unknown addresses, under its soft limit of 10.
        assert login(client, "t-deputy", PASSWORD, address=B).status_code == 200


def test_the_account_soft_limit_slows_failing_unknown_addresses_only(client, world):
    with at(0):
        assert login(client, "t-deputy", PASSWORD, address=C).status_code == 200  # C is the owner's desk
    with at(60):
        # Guessing from several addresses, each staying under the per-address limit of 5.
        for address, tries in (("10.9.0.1", 4), ("10.9.0.2", 4), ("10.9.0.3", 3)):
            for _ in range(tries):
                assert login(client, "t-deputy", "wrong-password", address=address).status_code == 401
        # 11 failures from unknown addresses: an address that already failed must now wait…
        r = login(client, "t-deputy", PASSWORD, address="10.9.0.1")
        assert r.status_code == 429 and int(r["Retry-After"]) >= 1
        # …while the owner's known address, and a fresh address's first try, are heard at once.
        assert login(client, "t-deputy", PASSWORD, address=C).status_code == 200
        assert login(client, "t-deputy", PASSWORD, address="10.7.7.7").status_code == 200


def test_spraying_many_accounts_from_one_address_is_throttled_but_not_for_accounts_it_knows(client, world):
    with at(0):
        assert login(client, "t-staff", PASSWORD, address=A).status_code == 200  # A is t-staff's desk
    with at(10):
        for i in range(30):
            assert login(client, f"nobody{i}", "wrong-password", address=A).status_code == 401
        assert login(client, "nobody-else", "wrong-password", address=A).status_code == 401
        r = login(client, "t-deputy", PASSWORD, address=A)
        assert r.status_code == 429  # A is a stranger to t-deputy, and A is spraying
        assert login(client, "t-deputy", PASSWORD, address=B).status_code == 200
        assert login(client, "t-staff", PASSWORD, address=A).status_code == 200


def test_counters_are_forgotten_after_a_quiet_day(client, world):
    with at(0):
        for _ in range(9):
            login(client, "t-deputy", "wrong-password")
        assert login(client, "t-deputy", PASSWORD).status_code == 429
    with at(24 * 3600):
        assert login(client, "t-deputy", "wrong-password").status_code == 401
        assert login(client, "t-deputy", PASSWORD).status_code == 200


def test_a_success_clears_the_pair_but_not_the_address_count(client, world):
    """An attacker cannot reset their address's spray count by signing in to their own account."""
    with at(0):
        for i in range(20):
            login(client, f"nobody{i}", "wrong-password", address=A)
        assert login(client, "t-outsider", PASSWORD, address=A).status_code == 200
        assert LoginThrottle.objects.get(key=f"address:{A}").failures == 20


def test_attempts_are_recorded_without_the_password(client, world):
    with at(0):
        for _ in range(7):
            login(client, "t-deputy", "wrong-password-123", address=B)
    with at(5):
        login(client, "t-deputy", PASSWORD, address=B)
        login(client, "nobody", "x", address=B)
    rows = list(LoginAttempt.objects.order_by("pk").values_list("username", "address", "channel", "outcome"))
    assert rows == (
        [("t-deputy", B, "api", "failure")] * 6
        + [("t-deputy", B, "api", "throttled")]
        + [("t-deputy", B, "api", "success"), ("nobody", B, "api", "failure")]
    )
    attempt = LoginAttempt.objects.first()
    assert "wrong-password-123" not in str([getattr(attempt, f.attname) for f in LoginAttempt._meta.fields])
    assert PASSWORD not in str(list(LoginAttempt.objects.values()))


def test_repeated_failures_are_ledgered_once_an_hour_in_the_person_district(client, world):
    with at(0):
        for _ in range(6):
            login(client, "t-deputy", "wrong-password")
        for _ in range(3):
            assert login(client, "t-deputy", "wrong-password").status_code == 429
    with at(600):
        for _ in range(3):
            login(client, "t-deputy", "wrong-password")
    entries = Entry.objects.filter(event_type="auth.login_throttled", subject="person:t-deputy")
    assert entries.count() == 1
    entry = entries.get()
    assert (entry.unit, entry.district) == ("", "testdistrict")
    with at(3600 + 600):
        login(client, "t-deputy", "wrong-password")
    assert entries.count() == 2


def test_guesses_at_names_nobody_holds_are_not_ledgered_by_name(client, world):
    with at(0):
        for _ in range(8):
            login(client, "no-such-person", "wrong-password")
    assert not Entry.objects.filter(subject="person:no-such-person").exists()
    assert LoginAttempt.objects.filter(username="no-such-person").count() == 8


def test_a_spraying_address_is_ledgered_at_platform_level(client, world):
    with at(0):
        for i in range(32):
            login(client, f"nobody{i}", "wrong-password", address=A)
    entry = Entry.objects.get(event_type="auth.login_throttled", subject=f"address:{A}")
    assert (entry.unit, entry.district) == ("", "")


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(client, world, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    with at(0):
        for _ in range(7):
            client.post(
                "/api/v1/auth/token",
                {"username": "t-deputy", "password": "wrong-password"},
                content_type="application/json",
                REMOTE_ADDR="10.0.0.1",
                HTTP_X_FORWARDED_FOR="10.5.5.5",
            )
    assert set(LoginAttempt.objects.values_list("address", flat=True)) == {"10.5.5.5"}


# ---------------------------------------------------------------- the login page


def web_login(client, password, address=A, username="t-deputy"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_login_page_is_throttled_with_a_chinese_message(client, world):
    with at(0):
        for _ in range(6):
            r = web_login(client, "wrong-password")
            assert r.status_code == 200 and "用户名或密码错误" in r.content.decode()
        r = web_login(client, PASSWORD)
    assert r.status_code == 429
    assert r["Retry-After"] == "1"
    assert "登录失败次数过多，请 1 秒后再试" in r.content.decode()
    assert "_auth_user_id" not in client.session
    with at(1):
        r = web_login(client, PASSWORD)
    assert r.status_code == 302
    assert client.session["_auth_user_id"] == str(world.deputy.pk)
    assert list(LoginAttempt.objects.values_list("channel", flat=True).distinct()) == ["web"]


def test_api_and_page_share_the_counters(client, world):
    with at(0):
        for _ in range(6):
            login(client, "t-deputy", "wrong-password")
        assert web_login(client, PASSWORD).status_code == 429


def test_login_page_throttle_message_in_english(client, world):
    client.cookies["django_language"] = "en"
    with at(0):
        for _ in range(6):
            web_login(client, "wrong-password")
        r = web_login(client, PASSWORD)
    assert r.status_code == 429
    assert "Too many failed sign-ins" in r.content.decode()


def test_inactive_person_is_a_plain_failure(client, world):
    person = PersonFactory(username="t-gone", is_active=False)
    assert person.pk
    r = login(client, "t-gone", PASSWORD)
    assert r.status_code == 401 and r.json()["error"]["message"] == "用户名或密码错误"


def test_old_attempts_and_idle_counters_are_pruned(client, world):
    from zhiheng.accounts.tasks import prune_login_records

    with at(0):
        login(client, "t-deputy", PASSWORD, address=A)  # A becomes known to t-deputy
        login(client, "nobody", "wrong-password", address=B)
    with at(2 * 24 * 3600):
        # Every idle counter goes, except the pair that makes A known to t-deputy.
        assert prune_login_records.delay().get() == (0, 5)
        assert list(LoginThrottle.objects.values_list("key", flat=True)) == [f"pair:{A}|t-deputy"]
        assert LoginAttempt.objects.count() == 2
    with at(181 * 24 * 3600):
        assert prune_login_records.delay().get() == (2, 1)
        assert not LoginThrottle.objects.exists()
