"""The authorization matrix (issue 10): role × route × unit × district, read and write, generated from
the URL conf, so a new route without a rule fails the build.

Routes are enumerated, never listed by hand: every django-ninja operation of the OpenAPI document of
`config.api.api` (path + method) and every page pattern of the URL resolver (each tried with
GET and POST). POLICY below says, for each route, what every persona of tests/security/matrix_world.py
must get when it calls the route on an object of unit A1 in district A. The outcomes:

    ok     allowed: 2xx or 3xx (not the redirect to the sign-in page)
    409    allowed past authorization, refused by a rule about the data's state (R-MAT-3, R-MTG-3, …)
    422    allowed past authorization, refused by a rule about the input (R-MTG-4, R-DIV-4, …)
    403    refused: the rule forbids this actor (a person who may see the object, not act on it)
    404    refused as invisible: unknown and invisible answer alike
    405    the page does not take this method
    auth   unauthenticated: 401 from the API, the redirect to the sign-in page from a page

A route missing from POLICY fails test_every_route_has_a_rule, naming it; an entry naming a route that
no longer exists fails it too. The matrix tests try every persona on every route, each request in a
savepoint rolled back afterwards (every persona meets the same world), list every mismatch, and check
that a refused write left the ledger as it was. Counts go to the summary as MatrixSummary warnings.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.matrix_world import (
    DAY,
    PERSONAS,
    bank_upload,
    build_matrix_world,
    library_upload,
    register_upload,
    rules_upload,
    upload,
)
from zhiheng.core import clock
from zhiheng.ledger.models import Entry

API_PREFIX = "/api/v1"
PAGE_METHODS = ("GET", "POST")


class MatrixSummary(UserWarning):
    """How much the authorization matrix tried (the closing note of a CI run quotes it)."""


# ====================================================================================== outcomes

OK, AUTH, DENY, HIDE, NOPE, CONFLICT, INVALID = "ok", "auth", "403", "404", "405", "409", "422"
ALLOWED = {OK, CONFLICT, INVALID}  # past authorization (a 409/422 is a rule about the data)

# ====================================================================================== personas

ANON = {"anonymous"}
OUTSIDER = {"outsider"}
ADMIN = {"admin"}
FAR_ADMIN = {"far_admin"}
PRINCIPAL = {"principal"}
DEPUTY = {"deputy"}  # in charge of every test matter, presenter of the meeting's proposal
DEPUTY2 = {"deputy2"}
INSPECTOR = {"inspector"}
STAFF = {"staff"}  # the submitter of every test matter
STAFF2 = {"staff2"}
A1_TEAM = PRINCIPAL | DEPUTY | DEPUTY2 | INSPECTOR
A1_STAFF = STAFF | STAFF2
A1 = A1_TEAM | A1_STAFF
A2_TEAM = {"a2_principal", "a2_deputy", "a2_inspector"}
A2 = A2_TEAM | {"a2_staff"}
B1 = {"b_principal", "b_inspector", "b_staff"}
INSPECTION = {"inspection"}  # district A's inspection group
B_INSPECTION = {"b_inspection"}
DISTRICT_A = ADMIN | A1 | A2 | INSPECTION
SIGNED_IN = set(PERSONAS) - ANON
EVERYONE = set(PERSONAS)
UNIT_VIEWERS = A1 | ADMIN  # org.list_units_for: members of the unit, admins of its district
assert SIGNED_IN == DISTRICT_A | OUTSIDER | FAR_ADMIN | B1 | B_INSPECTION

NAMES = {"ok": OK, "auth": AUTH, "deny": DENY, "hide": HIDE, "nope": NOPE, "conflict": CONFLICT}
NAMES["invalid"] = INVALID


def expect(rest: str = HIDE, anon: str = AUTH, **groups: set[str]) -> dict[str, str]:
    """{persona: outcome}: the named groups get their outcome (ok=…, deny=…, hide=…, conflict=…,
    invalid=…, nope=…, auth=…), anonymous gets `anon`, everyone else `rest`."""
    table = {p: rest for p in PERSONAS}
    table["anonymous"] = anon
    seen: set[str] = set()
    for name, people in groups.items():
        overlap = seen & people
        assert not overlap, f"{sorted(overlap)} named twice"
        seen |= people
        for p in people:
            table[p] = NAMES[name]
    return table


@dataclass(frozen=True)
class Case:
    """One route's rule: the outcome per persona, and how to call it (path parameters, query, body)."""

    outcomes: dict[str, str]
    fill: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    query: Callable[[Any], dict] | None = None
    body: Callable[[Any], Any] | None = None
    multipart: bool = False  # the body is a form with files (evidence uploads)
    probe: Callable[[Any, Any], bool] | None = None  # lists: does the answer hold A1's objects?
    trace: set[str] = frozenset()  # personas whose refusal is itself recorded (RF1, R-MAT-2)
    note: str = ""


# ====================================================================================== the routes


@dataclass(frozen=True)
class Route:
    key: str  # "GET /api/v1/units/{code}/team" or "POST page matters/<int:pk>/<slug:action>/"
    method: str
    template: str  # the path with {name} placeholders
    page: bool


def api_routes() -> list[Route]:
    from config.api import api

    schema = api.get_openapi_schema()
    routes = []
    for path, operations in schema["paths"].items():
        for method in operations:
            routes.append(Route(f"{method.upper()} {path}", method.upper(), path, page=False))
    return routes


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
        else:
            yield prefix + str(p.pattern), namespace, p


def _ninja_operation(p: URLPattern) -> bool:
    return getattr(p.callback, "__module__", "") == "ninja.operation"


def page_routes() -> list[Route]:
    """Every URL pattern that is not a django-ninja operation (those are enumerated from OpenAPI)."""
    routes = []
    for pattern, _ns, p in _walk(get_resolver().url_patterns):
        if _ninja_operation(p):
            continue
        template = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", pattern)
        template = template.replace("^api/v1/(?P<rest>(?s:.*))$", "api/v1/{rest}")
        for method in PAGE_METHODS:
            routes.append(Route(f"{method} page {pattern}", method, "/" + template, page=True))
    return routes


def ninja_patterns_outside_schema() -> list[str]:
    """django-ninja operations the OpenAPI document does not list (include_in_schema=False): the
    matrix would not see them, so they fail the build too."""
    from config.api import api

    paths = {re.sub(r"{(\w+)}", r"\1", p) for p in api.get_openapi_schema()["paths"]}
    missing = []
    for pattern, _ns, p in _walk(get_resolver().url_patterns):
        if _ninja_operation(p):
            path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"\1", pattern)
            if path not in paths:
                missing.append(pattern)
    return missing


def all_routes() -> list[Route]:
    return api_routes() + page_routes()


# ====================================================================================== the policy

POLICY: dict[str, Case] = {}
PASSWORD = "zhiheng-test-pass"  # zhiheng.org.tests.factories.PASSWORD


def api(key: str, outcomes: dict[str, str], **kw) -> None:
    assert key not in POLICY, key
    POLICY[key] = Case(outcomes, **kw)


def page(pattern: str, outcomes: dict[str, str], post: dict[str, str] | None = None, **kw) -> None:
    """A page that reads: GET renders it, and so does POST (no page takes a write it does not name)."""
    api(f"GET page {pattern}", outcomes, **{k: v for k, v in kw.items() if k != "body"})
    api(f"POST page {pattern}", post or outcomes, **kw)


def page_post(pattern: str, outcomes: dict[str, str], **kw) -> None:
    """A page that only writes (require_POST): GET is 405 once signed in."""
    api(f"GET page {pattern}", expect(nope=SIGNED_IN), **{k: v for k, v in kw.items() if k != "body"})
    api(f"POST page {pattern}", outcomes, **kw)


def _holds_a1(w, response) -> bool:
    """Whether a list answer holds any of A1's objects (JSON items naming unit t-unit, or its markers)."""
    if response.get("Content-Type", "").startswith("application/json"):
        data = json.loads(response.content)
        items = data.get("items", data) if isinstance(data, dict) else data
        return any(
            isinstance(i, dict) and (i.get("unit") == w.unit.code or i.get("code") == w.unit.code)
            for i in items
        )
    text = response.content.decode("utf-8", "replace")
    return any(marker in text for marker in w.markers)


def _any_item(w, response) -> bool:
    data = json.loads(response.content)
    return bool(data.get("items", data) if isinstance(data, dict) else data)


NOBODY_ELSE = "none"  # 2xx, and the answer holds none of A1's objects (lists)
NAMES["none"] = NOBODY_ELSE
ALLOWED.add(NOBODY_ELSE)
VISIBLE_TO_UNIT = expect(ok=UNIT_VIEWERS)  # org.get_unit_for: the unit's people, its district's admins
DISTRICT_CONFIG_READ = expect(ok=ADMIN, deny=A1 | A2)  # powers.rules.can_see_district, can_manage_policy
DISTRICT_CONFIG_WRITE = DISTRICT_CONFIG_READ
DISTRICT_ONLY_ADMIN = expect(ok=ADMIN)  # matters/meetings district rules: 404 to everyone else
UNIT_ADMIN_WRITE = expect(ok=ADMIN, deny=A1)  # the commission configures a unit; its people see it
MATTER_VIEWERS = A1_TEAM | ADMIN | STAFF  # matters.selectors.visible_matters (R-MAT-8)
MEETING_VIEWERS = A1_TEAM | ADMIN  # meetings.rules.can_view (the inspector is recorded as observer)
SUPERVISORS = ADMIN | INSPECTOR  # risk.rules.can_view and ledger.rules: the commission and the unit inspector


def matter_act(ok: set[str], conflict: set[str] = frozenset(), **kw) -> dict[str, str]:
    """An action on a matter: `ok` act, the other people who see the matter are refused by the rule
    (403), everyone else does not see it (404)."""
    ok, conflict = set(ok), set(conflict)
    return expect(ok=ok, conflict=conflict, deny=MATTER_VIEWERS - ok - conflict, **kw)


def meeting_act(ok: set[str], conflict: set[str] = frozenset(), invalid: set[str] = frozenset()):
    ok, conflict, invalid = set(ok), set(conflict), set(invalid)
    return expect(ok=ok, conflict=conflict, invalid=invalid, deny=MEETING_VIEWERS - ok - conflict - invalid)


M_OPEN = {"matter_id": lambda w: w.m_open.pk}
M_COSIGN = {"matter_id": lambda w: w.m_cosign.pk}
M_APPROVED = {"matter_id": lambda w: w.m_approved.pk}
M_JOINT = {"matter_id": lambda w: w.m_joint.pk}
SEALED = {"meeting_id": lambda w: w.sealed.pk}
PERSONNEL_ITEM = {"item_id": lambda w: w.personnel_item.pk}
LATER = "2026-05-01"

