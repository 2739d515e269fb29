"""The app skeleton new capabilities copy (docs/app_template, docs/new-app.md) renders into the module set
of ENGINEERING.md §2, compiles, and passes the project's lint — so copying it starts a new app in shape."""

from __future__ import annotations

import py_compile
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

TEMPLATE = Path(__file__).resolve().parents[3] / "docs" / "app_template"
MODULES = {
    "__init__.py",
    "apps.py",
    "models.py",
    "states.py",
    "errors.py",
    "events.py",
    "rules.py",
    "selectors.py",
    "services/__init__.py",
    "api.py",
    "web/__init__.py",
    "web/views.py",
    "urls.py",
    "tasks.py",
    "migrations/__init__.py",
    "tests/__init__.py",
    "tests/test_states.py",
    "tests/test_services.py",
    "tests/test_rules.py",
    "tests/test_api.py",
    "tests/test_web.py",
}


def test_the_skeleton_renders_the_module_set_and_passes_lint(tmp_path):
    target = tmp_path / "sample"
    target.mkdir()
    call_command("startapp", "sample", str(target), template=str(TEMPLATE), verbosity=0)
    files = {str(p.relative_to(target)) for p in target.rglob("*") if p.is_file()}
    assert files >= MODULES
    assert "templates/sample/index.html" in files
    assert not [f for f in files if f.endswith("-tpl")]
    for path in target.rglob("*.py"):
        py_compile.compile(str(path), doraise=True)
        assert "{{" not in path.read_text(encoding="utf-8"), path
    ruff = [sys.executable, "-m", "ruff"]
    root = Path(__file__).resolve().parents[3]
    config = ["--config", str(root / "pyproject.toml")]
    assert subprocess.run([*ruff, "check", *config, str(target)], capture_output=True).returncode == 0
    format_check = [*ruff, "format", "--check", *config, str(target)]
    assert subprocess.run(format_check, capture_output=True).returncode == 0
