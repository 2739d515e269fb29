"""The API contract (API.md "Matters", "Budget lines", "Warnings") and the persona matrix (R-MAT-8)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhiheng.ledger.models import Entry
from zhiheng.matters import services
from zhiheng.matters.models import Matter
from zhiheng.matters.tests.conftest import bearer_client, small_matter
from zhiheng.risk.models import Warning

pytestmark = pytest.mark.django_db


def post_matter(api, w, **extra):
    body = {
        "unit": "t-unit",
        "power": "finance",
        "title": "购买打印纸",
        "amount": "1200.00",
        "counterparty": "某文具店",
        "budget_line": "office",
        **extra,
    }
    return api.as_(w.staff).post("/api/v1/matters", body)


def test_submit_returns_the_contract(mw, api_client):
    r = post_matter(api_client, mw)
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["state"], body["deputy"], body["amount"]) == ("submitted", "t-deputy", "1200.00")
    assert body["requires"] == {"collective": False, "cosign": [], "joint_review": False}
    assert body["history"][0]["action"] == "submitted" and body["history"][0]["at"].endswith("+08:00")


def test_sixty_thousand_requires_collective_and_deputy_gets_409(mw, api_client):
    r = post_matter(api_client, mw, amount="60000.00", budget_line="big")
    assert r.status_code == 201 and r.json()["requires"]["collective"] is True
    before = Entry.objects.count()
    r2 = api_client.as_(mw.deputy).post(f"/api/v1/matters/{r.json()['id']}/approve", {})
    assert r2.status_code == 409 and r2.json()["error"]["rule"] == "R-MAT-3"
    assert Entry.objects.count() == before


def test_big_purchase_lists_cosigners(mw, api_client):
    r = post_matter(api_client, mw, power="procurement", amount="250000.00", budget_line="big")
    assert r.json()["requires"]["cosign"] == ["t-deputy2", "t-deputy", "t-inspector"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"amount": 12.5}, 422),
        ({"amount": "-1"}, 422),
        ({"amount": "abc"}, 422),
        ({"power": "nope"}, 422),
        ({"budget_line": "nope"}, 422),
        ({"title": ""}, 422),
        ({"unit": "nope"}, 404),
        ({"unit": "t-other"}, 404),
    ],
)
def test_bad_submissions(mw, api_client, body, status):
    r = post_matter(api_client, mw, **body)
    assert r.status_code == status, r.content
    assert "error" in r.json()


def test_principal_approve_is_403_and_raises_rf1(mw, api_client):
    m = small_matter(mw)
    r = api_client.as_(mw.principal).post(f"/api/v1/matters/{m.pk}/approve", {"comment": "我批了"})
    assert r.status_code == 403 and r.json()["error"]["rule"] == "R-MAT-2"
    assert Matter.objects.get(pk=m.pk).state == "submitted"
    warnings = api_client.as_(mw.inspector).get("/api/v1/warnings", {"unit": "t-unit", "rule": "RF1"}).json()
    assert warnings["count"] == 1
    item = warnings["items"][0]
    assert set(item) >= {
        "id",
        "rule",
        "level",
        "unit",
        "subject",
        "explanation",
        "records",
        "created",
        "status",
    }
    assert (item["rule"], item["unit"], item["subject"], item["status"]) == (
        "RF1",
        "t-unit",
        f"matter:{m.pk}",
        "open",
    )
    # Commission admin sees it; the principal, deputies, staff and other districts do not.
    assert api_client.as_(mw.admin).get("/api/v1/warnings").json()["count"] == 1
    for who in ("principal", "deputy", "staff", "other_admin", "outsider"):
        assert api_client.as_(getattr(mw, who)).get("/api/v1/warnings").json()["count"] == 0
    r = api_client.as_(mw.principal).get(f"/api/v1/warnings/{item['id']}")
    assert r.status_code == 404
    r = api_client.as_(mw.inspector).post(
        f"/api/v1/warnings/{item['id']}/resolve", {"resolution": "explained", "reason": "已谈话提醒"}
    )
    assert r.status_code == 200 and r.json()["status"] == "explained"
    assert Warning.objects.get().resolved_by == mw.inspector


# Persona matrix: who sees a matter submitted by `staff` (R-MAT-8; decision 0005).
VISIBILITY = {
    "admin": True,
    "principal": True,
    "deputy": True,  # in charge
    "deputy2": True,  # other deputy: team member
    "inspector": True,
    "staff": True,  # submitter
    "staff2": False,
    "outsider": False,
    "other_admin": False,
    "other_principal": False,
}


@pytest.mark.parametrize(("who", "sees"), VISIBILITY.items())
def test_visibility_matrix(mw, api_client, who, sees):
    m = small_matter(mw)
    api = api_client.as_(getattr(mw, who))
    r = api.get(f"/api/v1/matters/{m.pk}")
    assert r.status_code == (200 if sees else 404)
    assert api.get("/api/v1/matters").json()["count"] == (1 if sees else 0)
    if sees:
        assert r.json()["history"][0]["actor"] == "t-staff"


# Persona matrix for approve: the status and rule each persona gets.
APPROVE = {
    "admin": (403, "R-MAT-2"),
    "principal": (403, "R-MAT-2"),
    "deputy": (200, None),
    "deputy2": (403, "R-MAT-2"),
    "inspector": (403, "R-MAT-2"),
    "staff": (403, "R-MAT-2"),
    "staff2": (404, "not-found"),
    "outsider": (404, "not-found"),
    "other_admin": (404, "not-found"),
}


@pytest.mark.parametrize(("who", "expected"), APPROVE.items())
def test_approve_matrix(mw, api_client, who, expected):
    m = small_matter(mw)
    before = Entry.objects.count()
    r = api_client.as_(getattr(mw, who)).post(f"/api/v1/matters/{m.pk}/approve", {})
    status, rule = expected
    assert r.status_code == status, r.content
    if rule:
        assert r.json()["error"]["rule"] == rule
        assert Matter.objects.get(pk=m.pk).state == "submitted"
        assert Entry.objects.count() == before + (1 if who == "principal" else 0)  # RF1's own entry
    else:
        assert r.json()["state"] == "approved"


VETO = {
    "principal": 200,
    "deputy": 403,
    "deputy2": 403,
    "inspector": 403,
    "staff": 403,
    "admin": 403,
    "staff2": 404,
    "outsider": 404,
}


@pytest.mark.parametrize(("who", "status"), VETO.items())
def test_veto_matrix(mw, api_client, who, status):
    m = small_matter(mw)
    r = api_client.as_(getattr(mw, who)).post(f"/api/v1/matters/{m.pk}/veto", {"reason": "不合规"})
    assert r.status_code == status
    if status == 403:
        assert r.json()["error"]["rule"] == "R-MAT-6"
    assert Matter.objects.get(pk=m.pk).state == ("vetoed" if status == 200 else "submitted")


def test_veto_without_reason_is_422(mw, api_client):
    m = small_matter(mw)
    r = api_client.as_(mw.principal).post(f"/api/v1/matters/{m.pk}/veto", {"reason": ""})
    assert r.status_code == 422 and r.json()["error"]["rule"] == "R-MAT-6"
    r = api_client.as_(mw.principal).post(f"/api/v1/matters/{m.pk}/veto", {})
    assert r.status_code == 422


def test_budget_exhausted_is_409_and_budget_lines_endpoint(mw, api_client):
    ids = [post_matter(api_client, mw, amount="40000.00").json()["id"] for _ in range(3)]
    for pk in ids[:2]:
        assert api_client.as_(mw.deputy).post(f"/api/v1/matters/{pk}/approve", {}).status_code == 200
    r = api_client.as_(mw.deputy).post(f"/api/v1/matters/{ids[2]}/approve", {})
    assert r.status_code == 409 and r.json()["error"]["rule"] == "R-MAT-5"
    lines = api_client.as_(mw.staff).get("/api/v1/units/t-unit/budget-lines").json()["items"]
    office = next(line for line in lines if line["code"] == "office")
    assert office == {
        "code": "office",
        "name": "办公经费",
        "amount": "100000.00",
        "reserved": "80000.00",
        "remaining": "20000.00",
    }
    assert api_client.as_(mw.outsider).get("/api/v1/units/t-unit/budget-lines").status_code == 404


def test_idempotent_retry_approves_once(mw, api_client):
    pk = post_matter(api_client, mw).json()["id"]
    api = api_client.as_(mw.deputy)
    before = Entry.objects.count()
    first = api.post(f"/api/v1/matters/{pk}/approve", {}, headers={"Idempotency-Key": "k-1"})
    again = api.post(f"/api/v1/matters/{pk}/approve", {}, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 200
    assert first.content == again.content
    assert Entry.objects.count() == before + 1
    assert Matter.objects.get(pk=pk).events.filter(action="approved").count() == 1


def test_full_cosign_and_execute_through_api(mw, api_client):
    pk = post_matter(api_client, mw, power="procurement", amount="250000.00", budget_line="big").json()["id"]
    m = Matter.objects.get(pk=pk)
    services.refer_to_collective(matter=m, by=mw.deputy2)
    services.apply_collective_decision(
        matter=m, outcome="passed", by=mw.principal, meeting_ref="meeting:9/item:1"
    )
    r = api_client.as_(mw.staff).post(f"/api/v1/matters/{pk}/execute", {})
    assert r.status_code == 409 and r.json()["error"]["rule"] == "R-MAT-4"
    for who in ("deputy2", "deputy", "inspector"):
        r = api_client.as_(getattr(mw, who)).post(f"/api/v1/matters/{pk}/cosign", {})
        assert r.status_code == 200
    assert r.json()["state"] == "approved"
    assert api_client.as_(mw.staff).post(f"/api/v1/matters/{pk}/execute", {}).json()["state"] == "executed"


def test_joint_review_and_refer_endpoints(mw, api_client):
    pk = post_matter(
        api_client,
        mw,
        power="admin-enforcement",
        amount="50000.00",
        budget_line=None,
        counterparty="某化工厂",
    ).json()["id"]
    r = api_client.as_(mw.deputy3).post(f"/api/v1/matters/{pk}/approve", {})
    assert r.status_code == 409 and r.json()["error"]["rule"] == "R-MAT-7"
    r = api_client.as_(mw.legal).post(f"/api/v1/matters/{pk}/joint-review", {"opinion": "maybe"})
    assert r.status_code == 422
    for who in ("deputy3", "legal", "inspector"):
        r = api_client.as_(getattr(mw, who)).post(f"/api/v1/matters/{pk}/joint-review", {"opinion": "agree"})
        assert r.status_code == 200, r.content
    assert api_client.as_(mw.deputy3).post(f"/api/v1/matters/{pk}/approve", {}).json()["state"] == "approved"
    pk2 = post_matter(api_client, mw).json()["id"]
    r = api_client.as_(mw.deputy).post(f"/api/v1/matters/{pk2}/refer", {"reason": "需集体研究"})
    assert r.json()["state"] == "collective_review"


def test_list_filters_and_inbox(mw, api_client):
    a = post_matter(api_client, mw).json()["id"]
    post_matter(api_client, mw, power="procurement")
    api_client.as_(mw.deputy).post(f"/api/v1/matters/{a}/approve", {})
    r = api_client.as_(mw.principal).get("/api/v1/matters", {"unit": "t-unit", "state": "approved"}).json()
    assert [i["id"] for i in r["items"]] == [a]
    assert r["items"][0]["actions"]["approve"] is False
    inbox = api_client.as_(mw.deputy2).get("/api/v1/matters/inbox").json()
    assert inbox["count"] == 1 and inbox["items"][0]["actions"]["approve"] is True


def test_evidence_upload_checks_size_and_type(mw, api_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pk = post_matter(api_client, mw).json()["id"]
    client = bearer_client(mw.staff)
    good = SimpleUploadedFile("发票.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    r = client.post(f"/api/v1/matters/{pk}/evidence", {"file": good})
    assert r.status_code == 201, r.content
    assert r.json()["evidence"][0]["name"] == "发票.pdf"
    bad = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    assert client.post(f"/api/v1/matters/{pk}/evidence", {"file": bad}).status_code == 422
    fake = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    assert client.post(f"/api/v1/matters/{pk}/evidence", {"file": fake}).status_code == 422