# ---------------------------------------------------------------------------- API: accounts and org
api(
    "POST /api/v1/auth/token",
    expect(ok=EVERYONE),
    body=lambda w: {"username": w.staff.username, "password": PASSWORD},
)
api("DELETE /api/v1/auth/token", expect(ok=SIGNED_IN))
api("POST /api/v1/auth/token/renew", expect(ok=SIGNED_IN))
api("DELETE /api/v1/people/{username}/tokens", expect(ok=ADMIN), note="a person of the admin's district")
api("GET /api/v1/me", expect(ok=SIGNED_IN))
api("GET /api/v1/units", expect(ok=UNIT_VIEWERS, none=SIGNED_IN - UNIT_VIEWERS), probe=_holds_a1)
api(
    "POST /api/v1/units",
    expect(ok=ADMIN, deny=SIGNED_IN - ADMIN),
    body=lambda w: {"district": w.district.code, "code": "t-new", "name": "新设单位"},
)
api("GET /api/v1/units/{code}/team", VISIBLE_TO_UNIT)
api(
    "POST /api/v1/units/{code}/team",
    UNIT_ADMIN_WRITE,
    body=lambda w: {"username": w.outsider.username, "role": "staff", "start": "2026-03-02"},
)

# ---------------------------------------------------------------------------- API: powers (R-DIV)
api("GET /api/v1/units/{code}/powers", VISIBLE_TO_UNIT)
api("GET /api/v1/units/{code}/powers/{power}", VISIBLE_TO_UNIT)
api(
    "PUT /api/v1/units/{code}/powers/{power}",
    expect(ok=ADMIN | PRINCIPAL, deny=A1 - PRINCIPAL),  # rules.can_edit_catalogue
    body=lambda w: {"name": "财务收支审批", "category": "finance", "legal_basis": "预算法第五十三条"},
)
api("GET /api/v1/units/{code}/powers/{power}/in-charge", VISIBLE_TO_UNIT)
api("GET /api/v1/units/{code}/people/{username}/powers", VISIBLE_TO_UNIT)
api("GET /api/v1/units/{code}/division", VISIBLE_TO_UNIT)
api(
    "POST /api/v1/units/{code}/division",
    expect(ok=PRINCIPAL, deny=UNIT_VIEWERS - PRINCIPAL),  # R-DIV-5: the principal's to propose
    body=lambda w: {"assignments": [{"power": c, "deputy": u} for c, u in w.assignments]},
)
api("GET /api/v1/units/{code}/division/versions", VISIBLE_TO_UNIT)
api("GET /api/v1/units/{code}/division/{version}", expect(ok=A1_TEAM | ADMIN), note="a draft")
api(
    "POST /api/v1/units/{code}/division/{version}/file",
    expect(ok=PRINCIPAL, deny=(A1_TEAM | ADMIN) - PRINCIPAL),
)
api("GET /api/v1/districts/{code}/filing-board", DISTRICT_CONFIG_READ)
api("GET /api/v1/districts/{code}/policy-templates", DISTRICT_CONFIG_READ)
api(
    "POST /api/v1/districts/{code}/policy-templates",
    DISTRICT_CONFIG_WRITE,
    body=lambda w: {
        "code": "t-template-2",
        "name": "新模板",
        "restricted": ["finance", "personnel"],
        "x_choice": False,
        "effective_from": LATER,
    },
)
api(
    "POST /api/v1/districts/{code}/policy-templates/{template}/versions",
    DISTRICT_CONFIG_WRITE,
    body=lambda w: {"restricted": ["finance", "personnel", "procurement"], "effective_from": "2026-06-01"},
)
api("GET /api/v1/units/{code}/policy", VISIBLE_TO_UNIT)
api(
    "POST /api/v1/units/{code}/policy",
    UNIT_ADMIN_WRITE,
    body=lambda w: {
        "template": "jiangbei-3x",
        "x_categories": ["construction", "admin_enforcement"],
        "in_force_from": LATER,
    },
)
api("GET /api/v1/units/{code}/policy/history", VISIBLE_TO_UNIT)
api("GET /api/v1/districts/{code}/incompatible-pairs", DISTRICT_CONFIG_READ)
api(
    "POST /api/v1/districts/{code}/incompatible-pairs",
    DISTRICT_CONFIG_WRITE,
    body=lambda w: {"first": "finance", "second": "personnel", "on": LATER},
)
api(
    "POST /api/v1/districts/{code}/incompatible-pairs/{pair_id}/retire",
    DISTRICT_CONFIG_WRITE,
    body=lambda w: {"on": LATER},
)
api("GET /api/v1/districts/{code}/filing-deadlines", DISTRICT_CONFIG_READ)
api(
    "POST /api/v1/districts/{code}/filing-deadlines",
    DISTRICT_CONFIG_WRITE,
    body=lambda w: {"label": "2027 年度", "opens_on": "2027-01-01", "due": "2027-04-01"},
)
api("GET /api/v1/districts/{code}/categories", DISTRICT_CONFIG_READ)
api(
    "POST /api/v1/districts/{code}/categories",
    DISTRICT_CONFIG_WRITE,
    body=lambda w: {"code": "t-category", "name": "测试类别"},
)
api("GET /api/v1/units/{code}/power-changes", VISIBLE_TO_UNIT)
api("GET /api/v1/power-changes/{pk}", VISIBLE_TO_UNIT)
# R-DIV-2: restriction is the commission's; the principal who proposed it does not accept it.
api("POST /api/v1/power-changes/{pk}/accept", UNIT_ADMIN_WRITE, body=lambda w: {"reason": "同意"})
api("POST /api/v1/power-changes/{pk}/reject", UNIT_ADMIN_WRITE, body=lambda w: {"reason": "不同意"})

# ---------------------------------------------------------------------------- API: matters (R-MAT)
api(
    "POST /api/v1/matters",
    expect(ok=A1, deny=ADMIN),  # R-MAT-1: members of the unit submit; the commission does not
    body=lambda w: {"unit": w.unit.code, "power": "general", "title": "综合事务一件"},
)
api(
    "GET /api/v1/matters",
    expect(ok=MATTER_VIEWERS, none=SIGNED_IN - MATTER_VIEWERS),
    probe=_holds_a1,
)
# What waits for one's signature: the deputy's decisions, the inspector's co-sign.
api(
    "GET /api/v1/matters/inbox",
    expect(ok=DEPUTY | INSPECTOR, none=SIGNED_IN - DEPUTY - INSPECTOR),
    probe=_any_item,
)
api("GET /api/v1/matters/{matter_id}", expect(ok=MATTER_VIEWERS))
api(
    "GET /api/v1/matters/{matter_id}/evidence/{evidence_id}",
    expect(ok=MATTER_VIEWERS),
)
# R-MAT-2: only the deputy in charge decides; the principal's attempt is refused and raises RF1.
api("POST /api/v1/matters/{matter_id}/approve", matter_act(DEPUTY), body=lambda w: {}, trace=PRINCIPAL)
api(
    "POST /api/v1/matters/{matter_id}/reject",
    matter_act(DEPUTY),
    body=lambda w: {"comment": "不同意"},
    trace=PRINCIPAL,
)
# R-MAT-6: the principal vetoes (it only stops).
api("POST /api/v1/matters/{matter_id}/veto", matter_act(PRINCIPAL), body=lambda w: {"reason": "程序不全"})
api(
    "POST /api/v1/matters/{matter_id}/cosign",
    matter_act(DEPUTY | INSPECTOR),
    fill=M_COSIGN,
    body=lambda w: {},
    trace=PRINCIPAL,  # R-MAT-2: the principal's attempt on a restricted matter raises RF1
)
api(
    "POST /api/v1/matters/{matter_id}/execute", matter_act(DEPUTY | STAFF), fill=M_APPROVED, body=lambda w: {}
)
api("POST /api/v1/matters/{matter_id}/withdraw", matter_act(STAFF), body=lambda w: {})
api("POST /api/v1/matters/{matter_id}/refer", matter_act(DEPUTY), body=lambda w: {})
api(
    "POST /api/v1/matters/{matter_id}/joint-review",  # R-MAT-7: deputy in charge, legal officer, inspector
    matter_act(DEPUTY | INSPECTOR),
    fill=M_JOINT,
    body=lambda w: {"opinion": "agree", "reason": "事实清楚"},
    trace=PRINCIPAL,
)
api(
    "POST /api/v1/matters/{matter_id}/evidence",
    matter_act(DEPUTY | STAFF),
    body=lambda w: {"file": upload()},
    multipart=True,
)
api("GET /api/v1/units/{code}/budget-lines", VISIBLE_TO_UNIT)
api("GET /api/v1/districts/{code}/matter-rules", DISTRICT_ONLY_ADMIN)
api(
    "POST /api/v1/districts/{code}/matter-rules",
    DISTRICT_ONLY_ADMIN,
    body=lambda w: {"collective_threshold": "60000"},
)
api("GET /api/v1/units/{code}/matter-rules", VISIBLE_TO_UNIT)
api(
    "POST /api/v1/units/{code}/matter-rules",
    UNIT_ADMIN_WRITE,
    body=lambda w: {"collective_threshold": "60000"},
)

# ---------------------------------------------------------------------------- API: meetings (R-MTG)
api("GET /api/v1/meetings", expect(ok=MEETING_VIEWERS, none=SIGNED_IN - MEETING_VIEWERS), probe=_holds_a1)
api(
    "POST /api/v1/meetings",
    expect(
        ok=A1_TEAM, deny=UNIT_VIEWERS - A1_TEAM
    ),  # rules.can_convene: the team, not staff nor the commission
    body=lambda w: {
        "unit": w.unit.code,
        "kind": "office",
        "date": "2026-03-02",
        "items": [{"title": "议题"}],
    },
)
api("GET /api/v1/meetings/{meeting_id}", expect(ok=MEETING_VIEWERS))
api("POST /api/v1/meetings/{meeting_id}/items", meeting_act(A1_TEAM), body=lambda w: {"title": "临时议题"})
api(
    "POST /api/v1/meetings/{meeting_id}/attendance",
    meeting_act(A1_TEAM),
    body=lambda w: {"present": [w.deputy.username]},
)
# R-MTG-3: the presenter states first; the principal last; an observer never states.
api(
    "POST /api/v1/meetings/{meeting_id}/items/{item_id}/statements",
    meeting_act(DEPUTY, conflict=PRINCIPAL | DEPUTY2),
    body=lambda w: {"position": "agree", "reason": "同意"},
)
api(
    "POST /api/v1/meetings/{meeting_id}/items/{item_id}/recommendations",  # R-MTG-5: members of the unit
    meeting_act(A1_TEAM),
    fill=PERSONNEL_ITEM,
    body=lambda w: {"candidate": "候选甲", "reason": "熟悉业务"},
)
api(
    "POST /api/v1/meetings/{meeting_id}/items/{item_id}/defer",
    meeting_act(PRINCIPAL),
    body=lambda w: {"reason": "材料不全"},
)
# The chair closes; with items nobody stated on, closing is refused by the state (R-MTG-6).
api("POST /api/v1/meetings/{meeting_id}/close", meeting_act(set(), conflict=PRINCIPAL))
api(
    "POST /api/v1/meetings/{meeting_id}/corrections",  # R-MTG-7: chair, principal or unit inspector
    meeting_act(PRINCIPAL | INSPECTOR),
    fill=SEALED,
    body=lambda w: {"text": "更正：出席人数笔误"},
)
api("GET /api/v1/districts/{code}/meeting-rules", DISTRICT_ONLY_ADMIN)
api(
    "POST /api/v1/districts/{code}/meeting-rules",
    DISTRICT_ONLY_ADMIN,
    body=lambda w: {"blind_statements": True},
)
api("GET /api/v1/units/{code}/meeting-rules", VISIBLE_TO_UNIT)
api("POST /api/v1/units/{code}/meeting-rules", UNIT_ADMIN_WRITE, body=lambda w: {"blind_statements": True})
api("POST /api/v1/units/{code}/meeting-rules/reset", UNIT_ADMIN_WRITE)
# R-SUP-2: the district's inspection group walks in unannounced; the unit's people are refused.
api("POST /api/v1/meetings/{meeting_id}/observe", expect(ok=INSPECTION, deny=MEETING_VIEWERS))

