"""Issue 13 item 2: every link shown to a person works for that person.

For each persona of the demo, sign in, start at "/" and follow every same-site <a href> breadth-first. A link
that answers 404 or 500 fails, and so does a refusal (any 4xx): a link shown must be usable. Pages are
deduplicated by URL pattern (numbers replaced) — at most PER_PATTERN of each pattern — and capped per persona.
Not followed: signing out, the language switch, the API (JSON, checked by its own tests). Downloads (any
content type but HTML) are fetched and checked, not parsed.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import path

from config import urls as config_urls
from zhiheng.accounts.models import Person
from zhiheng.demo.tests.snapshot import restore_demo
from zhiheng.ledger import rules as ledger_rules
from zhiheng.matters import rules as matter_rules
from zhiheng.meetings import selectors as meeting_selectors
from zhiheng.org import selectors as org_selectors
from zhiheng.org.models import Unit
from zhiheng.powers import rules as power_rules
from zhiheng.risk import rules as risk_rules
from zhiheng.risk.models import Warning
from zhiheng.workbench.context import Navigation

pytestmark = pytest.mark.django_db

# Who uses Zhiheng, one of each: the commission admin, a unit's whole team, the district inspection group,
# and a principal of another district.
PERSONAS = (
    "jiangbei-admin",
    "jb-gsj-principal",
    "jb-gsj-deputy1",
    "jb-gsj-inspector",
    "jb-gsj-staff1",
    "jiangbei-inspector1",
    "nanchuan-admin",
    "nc-wsj-principal",
    "nc-wsj-inspector",
)
# The modules each persona must reach by links alone (issue 13: nothing reachable only by typing a URL).
UNIT = ["/matters/inbox/", "/org/units/{u}/", "/matters/units/{u}/", "/meetings/units/{u}/"]
UNIT += ["/powers/units/{u}/plans/", "/powers/units/{u}/", "/matters/units/{u}/rules/"]
UNIT += ["/meetings/rules/units/{u}/", "/matters/units/{u}/budget/"]
SUPERVISOR = ["/warnings/", "/ledger/"]
DISTRICT = ["/org/districts/{d}/", "/powers/districts/{d}/board/", "/powers/districts/{d}/config/"]
DISTRICT += ["/matters/districts/{d}/rules/", "/meetings/rules/districts/{d}/", *SUPERVISOR]


def _unit(code: str, *more: str) -> list[str]:
    return [url.format(u=code) for url in UNIT] + list(more)


MUST_REACH = {
    "jiangbei-admin": [u.format(d="jiangbei") for u in DISTRICT]
    + ["/org/units/jb-gsj/", "/meetings/units/jb-gsj/"],
    "nanchuan-admin": [u.format(d="nanchuan") for u in DISTRICT],
    "jb-gsj-principal": _unit("jb-gsj"),
    "jb-gsj-deputy1": _unit("jb-gsj"),
    "jb-gsj-inspector": _unit("jb-gsj", *SUPERVISOR),
    "jb-gsj-staff1": _unit("jb-gsj"),
    "jiangbei-inspector1": ["/meetings/inspection/"],
    "nc-wsj-principal": _unit("nc-wsj"),
    "nc-wsj-inspector": _unit("nc-wsj", *SUPERVISOR),
}
MAX_PAGES = 300
PER_PATTERN = 3
SKIPPED = ("/accounts/logout/", "/i18n/", "/api/", "/admin/", "/static/")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _links(base: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url = urldefrag(urljoin(f"http://testserver{base}", href.strip())).url
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or parts.netloc != "testserver":
            continue  # mailto:, javascript:, another site
        local = parts.path + (f"?{parts.query}" if parts.query else "")
        if not local.startswith(SKIPPED):
            found.append(local)
    return found


CRUMBS = re.compile(r'<nav class="breadcrumbs".*?</nav>', re.S)


def _has_breadcrumbs(html: str) -> bool:
    """工作台 › … › the page itself (base.html's breadcrumbs block, filled by each page)."""
    crumbs = CRUMBS.search(html)
    return bool(crumbs and crumbs.group().count("<li") >= 2 and 'aria-current="page"' in crumbs.group())


def _pattern(url: str) -> str:
    return re.sub(r"\d+", "N", url)


def walk(client, *, start: str = "/") -> tuple[set[str], list[str]]:
    """The pages fetched and the failures found (each with the page that showed the link)."""
    seen: set[str] = {start}
    per_pattern: dict[str, int] = {_pattern(start): 1}
    queue: deque[tuple[str, str]] = deque([(start, "(start)")])
    fetched: set[str] = set()
    failures: list[str] = []
    while queue and len(fetched) < MAX_PAGES:
        url, origin = queue.popleft()
        response = client.get(url)
        fetched.add(url)
        if response.status_code in {301, 302, 303, 307, 308}:
            targets = [response["Location"]]
        elif response.status_code >= 400:
            failures.append(f"{response.status_code} {url}  (linked from {origin})")
            continue
        elif not response.get("Content-Type", "").startswith("text/html"):
            continue  # a download: it answered, nothing to follow
        else:
            html = response.content.decode()
            if urlsplit(url).path != "/" and not _has_breadcrumbs(html):
                failures.append(f"no breadcrumbs on {url}")
            targets = _links(url, html)
        for target in targets:
            if target.startswith("http"):
                parts = urlsplit(target)
                target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen or target.startswith(SKIPPED):
                continue
            seen.add(target)
            key = _pattern(target)
            if per_pattern.get(key, 0) >= PER_PATTERN:
                continue
            per_pattern[key] = per_pattern.get(key, 0) + 1
            queue.append((target, url))
    return fetched, failures


@pytest.fixture
def demo(db):
    restore_demo()


def check_the_navigation_agrees_with_the_apps_predicates() -> None:
    """The navigation reads two facts per page (workbench/context.py); for every persona its answers are the
    predicates' own: units opened, ledger scope, warnings, inspection, the district pages."""
    units = list(Unit.objects.all())
    for username in PERSONAS:
        person = Person.objects.get(username=username)
        nav = Navigation(person)
        opened = {u.code for u in units if nav.opens_unit(u)}
        member = {u.code for u in units if nav.member_of(u)}
        assert member == {u.code for u in units if matter_rules.can_submit(person, u)}, username
        assert opened == set(org_selectors.list_units_for(person).values_list("code", flat=True)), username
        scope = ledger_rules.visible_scope(person)
        assert {u.code for u in units if nav.reads_ledger_of(u)} == set(scope.units), username
        assert nav.supervises == bool(scope), username
        by_nav = {w.pk for w in Warning.objects.select_related("unit") if nav.reads_ledger_of(w.unit)}
        assert by_nav == set(risk_rules.visible_warnings(person).values_list("pk", flat=True)), username
        assert nav.inspects_meetings == meeting_selectors.inspected_districts(person).exists(), username
        administered = list(org_selectors.administered_districts(person))
        assert nav.admin_district_ids == {d.pk for d in administered}, username
        for district in administered:
            assert power_rules.can_view_board(person, district), username
            assert power_rules.can_manage_policy(person, district), username


def test_every_link_shown_to_every_persona_works(demo, client):
    """One demo build for both checks (building it is the slow part)."""
    check_the_navigation_agrees_with_the_apps_predicates()
    report, failures = [], []
    for username in PERSONAS:
        client.force_login(Person.objects.get(username=username))
        fetched, failed = walk(client)
        report.append(f"{username}: {len(fetched)} pages")
        failures += [f"{username}: {f}" for f in failed]
        failures += [
            f"{username}: no link reaches {url}" for url in MUST_REACH[username] if url not in fetched
        ]
        client.logout()
    print("\n".join(report))  # the walk's figures, shown with -s
    assert not failures, "\n".join(failures)


def _boom(request):
    raise RuntimeError("secret internals: /srv/zhiheng/config.py line 42")


urlpatterns = [path("boom/", _boom), *config_urls.urlpatterns]  # the project's URLs plus one that fails


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_missing_page_answers_the_chinese_404_without_internals(client, world, signed_in):
    if signed_in:
        client.force_login(world.principal)
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and "<h1>" in body
    assert "URLconf" not in body and "urlpatterns" not in body and "Traceback" not in body


@pytest.mark.urls(__name__)
def test_a_server_error_answers_the_chinese_500_without_internals(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "服务器内部错误" in body and "<h1>" in body
    assert "secret internals" not in body and "Traceback" not in body and "RuntimeError" not in body


def test_the_app_serves_its_own_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/web/favicon.ico"
    assert finders.find("web/favicon.ico") and finders.find("web/favicon.svg")
    client.force_login(Person.objects.create(username="someone", name="某人"))
    assert b'rel="icon"' in client.get("/").content


def test_a_form_refused_by_csrf_answers_the_chinese_403(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.principal)
    response = client.post("/accounts/logout/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in body and "<h1>" in body
    assert "CSRF verification failed" not in body and "Forbidden" not in body
