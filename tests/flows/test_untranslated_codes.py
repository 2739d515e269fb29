"""Chinese throughout (issue 13 item 3): no page shows a code or untranslated English to a person.

Every page of one demo unit (房管局, jb-fgj, with matters in every state, a sealed and an open meeting,
warnings, checkpoints and a ledger entry of every event type) is rendered as every persona in zh-Hans,
plus the pages those pages link to. The visible text — without <script>/<style>, attribute values
(except what a person reads: placeholder, title, alt, aria-label) and the raw JSON kept behind
<details data-raw> — must contain
  1. no known code (a registered vocabulary's code, a model choice, a ledger event code) as a word, and
  2. no run of ASCII letters outside a short allow-list: usernames, unit/district/budget-line codes,
     rule ids (R-MAT-3, RF1), a few proper names (PDF, Excel, API…), version marks (v2) and hex hashes
     inside <code>.
English mode is not checked: there the codes' labels are English words.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import Resolver404, resolve

from zhiheng.demo.tests.snapshot import restore_demo
from zhiheng.web import labels

UNIT, DISTRICT = "jb-fgj", "jiangbei"
PERSONAS = (
    "jiangbei-admin",  # commission admin
    "jb-fgj-principal",
    "jb-fgj-deputy1",
    "jb-fgj-deputy2",
    "jb-fgj-inspector",
    "jb-fgj-staff1",
    "jiangbei-inspector1",  # district inspection group
)
# Proper names and marks that stay as they are in Chinese text.
ALLOWED_WORDS = {
    "PDF",
    "Excel",
    "API",
    "Zhiheng",
    "English",
    "Ed25519",
    "RFC",
    "SHA-256",
    "Merkle",
    "ID",
    "ECharts",
    "X",
    "MB",
    "Word",
    # The risk grades A、B、C、D as the seed writes them (Yongchuan's 廉政风险 "A、B、C、D" 四个等级, R-GATE-6)
    "A",
    "B",
    "C",
    "D",
}
ALLOWED_PATTERNS = (
    re.compile(r"R-[A-Z]+-\d+(/\d+)*"),  # SPEC rule ids
    re.compile(r"RF\d+"),  # red flags
    re.compile(r"v\d+"),  # version marks (分工方案 v2)
    re.compile(r"[0-9a-f]{8,}"),  # hashes and key ids (checked to be inside <code> below)
)
ATTRIBUTES_READ = {"placeholder", "title", "alt", "aria-label"}
SKIPPED_VIEWS = {
    "matters:evidence",  # a file download
    "powers:export",  # a spreadsheet
    "ledger:proof",  # an htmx fragment of ledger:entry
    "accounts:logout",
}
PER_VIEW = 8  # pages followed per view name (beyond the seeds), so the walk stays small
# A word never starts inside a run of letters and digits: a key id such as 5461540792494a09 is one word
# (a hex id, checked to be inside <code>), not the English "a09" — which made the check depend on the key.
WORD = re.compile(r"(?<![A-Za-z0-9_])(?:[0-9]*[A-Za-z][A-Za-z0-9_.:/-]*[A-Za-z0-9]|[0-9]*[A-Za-z])")


class VisibleText(HTMLParser):
    """Collects (text, inside <code>) runs a person reads, and the links of the page."""

    SKIP = {"script", "style", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[tuple[str, bool]] = []
        self.links: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, hides its content)

    def _hidden(self) -> bool:
        return any(hidden for _tag, hidden in self._stack)

    def _code(self) -> bool:
        return any(tag == "code" for tag, _ in self._stack)

    VOID = {"br", "hr", "img", "input", "meta", "link", "source", "wbr", "area", "col", "base"}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"] or "")
        if not self._hidden():
            for name in ATTRIBUTES_READ & attributes.keys():
                self.runs.append((attributes[name] or "", False))
            if tag == "input" and attributes.get("type") in ("submit", "button"):
                self.runs.append((attributes.get("value") or "", False))
        if tag in self.VOID:
            return
        hidden = tag in self.SKIP or (tag == "details" and "data-raw" in attributes)
        self._stack.append((tag, hidden))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID and self._stack and self._stack[-1][0] == tag:
            self._stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if data.strip() and not self._hidden():
            self.runs.append((data, self._code()))


def known_codes() -> set[str]:
    """Every code a person must not read: vocabularies, model choices, ledger event codes."""
    from zhiheng.ledger import events

    codes = {code for vocabulary in labels.vocabularies().values() for code in vocabulary}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for code, _label in getattr(field, "flatchoices", None) or ():
                if isinstance(code, str):
                    codes.add(code)
    codes |= {t.code for t in events.all_types()}
    return {c for c in codes if re.search(r"[A-Za-z]", c)}


def data_words() -> set[str]:
    """Identifiers people type and read as they are: usernames, unit, district and budget-line codes."""
    from zhiheng.accounts.models import Person
    from zhiheng.matters.models import BudgetLine
    from zhiheng.org.models import District, Unit

    words = set(Person.objects.values_list("username", flat=True))
    words |= set(Unit.objects.values_list("code", flat=True))
    words |= set(District.objects.values_list("code", flat=True))
    words |= set(BudgetLine.objects.values_list("code", flat=True))
    # A unit's rule codes and the library's model codes (AJ-01, FB-01) are the names the units give them.
    from zhiheng.unitrules.models import ModelRule, Rule

    words |= set(Rule.objects.values_list("code", flat=True))
    words |= set(ModelRule.objects.values_list("code", flat=True))
    return words


def problems_in(html: str, *, codes: set[str], allowed: set[str]) -> tuple[list[str], int, list[str]]:
    """(problems, words checked, links) of one page."""
    parser = VisibleText()
    parser.feed(html)
    problems, checked = [], 0
    for text, in_code in parser.runs:
        for match in WORD.finditer(text):
            word = match.group(0)
            checked += 1
            if word in allowed or word in ALLOWED_WORDS:
                continue
            hex_outside_code = re.fullmatch(r"[0-9a-f]{8,}", word) and not in_code
            if any(p.fullmatch(word) for p in ALLOWED_PATTERNS) and not hex_outside_code:
                continue
            kind = "code" if word in codes or word.lower() in codes else "english"
            problems.append(f"{kind}: {word!r} in {text.strip()[:80]!r}")
    return problems, checked, parser.links


def _extras() -> None:
    """What the demo lacks for this check: matters rejected, withdrawn, vetoed and in collective
    review, a resolved warning and checkpoints of the usual reasons."""
    from zhiheng.accounts.models import Person
    from zhiheng.core.errors import DomainError
    from zhiheng.ledger.services import issue_checkpoint
    from zhiheng.matters import services
    from zhiheng.matters.models import Matter
    from zhiheng.org.models import Unit
    from zhiheng.risk import services as risk

    principal = Person.objects.get(username=f"{UNIT}-principal")
    submitted = list(Matter.objects.filter(unit__code=UNIT, state="submitted").order_by("pk"))
    wanted = [
        lambda m: services.reject(matter=m, by=m.deputy, comment="超出年度预算"),
        lambda m: services.refer_to_collective(matter=m, by=m.deputy, reason="金额较大"),
        lambda m: services.veto(matter=m, by=principal, reason="程序不完整，提交班子集体研究"),
        lambda m: services.withdraw(matter=m, by=m.submitted_by),
    ]
    for action in wanted:
        for matter in submitted:
            try:
                action(Matter.objects.get(pk=matter.pk))
            except DomainError:
                continue
            submitted.remove(matter)
            break
    unit = Unit.objects.get(code=UNIT)
    warning = risk.raise_warning(
        rule="RF1",
        level="high",
        unit=unit,
        subject=f"unit:{UNIT}",
        explanation="一把手试图审批其不直接分管的事项",
        records=[],
    )
    admin = Person.objects.get(username=f"{DISTRICT}-admin")
    risk.resolve_warning(warning=warning, by=admin, status="explained", note="已说明情况")
    # An open meeting of the unit deciding the matter sent to collective review, one member stated.
    from zhiheng.core import clock
    from zhiheng.meetings import services as meetings
    from zhiheng.org.selectors import team_on

    team = [m.person for m in team_on(unit) if m.role in ("principal", "deputy")]
    inspector = next(m.person for m in team_on(unit) if m.role == "inspector")
    referred = Matter.objects.filter(unit=unit, state="collective_review").first()
    meeting = meetings.create_meeting(
        by=principal,
        unit=unit,
        kind="party_committee",
        date=clock.today(),
        items=[
            {"matter": referred, "presenter": referred.deputy} if referred else {"title": "采购事项"},
            {"title": "科长人选", "personnel": True, "candidates": ["张三", "李四"]},
        ],
    )
    meetings.record_attendance(by=principal, meeting=meeting, present=team, observers=[inspector])
    first = meeting.items.order_by("number").first()
    meetings.state(by=first.presenter or team[1], item=first, position="agree", reason="程序完整")
    for reason in ("manual", "meeting-closed", "count", "time", "hourly", "first-request"):
        issue_checkpoint(reason=reason)


def _seeds() -> list[str]:
    from zhiheng.ledger.models import Entry
    from zhiheng.matters.models import Matter
    from zhiheng.meetings.models import Meeting
    from zhiheng.powers.models import DivisionPlan

    u, d = UNIT, DISTRICT
    urls = [
        "/",
        "/accounts/tokens/",
        f"/org/districts/{d}/",
        f"/org/units/{u}/",
        f"/org/units/{u}/edit/",
        f"/org/units/{u}/appoint/",
        f"/org/units/{u}/principal/",
        "/ledger/",
        f"/ledger/?unit={u}",
        f"/powers/units/{u}/",
        f"/powers/units/{u}/plan/",
        f"/powers/units/{u}/plans/",
        f"/powers/districts/{d}/board/",
        f"/powers/districts/{d}/config/",
        f"/powers/units/{u}/policy/",
        "/matters/inbox/",
        f"/matters/units/{u}/",
        f"/matters/units/{u}/new/",
        f"/matters/units/{u}/budget/",
        f"/matters/units/{u}/rules/",
        f"/matters/districts/{d}/rules/",
        f"/meetings/units/{u}/",
        "/meetings/inspection/",
        f"/meetings/rules/districts/{d}/",
        f"/meetings/rules/units/{u}/",
        "/warnings/",
        "/warnings/?status=all",
    ]
    urls += [
        f"/powers/units/{u}/plans/{v}/"
        for v in DivisionPlan.objects.filter(unit__code=u).values_list("version", flat=True)
    ]
    for state in Matter.objects.filter(unit__code=u).values_list("state", flat=True).distinct():
        urls.append(
            f"/matters/{Matter.objects.filter(unit__code=u, state=state).values_list('pk', flat=True).first()}/"
        )
    for meeting in Meeting.objects.order_by("pk"):
        urls += [f"/meetings/{meeting.pk}/", f"/meetings/{meeting.pk}/minutes/"]
    # One ledger entry of every event type (the admin of Jiangbei sees Jiangbei's).
    for event_type in Entry.objects.values_list("event_type", flat=True).distinct():
        index = (
            Entry.objects.filter(event_type=event_type, unit__startswith="jb-")
            .values_list("index", flat=True)
            .last()
            or Entry.objects.filter(event_type=event_type).values_list("index", flat=True).last()
        )
        urls.append(f"/ledger/entries/{index}/")
        urls.append(f"/ledger/?type={event_type}")
    return list(dict.fromkeys(urls))


def walk(client, persons) -> tuple[dict[str, list[str]], Counter[str]]:
    """Render the seeds and the pages they link to as each person: problems per (person, url), figures."""
    codes, allowed = known_codes(), data_words()
    figures: Counter[str] = Counter()
    problems: dict[str, list[str]] = defaultdict(list)
    seeds = _seeds()
    all_urls: set[str] = set()
    for person in persons:
        client.force_login(person)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        queue, seen, per_view = list(seeds), set(), Counter()
        while queue:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            all_urls.add(url)
            try:
                response = client.get(url)
            except Exception as exc:  # a page that fails is the link walk's finding; name it here too
                problems[f"{person.username} {url}"].append(f"error: {exc!r}"[:200])
                continue
            figures["pages"] += 1
            if response.status_code in (301, 302) or not response.get("Content-Type", "").startswith(
                "text/html"
            ):
                continue
            found, checked, links = problems_in(response.content.decode(), codes=codes, allowed=allowed)
            figures["words"] += checked
            for problem in found:
                problems[f"{person.username} {url}"].append(problem)
            if url not in seeds:
                continue
            for link in links:
                parts = urlsplit(link)
                if (
                    parts.scheme
                    or parts.netloc
                    or not parts.path.startswith("/")
                    or parts.path.startswith("/api/")
                ):
                    continue
                try:
                    name = resolve(parts.path).view_name
                except Resolver404:
                    continue
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                if name in SKIPPED_VIEWS or target in seen or per_view[name] >= PER_VIEW:
                    continue
                per_view[name] += 1
                queue.append(target)
        figures["persons"] += 1
    figures["codes"] = len(codes)
    figures["urls"] = len(all_urls)
    return problems, figures


@pytest.fixture
def demo(db):
    restore_demo()
    _extras()


def test_labels_registry_covers_every_choice():
    """Every model choice a page shows has a label registered under some vocabulary."""
    registered = {code for vocabulary in labels.vocabularies().values() for code in vocabulary}
    missing = set()
    for model in apps.get_models():
        if not model.__module__.startswith("zhiheng."):
            continue
        for field in model._meta.get_fields():
            for code, _label in getattr(field, "flatchoices", None) or ():
                if isinstance(code, str) and code not in registered:
                    missing.add(f"{model._meta.label}.{field.name}={code}")
    assert sorted(missing) == []


def test_no_page_shows_a_code_or_english_to_any_persona(demo, client):
    from zhiheng.accounts.models import Person

    persons = [Person.objects.get(username=username) for username in PERSONAS]
    problems, figures = walk(client, persons)
    print(
        f"\n{figures['persons']} personas, {figures['urls']} distinct pages, {figures['pages']} pages rendered,"
        f" {figures['words']} ASCII words checked against {figures['codes']} known codes"
    )
    assert figures["pages"] >= 7 * 40
    codes, allowed = known_codes(), data_words()
    # A refused form names its rule in words ("validation" reads 输入有误), and the sign-in page is Chinese.
    client.force_login(persons[5])
    refused = client.post(f"/matters/units/{UNIT}/new/", {"title": ""}).content.decode()
    assert "输入有误" in refused
    problems["refused form"] += problems_in(refused, codes=codes, allowed=allowed)[0]
    client.logout()
    for url in ("/accounts/login/", "/accounts/login/?next=/ledger/"):
        problems[f"anonymous {url}"] += problems_in(
            client.get(url).content.decode(), codes=codes, allowed=allowed
        )[0]
    failed = client.post("/accounts/login/", {"username": PERSONAS[5], "password": "wrong"}).content.decode()
    problems["failed sign-in"] += problems_in(failed, codes=codes, allowed=allowed)[0]
    report = [f"{where}: {p}" for where, found in sorted(problems.items()) for p in sorted(set(found))]
    assert report == [], "\n".join(report[:200])
