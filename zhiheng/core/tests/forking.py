"""The kill -9 trials' process pair, shared by every app that proves it survives a crash mid-write.

A trial needs a real process to kill at a random moment of real work, and Django costs a second or more to
set up, so the work runs in a server that sets Django up once and forks one child per job:

- `serve(prepare)` is the server (the `__main__` of an app's `crash_child.py`): `prepare()` runs after
  `django.setup()` and returns the job handler; each job line on stdin forks a child that runs the handler
  and exits 0 if it returned, 1 if it raised.
- `ForkingServer(module, log)` is the test's side: `run(job, kill_after=…)` sends a job, SIGKILLs the child
  that many seconds after the fork (if it is still running) and returns whether it finished by itself.

Protocol, one JSON value per line: → "ready" once Django is set up; ← a job object; → {"pid": …} right
after the fork, then {"exited": pid, "status": …} once the child is gone (finished or killed).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

Job = dict[str, Any]


def serve(prepare: Callable[[], Callable[[Job], None]]) -> None:
    """The server loop; runs in its own process with the test database in ZHIHENG_TEST_DATABASE_URL."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from django.db import connections

    handle = prepare()
    connections.close_all()  # each child opens its own connection
    print(json.dumps("ready"), flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        pid = os.fork()
        if pid == 0:  # the child: one job, then gone
            code = 1
            try:
                handle(job)
                code = 0
            finally:
                os._exit(code)
        print(json.dumps({"pid": pid}), flush=True)
        _pid, status = os.waitpid(pid, 0)
        print(json.dumps({"exited": pid, "status": status}), flush=True)


def require_postgresql() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(
            "kill -9 proof runs on PostgreSQL, the production database; set ZHIHENG_TEST_DATABASE_URL"
        )


def database_url() -> str:
    """The test database's URL, for the server process."""
    from django.db import connection

    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="") + (":" + quote(db["PASSWORD"], safe="") if db["PASSWORD"] else "")
    host = quote(db["HOST"] or "localhost", safe="")  # a Unix socket's directory travels as %2Fvar%2Frun…
    return f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


class ForkingServer:
    """The server process running `python -m <module>`, its stderr in `log`."""

    def __init__(self, module: str, log: Path) -> None:
        from django.conf import settings

        env = {
            **os.environ,
            "ZHIHENG_TEST_DATABASE_URL": database_url(),
            "ZHIHENG_VAR_DIR": str(settings.VAR_DIR),
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
        }
        self.log = log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", module],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            env=env,
            cwd=settings.BASE_DIR,
            text=True,
        )
        assert self._read() == "ready"

    def _read(self) -> Any:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError(f"the server process died: {self.log.name}")
        return json.loads(line)

    def run(self, job: Job, *, kill_after: float | None = None) -> bool:
        """One job; True if its child finished by itself (exit 0), False if it was killed or failed."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        pid = self._read()["pid"]
        if kill_after is not None:
            time.sleep(kill_after)
            with contextlib.suppress(ProcessLookupError):  # already finished (not yet reaped: same pid)
                os.kill(pid, signal.SIGKILL)
        answer = self._read()
        assert answer["exited"] == pid
        return bool(answer["status"] == 0)

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        self.log.close()
