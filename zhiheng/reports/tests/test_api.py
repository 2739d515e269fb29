"""R-SUP-3 over HTTP: the public endpoints without an account, a receipt reaching its own report only, 404
alike for a wrong pair and for anyone concerned, 429 for guessing, and the handlers' endpoints."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from zhiheng.ledger.models import Entry

PUBLIC = "/api/v1/public/reports"


def submit(api_client, **fields):
    body = {"subject": "工程回扣", "body": "某某收受回扣", "anonymous": True, **fields}
    response = api_client.post(PUBLIC, body)
    assert response.status_code == 201, response.content
    return response.json()


def test_a_citizen_files_anonymously_and_follows_up(world, api_client):
    given = submit(api_client, unit=world.unit.code, person=world.principal.username)
    assert len(given["receipt"].split("-")) == 5 and len(given["passphrase"]) >= 10
    pair = {"receipt": given["receipt"], "passphrase": given["passphrase"]}
    first = api_client.post(f"{PUBLIC}/follow-up", pair)
    assert first.status_code == 200 and first.json() == {"status": "received", "messages": []}
    report_id = api_client.as_(world.admin).get("/api/v1/reports").json()["items"][0]["id"]
    asked = api_client.as_(world.admin).post(
        f"/api/v1/reports/{report_id}/messages", {"body": "请问是哪一年？"}
    )
    assert asked.status_code == 201
    answered = api_client.post(f"{PUBLIC}/messages", {**pair, "body": "2025 年"})
    assert answered.status_code == 201
    talk = api_client.post(f"{PUBLIC}/follow-up", pair).json()
    assert [(m["from"], m["body"]) for m in talk["messages"]] == [
        ("handler", "请问是哪一年？"),
        ("reporter", "2025 年"),
    ]
    assert "set-cookie" not in {k.lower() for k in api_client.post(f"{PUBLIC}/follow-up", pair).headers}


def test_a_wrong_pair_is_404_and_guessing_is_429(world, api_client, settings):
    settings.REPORTS_GUESSES_PER_WINDOW = 3
    given = submit(api_client, unit=world.unit.code)
    for pair in (
        {"receipt": given["receipt"], "passphrase": "WRONG-WRONG-WRONG"},
        {"receipt": "0000-0000-0000-0000-0000", "passphrase": given["passphrase"]},
        {"receipt": "", "passphrase": ""},
    ):
        response = api_client.post(f"{PUBLIC}/follow-up", pair)
        assert response.status_code == 404 and response.json()["error"]["rule"] == "not-found"
    limited = api_client.post(
        f"{PUBLIC}/follow-up", {"receipt": given["receipt"], "passphrase": given["passphrase"]}
    )
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    cache.clear()
    assert (
        api_client.post(
            f"{PUBLIC}/follow-up", {"receipt": given["receipt"], "passphrase": given["passphrase"]}
        ).status_code
        == 200
    )


def test_submissions_are_rate_limited(world, api_client, settings):
    settings.REPORTS_SUBMISSIONS_PER_WINDOW = 2
    submit(api_client, unit=world.unit.code)
    submit(api_client, unit=world.unit.code)
    response = api_client.post(
        PUBLIC, {"subject": "三", "body": "三", "anonymous": True, "unit": world.unit.code}
    )
    assert response.status_code == 429


def test_bad_input_is_422(world, api_client):
    response = api_client.post(PUBLIC, {"subject": "", "body": "x", "anonymous": False})
    assert response.status_code == 422
    assert {"subject", "name", "unit"} <= set(response.json()["error"]["detail"]["fields"])


@pytest.mark.parametrize("who", ["principal", "deputy", "inspector", "staff", "other_admin", "outsider"])
def test_nobody_concerned_lists_reads_or_acts_on_a_report(world, api_client, who):
    submit(api_client, unit=world.unit.code, person=world.principal.username)
    report_id = api_client.as_(world.admin).get("/api/v1/reports").json()["items"][0]["id"]
    caller = api_client.as_(getattr(world, who))
    before = Entry.objects.count()
    assert caller.get("/api/v1/reports").json() == {"count": 0, "items": []}
    assert caller.get(f"/api/v1/reports/{report_id}").status_code == 404
    assert caller.post(f"/api/v1/reports/{report_id}/messages", {"body": "x"}).status_code == 404
    assert caller.post(f"/api/v1/reports/{report_id}/identity", {"reason": "核实情况"}).status_code == 404
    assert caller.post("/api/v1/report-cases", {"reports": [report_id]}).status_code == 404
    assert Entry.objects.count() == before


def test_the_handler_reads_opens_a_case_reveals_and_closes(world, api_client):
    submit(api_client, unit=world.unit.code, anonymous=False, name="钱举报人", contact="13900001234")
    admin = api_client.as_(world.admin)
    row = admin.get("/api/v1/reports").json()["items"][0]
    assert row["channel"] == "web" and row["unit"] == world.unit.code and row["status"] == "received"
    detail = admin.get(f"/api/v1/reports/{row['id']}").json()
    assert detail["body"] == "某某收受回扣" and "钱举报人" not in str(detail)
    assert detail["actions"]["reveal_identity"] is False
    assert admin.post(f"/api/v1/reports/{row['id']}/identity", {"reason": "核实"}).status_code == 403
    case = admin.post("/api/v1/report-cases", {"reports": [row["id"]], "deadline": "2026-12-31"})
    assert case.status_code == 201 and case.json()["handlers"] == [world.admin.username]
    revealed = admin.post(f"/api/v1/reports/{row['id']}/identity", {"reason": "需要当面核实"})
    assert revealed.json() == {"name": "钱举报人", "contact": "13900001234"}
    closed = admin.post(
        f"/api/v1/report-cases/{case.json()['id']}/close", {"outcome": "verified", "reason": "属实"}
    )
    assert closed.status_code == 200 and closed.json()["outcome"] == "verified"
    assert (
        admin.post(
            f"/api/v1/report-cases/{case.json()['id']}/close", {"outcome": "dismissed", "reason": "x"}
        ).status_code
        == 409
    )


def test_staff_record_a_phone_report(world, api_client):
    recorded = api_client.as_(world.admin).post(
        "/api/v1/reports",
        {"channel": "phone", "subject": "电话", "body": "来电反映", "unit": world.unit.code},
    )
    assert recorded.status_code == 201 and set(recorded.json()) >= {"id", "receipt", "passphrase"}
    refused = api_client.as_(world.principal).post(
        "/api/v1/reports",
        {"channel": "phone", "subject": "电话", "body": "来电反映", "unit": world.unit.code},
    )
    assert refused.status_code == 403


def test_refused_submissions_count_too(world, api_client, settings):
    """Probing which usernames exist through refused submissions is limited like submitting."""
    settings.REPORTS_SUBMISSIONS_PER_WINDOW = 2
    for name in ("nobody-1", "nobody-2"):
        assert api_client.post(PUBLIC, {"subject": "s", "body": "b", "person": name}).status_code == 422
    assert api_client.post(PUBLIC, {"subject": "s", "body": "b", "person": "nobody-3"}).status_code == 429
