"""The server side of the kill -9 proof (test_idempotency_crash.py): a process that sets Django up once,
then forks one child per request, so a child can be SIGKILLed at any moment of a real request.

Protocol on stdin/stdout, one JSON object per line:
  → "ready" once Django is set up;
  ← {"path", "body", "key", "token", "out"}: fork a child that POSTs through the whole middleware stack
    (the Django test client: no network, the same handler a server runs) and writes
    {"status", "body", "replayed"} to `out` when it has the answer;
  → {"pid": …} right after the fork, then {"exited": pid} once the child is gone (finished or killed).
Run as `python -m zhiheng.matters.tests.crash_child` with the test database in ZHIHENG_TEST_DATABASE_URL.
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
    from django.test import Client

    import config.urls  # noqa: F401  import every view before forking, not in each child

    connections.close_all()  # each child opens its own connection
    print(json.dumps("ready"), flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        pid = os.fork()
        if pid == 0:  # the child: one request, then gone
            try:
                client = Client(HTTP_AUTHORIZATION=f"Bearer {job['token']}", raise_request_exception=False)
                r = client.post(
                    job["path"], job["body"], content_type="application/json", HTTP_IDEMPOTENCY_KEY=job["key"]
                )
                answer = {
                    "status": r.status_code,
                    "body": r.content.decode(),
                    "replayed": r.get("Idempotent-Replayed") == "true",
                }
                with open(job["out"] + ".part", "w") as handle:
                    json.dump(answer, handle)
                os.replace(job["out"] + ".part", job["out"])
            finally:
                os._exit(0)
        print(json.dumps({"pid": pid}), flush=True)
        os.waitpid(pid, 0)
        print(json.dumps({"exited": pid}), flush=True)


if __name__ == "__main__":
    main()
