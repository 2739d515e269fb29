"""The server side of the kill -9 proof (test_idempotency_crash.py), on core.tests.forking's process pair.

A job {"path", "body", "key", "token", "out"} is one POST through the whole middleware stack (the Django
test client: no network, the same handler a server runs); the child writes {"status", "body", "replayed"}
to `out` once it has the answer. Run as `python -m zhiheng.matters.tests.crash_child`.
"""

from __future__ import annotations

import json
import os

from zhiheng.core.tests.forking import Job, serve


def prepare():
    from django.test import Client

    import config.urls  # noqa: F401  import every view before forking, not in each child

    def post(job: Job) -> None:
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

    return post


if __name__ == "__main__":
    serve(prepare)
