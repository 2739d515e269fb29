"""Web benchmark (issue #12): every daily endpoint through the production server, against a one-query baseline.

    .venv/bin/python bench/web/run.py [--quick] [--duration 7] [--conns 4,32]
                                      [--postgres postgres://postgres@127.0.0.1:5432/zh_bench_web]

1. Drops and re-creates the PostgreSQL database named by --postgres, migrates it and loads the demo data
   (`zhiheng load_demo`), all with the benchmark's own settings, bench/web/settings.py: the product's
   settings plus one baseline endpoint (bench/web/urls.py), never part of the product.
2. Starts gunicorn (4 sync workers, DEBUG off, persistent database connections as configured) on a free
   local port with those settings.
3. Signs the personas in: the district admin (`<district>-admin`) and the principal of the unit holding
   the sealed meeting with the most agenda items (found through GET /api/v1/units/{code}/team); API
   endpoints get a bearer token (POST /api/v1/auth/token), pages a session cookie (through the login
   form, CSRF included).
4. Counts the SQL queries of one request to each endpoint, in process with the same settings
   (django.test.Client under CaptureQueriesContext, after one warm-up request).
5. Drives each endpoint with wrk (one thread, a small Lua script for the credentials, 10 s timeout so slow
   answers count in p99) at each connection count for --duration seconds; the baseline runs first and
   last at each connection count and the ratio is to the mean of its two runs.
6. Prints one table (endpoint, conns, rps, p50, p99, queries, ratio to the baseline) and drops the
   database. Every endpoint must answer 200 (checked before, and wrk's non-2xx count after).

About 3½ minutes with the defaults, about 1¼ with --quick (2 s per run). The machine is shared: the
1-minute load average before and after is printed with the table.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/zh_bench_web"
PASSWORD = "zhiheng-demo"  # noqa: S105  the demo accounts' published password
WORKERS = 4
SETTINGS = "bench.web.settings"


@dataclass
class Endpoint:
    label: str
    path: str
    authorization: str = ""
    cookie: str = ""
    queries: int | None = None
    results: dict[int, dict[str, float]] = field(default_factory=dict)


def recreate(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(url: str, var_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "ZHIHENG_DATABASE_URL": url,
            "ZHIHENG_VAR_DIR": var_dir,
            "ZHIHENG_DEBUG": "0",
            "ZHIHENG_SECRET_KEY": secrets.token_urlsafe(48),
            "ZHIHENG_LOG_LEVEL": "WARNING",
            "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p),
        }
    )
    return env


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def load_demo() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("ledger", "keygen", stdout=io.StringIO())
    call_command("load_demo", "--quiet-accounts", stdout=io.StringIO())


def targets() -> dict[str, object]:
    """The unit with the sealed meeting of the most agenda items (the richest minutes page), its district,
    that meeting, and the latest ledger entry of the unit (for the inclusion proof)."""
    from django.db.models import Count

    from zhiheng.ledger import selectors as ledger_selectors
    from zhiheng.ledger.models import Entry
    from zhiheng.meetings.models import Meeting

    meeting = (
        Meeting.objects.filter(state="sealed")
        .annotate(n_items=Count("items"))
        .select_related("unit__district")
        .order_by("-n_items", "pk")
        .first()
    )
    assert meeting is not None, "the demo data has no sealed meeting"
    unit = meeting.unit
    entry = Entry.objects.filter(unit=unit.code).order_by("-index").only("index").first()
    assert entry is not None, f"no ledger entry of {unit.code}"
    return {
        "unit": unit.code,
        "district": unit.district.code,
        "meeting": meeting.pk,
        "entry": entry.index,
        "size": ledger_selectors.tree_size(),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return subprocess.Popen(
        [
            str(gunicorn),
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={WORKERS}",
            "--worker-class=sync",
            f"--chdir={ROOT}",
            "--log-level=warning",
            "--timeout=60",
            "--no-control-socket",  # other gunicorns on the machine keep theirs
        ],
        env=env,
        start_new_session=True,
    )


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # gunicorn's master stops its workers gracefully
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def wait_ready(base: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=30).read()  # noqa: S310  our own server
            return
        except OSError:  # refused while booting (URLError, ConnectionError and timeouts are OSErrors)
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within a minute")


def api(base: str, path: str, *, token: str = "", body: dict[str, str] | None = None) -> object:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{base}{path}", data=data)  # noqa: S310  our own server
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.loads(response.read())


def token_for(base: str, username: str) -> str:
    answer = api(base, "/api/v1/auth/token", body={"username": username, "password": PASSWORD})
    assert isinstance(answer, dict)
    return str(answer["token"])


def session_for(base: str, username: str) -> str:
    """Sign in through the login form like a browser (CSRF cookie and token); the session cookie."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}/accounts/login/", timeout=30).read()
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    form = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": csrf})
    opener.open(f"{base}/accounts/login/", data=form.encode(), timeout=30).read()
    session = next((c.value for c in jar if c.name == "sessionid"), None)
    assert session, f"{username} could not sign in through /accounts/login/"
    return session


