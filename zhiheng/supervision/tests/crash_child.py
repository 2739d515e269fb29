"""The server side of the monthly reports' kill -9 trial (test_issue_crash.py): a process that sets Django up
once, then forks one child per job, so a child can be SIGKILLed at any moment of a real run.

Protocol on stdin/stdout, one JSON object per line:
  → "ready" once Django is set up;
  ← {"month": "YYYY-MM"}: fork a child that runs services.issue_month for that month (every unit);
  → {"pid": …} right after the fork, then {"exited": pid, "status": …} once the child is gone.
Run as `python -m zhiheng.supervision.tests.crash_child` with the test database in ZHIHENG_TEST_DATABASE_URL.
"""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from django.db import connections

    from zhiheng.supervision import months, services

    connections.close_all()  # each child opens its own connection
    print(json.dumps("ready"), flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        pid = os.fork()
        if pid == 0:  # the child: one run, then gone
            code = 1
            try:
                month = months.parse(job["month"])
                assert month is not None
                services.issue_month(month)
                code = 0
            finally:
                os._exit(code)
        print(json.dumps({"pid": pid}), flush=True)
        _pid, status = os.waitpid(pid, 0)
        print(json.dumps({"exited": pid, "status": status}), flush=True)


if __name__ == "__main__":
    main()
