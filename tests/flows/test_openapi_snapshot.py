"""The API contract is pinned (issue #11): the served OpenAPI document is the committed one, byte for byte.

docs/api/openapi.json is GET /api/v1/openapi.json rendered with sorted keys, indent 2, UTF-8 kept as
is and one trailing newline. A change of the API — a field, a status, a summary, a module moved (the
operationIds name modules) — changes the served document; this test then fails with the diff, and
whoever meant the change regenerates the snapshot and commits it with the change:

    zhiheng openapi_snapshot --write        (or: python manage.py openapi_snapshot --write)

The rendering is done here again, on the document as served over HTTP, so the test does not trust the
command; the command is checked to print the same bytes. The document must not depend on the run:
not on the settings module, the database (SQLite or PostgreSQL) or the hash seed.
"""

from __future__ import annotations

import difflib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

REPO = Path(__file__).resolve().parents[2]
SNAPSHOT = REPO / "docs" / "api" / "openapi.json"
URL = "/api/v1/openapi.json"
REGENERATE = "zhiheng openapi_snapshot --write"
DIFF_LINES = 80
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def render(document: dict) -> str:
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def parts(document: dict) -> dict[str, object]:
    """Each operation ("GET /api/v1/me") and each component schema ("schema MatterOut") by name."""
    named: dict[str, object] = {
        f"{method.upper()} {path}": operation
        for path, item in document.get("paths", {}).items()
        for method, operation in item.items()
        if method in METHODS
    }
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        named[f"schema {name}"] = schema
    return named


def explain(committed: str, served: str) -> str:
    """What changed, readably: the operations and schemas added, removed or changed, then the diff."""
    out = [f"{SNAPSHOT.relative_to(REPO)} differs from GET {URL}.", ""]
    try:
        before, after = parts(json.loads(committed)), parts(json.loads(served))
    except ValueError:
        before, after = {}, {}
    out += [f"  + {name}  (added)" for name in sorted(after.keys() - before.keys())]
    out += [f"  - {name}  (removed)" for name in sorted(before.keys() - after.keys())]
    out += [
        f"  ~ {name}  (changed)"
        for name in sorted(before.keys() & after.keys())
        if before[name] != after[name]
    ]
    diff = list(
        difflib.unified_diff(
            committed.splitlines(),
            served.splitlines(),
            fromfile="docs/api/openapi.json (committed)",
            tofile=f"GET {URL} (served)",
            lineterm="",
        )
    )
    out += diff[:DIFF_LINES]
    if len(diff) > DIFF_LINES:
        out.append(f"... {len(diff) - DIFF_LINES} more diff lines")
    out += [
        "",
        "If the API change is intended, regenerate the snapshot and commit it with the change:",
        f"    {REGENERATE}",
        "If it is not, the change broke the public contract (API.md): undo it.",
    ]
    return "\n".join(out)


@pytest.fixture
def served(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return render(response.json())


@pytest.mark.django_db
def test_the_served_document_is_the_committed_snapshot(served):
    assert SNAPSHOT.exists(), f"{SNAPSHOT} is missing: run `{REGENERATE}` and commit it"
    committed = SNAPSHOT.read_text(encoding="utf-8")
    if committed != served:
        pytest.fail(explain(committed, served), pytrace=False)


def test_the_snapshot_file_is_in_the_one_rendering():
    """Sorted keys, indent 2, non-ASCII as is, exactly one trailing newline: a hand edit that re-indents
    or escapes the file is caught even when it means the same JSON."""
    committed = SNAPSHOT.read_text(encoding="utf-8")
    assert committed == render(json.loads(committed))
    assert committed.endswith("}\n") and not committed.endswith("\n\n")
    assert "\\u" not in committed  # e.g. 制衡 is written as is, never as \u5236\u8861


@pytest.mark.django_db
def test_the_command_prints_what_is_served(served):
    out = io.StringIO()
    call_command("openapi_snapshot", stdout=out)
    assert out.getvalue() == served


@pytest.mark.django_db
def test_generating_twice_gives_the_same_bytes(client):
    first, second = (render(client.get(URL).json()) for _ in range(2))
    assert first == second
    out1, out2 = io.StringIO(), io.StringIO()
    call_command("openapi_snapshot", stdout=out1)
    call_command("openapi_snapshot", stdout=out2)
    assert out1.getvalue() == out2.getvalue() == first


def test_the_document_does_not_depend_on_settings_database_or_hash_seed(tmp_path):
    """Fresh processes with other hash seeds, under the product's settings (what `zhiheng openapi_snapshot
    --write` runs with) and under the test settings (SQLite, or PostgreSQL when this run uses it)."""
    committed = SNAPSHOT.read_text(encoding="utf-8")
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    runs = {
        "config.settings, PYTHONHASHSEED=1": {
            **base,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "ZHIHENG_ENV": "embedded",
            "ZHIHENG_VAR_DIR": str(tmp_path / "var"),
            "PYTHONHASHSEED": "1",
        },
        "config.settings_test, PYTHONHASHSEED=2": {
            **base,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "PYTHONHASHSEED": "2",
        },
    }
    for label, env in runs.items():
        done = subprocess.run(
            [sys.executable, str(REPO / "manage.py"), "openapi_snapshot"],
            cwd=REPO,
            env=env,
            capture_output=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, f"{label}: {done.stderr.decode()[-2000:]}"
        printed = done.stdout.decode("utf-8")
        if printed != committed:
            pytest.fail(f"[{label}]\n" + explain(committed, printed), pytrace=False)


@pytest.mark.django_db
def test_check_mode_fails_with_the_diff_and_the_command_to_regenerate(tmp_path, served):
    stale = tmp_path / "openapi.json"
    document = json.loads(served)
    title = document["info"]["title"]
    document["info"]["title"] = "Stale title"
    stale.write_text(render(document), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("openapi_snapshot", "--check", "--path", str(stale), stdout=io.StringIO())
    message = str(refused.value)
    assert REGENERATE in message
    assert '-    "title": "Stale title",' in message
    assert f'+    "title": {json.dumps(title, ensure_ascii=False)},' in message

    fresh = tmp_path / "fresh" / "openapi.json"
    call_command("openapi_snapshot", "--write", "--path", str(fresh), stdout=io.StringIO())
    assert fresh.read_text(encoding="utf-8") == served
    call_command("openapi_snapshot", "--check", "--path", str(fresh), stdout=io.StringIO())
