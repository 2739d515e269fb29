"""The server side of the monthly reports' kill -9 trial (test_issue_crash.py), on core.tests.forking's
process pair. A job {"month": "YYYY-MM"} runs services.issue_month for that month (every unit).
Run as `python -m zhiheng.supervision.tests.crash_child`.
"""

from __future__ import annotations

from zhiheng.core.tests.forking import Job, serve


def prepare():
    from zhiheng.supervision import months, services

    def issue(job: Job) -> None:
        month = months.parse(job["month"])
        assert month is not None
        services.issue_month(month)

    return issue


if __name__ == "__main__":
    serve(prepare)