# ---------------------------------------------------------------------------- API: warnings, ledger
api("GET /api/v1/warnings", expect(ok=SUPERVISORS, none=SIGNED_IN - SUPERVISORS), probe=_holds_a1)
api("GET /api/v1/warnings/{warning_id}", expect(ok=SUPERVISORS))
api(
    "POST /api/v1/warnings/{warning_id}/resolve",
    expect(ok=SUPERVISORS),
    body=lambda w: {"resolution": "explained", "reason": "已说明情况"},
)
# SPEC §11 (analytics.rules): the commission reads its district's units, a unit's leadership team its unit.
ANALYTICS_READERS = expect(ok=A1_TEAM | ADMIN)
api("GET /api/v1/analytics/latency", ANALYTICS_READERS, query=lambda w: {"unit": w.unit.code, "by": "deputy"})
api("GET /api/v1/analytics/before-after", ANALYTICS_READERS, query=lambda w: {"unit": w.unit.code})
api("GET /api/v1/ledger/checkpoint", expect(ok=SIGNED_IN))
api("GET /api/v1/ledger/entries", expect(ok=SUPERVISORS, none=SIGNED_IN - SUPERVISORS), probe=_holds_a1)
api("GET /api/v1/ledger/entries/{index}", expect(ok=SUPERVISORS))
api("GET /api/v1/ledger/pending/{pending}", expect(ok=SUPERVISORS))  # batched sequencing, decision 0017
api(
    "GET /api/v1/ledger/proofs/inclusion",
    expect(ok=SUPERVISORS),
    query=lambda w: {"index": w.entry.index, "size": w.ledger_size},
)
api(
    "GET /api/v1/ledger/proofs/consistency",
    expect(ok=SIGNED_IN),
    query=lambda w: {"first": 1, "second": w.ledger_size},
)
# The witness co-signs checkpoints with its own key, not a session: a forged one is refused alike for all.
api(
    "POST /api/v1/ledger/witness",
    expect(deny=EVERYONE, anon=DENY),
    body=lambda w: {
        "origin": "forged",
        "size": w.ledger_size,
        "root": "00" * 32,
        "timestamp": "2026-03-02T10:00:00+08:00",
        "signature": "00" * 64,
        "key_id": "00" * 8,
    },
)


def _shows(*texts: str) -> Callable[[Any, Any], bool]:
    """A page probe: does the page show any of these texts (titles only A1's objects carry)?"""

    def probe(w, response) -> bool:
        page = response.content.decode("utf-8", "replace")
        return any(t.format(w=w) in page for t in texts)

    return probe


def _xlsx_shows(*texts: str) -> Callable[[Any, Any], bool]:
    """An Excel export probe: does any cell of the workbook hold any of these texts?"""

    def probe(w, response) -> bool:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
        cells = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
        return any(t.format(w=w) in cell for t in texts for cell in cells)

    return probe


SHOWS_A1_MATTER = _shows("办公用品", "设备维修")
SHOWS_A1_MEETING = _shows("年度工作安排", "科长人选", "{w.meeting}")
SHOWS_A1_WARNING = _shows('href="/matters/{w.m_open.pk}/"', "{w.warning.explanation}")
NOT_SIGNED_IN = expect(rest=AUTH, anon=AUTH)

# ---------------------------------------------------------------------------- pages: accounts, platform
page("", expect(ok=SIGNED_IN))
# Unknown paths under /api/v1/ answer 404 in the API's error shape, whoever asks.
page("^api/v1/(?P<rest>(?s:.*))$", expect(rest=HIDE, anon=HIDE))
page("api/v1/", expect(rest=HIDE, anon=HIDE))
page("api/v1/docs", expect(ok=EVERYONE))  # the public contract (API.md)
page("api/v1/openapi.json", expect(ok=EVERYONE))
page("i18n/setlang/", expect(ok=EVERYONE))
page("favicon.ico", expect(ok=EVERYONE))  # a redirect to the app's own icon (web/static), whoever asks
page(
    "accounts/login/",
    expect(ok=EVERYONE),
    body=lambda w: {"username": w.staff.username, "password": PASSWORD},
)
# Django's LogoutView: POST only; it answers with the sign-in page whoever calls it.
api("GET page accounts/logout/", expect(nope=EVERYONE, anon=NOPE))
api("POST page accounts/logout/", NOT_SIGNED_IN, note="success is the redirect to the sign-in page")
page("accounts/tokens/", expect(ok=SIGNED_IN))  # one's own tokens only
page_post("accounts/tokens/<int:token_id>/revoke/", expect(ok=STAFF))  # staff's own token; 404 to others
page_post("accounts/tokens/revoke-all/", expect(ok=SIGNED_IN))

# ---------------------------------------------------------------------------- pages: org
page("org/districts/<slug:code>/", DISTRICT_ONLY_ADMIN)
page("org/units/<slug:code>/", VISIBLE_TO_UNIT)
# The commission's forms, posted empty: the admin reaches the form check (422); everyone else 404.
for _pattern in (
    "org/units/<slug:code>/edit/",
    "org/units/<slug:code>/appoint/",
    "org/units/<slug:code>/principal/",
    "org/units/<slug:code>/terms/<int:membership_id>/end/",
):
    page_post(_pattern, expect(invalid=ADMIN))

# ---------------------------------------------------------------------------- pages: ledger
page(
    "ledger/",
    expect(ok=SUPERVISORS, none=SIGNED_IN - SUPERVISORS),
    probe=_shows('href="/ledger/entries/{w.recent_entry.index}/"'),
)
page("ledger/entries/<int:index>/", expect(ok=SUPERVISORS))
page("ledger/pending/<int:pending>/", expect(ok=SUPERVISORS))  # integrated: redirects to the entry
page("ledger/entries/<int:index>/proof/", expect(ok=SUPERVISORS))
# Verification and checkpoints are the commission's (any district's admin: they reveal no entry).
page_post("ledger/verify/", expect(ok=ADMIN | FAR_ADMIN, deny=SIGNED_IN - ADMIN - FAR_ADMIN))
page_post("ledger/checkpoint/", expect(ok=ADMIN | FAR_ADMIN, deny=SIGNED_IN - ADMIN - FAR_ADMIN))

# ---------------------------------------------------------------------------- pages: powers
page("powers/units/<slug:code>/", VISIBLE_TO_UNIT)
page("powers/units/<slug:code>/export.xlsx", VISIBLE_TO_UNIT)