def check_ok(base: str, endpoint: Endpoint) -> None:
    """Each endpoint must answer 200 itself (no redirect to the login page, no refusal)."""
    request = urllib.request.Request(f"{base}{endpoint.path}")  # noqa: S310  our own server
    if endpoint.authorization:
        request.add_header("Authorization", endpoint.authorization)
    if endpoint.cookie:
        request.add_header("Cookie", endpoint.cookie)
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise SystemExit(f"{endpoint.label}: GET {endpoint.path} answered {status}, not 200")


def count_queries(endpoints: list[Endpoint]) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    for endpoint in endpoints:
        headers = {"HTTP_AUTHORIZATION": endpoint.authorization} if endpoint.authorization else {}
        client = Client(**headers)
        if endpoint.cookie:
            name, value = endpoint.cookie.split("=", 1)
            client.cookies[name] = value
        assert client.get(endpoint.path).status_code == 200, endpoint.label  # warm-up
        with CaptureQueriesContext(connection) as captured:
            assert client.get(endpoint.path).status_code == 200, endpoint.label
        endpoint.queries = len(captured.captured_queries)
    connection.close()


def run_wrk(base: str, endpoint: Endpoint, conns: int, duration: int) -> dict[str, float]:
    env = dict(os.environ, WRK_AUTHORIZATION=endpoint.authorization, WRK_COOKIE=endpoint.cookie)
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{conns}",
            f"-d{duration}s",
            "--timeout=10s",
            "-s",
            str(HERE / "wrk.lua"),
            f"{base}{endpoint.path}",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    seconds = figures["duration_us"] / 1e6
    return {
        "rps": figures["requests"] / seconds,
        "p50": figures["p50_us"] / 1000,
        "p99": figures["p99_us"] / 1000,
        "errors": figures["non2xx"] + figures["socket_errors"],
    }


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    print("wrk is missing; installing Debian's package (apt-get install -y wrk)", flush=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
        env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"),
    )


