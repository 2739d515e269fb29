"""Schemathesis against the OpenAPI document (issue 10 finding 6): the API does what its document says.

The document served at /api/v1/openapi.json is loaded from the app itself (in process, over WSGI) and
every operation in it is called with inputs Schemathesis generates from it — valid ones (positive) and
invalid ones (negative: wrong types, out-of-range numbers, strings over their bounds, missing fields) —
as three roles of tests/security/matrix_world.py: the commission admin of the district, the unit's
principal and a staff member. Path parameters are either generated or, as often, the ids of the world's
real objects (its unit, district, matters in each state, meetings and items, warning, ledger entries…),
so calls reach the services and not only the 404 of an unknown id. Each call runs in a savepoint rolled
back afterwards, so every call meets the same world and the run is repeatable.

Every answer is checked:
    5xx                  Schemathesis' not_a_server_error: never a 500, whatever the input
    error shape          every 4xx is JSON {"error": {"rule": str, "message": str, "detail": object}},
                         and Schemathesis' response_schema_conformance holds for what the document
                         says of that status (the `Error` component for every error response)
    undocumented status  Schemathesis' status_code_conformance: the status is one the operation lists
    2xx schema           response_schema_conformance of the successful answers (reported, and failing)

Size: a fixed seed (Hypothesis' derandomize: the same inputs on every run) and EXAMPLES generated cases
per operation, role and generation mode; ZHIHENG_FULL_TRIALS=1 runs FULL_EXAMPLES; ZHIHENG_SCHEMATHESIS_EXAMPLES
overrides both (CI runs the quick 15 on SQLite and 8 on PostgreSQL, .ci/run). The counts go to pytest's summary
as a SchemathesisSummary warning (also under xdist); ZHIHENG_SCHEMATHESIS_DUMP=path writes every failure to
path.<role>.json.
"""

from __future__ import annotations

import json
import os
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.openapi import from_wsgi
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from tests.security.matrix_world import DAY, build_matrix_world
from zhiheng.core import clock

pytestmark = pytest.mark.django_db

FULL = os.environ.get("ZHIHENG_FULL_TRIALS") == "1"
QUICK_EXAMPLES, FULL_EXAMPLES = 15, 30
EXAMPLES = int(os.environ.get("ZHIHENG_SCHEMATHESIS_EXAMPLES") or (FULL_EXAMPLES if FULL else QUICK_EXAMPLES))
ROLES = ("admin", "principal", "staff")
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
OPENAPI = "/api/v1/openapi.json"


class SchemathesisSummary(UserWarning):
    """What the Schemathesis pass tried and found (the closing note of a CI run quotes it)."""


# ====================================================================================== the checks


def error_shape_problem(status: int, content_type: str, body: bytes) -> str | None:
    """Why a 4xx/5xx body is not API.md's error shape, or None when it is."""
    if not content_type.startswith("application/json"):
        return f"{status} answered as {content_type or 'no content type'}"
    try:
        data = json.loads(body)
    except ValueError:
        return f"{status} answered with a body that is not JSON"
    if not isinstance(data, dict) or set(data) != {"error"} or not isinstance(data["error"], dict):
        return f"{status} answered {str(data)[:120]}"
    error = data["error"]
    if set(error) != {"rule", "message", "detail"}:
        return f"{status} error with the keys {sorted(error)}"
    if not (isinstance(error["rule"], str) and error["rule"] and isinstance(error["message"], str)):
        return f"{status} error with rule {error['rule']!r}, message {error['message']!r}"
    if not isinstance(error["detail"], dict):
        return f"{status} error whose detail is {type(error['detail']).__name__}"
    return None


def _failure_titles(case, response, check) -> list[str]:
    try:
        case.validate_response(response, checks=[check])
    except FailureGroup as group:
        return [f"{failure.title}: {failure.message}"[:400] for failure in group.exceptions]
    except AssertionError as exc:
        return [str(exc)[:400]]
    return []


# ====================================================================================== the world


def real_path_parameters(w) -> dict[str, list[Any]]:
    """Real values for the document's path parameters, so calls reach the services."""
    from zhiheng.ledger.models import Entry
    from zhiheng.powers.models import DivisionPlan

    plans = list(DivisionPlan.objects.filter(unit=w.unit).values_list("version", flat=True))
    return {
        "username": [w.staff.username, w.deputy.username, w.principal.username],
        "power": ["finance", "procurement"],
        "version": plans,
        "template": [w.template.code],
        "pair_id": [w.pair.pk],
        "pk": [w.change.pk],
        "matter_id": [w.m_open.pk, w.m_approved.pk, w.m_cosign.pk, w.m_joint.pk],
        "evidence_id": [w.evidence.pk],
        "meeting_id": [w.meeting.pk, w.sealed.pk],
        "item_id": [w.item.pk, w.personnel_item.pk],
        "warning_id": [w.warning.pk],
        "index": [0, max(0, Entry.objects.count() - 1)],
    }


def path_choices(path: str, names: list[str], real: dict[str, list[Any]], w) -> list[dict[str, Any]]:
    """A few combinations of real path parameters for one operation (empty when one has no real value)."""
    values: dict[str, list[Any]] = {}
    for name in names:
        if name == "code":
            values[name] = [w.district.code] if path.startswith("/api/v1/districts/") else [w.unit.code]
        elif real.get(name):
            values[name] = real[name]
        else:
            return []
    width = max(len(v) for v in values.values()) if values else 0
    return [{name: vs[i % len(vs)] for name, vs in values.items()} for i in range(width)]