def _catalogue_file(w) -> dict:
    """The unit's own catalogue, exported and posted back unchanged (a real, readable file)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhiheng.powers import excel

    return {"file": SimpleUploadedFile("powers.xlsx", excel.export_catalogue(w.unit))}


# R-DIV-1: the unit keeps its catalogue (principal), the district's commission may correct it.
page_post(
    "powers/units/<slug:code>/import/",
    expect(ok=PRINCIPAL | ADMIN, deny=A1 - PRINCIPAL),
    body=_catalogue_file,
)
page_post("powers/power-changes/<int:pk>/accept/", UNIT_ADMIN_WRITE)
page_post("powers/power-changes/<int:pk>/reject/", UNIT_ADMIN_WRITE, body=lambda w: {"reason": "不同意"})
page(
    "powers/units/<slug:code>/plan/",  # the editor: the principal's (R-DIV-5)
    expect(ok=PRINCIPAL, deny=UNIT_VIEWERS - PRINCIPAL),
    post=expect(invalid=PRINCIPAL, deny=UNIT_VIEWERS - PRINCIPAL),
)
page_post("powers/units/<slug:code>/plan/check/", expect(ok=PRINCIPAL))
page("powers/units/<slug:code>/plans/", VISIBLE_TO_UNIT)
page("powers/units/<slug:code>/plans/<int:version>/", expect(ok=A1_TEAM | ADMIN))
page_post(
    "powers/units/<slug:code>/plans/<int:version>/file/",
    expect(ok=PRINCIPAL, deny=(A1_TEAM | ADMIN) - PRINCIPAL),
)
page("powers/districts/<slug:code>/board/", DISTRICT_ONLY_ADMIN)
page("powers/districts/<slug:code>/board/export.xlsx", DISTRICT_ONLY_ADMIN)  # the board's own rule
page("powers/districts/<slug:code>/config/", DISTRICT_CONFIG_READ)
for _pattern in (
    "powers/districts/<slug:code>/config/templates/",
    "powers/districts/<slug:code>/config/templates/<slug:template>/versions/",
    "powers/districts/<slug:code>/config/pairs/",
    "powers/districts/<slug:code>/config/pairs/<int:pk>/retire/",
    "powers/districts/<slug:code>/config/deadlines/",
    "powers/districts/<slug:code>/config/categories/",
):
    page_post(_pattern, expect(invalid=ADMIN, deny=A1 | A2))  # posted empty: the admin meets the form
page("powers/units/<slug:code>/policy/", UNIT_ADMIN_WRITE, post=expect(invalid=ADMIN, deny=A1))
page_post("powers/units/<slug:code>/policy/preview/", expect(invalid=ADMIN, deny=A1))

# ---------------------------------------------------------------------------- pages: matters
page(
    "matters/inbox/",
    expect(ok=DEPUTY | INSPECTOR, none=SIGNED_IN - DEPUTY - INSPECTOR),
    probe=SHOWS_A1_MATTER,
)
page(
    "matters/units/<slug:code>/",  # staff2 sees the unit, not the matters of others (R-MAT-8)
    expect(ok=MATTER_VIEWERS, none=UNIT_VIEWERS - MATTER_VIEWERS),
    probe=SHOWS_A1_MATTER,
)
page(  # the page's Excel: its selector, its visibility
    "matters/units/<slug:code>/export.xlsx",
    expect(ok=MATTER_VIEWERS, none=UNIT_VIEWERS - MATTER_VIEWERS),
    probe=_xlsx_shows("办公用品", "设备维修"),
)
page(  # every visible matter (the commission's district-wide list)
    "matters/export.xlsx",
    expect(ok=MATTER_VIEWERS, none=SIGNED_IN - MATTER_VIEWERS),
    probe=_xlsx_shows("办公用品", "设备维修"),
)
page(
    "matters/units/<slug:code>/new/",
    VISIBLE_TO_UNIT,
    post=expect(ok=A1, deny=ADMIN),
    body=lambda w: {"power": "general", "title": "综合事务一件"},
)
page("matters/units/<slug:code>/budget/", VISIBLE_TO_UNIT)
page("matters/units/<slug:code>/rules/", VISIBLE_TO_UNIT, post=UNIT_ADMIN_WRITE)
page("matters/districts/<slug:code>/rules/", DISTRICT_ONLY_ADMIN)
page("matters/<int:pk>/", expect(ok=MATTER_VIEWERS))
page("matters/<int:pk>/evidence/<int:evidence_id>/", expect(ok=MATTER_VIEWERS))
page_post("matters/<int:pk>/<slug:action>/", matter_act(DEPUTY), trace=PRINCIPAL, note="action = approve")

# ---------------------------------------------------------------------------- pages: meetings
page(
    "meetings/units/<slug:code>/",
    expect(ok=UNIT_VIEWERS - A1_STAFF, none=A1_STAFF),  # staff see the unit, not its meetings
    post=expect(ok=A1_TEAM, deny=UNIT_VIEWERS - A1_TEAM),
    probe=SHOWS_A1_MEETING,
    body=lambda w: {"kind": "office", "date": "2026-03-02", "title": "办公会"},
)
# The inspection group sees that an open meeting exists (the gate page with its button), nothing more.
page("meetings/<int:meeting_id>/", expect(ok=MEETING_VIEWERS | INSPECTION))
page("meetings/<int:meeting_id>/minutes/", expect(ok=MEETING_VIEWERS))
# The printable minutes: the minutes page's rule, of the sealed meeting (an open one is refused, 409).
page(
    "meetings/<int:meeting_id>/minutes.pdf",
    expect(ok=MEETING_VIEWERS),
    fill={"meeting_id": lambda w: w.sealed.pk},
)
page("meetings/<int:meeting_id>/items/<int:item_id>/", expect(ok=MEETING_VIEWERS))
page_post("meetings/<int:meeting_id>/attendance/", meeting_act(A1_TEAM))
page_post("meetings/<int:meeting_id>/items/", meeting_act(A1_TEAM), body=lambda w: {"title": "临时议题"})
page_post(
    "meetings/<int:meeting_id>/items/<int:item_id>/state/",
    meeting_act(DEPUTY, conflict=PRINCIPAL | DEPUTY2),
    body=lambda w: {"position": "agree", "reason": "同意"},
)
page_post(
    "meetings/<int:meeting_id>/items/<int:item_id>/recommend/",
    meeting_act(A1_TEAM),
    fill=PERSONNEL_ITEM,
    body=lambda w: {"candidate": "候选甲", "reason": "熟悉业务"},
)
page_post(
    "meetings/<int:meeting_id>/items/<int:item_id>/defer/",
    meeting_act(PRINCIPAL),
    body=lambda w: {"reason": "材料不全"},
)
page_post("meetings/<int:meeting_id>/close/", meeting_act(set(), conflict=PRINCIPAL))
page_post("meetings/<int:meeting_id>/observe/", expect(ok=INSPECTION, deny=MEETING_VIEWERS))
page("meetings/inspection/", expect(ok=INSPECTION, none=SIGNED_IN - INSPECTION), probe=SHOWS_A1_MEETING)
page("meetings/rules/districts/<slug:code>/", DISTRICT_ONLY_ADMIN, post=expect(invalid=ADMIN))
page(
    "meetings/rules/units/<slug:code>/",
    VISIBLE_TO_UNIT,
    post=UNIT_ADMIN_WRITE,
    body=lambda w: {"reset": "1"},
)

# ---------------------------------------------------------------------------- pages: warnings
page("warnings/", expect(ok=SUPERVISORS, none=SIGNED_IN - SUPERVISORS), probe=SHOWS_A1_WARNING)
page(
    "warnings/export.xlsx",
    expect(ok=SUPERVISORS, none=SIGNED_IN - SUPERVISORS),
    probe=_xlsx_shows("{w.warning.explanation}"),
)
page_post(
    "warnings/<int:pk>/resolve/",
    expect(ok=SUPERVISORS),
    body=lambda w: {"status": "explained", "note": "已说明情况"},
)

# ---------------------------------------------------------------------------- pages: analytics (SPEC §11)
page("analytics/", ANALYTICS_READERS, query=lambda w: {"unit": w.unit.code})
page(
    "analytics/export/<slug:chart>.xlsx",
    ANALYTICS_READERS,
    fill={"chart": lambda w: "before-after"},
    query=lambda w: {"unit": w.unit.code},
)

# ---------------------------------------------------------------------------- monthly reports (R-SUP-1)
# supervision.rules: the unit's leadership team and its district's commission see the reports; the team
# acknowledges (whoever else sees the unit is refused, 403); the unit inspector remarks.


def _issued_month(w) -> str:
    """February's report of A1, issued once (idempotent) when the path is built, before any request."""
    from zhiheng.supervision import services as supervision

    supervision.issue_report(unit=w.unit, month=dt.date(2026, 2, 1))
    return "2026-02"


REPORT_READERS = expect(ok=A1_TEAM | ADMIN)
MONTH = {"month": _issued_month}
api("GET /api/v1/units/{code}/monthly-reports", REPORT_READERS)
api("GET /api/v1/units/{code}/monthly-reports/{month}", REPORT_READERS, fill=MONTH)
api(
    "POST /api/v1/units/{code}/monthly-reports/{month}/acknowledge",
    expect(ok=A1_TEAM, deny=UNIT_VIEWERS - A1_TEAM),
    fill=MONTH,
)
page("supervision/units/<slug:code>/monthly-reports/", REPORT_READERS)
page("supervision/units/<slug:code>/monthly-reports/<yyyymm:month>/", REPORT_READERS, fill=MONTH)
page(
    "supervision/units/<slug:code>/monthly-reports/<yyyymm:month>/export.<docformat:fmt>",
    REPORT_READERS,
    fill={**MONTH, "fmt": lambda w: "xlsx"},
)
page_post(
    "supervision/units/<slug:code>/monthly-reports/<yyyymm:month>/acknowledge/",
    expect(ok=A1_TEAM, deny=UNIT_VIEWERS - A1_TEAM),
    fill=MONTH,
)
page_post(
    "supervision/units/<slug:code>/monthly-reports/<yyyymm:month>/remarks/",
    expect(ok=INSPECTOR, deny=(A1_TEAM | ADMIN) - INSPECTOR),
    fill=MONTH,
    body=lambda w: {"body": "请说明"},
)
page("supervision/districts/<slug:code>/monthly-reports/", expect(ok=ADMIN))
page("supervision/districts/<slug:code>/monthly-reports/<yyyymm:month>/", expect(ok=ADMIN), fill=MONTH)

# ---------------------------------------------------------------------------- pages: inspections (R-SUP-2)
# A1's closed check (matrix_world._inspection): the district's inspection group and commission and A1's
# leadership team see it (inspections.selectors.list_inspections_for); the group opens checks on its
# district's units, A1's team answers the items, the group accepts or returns them; the closed check takes
# no new finding and no second close (409).
CHECK = {"pk": lambda w: w.check.pk}
ITEM_OPEN = {**CHECK, "finding_id": lambda w: w.item_open.pk}
ITEM_ANSWERED = {**CHECK, "finding_id": lambda w: w.item_answered.pk}
CHECK_READERS = INSPECTION | ADMIN | A1_TEAM
BY_THE_GROUP = expect(ok=INSPECTION, deny=ADMIN | A1_TEAM)
page(
    "inspections/",
    expect(ok=CHECK_READERS, none=SIGNED_IN - CHECK_READERS),
    post=expect(ok=INSPECTION, deny=SIGNED_IN - INSPECTION),
    body=lambda w: {"unit": w.unit.code, "days": "5"},
    probe=_shows('href="/inspections/{w.check.pk}/"'),
)
page(
    "inspections/rectifications/",
    expect(ok=CHECK_READERS, none=SIGNED_IN - CHECK_READERS),
    probe=_shows("会议记录不全"),
)
page("inspections/<int:pk>/", expect(ok=CHECK_READERS), fill=CHECK)
page_post("inspections/<int:pk>/close/", expect(conflict=INSPECTION, deny=ADMIN | A1_TEAM), fill=CHECK)
page_post(
    "inspections/<int:pk>/findings/",
    expect(conflict=INSPECTION, deny=ADMIN | A1_TEAM),
    fill=CHECK,
    body=lambda w: {"title": "新问题", "severity": "low", "deadline": LATER, "owner": w.principal.username},
)
page_post(
    "inspections/<int:pk>/findings/<int:finding_id>/answer/",
    expect(ok=A1_TEAM, deny=INSPECTION | ADMIN),
    fill=ITEM_OPEN,
    body=lambda w: {"response": "已整改"},
)
page_post("inspections/<int:pk>/findings/<int:finding_id>/accept/", BY_THE_GROUP, fill=ITEM_ANSWERED)
page_post(
    "inspections/<int:pk>/findings/<int:finding_id>/return/",
    BY_THE_GROUP,
    fill=ITEM_ANSWERED,
    body=lambda w: {"reason": "材料不全"},
)

# API (API.md "Supervision", R-SUP-2): the same rules as the pages, by the same predicates.
API_CHECK = {"inspection_id": lambda w: w.check.pk}
API_ITEM_OPEN = {**API_CHECK, "finding_id": lambda w: w.item_open.pk}
API_ITEM_ANSWERED = {**API_CHECK, "finding_id": lambda w: w.item_answered.pk}
api(
    "POST /api/v1/inspections",
    expect(ok=INSPECTION, deny=SIGNED_IN - INSPECTION),
    body=lambda w: {"unit": w.unit.code, "days": 5},
)
api("GET /api/v1/inspections", expect(ok=CHECK_READERS, none=SIGNED_IN - CHECK_READERS), probe=_holds_a1)
api("GET /api/v1/inspections/{inspection_id}", expect(ok=CHECK_READERS), fill=API_CHECK)
# The check is closed: its read log and sample are open to A1's team too (404 to it during a check).
api("GET /api/v1/inspections/{inspection_id}/reads", expect(ok=CHECK_READERS), fill=API_CHECK)
api("GET /api/v1/inspections/{inspection_id}/sample", expect(ok=CHECK_READERS), fill=API_CHECK)
api("GET /api/v1/inspections/{inspection_id}/findings", expect(ok=CHECK_READERS), fill=API_CHECK)
api(
    "POST /api/v1/inspections/{inspection_id}/close",
    expect(conflict=INSPECTION, deny=ADMIN | A1_TEAM),
    fill=API_CHECK,
    body=lambda w: {"conclusion": "再次结束"},
)
api(
    "POST /api/v1/inspections/{inspection_id}/findings",
    expect(conflict=INSPECTION, deny=ADMIN | A1_TEAM),
    fill=API_CHECK,
    body=lambda w: {"title": "新问题", "severity": "low", "deadline": LATER},
)
api(
    "POST /api/v1/inspections/{inspection_id}/findings/{finding_id}/answer",
    expect(ok=A1_TEAM, deny=INSPECTION | ADMIN),
    fill=API_ITEM_OPEN,
    body=lambda w: {"response": "已整改"},
)
api(
    "POST /api/v1/inspections/{inspection_id}/findings/{finding_id}/accept",
    BY_THE_GROUP,
    fill=API_ITEM_ANSWERED,
    body=lambda w: {"note": "同意"},
)
api(
    "POST /api/v1/inspections/{inspection_id}/findings/{finding_id}/return",
    BY_THE_GROUP,
    fill=API_ITEM_ANSWERED,
    body=lambda w: {"reason": "材料不全"},
)


