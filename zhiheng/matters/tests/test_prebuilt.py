"""The matters answers rendered without ninja's output validation (`zhiheng.api.prebuilt`, issue 12) are
byte for byte what validation against their declared schema would have answered, for every persona and
every shape of matter (small, collective, co-signed, joint review with opinions)."""

from __future__ import annotations

import json

import pytest

from config.api import api as the_api
from zhiheng.api.prebuilt import validated
from zhiheng.matters.tests.test_queries import PERSONAS, make_matters

pytestmark = pytest.mark.django_db


def same_as_validated(view_name: str, answer) -> None:
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/json; charset=utf-8"
    body = answer.json()
    assert json.dumps(validated(the_api, view_name, body)) == answer.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_lists_and_details_answer_what_validation_would(mw, api_client, persona):
    make_matters(mw, 10)
    api = api_client.as_(getattr(mw, persona))
    listed = api.get("/api/v1/matters", {"limit": 100})
    same_as_validated("list_matters", listed)
    same_as_validated("inbox", api.get("/api/v1/matters/inbox", {"limit": 100}))
    for item in listed.json()["items"]:
        same_as_validated("get_matter", api.get(f"/api/v1/matters/{item['id']}"))


def test_refusals_and_missing_matters_keep_their_error_answers(mw, api_client):
    api = api_client.as_(mw.staff)
    missing = api.get("/api/v1/matters/999999")
    assert missing.status_code == 404 and missing.json()["error"]
    assert api.get("/api/v1/matters", {"limit": 0}).status_code == 422
