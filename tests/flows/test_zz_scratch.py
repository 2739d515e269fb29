import json, pytest
from zhiheng.demo import builder
from zhiheng.core import clock
pytestmark = pytest.mark.django_db

def tok(client, u):
    r = client.post("/api/v1/auth/token", {"username": u, "password": "zhiheng-demo"}, content_type="application/json")
    return {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}"}

def show(label, r):
    try:
        body = json.dumps(r.json(), ensure_ascii=False)[:1200]
    except Exception:
        body = r.content[:300]
    print("==", label, r.status_code, body)

def post(client, h, path, body=None):
    return client.post(path, body or {}, content_type="application/json", **h)

def test_explore(client):
    builder.build()
    a = tok(client, "jiangbei-admin")
    p = tok(client, "jb-fsz-principal")
    d1 = tok(client, "jb-fsz-deputy1")
    s = tok(client, "jb-fsz-staff1")
    show("me-staff", client.get("/api/v1/me", **s))
    show("div-bad", post(client, p, "/api/v1/units/jb-fsz/division", {"assignments": [{"power": "finance", "deputy": "jb-fsz-principal"}]}))
    show("div-deputy", post(client, d1, "/api/v1/units/jb-fsz/division", {"assignments": [{"power": "finance", "deputy": "jb-fsz-deputy1"}]}))
    m = post(client, s, "/api/v1/matters", {"unit": "jb-fsz", "power": "finance", "title": "办公耗材", "amount": "4980.00", "counterparty": "某公司", "budget_line": "office"})
    show("submit", m)
    mid = m.json()["id"]
    show("p-approve", post(client, p, f"/api/v1/matters/{mid}/approve", {"comment": "同意"}))
    show("warnings", client.get("/api/v1/warnings", {"unit": "jb-fsz", "rule": "RF1"}, **a))
    show("d-approve", post(client, d1, f"/api/v1/matters/{mid}/approve", {"comment": "同意"}))
    show("d-approve-again", post(client, d1, f"/api/v1/matters/{mid}/approve", {"comment": "同意"}))
    show("execute", post(client, s, f"/api/v1/matters/{mid}/execute", {}))
    show("detail", client.get(f"/api/v1/matters/{mid}", **a))
    big = post(client, s, "/api/v1/matters", {"unit": "jb-fsz", "power": "finance", "title": "道路维修", "amount": "60000.00", "counterparty": "某建筑公司", "budget_line": "office"})
    show("big", big)
    show("big-approve", post(client, d1, f"/api/v1/matters/{big.json()['id']}/approve", {}))
    show("withdraw", post(client, s, f"/api/v1/matters/{big.json()['id']}/withdraw", {}))
    m2 = post(client, s, "/api/v1/matters", {"unit": "jb-fsz", "power": "finance", "title": "办公耗材2", "amount": "100.00", "budget_line": "office"})
    show("reject", post(client, d1, f"/api/v1/matters/{m2.json()['id']}/reject", {"comment": "不同意"}))
    m3 = post(client, s, "/api/v1/matters", {"unit": "jb-fsz", "power": "finance", "title": "办公耗材3", "amount": "100.00", "budget_line": "office"})
    show("veto", post(client, p, f"/api/v1/matters/{m3.json()['id']}/veto", {"reason": "不合规"}))
    m4 = post(client, s, "/api/v1/matters", {"unit": "jb-fsz", "power": "procurement", "title": "采购设备", "amount": "250000.00", "budget_line": "equipment"})
    show("cosign-needed", m4)
    show("bad-amount", post(client, s, "/api/v1/matters", {"unit": "jb-fsz", "power": "finance", "title": "x", "amount": "abc"}))
    show("missing", post(client, s, "/api/v1/matters", {"unit": "jb-fsz"}))
    today = clock.today().isoformat()
    mt = post(client, p, "/api/v1/meetings", {"unit": "jb-fsz", "kind": "party_committee", "date": today, "items": [{"title": "关于文化站改造"}]})
    show("meeting", mt)
    mid = mt.json()["id"]; item = mt.json()["items"][0]["id"]
    show("att", post(client, p, f"/api/v1/meetings/{mid}/attendance", {"present": ["jb-fsz-principal", "jb-fsz-deputy1", "jb-fsz-deputy2", "jb-fsz-deputy3", "jb-fsz-deputy4"], "observers": ["jb-fsz-inspector"]}))
    st = f"/api/v1/meetings/{mid}/items/{item}/statements"
    show("early", post(client, p, st, {"position": "agree", "reason": "同意"}))
    show("vague", post(client, d1, st, {"reason": "都可以"}))
    show("vague2", post(client, d1, st, {"position": "maybe", "reason": "都可以"}))
    for u in ["jb-fsz-deputy1", "jb-fsz-deputy2", "jb-fsz-deputy3", "jb-fsz-deputy4"]:
        show("st", post(client, tok(client, u), st, {"position": "agree", "reason": "同意"}))
    show("last", post(client, p, st, {"position": "agree", "reason": "同意"}))
    show("close", post(client, p, f"/api/v1/meetings/{mid}/close"))
    show("cons", client.get("/api/v1/ledger/proofs/consistency", {"first": 5, "second": 1260}, **a))
    show("incl", client.get("/api/v1/ledger/proofs/inclusion", {"index": 0, "size": 1260}, **a))
    show("incl-bad", client.get("/api/v1/ledger/proofs/inclusion", {"index": 5000, "size": 1260}, **a))
    show("cp", client.get("/api/v1/ledger/checkpoint", **a))
    show("entry-404", client.get("/api/v1/ledger/entries/99999", **a))
    show("del", client.delete("/api/v1/auth/token", **s))
    show("after-del", client.get("/api/v1/me", **s))
    show("wrongpw", client.post("/api/v1/auth/token", {"username": "jb-fsz-staff2", "password": "x"}, content_type="application/json"))
    show("resolve", post(client, a, "/api/v1/warnings/1/resolve", {"resolution": "explained", "reason": "x"}))