# ---------------------------------------------------------------------------- integrity check-up (R-GATE-1/2/4)
# A1's deputy's check-up: the deputy themself and district A's commission see it (checkup.rules.can_view),
# everyone else gets 404 as for nobody; the deputy files their own declaration, the commission records
# exams and opinions (403 to the deputy).
CANDIDATE = {"username": lambda w: w.deputy.username}
DECLARATION = {**CANDIDATE, "declaration_id": lambda w: w.declaration.pk}
CHECKUP_READERS = ADMIN | DEPUTY
api("GET /api/v1/people/{username}/integrity", expect(ok=CHECKUP_READERS), fill=CANDIDATE)
api(
    "POST /api/v1/people/{username}/declarations",
    expect(ok=DEPUTY, deny=ADMIN),
    fill=CANDIDATE,
    body=lambda w: {"year": DAY.year, "items": {"salary": 190000}},
)
api("GET /api/v1/people/{username}/declarations", expect(ok=CHECKUP_READERS), fill=CANDIDATE)
api(
    "GET /api/v1/people/{username}/declarations/{declaration_id}",
    expect(ok=CHECKUP_READERS),
    fill=DECLARATION,
)
api(
    "POST /api/v1/people/{username}/exams",
    expect(ok=ADMIN, deny=DEPUTY),
    fill=CANDIDATE,
    body=lambda w: {"score": 75, "sat_on": DAY.isoformat()},
)
api(
    "POST /api/v1/people/{username}/opinions",
    expect(ok=ADMIN, deny=DEPUTY),
    fill=CANDIDATE,
    body=lambda w: {"status": "pending", "reasons": "核实中"},
)
api("GET /api/v1/checkup/queue", expect(ok=ADMIN, none=SIGNED_IN - ADMIN), probe=_any_item)
# The exam bank is district A's commission's (404 to everyone else, as for no district); a candidate's paper
# is drawn by their commission (403 to the candidate, whose check-up they see) and read by it only.
BANK = {"code": lambda w: w.district.code}
PAPER = {**CANDIDATE, "paper_id": lambda w: w.paper.pk}
api("GET /api/v1/districts/{code}/exam-questions", DISTRICT_ONLY_ADMIN, fill=BANK, probe=_any_item)
api(
    "POST /api/v1/districts/{code}/exam-questions",
    DISTRICT_ONLY_ADMIN,
    fill=BANK,
    body=lambda w: {"file": bank_upload()},
    multipart=True,
)
api(
    "POST /api/v1/people/{username}/papers",
    expect(ok=ADMIN, deny=DEPUTY),
    fill=CANDIDATE,
    body=lambda w: {"blueprint": [{"category": "党纪法规", "difficulty": 1, "count": 1}]},
)
api("GET /api/v1/people/{username}/papers/{paper_id}", DISTRICT_ONLY_ADMIN, fill=PAPER)
page(
    "checkup/",
    expect(ok=ADMIN, none=SIGNED_IN - ADMIN),
    probe=_shows('data-testid="queue-{w.deputy.username}"'),
)
page("checkup/people/<str:username>/", expect(ok=CHECKUP_READERS), fill=CANDIDATE)
page(
    "checkup/people/<str:username>/declarations/<int:pk>/",
    expect(ok=CHECKUP_READERS),
    fill={**CANDIDATE, "pk": lambda w: w.declaration.pk},
)
# The declaration form: the deputy's own to open and file; their commission, who sees the check-up, is
# refused by R-GATE-2 (NotTheDeclarant, 403) on both; everyone else 404 as for nobody.
page(
    "checkup/people/<str:username>/declare/",
    expect(ok=DEPUTY, deny=ADMIN),
    post=expect(ok=DEPUTY, deny=ADMIN),
    fill=CANDIDATE,
    body=lambda w: {"year": str(DAY.year), "salary": "190000", "real_estate-none": "on"},
)
page_post(
    "checkup/people/<str:username>/exams/",
    expect(ok=ADMIN, deny=DEPUTY),
    fill=CANDIDATE,
    body=lambda w: {"score": "75", "sat_on": DAY.isoformat()},
)
page_post(
    "checkup/people/<str:username>/opinions/",
    expect(ok=ADMIN, deny=DEPUTY),
    fill=CANDIDATE,
    body=lambda w: {"status": "pending", "reasons": "核实中"},
)
page_post(
    "checkup/people/<str:username>/papers/",
    expect(ok=ADMIN, deny=DEPUTY),
    fill=CANDIDATE,
    body=lambda w: {"blueprint": "党纪法规,1,1"},
)
page(
    "checkup/people/<str:username>/papers/<int:pk>/",
    DISTRICT_ONLY_ADMIN,
    fill={**CANDIDATE, "pk": lambda w: w.paper.pk},
)
# deputy2's online sitting, under way (R-GATE-1): the candidate starts (again: the same sitting), answers and
# hands in (403 to their commission); both see where it stands; the commission marks it once it closed
# (409 while it runs; 404 to the candidate: the marking sheet shows the key).
SITTER = {"username": lambda w: w.deputy2.username, "paper_id": lambda w: w.paper2.pk}
SITTING_PAGE = {"username": lambda w: w.deputy2.username, "pk": lambda w: w.paper2.pk}
SITTING_READERS = ADMIN | DEPUTY2
api("POST /api/v1/people/{username}/papers/{paper_id}/sitting", expect(ok=DEPUTY2, deny=ADMIN), fill=SITTER)
api("GET /api/v1/people/{username}/papers/{paper_id}/sitting", expect(ok=SITTING_READERS), fill=SITTER)
api(
    "PUT /api/v1/people/{username}/papers/{paper_id}/sitting/answers",
    expect(ok=DEPUTY2, deny=ADMIN),
    fill=SITTER,
    body=lambda w: {"answers": {}},
)
api(
    "POST /api/v1/people/{username}/papers/{paper_id}/sitting/submit",
    expect(ok=DEPUTY2, deny=ADMIN),
    fill=SITTER,
)
api(
    "POST /api/v1/people/{username}/papers/{paper_id}/sitting/marks",
    expect(conflict=ADMIN, deny=DEPUTY2),
    fill=SITTER,
    body=lambda w: {"points": {}},
)
page_post(
    "checkup/people/<str:username>/papers/<int:pk>/start/", expect(ok=DEPUTY2, deny=ADMIN), fill=SITTING_PAGE
)
page("checkup/people/<str:username>/papers/<int:pk>/sit/", expect(ok=SITTING_READERS), fill=SITTING_PAGE)
page_post(
    "checkup/people/<str:username>/papers/<int:pk>/sit/answers/",
    expect(ok=DEPUTY2, deny=ADMIN),
    fill=SITTING_PAGE,
    body=lambda w: {},
)
page_post(
    "checkup/people/<str:username>/papers/<int:pk>/sit/submit/",
    expect(ok=DEPUTY2, deny=ADMIN),
    fill=SITTING_PAGE,
    body=lambda w: {},
)
page(
    "checkup/people/<str:username>/papers/<int:pk>/mark/",
    DISTRICT_ONLY_ADMIN,
    post=expect(conflict=ADMIN),
    fill=SITTING_PAGE,
)
page("checkup/bank/<str:code>/", DISTRICT_ONLY_ADMIN, fill=BANK)
page("checkup/bank/<str:code>/export/", DISTRICT_ONLY_ADMIN, fill=BANK)
page_post(
    "checkup/bank/<str:code>/import/", DISTRICT_ONLY_ADMIN, fill=BANK, body=lambda w: {"file": bank_upload()}
)
# The deputy's integrity archive (R-GATE-3): read by the deputy and their commission (each read one ledger
# entry), written into by the commission only (403 to the deputy, who reads it); district A's list of the
# archive's categories is its commission's, like the bank (404 to everyone else, as for no district).


def _archive_scheme() -> Any:
    from zhiheng.checkup.archive import DEFAULT_SCHEME

    return DEFAULT_SCHEME


ARCHIVE_ENTRY = {
    "category": "reports",
    "subcategory": "received",
    "occurred_on": DAY.isoformat(),
    "title": "来信",
}
api("GET /api/v1/people/{username}/archive", expect(ok=CHECKUP_READERS), fill=CANDIDATE)
api(
    "POST /api/v1/people/{username}/archive",
    expect(ok=ADMIN, deny=DEPUTY),
    fill=CANDIDATE,
    body=lambda w: ARCHIVE_ENTRY,
)
api("GET /api/v1/districts/{code}/archive-scheme", DISTRICT_ONLY_ADMIN, fill=BANK)
api(
    "PUT /api/v1/districts/{code}/archive-scheme",
    DISTRICT_ONLY_ADMIN,
    fill=BANK,
    body=lambda w: {"categories": _archive_scheme().as_data()},
)
page(
    "checkup/people/<str:username>/archive/",
    expect(ok=CHECKUP_READERS),
    post=expect(ok=ADMIN, deny=DEPUTY),
    fill=CANDIDATE,
    body=lambda w: {"kind": "reports/received", "occurred_on": DAY.isoformat(), "title": "来信"},
)
page(
    "checkup/archive-scheme/<str:code>/",
    DISTRICT_ONLY_ADMIN,
    fill=BANK,
    body=lambda w: {"text": _archive_scheme().as_text()},
)


# ---------------------------------------------------------------------------- reporting channel (R-SUP-3)
# The public endpoints take no account: anyone, signed in or not, files a report and follows up with a
# receipt (the world's report's). Reports are district A's commission's: its admin handles them; the
# principal the report names, A1's people (the unit concerned), district B's admin and everyone else get
# 404 as for no report, and an empty list. The admin is the named handler of the world's report's case.
REPORT = {"report_id": lambda w: w.report.pk}
RECEIPT = {"receipt": lambda w: w.report_receipt, "passphrase": lambda w: w.report_passphrase}
ANYONE = expect(rest=OK, anon=OK)
api(
    "POST /api/v1/public/reports",
    ANYONE,
    body=lambda w: {"subject": "反映", "body": "内容", "unit": w.unit.code, "anonymous": True},
)
api(
    "POST /api/v1/public/reports/follow-up",
    ANYONE,
    body=lambda w: {"receipt": w.report_receipt, "passphrase": w.report_passphrase},
)
api(
    "POST /api/v1/public/reports/messages",
    ANYONE,
    body=lambda w: {"receipt": w.report_receipt, "passphrase": w.report_passphrase, "body": "补充"},
)
api("GET /api/v1/reports", expect(ok=ADMIN, none=SIGNED_IN - ADMIN), probe=_any_item)
api(
    "POST /api/v1/reports",
    expect(ok=ADMIN, deny=SIGNED_IN - ADMIN),
    body=lambda w: {"channel": "phone", "subject": "来电", "body": "内容", "unit": w.unit.code},
)
api("GET /api/v1/reports/{report_id}", DISTRICT_ONLY_ADMIN, fill=REPORT)
api(
    "POST /api/v1/reports/{report_id}/messages",
    DISTRICT_ONLY_ADMIN,
    fill=REPORT,
    body=lambda w: {"body": "请补充"},
)
api(
    "POST /api/v1/reports/{report_id}/identity",
    DISTRICT_ONLY_ADMIN,
    fill=REPORT,
    body=lambda w: {"reason": "需要当面核实"},
)
api("POST /api/v1/report-cases", DISTRICT_ONLY_ADMIN, body=lambda w: {"reports": [w.report2.pk]})
api(
    "POST /api/v1/report-cases/{case_id}/close",
    DISTRICT_ONLY_ADMIN,
    fill={"case_id": lambda w: w.report_case.pk},
    body=lambda w: {"outcome": "dismissed", "reason": "查无实据"},
)


