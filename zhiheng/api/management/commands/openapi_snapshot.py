"""`zhiheng openapi_snapshot [--write | --check] [--path FILE]`: the committed OpenAPI snapshot (issue #11).

The document is the one served at GET /api/v1/openapi.json, rendered one way only — sorted keys,
indent 2, UTF-8 (non-ASCII kept as is), one trailing newline — so the same API always gives the same
bytes, whatever the settings, database or hash seed. docs/api/openapi.json holds it and
tests/flows/test_openapi_snapshot.py fails with a diff when the served document differs.

zhiheng openapi_snapshot           print the document to stdout
zhiheng openapi_snapshot --write   rewrite docs/api/openapi.json (after changing the API on purpose)
zhiheng openapi_snapshot --check   exit 1 with a unified diff if docs/api/openapi.json is stale
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test import RequestFactory
from django.urls import resolve

DOCUMENT_URL = "/api/v1/openapi.json"
SNAPSHOT = Path("docs") / "api" / "openapi.json"
REGENERATE = "zhiheng openapi_snapshot --write"
DIFF_LINES = 80


def served_document() -> dict[str, Any]:
    """The document exactly as GET /api/v1/openapi.json serves it (through the URL configuration, so
    wherever the NinjaAPI is assembled)."""
    match = resolve(DOCUMENT_URL)
    response = match.func(RequestFactory().get(DOCUMENT_URL), *match.args, **match.kwargs)
    if response.status_code != 200:
        raise CommandError(f"GET {DOCUMENT_URL} answered {response.status_code}")
    document: dict[str, Any] = json.loads(response.content)
    return document


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def snapshot_path() -> Path:
    return Path(settings.BASE_DIR) / SNAPSHOT


def unified_diff(committed: str, current: str, *, limit: int = DIFF_LINES) -> str:
    lines = list(
        difflib.unified_diff(
            committed.splitlines(keepends=True),
            current.splitlines(keepends=True),
            fromfile=f"{SNAPSHOT} (committed)",
            tofile=f"GET {DOCUMENT_URL} (served)",
        )
    )
    shown = "".join(line if line.endswith("\n") else line + "\n" for line in lines[:limit])
    if len(lines) > limit:
        shown += f"... {len(lines) - limit} more diff lines\n"
    return shown


class Command(BaseCommand):
    help = "输出、写入或检查 OpenAPI 文档快照（docs/api/openapi.json）"

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--write", action="store_true", help="rewrite the snapshot file")
        mode.add_argument("--check", action="store_true", help="exit 1 with a diff if the snapshot is stale")
        parser.add_argument("--path", default=None, help=f"the snapshot file (default: {SNAPSHOT})")

    def handle(
        self, *args: Any, write: bool = False, check: bool = False, path: str | None = None, **options: Any
    ) -> None:
        current = render(served_document())
        target = Path(path) if path else snapshot_path()
        if write:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(current, encoding="utf-8")
            self.stdout.write(f"wrote {target} ({len(current.encode())} bytes)")
        elif check:
            committed = target.read_text(encoding="utf-8") if target.exists() else ""
            if committed != current:
                raise CommandError(
                    f"{target} differs from the served document; regenerate with `{REGENERATE}`\n"
                    + unified_diff(committed, current)
                )
            self.stdout.write(f"{target} is up to date")
        else:
            self.stdout.write(current, ending="")