# ====================================================================================== the run


@dataclass
class Tally:
    operations: int = 0
    requests: int = 0
    unsatisfiable: int = 0
    server_errors: list[str] = field(default_factory=list)
    shape: list[str] = field(default_factory=list)
    undocumented: list[str] = field(default_factory=list)
    success_schema: list[str] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)

    def add(self, bucket: list[str], label: str, problem: str) -> None:
        bucket.append(f"{label}: {problem}")


def run_schemathesis(app, roles: tuple[str, ...]) -> Tally:
    tally = Tally()
    with clock.frozen(clock.at(DAY, 10)):
        w = build_matrix_world()
        from zhiheng.accounts.services import issue_token
        from zhiheng.org.tests.factories import PASSWORD

        tokens = {role: issue_token(username=getattr(w, role).username, password=PASSWORD) for role in roles}
        schema = from_wsgi(OPENAPI, app)
        schema.config.generation.update(
            modes=list(MODES), with_security_parameters=False, allow_x00=True, deterministic=True
        )
        real = real_path_parameters(w)
        operations = [result.ok() for result in schema.get_all_operations()]
        tally.operations = len(operations)
        for operation in operations:
            names = [p.name for p in operation.path_parameters]
            choices = path_choices(operation.path, names, real, w)
            for mode in MODES:
                strategies = [operation.as_strategy(generation_mode=mode)]
                strategies += [
                    operation.as_strategy(generation_mode=mode, path_parameters=c) for c in choices
                ]
                strategy = st.one_of(*strategies)
                for role in roles:
                    _explore(operation, strategy, tokens[role], f"{role:9} {mode.value:8}", tally)
    return tally


def _explore(operation, strategy, token: str, who: str, tally: Tally) -> None:
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case) -> None:
        with transaction.atomic():
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            transaction.set_rollback(True)
        tally.requests += 1
        tally.statuses[response.status_code] += 1
        label = f"{who} {operation.method.upper()} {case.formatted_path}"
        if response.status_code >= 500:
            for problem in _failure_titles(case, response, not_a_server_error) or ["5xx"]:
                tally.add(tally.server_errors, label, problem)
        if response.status_code >= 400:
            problem = error_shape_problem(
                response.status_code, response.headers.get("content-type", [""])[0], response.content
            )
            if problem is not None:
                tally.add(tally.shape, label, problem)
        documented = _failure_titles(case, response, status_code_conformance)
        for problem in documented:
            tally.add(tally.undocumented, label, problem)
        if not documented and response.status_code < 500:
            bucket = tally.shape if response.status_code >= 400 else tally.success_schema
            for problem in _failure_titles(case, response, response_schema_conformance):
                tally.add(bucket, label, problem)

    try:
        run()
    except Unsatisfiable:  # nothing to negate: an operation without parameters or body
        tally.unsatisfiable += 1


def _report(tally: Tally, roles: tuple[str, ...], seconds: float) -> None:
    summary = (
        f"schemathesis ({', '.join(roles)}): {tally.operations} operations × {len(roles)} roles × "
        f"{len(MODES)} modes, "
        f"{tally.requests} requests ({EXAMPLES} examples each, {'full' if FULL else 'quick'}), "
        f"{len(tally.server_errors)} 5xx, {len(tally.shape)} error-shape violations, "
        f"{len(tally.undocumented)} undocumented statuses, {len(tally.success_schema)} 2xx schema "
        f"violations, {seconds:.0f} s; statuses {dict(sorted(tally.statuses.items()))}"
    )
    warnings.warn(summary, SchemathesisSummary, stacklevel=1)
    dump = os.environ.get("ZHIHENG_SCHEMATHESIS_DUMP")
    if dump:
        with open(f"{dump}.{'-'.join(roles)}.json", "w") as fh:
            json.dump(
                {
                    "5xx": tally.server_errors,
                    "shape": tally.shape,
                    "undocumented": tally.undocumented,
                    "2xx schema": tally.success_schema,
                },
                fh,
                ensure_ascii=False,
                indent=1,
            )
    problems = []
    for name, found in (
        ("5xx answers", tally.server_errors),
        ("answers not in the error shape", tally.shape),
        ("statuses the document does not list", tally.undocumented),
        ("successful answers unlike their documented schema", tally.success_schema),
    ):
        if found:
            distinct = sorted(set(found))
            problems.append(
                f"{len(found)} {name} ({len(distinct)} distinct):\n  " + "\n  ".join(distinct[:40])
            )
    assert not problems, "\n".join(problems)


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler, keeping the test's connection (as Django's test client does)."""
    from django.core.wsgi import get_wsgi_application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ROLES)
def test_the_api_answers_as_its_openapi_document_says(wsgi_app, role):
    """Issue 10 finding 6: zero 5xx, zero error-shape violations, zero undocumented statuses. One role per
    test, so that the suite's workers share the run (the same derandomized inputs as one test of all three)."""
    started = time.monotonic()
    tally = run_schemathesis(wsgi_app, (role,))
    _report(tally, (role,), time.monotonic() - started)