# The public pages (no account, no cookie) answer anyone; the handlers' pages are district A's admin's (404 to
# everyone else, the list empty for them); a case is opened from the second report (the first is in one).
page(
    "report/",
    ANYONE,
    body=lambda w: {"unit": w.unit.code, "subject": "反映", "body": "内容", "anonymous": "on"},
)
page(
    "report/follow-up/",
    ANYONE,
    body=lambda w: {"receipt": w.report_receipt, "passphrase": w.report_passphrase, "body": "补充"},
)
page("reports/", expect(ok=SIGNED_IN))
page("reports/<int:pk>/", DISTRICT_ONLY_ADMIN, fill={"pk": lambda w: w.report.pk})
page_post(
    "reports/<int:pk>/reply/",
    DISTRICT_ONLY_ADMIN,
    fill={"pk": lambda w: w.report.pk},
    body=lambda w: {"body": "请补充"},
)
page_post(
    "reports/<int:pk>/case/",
    DISTRICT_ONLY_ADMIN,
    fill={"pk": lambda w: w.report2.pk},
    body=lambda w: {"handlers": [w.admin.pk]},
)
page_post(
    "reports/<int:pk>/join/",
    DISTRICT_ONLY_ADMIN,
    fill={"pk": lambda w: w.report2.pk},
    body=lambda w: {"case": w.report_case.pk},
)
CASE_PAGE = {"pk": lambda w: w.report_case.pk}
page("reports/cases/<int:pk>/", DISTRICT_ONLY_ADMIN, fill=CASE_PAGE)
page_post(
    "reports/cases/<int:pk>/handlers/",
    DISTRICT_ONLY_ADMIN,
    fill=CASE_PAGE,
    body=lambda w: {"handlers": [w.admin.pk]},
)
page_post(
    "reports/cases/<int:pk>/deadline/",
    DISTRICT_ONLY_ADMIN,
    fill=CASE_PAGE,
    body=lambda w: {"deadline": "2099-12-31", "reason": "补充调查"},
)
page_post(
    "reports/cases/<int:pk>/close/",
    DISTRICT_ONLY_ADMIN,
    fill=CASE_PAGE,
    body=lambda w: {"outcome": "dismissed", "reason": "查无实据"},
)
page_post(
    "reports/<int:pk>/identity/",
    DISTRICT_ONLY_ADMIN,
    fill={"pk": lambda w: w.report.pk},
    body=lambda w: {"reason": "需要当面核实"},
)


# Attachments (issue 17): the world's report gets one file from its reporter, original kept with consent, when
# the paths are built (before any request); the clean file is read by district A's admin (GET), the original
# by the admin as the case's named handler (POST with a reason); 404 to everyone else, the unit concerned and
# the principal named included. Staff attach files to the reports they recorded: a phone report, made here.


def _report_attachment(w) -> int:
    from zhiheng.reports import services as reports

    if not hasattr(w, "report_attachment"):
        reports.write_as_reporter(
            report=w.report,
            body="",
            files=[reports.Upload("凭证：转账一笔".encode(), "凭证.txt")],
            keep_originals=True,
        )
        w.report_attachment = w.report.attachments.get()
    return int(w.report_attachment.pk)


def _phoned_report(w) -> int:
    from zhiheng.reports import services as reports

    if not hasattr(w, "phoned_report"):
        w.phoned_report = reports.receive(
            by=w.admin, channel="phone", subject="来电", body="内容", unit=w.unit.code
        ).report
    return int(w.phoned_report.pk)


ATTACHMENT = {**REPORT, "attachment_id": _report_attachment}
api("GET /api/v1/reports/{report_id}/attachments/{attachment_id}", DISTRICT_ONLY_ADMIN, fill=ATTACHMENT)
api(
    "POST /api/v1/reports/{report_id}/attachments/{attachment_id}/original",
    DISTRICT_ONLY_ADMIN,
    fill=ATTACHMENT,
    body=lambda w: {"reason": "核实凭证来源"},
)
api(
    "POST /api/v1/reports/{report_id}/attachments",
    DISTRICT_ONLY_ADMIN,
    fill={"report_id": _phoned_report},
    body=lambda w: {"files": upload(), "keep_original": "false"},
    multipart=True,
)
PAGE_ATTACHMENT = {"pk": lambda w: w.report.pk, "aid": _report_attachment}
api("GET page reports/<int:pk>/attachments/<int:aid>/", DISTRICT_ONLY_ADMIN, fill=PAGE_ATTACHMENT)
api("POST page reports/<int:pk>/attachments/<int:aid>/", expect(nope=SIGNED_IN), fill=PAGE_ATTACHMENT)
page_post(
    "reports/<int:pk>/attachments/<int:aid>/original/",
    DISTRICT_ONLY_ADMIN,
    fill=PAGE_ATTACHMENT,
    body=lambda w: {"reason": "核实凭证来源"},
)


# ---------------------------------------------------------------------------- risk register (R-GATE-6)
# A1's draft risk point on finance (`deputy`'s) and a published one (matrix_world._riskregister): the published
# register is 公示 inside A1 (staff included), drafts are the leadership team's and the commission's; the
# deputy in charge and the unit inspector propose, edit and review; the principal or the inspector publishes;
# the inspector or the commission requires a review or retires. Everyone else: 404.
RISK_DRAFT = {"point_id": lambda w: w.risk_point.pk}
RISK_PUBLISHED = {"point_id": lambda w: w.risk_published.pk}
RISK_PAGE = {"pk": lambda w: w.risk_point.pk}
RISK_DRAFT_READERS = A1_TEAM | ADMIN
RISK_EDITORS = DEPUTY | INSPECTOR
RISK_SUPERVISORS = INSPECTOR | ADMIN


def risk_act(ok: set[str]) -> dict[str, str]:
    return expect(ok=ok, deny=RISK_DRAFT_READERS - ok)


def _risk_point_body(w) -> dict[str, Any]:
    return {
        "power": "finance",
        "description": "新登记的风险点",
        "type": "process",
        "importance": 3,
        "discretion": 3,
        "probability": 3,
        "harm": 3,
        "measures": "交叉复核",
        "owner": w.deputy.username,
    }


api("GET /api/v1/units/{code}/risk-points", VISIBLE_TO_UNIT)
api(
    "POST /api/v1/units/{code}/risk-points",
    expect(ok=RISK_EDITORS, deny=UNIT_VIEWERS - RISK_EDITORS),
    body=_risk_point_body,
)
api("GET /api/v1/risk-points/{point_id}", expect(ok=RISK_DRAFT_READERS), fill=RISK_DRAFT)
api(
    "PATCH /api/v1/risk-points/{point_id}",
    risk_act(RISK_EDITORS),
    fill=RISK_DRAFT,
    body=lambda w: {"harm": 5},
)
api("POST /api/v1/risk-points/{point_id}/publish", risk_act(PRINCIPAL | INSPECTOR), fill=RISK_DRAFT)
api(
    "POST /api/v1/risk-points/{point_id}/review",
    risk_act(RISK_EDITORS),
    fill=RISK_DRAFT,
    body=lambda w: {"note": "复核"},
)
api(
    "POST /api/v1/risk-points/{point_id}/require-review",
    risk_act(RISK_SUPERVISORS),
    fill=RISK_DRAFT,
    body=lambda w: {"reason": "预警增多"},
)
api(
    "POST /api/v1/risk-points/{point_id}/retire",
    risk_act(RISK_SUPERVISORS),
    fill=RISK_DRAFT,
    body=lambda w: {"reason": "职权划转"},
)
page("riskregister/reviews/", expect(ok=SIGNED_IN))
page("riskregister/units/<slug:code>/", VISIBLE_TO_UNIT)
page("riskregister/units/<slug:code>/export.xlsx", VISIBLE_TO_UNIT)  # the register as the page shows it
# The import registers drafts through propose_point: its editors pass; deputy2 may import (procurement is
# theirs) but the file's finance row is refused row by row (422, R-GATE-6), nothing written.
page_post(
    "riskregister/units/<slug:code>/import/",
    expect(ok=RISK_EDITORS, invalid=DEPUTY2, deny=UNIT_VIEWERS - RISK_EDITORS - DEPUTY2),
    body=lambda w: {"file": register_upload(w)},
    multipart=True,
)
page(
    "riskregister/units/<slug:code>/new/",
    # deputy2 holds procurement, so may open the form; finance (the body's power) is `deputy`'s
    expect(ok=RISK_EDITORS | DEPUTY2, deny=UNIT_VIEWERS - RISK_EDITORS - DEPUTY2),
    post=expect(ok=RISK_EDITORS, deny=UNIT_VIEWERS - RISK_EDITORS),
    body=lambda w: {
        **_risk_point_body(w),
        "importance": "3",
        "discretion": "3",
        "probability": "3",
        "harm": "3",
    },
)
page("riskregister/points/<int:pk>/", expect(ok=UNIT_VIEWERS), fill={"pk": lambda w: w.risk_published.pk})
page(
    "riskregister/points/<int:pk>/edit/",
    risk_act(RISK_EDITORS),
    fill=RISK_PAGE,
    body=lambda w: {k: v for k, v in _risk_point_body(w).items() if k != "power"},
)
page_post("riskregister/points/<int:pk>/review/", risk_act(RISK_EDITORS), fill=RISK_PAGE)
page_post("riskregister/points/<int:pk>/publish/", risk_act(PRINCIPAL | INSPECTOR), fill=RISK_PAGE)
page_post(
    "riskregister/points/<int:pk>/require-review/",
    risk_act(RISK_SUPERVISORS),
    fill=RISK_PAGE,
    body=lambda w: {"reason": "预警增多"},
)
page_post(
    "riskregister/points/<int:pk>/retire/",
    risk_act(RISK_SUPERVISORS),
    fill=RISK_PAGE,
    body=lambda w: {"reason": "职权划转"},
)


# ---------------------------------------------------------------------------- pilot programmes (R-PIL-1)
# District A's pilot of A1 (matrix_world._pilots), in mobilisation: the commission configures it; A1's
# principal and inspector see it (and are refused every write); the district's other people see the
# district's list without it; everyone else: 404. A1 joined (idempotent) on the API; t-pilot2 joins on the page.
PILOT = {"programme_id": lambda w: w.pilot.pk}
PILOT_PAGE = {"pk": lambda w: w.pilot.pk}
PILOT_READERS = ADMIN | PRINCIPAL | INSPECTOR
PILOT_WRITE = expect(ok=ADMIN, deny=PRINCIPAL | INSPECTOR)
PILOT_IN_DISTRICT = expect(ok=PILOT_READERS, none=(A1 | A2) - PILOT_READERS)


