"""English via Django's i18n: msgids are the zh-Hans source strings, zhiheng/locale/en holds the English.

The pages are checked through the language switcher (/i18n/setlang/) and the language cookie, and the
catalogue itself is checked with the stdlib only, because production machines may lack gettext: every
msgid has an English msgstr, nothing is fuzzy, and the committed .mo carries exactly what the .po says.
"""

from __future__ import annotations

import ast
import datetime as dt
import gettext
import html
import re
from pathlib import Path

import pytest
from django.conf import settings

from zhiheng.core import clock
from zhiheng.meetings import services as meetings
from zhiheng.org.tests.factories import PASSWORD

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
DAY = dt.date(2026, 3, 2)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _login(client, person, language: str | None = None):
    assert client.login(username=person.username, password=PASSWORD)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def meeting(world):
    with clock.frozen(clock.at(DAY, 10)):
        return meetings.create_meeting(
            by=world.principal,
            unit=world.unit,
            kind="party_committee",
            date=DAY,
            items=[{"title": "采购办公设备", "presenter": world.deputy}],
        )


# Each page with the English strings it must show and the zh-Hans strings it shows by default.
PAGES = {
    "home": (
        "/",
        ["Workbench", "My terms of office", "Hello, 张一把"],
        ["工作台", "我的任职", "您好，张一把"],
    ),
    "unit": (
        "/org/units/t-unit/",
        ["Leadership team and staff", "Term start", "Principal"],
        ["领导班子与经办人", "任职起始", "一把手"],
    ),
    "inbox": (
        "/matters/inbox/",
        ["Matters awaiting me", "Nothing awaits you."],
        ["待我处理的事项", "没有待处理的事项。"],
    ),
    "editor": (
        "/powers/units/t-unit/plan/",
        ["Draft a division-of-labour plan", "Save draft"],
        ["起草分工方案", "保存草稿"],
    ),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_principal_pages_follow_the_language_cookie(client, world, name):
    url, english, chinese = PAGES[name]
    _login(client, world.principal, "en")
    page = _page(client, url)
    for text in english:
        assert text in page, (name, text)
    for text in chinese:
        assert text not in page, (name, text)
    assert '<html lang="en">' in page

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = _page(client, url)
    for text in chinese:
        assert text in page, (name, text)
    for text in english:
        assert text not in page, (name, text)


def test_the_switcher_turns_the_meeting_room_english_and_back(client, world, meeting):
    _login(client, world.principal)
    url = f"/meetings/{meeting.pk}/"
    page = _page(client, url)
    assert "议程" in page and "出席与列席" in page and "Agenda" not in page

    response = client.post("/i18n/setlang/", {"language": "en", "next": url})
    assert response.status_code == 302 and response.url == url
    page = _page(client, url)
    assert "Agenda" in page and "Attendance and observers" in page and "Close the meeting" in page
    assert "议程" not in page
    # The meeting's own data (the item's title) is not translated: only the interface is.
    assert "采购办公设备" in page

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": url})
    assert "议程" in _page(client, url)


def test_ledger_page_shows_english_headings_and_event_labels(client, world, meeting):
    _login(client, world.admin, "en")
    page = _page(client, "/ledger/")
    for text in ("Tamper-evident ledger", "Verification status", "Signed checkpoint", "Ledger entries"):
        assert text in page, text
    # Event labels are registered with gettext_lazy, so the entry list and the filter follow the language.
    assert "Meeting created" in page and "会议创建" not in page

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = _page(client, "/ledger/")
    assert "防篡改账本" in page and "会议创建" in page and "Meeting created" not in page


def test_refusals_are_translated_but_keep_their_rule_id(client, world):
    # A deputy may not draft the plan (R-DIV-5): the refusal is English, the rule id unchanged.
    _login(client, world.deputy, "en")
    response = client.get("/powers/units/t-unit/plan/")
    page = html.unescape(response.content.decode())
    assert response.status_code == 403
    assert "Only the unit's principal can draft and file a division-of-labour plan" in page
    assert "R-DIV-5" in page and "只有本单位一把手" not in page


def _po_entries() -> list[dict]:
    """A small .po reader (stdlib only): msgctxt/msgid/msgid_plural/msgstr[n] with their flags."""
    entries, current, key = [], None, None
    for raw in (LC_MESSAGES / "django.po").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            current, key = None, None
            continue
        if line.startswith("#~"):
            continue  # an obsolete entry (its msgid left the code) is not compiled, so it is not checked
        if current is None:
            current = {"flags": set(), "msgstr": {}}
            entries.append(current)
        if line.startswith("#,"):
            current["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = _unquote(line)
            if isinstance(key, tuple):
                current["msgstr"][key[1]] += value
            else:
                current[key] += value
        else:
            word, _, rest = line.partition(" ")
            match = re.fullmatch(r"msgstr\[(\d)\]", word)
            if match:
                key = ("msgstr", int(match.group(1)))
                current["msgstr"][key[1]] = _unquote(rest)
            elif word == "msgstr":
                key = ("msgstr", 0)
                current["msgstr"][0] = _unquote(rest)
            else:
                key = word
                current[key] = _unquote(rest)
    return entries


def _unquote(text: str) -> str:
    # PO strings use C escapes (\\n, \\", \\\\), which a Python string literal reads the same way.
    assert text.startswith('"') and text.endswith('"'), text
    return ast.literal_eval(text)


def test_every_msgid_has_an_english_msgstr_and_nothing_is_fuzzy():
    entries = [e for e in _po_entries() if e.get("msgid")]
    assert len(entries) > 400
    problems = []
    for e in entries:
        if "fuzzy" in e["flags"]:
            problems.append(("fuzzy", e["msgid"]))
        if not e["msgstr"] or not all(e["msgstr"].values()):
            problems.append(("untranslated", e["msgid"]))
        for text in e["msgstr"].values():
            # The placeholders must survive translation exactly, or rendering raises or drops values.
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(e["msgid"])):
                problems.append(("placeholders", e["msgid"]))
            # Rule ids (R-MTG-3, R-DIV-4…) are citations of SPEC.md and stay as they are.
            if re.findall(r"R-[A-Z]+-\d+", text) != re.findall(r"R-[A-Z]+-\d+", e["msgid"]):
                problems.append(("rule id", e["msgid"]))
    header = next(e for e in _po_entries() if e.get("msgid") == "")
    assert "fuzzy" not in header["flags"]
    assert problems == []


def test_the_committed_mo_carries_what_the_po_says():
    with (LC_MESSAGES / "django.mo").open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)
    stale = []
    for e in _po_entries():
        msgid = e.get("msgid")
        if not msgid:
            continue
        if "msgctxt" in e:
            msgid = f"{e['msgctxt']}\x04{msgid}"
        key = msgid if "msgid_plural" not in e else (msgid, 0)
        got = catalog._catalog.get(key)
        if got != e["msgstr"][0]:
            stale.append(msgid)
    assert stale == [], "run manage.py compilemessages and commit django.mo"
