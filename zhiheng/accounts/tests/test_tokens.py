"""Issue 10, finding 3: API tokens are short-lived, renewable up to a ceiling, revocable by their holder
and by the commission, and die with the holder's last term of office."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session

from zhiheng.accounts.models import ApiToken
from zhiheng.core import clock
from zhiheng.ledger.models import Entry
from zhiheng.org.models import DistrictRole, Membership
from zhiheng.org.tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, tzinfo=clock.SHANGHAI)


def issue(client, username, password=PASSWORD):
    r = client.post(
        "/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json"
    )
    assert r.status_code == 200, r.content
    return r.json()["token"]


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def me(client, token):
    return client.get("/api/v1/me", **bearer(token)).status_code


def later(**delta):
    return clock.frozen(T0 + dt.timedelta(**delta))


# ---------------------------------------------------------------- DELETE /auth/token


def test_delete_revokes_the_callers_token_only(client, world):
    first, second = issue(client, "t-deputy"), issue(client, "t-deputy")
    r = client.delete("/api/v1/auth/token", **bearer(first))
    assert r.status_code == 204
    assert me(client, first) == 401
    assert me(client, second) == 200
    assert client.delete("/api/v1/auth/token", **bearer(first)).status_code == 401
    assert ApiToken.objects.filter(person=world.deputy, revoked_at__isnull=False).count() == 1


def test_delete_without_a_token_is_401(client, world):
    r = client.delete("/api/v1/auth/token")
    assert r.status_code == 401 and r.json()["error"]["rule"] == "auth"


# ---------------------------------------------------------------- lifetime and renewal


def test_a_token_lives_twelve_hours_by_default(client, world):
    with later(hours=0):
        token = issue(client, "t-deputy")
        assert ApiToken.objects.get().expires_at == T0 + dt.timedelta(hours=12)
    with later(hours=11, minutes=59):
        assert me(client, token) == 200
    with later(hours=12):
        assert me(client, token) == 401


def test_the_lifetime_follows_the_setting(client, world, settings):
    settings.API_TOKEN_TTL_HOURS = 2
    with later(hours=0):
        r = client.post(
            "/api/v1/auth/token",
            {"username": "t-staff", "password": PASSWORD},
            content_type="application/json",
        )
        token = r.json()["token"]
        assert dt.datetime.fromisoformat(r.json()["expires_at"]) == T0 + dt.timedelta(hours=2)
    with later(hours=2, seconds=1):
        assert me(client, token) == 401


def test_renew_gives_a_fresh_token_and_revokes_the_old(client, world):
    with later(hours=0):
        old = issue(client, "t-deputy")
    with later(hours=10):
        r = client.post("/api/v1/auth/token/renew", **bearer(old))
        assert r.status_code == 200
        new = r.json()["token"]
        assert new != old
        assert dt.datetime.fromisoformat(r.json()["expires_at"]) == T0 + dt.timedelta(hours=22)
        assert me(client, old) == 401
        assert me(client, new) == 200
        # The old token cannot be renewed a second time (no forking one sign-in into two tokens).
        assert client.post("/api/v1/auth/token/renew", **bearer(old)).status_code == 401
    with later(hours=21):
        assert me(client, new) == 200


def test_renewals_stop_at_the_absolute_maximum(client, world, settings):
    settings.API_TOKEN_MAX_HOURS = 30
    with later(hours=0):
        token = issue(client, "t-deputy")
    with later(hours=11):
        token = client.post("/api/v1/auth/token/renew", **bearer(token)).json()["token"]
    with later(hours=22):
        r = client.post("/api/v1/auth/token/renew", **bearer(token))
        token = r.json()["token"]
        assert dt.datetime.fromisoformat(r.json()["expires_at"]) == T0 + dt.timedelta(hours=30)
    with later(hours=29, minutes=59, seconds=30):
        r = client.post("/api/v1/auth/token/renew", **bearer(token))
        assert r.status_code == 401 and "重新登录" in r.json()["error"]["message"]
        assert me(client, token) == 200
    with later(hours=30):
        assert me(client, token) == 401


def test_renew_needs_a_live_token(client, world):
    assert client.post("/api/v1/auth/token/renew").status_code == 401
    assert client.post("/api/v1/auth/token/renew", **bearer("nonsense")).status_code == 401


# ---------------------------------------------------------------- the commission revokes


def test_commission_admin_revokes_the_tokens_of_a_person_of_their_district(client, world):
    victim_tokens = [issue(client, "t-deputy"), issue(client, "t-deputy")]
    other = issue(client, "t-staff")
    admin = issue(client, "t-admin")
    r = client.delete("/api/v1/people/t-deputy/tokens", **bearer(admin))
    assert r.status_code == 204
    assert [me(client, t) for t in victim_tokens] == [401, 401]
    assert me(client, other) == 200
    entry = Entry.objects.get(event_type="auth.tokens_revoked")
    assert (entry.actor, entry.subject, entry.district) == ("t-admin", "person:t-deputy", "testdistrict")


@pytest.mark.parametrize(
    ("caller", "username"),
    [
        ("t-far-admin", "t-deputy"),  # an admin of another district
        ("t-principal", "t-deputy"),  # not a commission admin
        ("t-deputy", "t-deputy2"),
        ("t-admin", "t-outsider"),  # nobody of the district
        ("t-admin", "no-such-person"),
    ],
)
def test_revoking_someone_elses_tokens_is_404_otherwise_and_changes_nothing(client, world, caller, username):
    target = issue(client, "t-deputy2" if username == "t-deputy2" else "t-deputy")
    outsider = issue(client, "t-outsider")
    r = client.delete(f"/api/v1/people/{username}/tokens", **bearer(issue(client, caller)))
    assert r.status_code == 404 and r.json()["error"]["rule"] == "not-found"
    assert me(client, target) == 200 and me(client, outsider) == 200
    assert not Entry.objects.filter(event_type="auth.tokens_revoked").exists()


# ---------------------------------------------------------------- tokens die with the last term


def test_a_token_dies_when_the_holders_last_term_ends(client, world):
    token = issue(client, "t-deputy")
    Membership.objects.filter(person=world.deputy).update(end=clock.today() - dt.timedelta(days=1))
    assert me(client, token) == 401
    r = client.post(
        "/api/v1/auth/token", {"username": "t-deputy", "password": PASSWORD}, content_type="application/json"
    )
    assert r.status_code == 401 and r.json()["error"]["message"] == "您的任职均已结束，账户不能再登录"


def test_a_district_role_ending_kills_the_admins_tokens(client, world):
    token = issue(client, "t-admin")
    DistrictRole.objects.filter(person=world.admin).update(end=clock.today() - dt.timedelta(days=1))
    assert me(client, token) == 401


def test_a_term_ending_today_still_counts_and_another_current_term_keeps_the_token(client, world):
    token = issue(client, "t-deputy")
    Membership.objects.filter(person=world.deputy).update(end=clock.today())
    assert me(client, token) == 200
    MembershipFactory(person=world.deputy, unit=world.other_unit, role="staff", start=clock.today())
    Membership.objects.filter(person=world.deputy, unit=world.unit).update(
        end=clock.today() - dt.timedelta(days=1)
    )
    assert me(client, token) == 200


def test_people_who_never_held_a_term_keep_their_tokens(client, world):
    """Platform operators and people not yet appointed: the rule is about leaving, not about never arriving."""
    assert me(client, issue(client, "t-outsider")) == 200


def test_a_term_still_to_come_keeps_the_token(client, world):
    Membership.objects.filter(person=world.staff).update(start=clock.today() + dt.timedelta(days=30))
    assert me(client, issue(client, "t-staff")) == 200


# ---------------------------------------------------------------- pages


def test_my_tokens_page_lists_and_revokes_my_tokens(client, world):
    token = issue(client, "t-deputy")
    other = issue(client, "t-staff")
    me(client, token)
    client.force_login(world.deputy)
    home = client.get("/").content.decode()
    assert 'href="/accounts/tokens/"' in home
    page = client.get("/accounts/tokens/")
    assert page.status_code == 200
    html = page.content.decode()
    row = ApiToken.objects.get(person=world.deputy)
    assert f'data-token="{row.pk}"' in html and "有效" in html and "从未使用" not in html
    assert html.count("data-token=") == 1  # t-staff's token is not shown

    theirs = ApiToken.objects.get(person=world.staff)
    assert client.post(f"/accounts/tokens/{theirs.pk}/revoke/").status_code == 404
    assert me(client, other) == 200

    r = client.post(f"/accounts/tokens/{row.pk}/revoke/")
    assert r.status_code == 302
    assert me(client, token) == 401
    assert "已撤销" in client.get("/accounts/tokens/").content.decode()


def test_revoke_all_my_tokens(client, world):
    tokens = [issue(client, "t-deputy") for _ in range(3)]
    client.force_login(world.deputy)
    assert client.post("/accounts/tokens/revoke-all/").status_code == 302
    assert [me(client, t) for t in tokens] == [401] * 3


def test_tokens_page_needs_login(client, world):
    r = client.get("/accounts/tokens/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_web_logout_ends_the_session(client, world):
    assert client.post("/accounts/login/", {"username": "t-deputy", "password": PASSWORD}).status_code == 302
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    assert client.post("/accounts/logout/").status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    client.cookies["sessionid"] = key  # replaying the old cookie gets nothing
    assert client.get("/accounts/tokens/").status_code == 302


def test_web_login_is_refused_when_every_term_has_ended(client, world):
    Membership.objects.filter(person=world.deputy).update(end=clock.today() - dt.timedelta(days=1))
    r = client.post("/accounts/login/", {"username": "t-deputy", "password": PASSWORD})
    assert r.status_code == 200
    assert "您的任职均已结束" in r.content.decode()
    assert "_auth_user_id" not in client.session


def test_openapi_documents_the_token_operations(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"post", "delete"} <= set(paths["/api/v1/auth/token"])
    assert "post" in paths["/api/v1/auth/token/renew"]
    assert "delete" in paths["/api/v1/people/{username}/tokens"]
