"""API.md auth: POST /auth/token, Bearer tokens, GET /me; every failure in the error shape."""

import datetime as dt

import pytest

from zhiheng.accounts.models import ApiToken
from zhiheng.accounts.tests.factories import PASSWORD
from zhiheng.core import clock

pytestmark = pytest.mark.django_db


def test_token_for_good_credentials_and_me(client, world, api_client):
    response = client.post(
        "/api/v1/auth/token", {"username": "t-deputy", "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200
    assert me.json() == {
        "username": "t-deputy",
        "name": "李副甲",
        "roles": [{"unit": "t-unit", "district": None, "role": "deputy", "title": "副局长（分管财务）"}],
    }


def test_token_is_stored_only_as_a_digest(client, world):
    response = client.post(
        "/api/v1/auth/token", {"username": "t-staff", "password": PASSWORD}, content_type="application/json"
    )
    token = response.json()["token"]
    assert not ApiToken.objects.filter(digest=token).exists()
    assert ApiToken.objects.filter(person=world.staff).count() == 1


@pytest.mark.parametrize(("username", "password"), [("t-deputy", "wrong-password"), ("nobody", PASSWORD)])
def test_bad_credentials_get_401_in_the_error_shape(client, world, username, password):
    response = client.post(
        "/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json()["error"]["rule"] == "auth"
    assert response.json()["error"]["message"]


def test_token_request_with_missing_fields_is_422(client, world):
    response = client.post("/api/v1/auth/token", {"username": "t-deputy"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"]["rule"] == "validation"
    assert "password" in response.json()["error"]["detail"]["fields"]


def test_malformed_json_is_422_not_500(client, world):
    response = client.post("/api/v1/auth/token", "{not json", content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"]["rule"] == "validation"


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Token abc", "Bearer "])
def test_missing_or_invalid_token_is_401(client, world, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/api/v1/me", **extra)
    assert response.status_code == 401
    assert response.json()["error"]["rule"] == "auth"


def test_expired_and_revoked_tokens_are_refused(client, world, api_client):
    caller = api_client.as_(world.deputy)
    assert caller.get("/api/v1/me").status_code == 200
    ApiToken.objects.filter(person=world.deputy).update(expires_at=clock.now() - dt.timedelta(seconds=1))
    assert caller.get("/api/v1/me").status_code == 401


def test_inactive_person_cannot_use_a_token(world, api_client):
    caller = api_client.as_(world.deputy)
    world.deputy.is_active = False
    world.deputy.save()
    assert caller.get("/api/v1/me").status_code == 401


def test_admin_me_lists_district_role(world, api_client):
    roles = api_client.as_(world.admin).get("/api/v1/me").json()["roles"]
    assert roles == [{"unit": None, "district": "testdistrict", "role": "commission_admin", "title": ""}]


def test_unknown_api_path_is_404_in_the_error_shape(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["error"]["rule"] == "not-found"


def test_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/v1/auth/token", "/api/v1/me", "/api/v1/units", "/api/v1/units/{code}/team"):
        assert path in paths


def test_interactive_docs_use_no_cdn(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/" in html
    assert "cdn" not in html.lower()