def loadavg() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=DEFAULT_PG, help="a throwaway database: dropped and re-created")
    parser.add_argument("--duration", type=int, default=7, help="seconds of each wrk run (default 7)")
    parser.add_argument("--quick", action="store_true", help="2 s per run: about 1¼ minutes in all")
    parser.add_argument("--conns", default="4,32", help="connection counts (default 4,32)")
    args = parser.parse_args()
    duration = 2 if args.quick else args.duration
    levels = [int(c) for c in args.conns.split(",")]
    ensure_wrk()

    started = time.monotonic()
    sys.path[0] = str(ROOT)  # bench.web.settings, not this directory's modules
    var_dir = tempfile.mkdtemp(prefix="zh-bench-web-")
    env = server_env(args.postgres, var_dir)
    recreate(args.postgres)
    server = None
    try:
        setup_django(env)
        load_demo()
        t = targets()
        from django.db import connections

        connections.close_all()
        print(
            f"demo data loaded in {time.monotonic() - started:.0f} s; unit {t['unit']}, meeting {t['meeting']}"
        )

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        load_before = loadavg()
        server = start_server(env, port)
        wait_ready(base, server)

        admin = f"{t['district']}-admin"
        admin_token = token_for(base, admin)
        team = api(base, f"/api/v1/units/{t['unit']}/team?limit=100", token=admin_token)
        assert isinstance(team, dict)
        principal = next(m["username"] for m in team["items"] if m["role"] == "principal")
        principal_token = token_for(base, principal)
        page = api(base, "/api/v1/matters?limit=50", token=principal_token)
        assert isinstance(page, dict) and page["items"], "the principal sees no matter"
        matter = page["items"][0]["id"]
        cookie = f"sessionid={session_for(base, principal)}"
        as_admin, as_principal = f"Bearer {admin_token}", f"Bearer {principal_token}"

        baseline = Endpoint("baseline: one indexed row", f"/api/v1/bench/unit/{t['unit']}", as_principal)
        endpoints = [
            Endpoint("GET /api/v1/matters?limit=50 (admin)", "/api/v1/matters?limit=50", as_admin),
            Endpoint("GET /api/v1/matters?limit=50 (principal)", "/api/v1/matters?limit=50", as_principal),
            Endpoint("GET /api/v1/matters/{id} (principal)", f"/api/v1/matters/{matter}", as_principal),
            Endpoint("GET /api/v1/units (admin)", "/api/v1/units", as_admin),
            Endpoint("GET /api/v1/me (principal)", "/api/v1/me", as_principal),
            Endpoint("GET /api/v1/warnings (admin)", "/api/v1/warnings", as_admin),
            Endpoint(
                "GET /api/v1/ledger/proofs/inclusion (admin)",
                f"/api/v1/ledger/proofs/inclusion?index={t['entry']}&size={t['size']}",
                as_admin,
            ),
            Endpoint("GET /api/v1/meetings (principal)", "/api/v1/meetings", as_principal),
            Endpoint("page: unit's matters (principal)", f"/matters/units/{t['unit']}/", cookie=cookie),
            Endpoint("page: sealed minutes (principal)", f"/meetings/{t['meeting']}/minutes/", cookie=cookie),
        ]
        for endpoint in [baseline, *endpoints]:
            check_ok(base, endpoint)
        count_queries([baseline, *endpoints])
        for endpoint in [baseline, *endpoints]:  # warm every worker: imports, templates, connections
            for _ in range(2 * WORKERS):
                check_ok(base, endpoint)

        print(
            f"driving {len(endpoints) + 1} endpoints x {levels} connections, {duration} s each ...",
            flush=True,
        )
        baseline_runs: dict[int, list[dict[str, float]]] = {}
        for conns in levels:
            baseline_runs[conns] = [run_wrk(base, baseline, conns, duration)]
            for endpoint in endpoints:
                endpoint.results[conns] = run_wrk(base, endpoint, conns, duration)
            baseline_runs[conns].append(run_wrk(base, baseline, conns, duration))
        for conns, runs in baseline_runs.items():
            baseline.results[conns] = {
                key: sum(run[key] for run in runs) / len(runs) for key in ("rps", "p50", "p99", "errors")
            }
        load_after = loadavg()
        report([baseline, *endpoints], baseline, levels, duration, load_before, load_after, baseline_runs)
        errors = sum(r["errors"] for e in endpoints for r in e.results.values())
        print(f"total {time.monotonic() - started:.0f} s")
        return 1 if errors else 0
    finally:
        if server is not None:
            stop_server(server)
        from django.db import connections

        connections.close_all()
        drop(args.postgres)
        shutil.rmtree(var_dir, ignore_errors=True)


def report(
    endpoints: list[Endpoint],
    baseline: Endpoint,
    levels: list[int],
    duration: int,
    load_before: str,
    load_after: str,
    baseline_runs: dict[int, list[dict[str, float]]],
) -> None:
    import django

    print()
    print(
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, Django {django.get_version()}; "
        f"gunicorn {WORKERS} sync workers, DEBUG off, PostgreSQL, demo data; wrk 1 thread, {duration} s a run"
    )
    print(f"1-minute load average {load_before} before, {load_after} after (shared machine)")
    spread = ", ".join(
        f"{c} conns {runs[0]['rps']:.0f} / {runs[-1]['rps']:.0f}" for c, runs in baseline_runs.items()
    )
    print(f"baseline rps first / last run: {spread}")
    width = max(len(e.label) for e in endpoints)
    header = f"{'endpoint':<{width}}  conns      rps   p50 ms   p99 ms  queries  x baseline"
    print(header)
    print("-" * len(header))
    for conns in levels:
        for e in endpoints:
            r = e.results[conns]
            ratio = r["rps"] / baseline.results[conns]["rps"]
            flag = f"  ({r['errors']:.0f} errors)" if r["errors"] else ""
            print(
                f"{e.label:<{width}}  {conns:>5}  {r['rps']:>7.0f}  {r['p50']:>7.1f}  {r['p99']:>7.1f}"
                f"  {e.queries:>7}  {ratio:>9.2f}x{flag}"
            )
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