def _day(n: int) -> str:
    return str(DAY + dt.timedelta(days=n))


def _visit_body(w) -> dict[str, Any]:
    return {"on": _day(0), "units": [w.unit.code], "visitors": "区纪委督查组", "findings": "检查督导"}


api("GET /api/v1/districts/{code}/pilots", PILOT_IN_DISTRICT, probe=_any_item)
api(
    "POST /api/v1/districts/{code}/pilots",
    expect(ok=ADMIN, deny=A1 | A2),
    body=lambda w: {"name": "第二批试点", "units": ["t-other"]},
)
api("GET /api/v1/pilots/{programme_id}", expect(ok=PILOT_READERS), fill=PILOT)
api("POST /api/v1/pilots/{programme_id}/units", PILOT_WRITE, fill=PILOT, body=lambda w: {"unit": w.unit.code})
api("POST /api/v1/pilots/{programme_id}/units/{code}/remove", PILOT_WRITE, fill=PILOT)
api(
    "POST /api/v1/pilots/{programme_id}/phases",
    PILOT_WRITE,
    fill=PILOT,
    body=lambda w: {"name": "正式实施", "from": _day(25)},
)
api("POST /api/v1/pilots/{programme_id}/visits", PILOT_WRITE, fill=PILOT, body=_visit_body)
api("POST /api/v1/pilots/{programme_id}/rollout", PILOT_WRITE, fill=PILOT, body=lambda w: {"on": _day(30)})
page(
    "pilots/districts/<slug:code>/",
    PILOT_IN_DISTRICT,
    post=expect(ok=ADMIN, deny=A1 | A2),
    probe=_shows("矩阵试点"),
    body=lambda w: {"name": "第二批试点", "units": ["t-other"]},
)
page("pilots/units/<slug:code>/", expect(ok=PILOT_READERS, none=A1 - PILOT_READERS), probe=_shows("矩阵试点"))
page("pilots/<int:pk>/", expect(ok=PILOT_READERS), fill=PILOT_PAGE)
page_post("pilots/<int:pk>/units/", PILOT_WRITE, fill=PILOT_PAGE, body=lambda w: {"unit": "t-pilot2"})
page_post("pilots/<int:pk>/units/<slug:code>/remove/", PILOT_WRITE, fill=PILOT_PAGE)
page_post(
    "pilots/<int:pk>/phases/",
    PILOT_WRITE,
    fill=PILOT_PAGE,
    body=lambda w: {"name": "正式实施", "start": _day(25)},
)
page_post("pilots/<int:pk>/visits/", PILOT_WRITE, fill=PILOT_PAGE, body=_visit_body)
page_post(
    "pilots/<int:pk>/rollout/", PILOT_WRITE, fill=PILOT_PAGE, body=lambda w: {"on": _day(30), "template": ""}
)


# ---------------------------------------------------------------------------- unit rules (R-PIL-2)
# A1's rule ZD-01 (adopted before the system) and an item passed at a sealed meeting of A1 today
# (matrix_world._unitrules): everyone who sees A1 reads its rules; the leadership team's principal and
# deputies record what the team passed (the inspector and staff: 403). District A's library of model rules is
# read by the people of its units and its admins, written by the admins (403 to the units' people).
RULE_WRITERS = PRINCIPAL | DEPUTY | DEPUTY2
RULE_WRITE = expect(ok=RULE_WRITERS, deny=UNIT_VIEWERS - RULE_WRITERS)
LIBRARY_READERS = ADMIN | A1 | A2
LIBRARY_WRITE = expect(ok=ADMIN, deny=A1 | A2)
A_RULE = {"rule": lambda w: w.unit_rule.code}
A_MODEL = {"model_id": lambda w: w.model_rule.pk}
MODEL_PAGE = {"pk": lambda w: w.model_rule.pk}


def _adopted_by(w) -> dict[str, Any]:
    return {"meeting": w.rules_item.meeting_id, "item": w.rules_item.pk}


def _rule_form(w) -> dict[str, Any]:
    return {
        "code": "ZD-02",
        "title": "采购制度",
        "body": "第一条 采购。",
        "powers": ["finance"],
        "adoption": f"{w.rules_item.meeting_id}:{w.rules_item.pk}",
    }


api("GET /api/v1/units/{code}/rules", VISIBLE_TO_UNIT)
api(
    "POST /api/v1/units/{code}/rules",
    RULE_WRITE,
    body=lambda w: {"code": "ZD-02", "title": "采购制度", "body": "第一条 采购。", **_adopted_by(w)},
)
api(
    "POST /api/v1/units/{code}/rules/adopt",
    RULE_WRITE,
    body=lambda w: {"model": w.model_rule.pk, **_adopted_by(w)},
)
api("GET /api/v1/units/{code}/rules/{rule}", VISIBLE_TO_UNIT, fill=A_RULE)
api(
    "GET /api/v1/units/{code}/rules/{rule}/versions/{number}",
    VISIBLE_TO_UNIT,
    fill={**A_RULE, "number": lambda w: 1},
)
api("GET /api/v1/units/{code}/rules/{rule}/diff", VISIBLE_TO_UNIT, fill=A_RULE)
api(
    "POST /api/v1/units/{code}/rules/{rule}/versions",
    RULE_WRITE,
    fill=A_RULE,
    body=lambda w: {"body": "第一条 总则（修订）。", **_adopted_by(w)},
)
api(
    "POST /api/v1/units/{code}/rules/{rule}/repeal",
    RULE_WRITE,
    fill=A_RULE,
    body=lambda w: {**_adopted_by(w), "reason": "废止"},
)
api("GET /api/v1/districts/{code}/model-rules", expect(ok=LIBRARY_READERS))
api(
    "POST /api/v1/districts/{code}/model-rules",
    LIBRARY_WRITE,
    body=lambda w: {"code": "FW-02", "title": "接待制度范本", "body": "第一条 接待。"},
)
api("GET /api/v1/model-rules/{model_id}", expect(ok=LIBRARY_READERS), fill=A_MODEL)
api(
    "PATCH /api/v1/model-rules/{model_id}",
    LIBRARY_WRITE,
    fill=A_MODEL,
    body=lambda w: {"body": "第一条 范本（修订）。"},
)
api(
    "POST /api/v1/model-rules/{model_id}/withdraw",
    LIBRARY_WRITE,
    fill=A_MODEL,
    body=lambda w: {"reason": "过时"},
)
page("unitrules/units/<slug:code>/", VISIBLE_TO_UNIT)
page("unitrules/units/<slug:code>/export.xlsx", VISIBLE_TO_UNIT)
page("unitrules/units/<slug:code>/new/", RULE_WRITE, body=_rule_form)
page(
    "unitrules/units/<slug:code>/adopt/",
    RULE_WRITE,
    body=lambda w: {"model": str(w.model_rule.pk), "adoption": _rule_form(w)["adoption"]},
)
page_post(
    "unitrules/units/<slug:code>/import/", RULE_WRITE, body=lambda w: {"file": rules_upload()}, multipart=True
)
page("unitrules/units/<slug:code>/rules/<slug:rule>/", VISIBLE_TO_UNIT, fill=A_RULE)
page(
    "unitrules/units/<slug:code>/rules/<slug:rule>/revise/",
    RULE_WRITE,
    fill=A_RULE,
    body=lambda w: {k: v for k, v in _rule_form(w).items() if k != "code"},
)
page_post(
    "unitrules/units/<slug:code>/rules/<slug:rule>/repeal/",
    RULE_WRITE,
    fill=A_RULE,
    body=lambda w: {"adoption": _rule_form(w)["adoption"], "reason": "废止"},
)
page("unitrules/districts/<slug:code>/", expect(ok=LIBRARY_READERS))
page("unitrules/districts/<slug:code>/export.xlsx", expect(ok=LIBRARY_READERS))
page(
    "unitrules/districts/<slug:code>/new/",
    LIBRARY_WRITE,
    body=lambda w: {"code": "FW-02", "title": "接待制度范本", "body": "第一条 接待。"},
)
page_post(
    "unitrules/districts/<slug:code>/import/",
    LIBRARY_WRITE,
    body=lambda w: {"file": library_upload()},
    multipart=True,
)
page("unitrules/models/<int:pk>/", expect(ok=LIBRARY_READERS), fill=MODEL_PAGE)
page(
    "unitrules/models/<int:pk>/edit/",
    LIBRARY_WRITE,
    fill=MODEL_PAGE,
    body=lambda w: {"title": "财务审批制度范本", "body": "第一条 范本（修订）。"},
)
page_post(
    "unitrules/models/<int:pk>/withdraw/", LIBRARY_WRITE, fill=MODEL_PAGE, body=lambda w: {"reason": "过时"}
)


# ---------------------------------------------------------------------------- inspection tours (R-GATE-5)
# The commission's tour of A1 (matrix_world._tours), run by district A's inspection group member: the tour —
# its opinions included — is read and written by its team and the commission only (404 to everyone else, the
# toured unit above all); A1's principal and inspector answer its rectifications, which the team closes; the
# unit's rectifications are its leadership team's and the commission's.
TOUR_STAFF = ADMIN | INSPECTION
TOUR = {"tour_id": lambda w: w.tour.pk}
TOUR_PAGE = {"pk": lambda w: w.tour.pk}
TOUR_ANSWERERS = PRINCIPAL | INSPECTOR


def _deadline(w) -> str:
    return (DAY + dt.timedelta(days=30)).isoformat()


def _tour_body(w) -> dict[str, Any]:
    return {"title": "新巡察", "units": [w.unit.code], "team": [w.inspection.username]}


api("GET /api/v1/districts/{code}/tours", expect(ok=TOUR_STAFF))
api("POST /api/v1/districts/{code}/tours", expect(ok=ADMIN, deny=INSPECTION), body=_tour_body)
api("GET /api/v1/tours/{tour_id}", expect(ok=TOUR_STAFF), fill=TOUR)
api("POST /api/v1/tours/{tour_id}/advance", expect(ok=TOUR_STAFF), fill=TOUR, body=lambda w: {"note": ""})
api(
    "POST /api/v1/tours/{tour_id}/opinions",
    expect(ok=TOUR_STAFF),
    fill=TOUR,
    body=lambda w: {"way": "个别谈话", "count": 3, "unit": w.unit.code},
)
api(
    "POST /api/v1/tours/{tour_id}/rectifications",
    expect(ok=TOUR_STAFF),
    fill=TOUR,
    body=lambda w: {"unit": w.unit.code, "title": "问题", "deadline": _deadline(w)},
)
api(
    "POST /api/v1/tours/{tour_id}/leads",
    expect(ok=TOUR_STAFF),
    fill=TOUR,
    body=lambda w: {"unit": w.unit.code, "summary": "线索"},
)
api(
    "POST /api/v1/tour-rectifications/{item_id}/answer",
    expect(ok=TOUR_ANSWERERS, deny=TOUR_STAFF),
    fill={"item_id": lambda w: w.tour_item.pk},
    body=lambda w: {"response": "已整改"},
)
api(
    "POST /api/v1/tour-rectifications/{item_id}/close",
    expect(ok=TOUR_STAFF, deny=TOUR_ANSWERERS),
    fill={"item_id": lambda w: w.tour_answered.pk},
    body=lambda w: {"evidence": "凭证"},
)
api("GET /api/v1/units/{code}/tour-rectifications", expect(ok=A1_TEAM | ADMIN))
page("tours/districts/<slug:code>/", expect(ok=TOUR_STAFF))
page("tours/districts/<slug:code>/new/", expect(ok=ADMIN, deny=INSPECTION), body=_tour_body)
page(
    "tours/districts/<slug:code>/method/",
    expect(ok=TOUR_STAFF),
    post=expect(ok=ADMIN, deny=INSPECTION),
    body=lambda w: {
        "steps": "进驻\n反馈",
        "ways": "个别谈话",
        "measures": "限期整改",
        "due_soon_days": 30,
        "backdate_days": 7,
    },
)
page("tours/units/<slug:code>/", expect(ok=A1_TEAM | ADMIN))
page("tours/<int:pk>/", expect(ok=TOUR_STAFF), fill=TOUR_PAGE)
page_post("tours/<int:pk>/advance/", expect(ok=TOUR_STAFF), fill=TOUR_PAGE, body=lambda w: {"note": ""})
page_post(
    "tours/<int:pk>/opinions/",
    expect(ok=TOUR_STAFF),
    fill=TOUR_PAGE,
    body=lambda w: {"way": "个别谈话", "count": "3"},
)
page_post(
    "tours/<int:pk>/rectifications/",
    expect(ok=TOUR_STAFF),
    fill=TOUR_PAGE,
    body=lambda w: {"unit": w.unit.code, "title": "问题", "deadline": _deadline(w)},
)
page_post(
    "tours/<int:pk>/leads/",
    expect(ok=TOUR_STAFF),
    fill=TOUR_PAGE,
    body=lambda w: {"unit": w.unit.code, "summary": "线索"},
)
page_post(
    "tours/rectifications/<int:pk>/answer/",
    expect(ok=TOUR_ANSWERERS, deny=TOUR_STAFF),
    fill={"pk": lambda w: w.tour_item.pk},
    body=lambda w: {"response": "已整改"},
)
page_post(
    "tours/rectifications/<int:pk>/close/",
    expect(ok=TOUR_STAFF, deny=TOUR_ANSWERERS),
    fill={"pk": lambda w: w.tour_answered.pk},
    body=lambda w: {"evidence": "凭证"},
)


# ====================================================================================== filling paths


def _default_fill(w, template: str, name: str) -> Any:
    unitish = re.search(r"units/{code}", template)
    districtish = re.search(r"districts/{code}", template)
    if name == "code":
        if unitish:
            return w.unit.code
        if districtish:
            return w.district.code
    if name in ("matter_id",) or (name == "pk" and template.startswith(("/matters/", "/api/v1/matters/"))):
        return w.m_open.pk
    if name == "pk" and "power-changes" in template:
        return w.change.pk
    if name in ("pk", "pair_id") and "pairs" in template:
        return w.pair.pk
    if name in ("pk", "warning_id") and template.startswith(("/warnings/", "/api/v1/warnings/")):
        return w.warning.pk
    simple = {
        "power": "finance",
        "username": w.staff.username,
        "version": w.draft.version,
        "template": w.template.code,
        "meeting_id": w.meeting.pk,
        "item_id": w.item.pk,
        "index": w.entry.index,
        "pending": w.pending,
        "token_id": w.staff_token_id,
        "membership_id": w.staff2_term.pk,
        "action": "approve",
        "rest": "nothing-here",
        "evidence_id": w.evidence.pk,
    }
    if name in simple:
        return simple[name]
    raise LookupError(f"no value for path parameter {{{name}}} of {template}: teach _default_fill")


def concrete_path(w, route: Route, case: Case) -> str:
    def value(match):
        name = match.group(1)
        if name in case.fill:
            return str(case.fill[name](w))
        return str(_default_fill(w, route.template, name))

    return re.sub(r"{(\w+)}", value, route.template)


# ====================================================================================== running


def classify(response, page: bool) -> str:
    status = response.status_code
    if status == 401:
        return AUTH
    if page and status == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL)):
        return AUTH
    if 200 <= status < 400:
        return OK
    return str(status)


@dataclass
class Tally:
    attempts: int = 0
    allowed: int = 0
    refused: int = 0
    mismatches: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)
    unruled: list[str] = field(default_factory=list)
    observed: dict[str, dict[str, str]] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)


def _credentials(w) -> dict[str, dict[str, str]]:
    """Per persona: the bearer header for the API and the session cookie for pages."""
    from zhiheng.accounts.models import ApiToken
    from zhiheng.accounts.services import issue_token
    from zhiheng.org.tests.factories import PASSWORD

    creds: dict[str, dict[str, str]] = {"anonymous": {}}
    for name in PERSONAS:
        person = w.persona[name]
        if person is None:
            continue
        token = issue_token(username=person.username, password=PASSWORD)
        client = Client()
        client.force_login(person)
        creds[name] = {
            "token": token,
            "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
        }
    w.staff_token_id = ApiToken.objects.filter(person=w.staff).order_by("pk").last().pk
    return creds


def _request(client: Client, route: Route, path: str, case: Case, w, cred: dict[str, str]):
    """One attempt by one persona. The client is the run's one client (building a client's middleware chain
    costs more than most requests), holding only this persona's session cookie, if any."""
    client.cookies.clear()
    headers = {}
    if route.page:
        if cred.get("session"):
            client.cookies[settings.SESSION_COOKIE_NAME] = cred["session"]
    elif cred.get("token"):
        headers["HTTP_AUTHORIZATION"] = f"Bearer {cred['token']}"
    query = case.query(w) if case.query else {}
    if route.method == "GET":
        return client.get(path, query, **headers)
    if query:
        path = f"{path}?{'&'.join(f'{k}={v}' for k, v in query.items())}"
    body = case.body(w) if case.body else None
    if route.page or case.multipart:
        return client.post(path, body or {}, **headers)
    data = json.dumps(body) if body is not None else ""
    return client.generic(route.method, path, data, content_type="application/json", **headers)


def run_matrix(routes: list[Route]) -> Tally:
    tally = Tally()
    with clock.frozen(clock.at(DAY, 10)):
        w = build_matrix_world()
        creds = _credentials(w)
        client = Client()
        for route in routes:
            case = POLICY.get(route.key)
            if case is None:
                tally.unruled.append(route.key)
                case = Case(expect())
            path = concrete_path(w, route, case)
            row = tally.observed.setdefault(route.key, {})
            for persona in PERSONAS:
                with transaction.atomic():
                    before = Entry.objects.count()
                    response = _request(client, route, path, case, w, creds[persona])
                    after = Entry.objects.count()
                    added = set(Entry.objects.filter(index__gte=before).values_list("event_type", flat=True))
                    transaction.set_rollback(True)
                got = classify(response, route.page)
                if response.status_code == 200 and case.probe and not case.probe(w, response):
                    got = NOBODY_ELSE
                row[persona] = got
                tally.attempts += 1
                tally.statuses[response.status_code] += 1
                if got in ALLOWED:
                    tally.allowed += 1
                else:
                    tally.refused += 1
                    rf1 = persona in case.trace and added == {"risk.warning_raised"}
                    if after != before and not rf1:
                        tally.leftovers.append(
                            f"{persona} {route.method} {path}: refused ({got}) but the ledger grew "
                            f"{before} → {after} ({', '.join(sorted(added))})"
                        )
                wanted = case.outcomes[persona]
                if got != wanted and route.key in POLICY:
                    tally.mismatches.append(
                        f"{persona:13} {route.method:6} {path}  expected {wanted}, got {got} "
                        f"({response.status_code} {_excerpt(response)})"
                    )
    return tally


def _excerpt(response) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            error = json.loads(response.content).get("error") or {}
            return f"{error.get('rule', '')}: {str(error.get('message', ''))[:60]}"
        except (ValueError, AttributeError):
            return ""
    if response.status_code in (301, 302, 303):
        return f"→ {response['Location']}"
    return ""


def _report(surface: str, routes: list[Route], tally: Tally, seconds: float) -> None:
    dump = os.environ.get("ZHIHENG_MATRIX_DUMP")
    if dump:
        with open(f"{dump}.{surface}.json", "w") as fh:
            json.dump(tally.observed, fh, ensure_ascii=False, indent=1, sort_keys=True)
    summary = (
        f"authorization matrix ({surface}): {len(routes)} routes × {len(PERSONAS)} personas = "
        f"{tally.attempts} attempts, {tally.allowed} allowed, {tally.refused} refused, "
        f"{len(tally.mismatches)} mismatches, {len(tally.leftovers)} refused writes that left a trace, "
        f"{seconds:.0f} s; statuses {dict(sorted(tally.statuses.items()))}"
    )
    warnings.warn(summary, MatrixSummary, stacklevel=1)
    problems = []
    if tally.unruled:
        problems.append("routes without a rule in POLICY:\n  " + "\n  ".join(tally.unruled))
    if tally.mismatches:
        problems.append(
            f"{len(tally.mismatches)} answers differ from POLICY:\n  " + "\n  ".join(tally.mismatches)
        )
    if tally.leftovers:
        problems.append("refused writes that changed the ledger:\n  " + "\n  ".join(tally.leftovers))
    assert not problems, "\n".join(problems)


# ====================================================================================== the tests


def test_every_route_has_a_rule():
    """A route nobody wrote a rule for fails the build, by name; so does a rule for a vanished route."""
    keys = {r.key for r in all_routes()}
    missing = sorted(keys - POLICY.keys())
    stale = sorted(POLICY.keys() - keys)
    hidden = ninja_patterns_outside_schema()
    assert not missing, "routes without a rule in POLICY (add one, tests/security):\n  " + "\n  ".join(
        missing
    )
    assert not stale, "rules in POLICY for routes that no longer exist:\n  " + "\n  ".join(stale)
    assert not hidden, "API operations missing from the OpenAPI document:\n  " + "\n  ".join(hidden)
    for key, case in POLICY.items():
        assert set(case.outcomes) == set(PERSONAS), key


@pytest.fixture
def _no_report_limits(settings):
    """Every persona files and follows up a report from the one test address: no rate limit here (the
    reports app's tests check the limits)."""
    settings.REPORTS_SUBMISSIONS_PER_WINDOW = settings.REPORTS_GUESSES_PER_WINDOW = 1_000_000


# The matrix runs in parts (every route is in exactly one), so that the suite's workers share it: whole,
# the pages alone took a quarter of a PostgreSQL pass on one worker while the other sat idle at the end.
PARTS = {"api": 2, "pages": 4}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("surface", "part"), [(surface, part) for surface, count in PARTS.items() for part in range(count)]
)
def test_authorization_matrix(surface, part, _no_report_limits):
    every = api_routes() if surface == "api" else page_routes()
    routes = every[part :: PARTS[surface]]
    started = time.monotonic()
    tally = run_matrix(routes)
    _report(f"{surface} {part + 1}/{PARTS[surface]}", routes, tally, time.monotonic() - started)
