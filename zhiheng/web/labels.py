"""Chinese labels for every code a person may see, from one place (issue 13).

Codes stay codes in the database, the API and the ledger; people read labels. Each domain app registers
its vocabularies in its own `labels.py` (imported by its AppConfig.ready), and templates show a code with
`{% load labels %}{{ matter.state|label:"matter.state" }}`. An unknown code is shown as it is, so a
missing label is visible (and caught by tests/flows/test_untranslated_codes.py) rather than hidden.

Three kinds of registration:
- `register(vocabulary, mapping | Choices | pairs)`: fixed codes (states, roles, kinds…);
- `register_formatter(vocabulary, func)`: codes with a structure or kept in a table (a checkpoint's
  reason "meeting:8 sealed", a power category) — `func(code)` returns the label or None;
- `register_subject(kind, name | describe)`: references such as `matter:42`, `meeting:8/item:3` or
  `unit:jb-fgj`, as the ledger and warnings name their subjects. `describe(rests)` answers many at once
  (one query for a page of entries); a plain name gives "会议 #8".
Ledger payloads read through `register_fields`: each key's Chinese name and how its values read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from django.db.models import Choices
from django.utils.translation import gettext_lazy as _

from zhiheng.core.money import format_yuan

Formatter = Callable[[str], Any]
Describer = Callable[[list[str]], Mapping[str, Any]]

_vocabularies: dict[str, dict[str, Any]] = {}
_formatters: dict[str, list[Formatter]] = {}
_subjects: dict[str, Any] = {}
_subject_names: dict[str, Any] = {}
_fields: dict[str, Any] = {}
_field_values: dict[str, list[str]] = {}


def register(vocabulary: str, labels: Mapping[str, Any] | type[Choices] | Iterable[tuple[str, Any]]) -> None:
    """Register (or extend) a vocabulary: a mapping code → label, a Django Choices class or choice pairs."""
    if isinstance(labels, type) and issubclass(labels, Enum):
        pairs: Iterable[tuple[str, Any]] = labels.choices
    elif isinstance(labels, Mapping):
        pairs = labels.items()
    else:
        pairs = labels
    _vocabularies.setdefault(vocabulary, {}).update({str(code): text for code, text in pairs})


def register_each(app: str, **vocabularies: Mapping[str, Any] | type[Choices]) -> None:
    """Register an app's vocabularies at once, each under "<app>.<name>":
    `register_each("risk", level=Level, status=WarningStatus)` registers "risk.level" and "risk.status"."""
    for name, labels in vocabularies.items():
        register(f"{app}.{name}", labels)


def register_formatter(vocabulary: str, formatter: Formatter) -> None:
    """Label the codes of `vocabulary` that no fixed label covers: `formatter(code)` returns a label or None."""
    if formatter not in _formatters.setdefault(vocabulary, []):
        _formatters[vocabulary].append(formatter)


def label(vocabulary: str, code: object) -> str:
    """The label of `code` in `vocabulary`; the code itself when there is none."""
    if code is None or code == "":
        return ""
    key = str(code)
    text = _vocabularies.get(vocabulary, {}).get(key)
    if text is not None:
        return str(text)
    for formatter in _formatters.get(vocabulary, ()):
        found = formatter(key)
        if found is not None:
            return str(found)
    return key


def vocabulary(name: str) -> dict[str, str]:
    """All fixed codes of one vocabulary with their labels (for choices in forms and filters)."""
    return {code: str(text) for code, text in _vocabularies.get(name, {}).items()}


def vocabularies() -> dict[str, dict[str, str]]:
    return {name: vocabulary(name) for name in _vocabularies}


def choices(name: str) -> list[tuple[str, str]]:
    """A vocabulary as (code, label) pairs for a form's select or checkboxes."""
    return list(vocabulary(name).items())


# ------------------------------------------------------------------------------------------ subjects


def register_subject(kind: str, describe: Any, name: Any = None) -> None:
    """How references of `kind` read: a name ("会议" → "会议 #8"), or `describe(rests) -> {rest: text}`
    for references whose text needs the database (a unit's or a person's name). With both, a reference
    reads "<name> <text>" ("事项 #42 购买打印纸") and a payload field of that kind just "<text>"."""
    _subjects[kind] = describe
    if name is not None:
        _subject_names[kind] = name


def by_field(rows: Any, key: str, name: str = "name") -> Describer:
    """`describe` for references that name a row by one of its fields: `by_field(Unit.objects, "code")`
    reads "unit:jb-fgj" as the unit's name (one query for all)."""

    def describe(rests: list[str]) -> dict[str, str]:
        return dict(rows.filter(**{f"{key}__in": rests}).values_list(key, name))

    return describe


def by_unit_code(rows: Any) -> Describer:
    """`describe` for rows coded within a unit (a power, a budget line): "<unit>/<code>" → the row's name."""

    def describe(rests: list[str]) -> dict[str, str]:
        pairs = [tuple(r.split("/", 1)) for r in rests if "/" in r]
        names = {
            (u, c): n
            for u, c, n in rows.filter(unit__code__in={u for u, _c in pairs}).values_list(
                "unit__code", "code", "name"
            )
        }
        return {f"{u}/{c}": names[(u, c)] for u, c in pairs if (u, c) in names}

    return describe


def rules_of(name: Any) -> Describer:
    """`describe` for a rule set named by its scope ("unit:<code>" | "district:<code>"):
    "<name>（<the unit's or district's name>）", e.g. 事项规则（江北区）."""

    def describe(rests: list[str]) -> dict[str, str]:
        scopes = subjects(rests)
        return {r: f"{name}（{scopes.get(r, r)}）" for r in rests}

    return describe


def subject_name(kind: str) -> str | None:
    """What a reference kind is called ("meeting" → "会议"), without looking anything up."""
    name = _subject_names.get(kind)
    if name is None:
        plain = _subjects.get(kind)
        return None if plain is None or callable(plain) else str(plain)
    return str(name)


def _default(kind: str, rest: str) -> str:
    name = _subjects.get(kind)
    if name is None or callable(name):
        return f"{kind}:{rest}"
    return f"{name} {rest}" if not rest.isdigit() else f"{name} #{rest}"


def subjects(refs: Iterable[str | None]) -> dict[str, str]:
    """Readable text of many references ("matter:42" → "事项 #42 购买打印纸"), one query per kind at most.
    `meeting:8/item:3` reads as its parts joined; an unknown kind is shown as it is."""
    wanted: dict[str, set[str]] = {}
    parsed: dict[str, list[tuple[str, str]]] = {}
    for ref in {r for r in refs if r}:
        parts: list[tuple[str, str]] = []
        kind, sep, rest = ref.partition(":")
        if not sep:
            parsed[ref] = []
            continue
        if not callable(_subjects.get(kind)) and "/" in rest:
            # meeting:8/item:3 — each part on its own
            head, *tail = rest.split("/")
            parts.append((kind, head))
            for piece in tail:
                k, s, r = piece.partition(":")
                parts.append((k, r) if s else (kind, piece))
        else:
            parts.append((kind, rest))
        parsed[ref] = parts
        for k, r in parts:
            if callable(_subjects.get(k)):
                wanted.setdefault(k, set()).add(r)
    described: dict[tuple[str, str], str] = {}
    for kind, rests in wanted.items():
        found = _subjects[kind](sorted(rests))
        name = _subject_names.get(kind)
        described.update({(kind, r): f"{name} {text}" if name else str(text) for r, text in found.items()})
    out: dict[str, str] = {}
    for ref, parts in parsed.items():
        if not parts:
            out[ref] = ref
            continue
        out[ref] = " · ".join(described.get((k, r)) or _default(k, r) for k, r in parts)
    return out


def subject(ref: str | None) -> str:
    """One reference's text (see `subjects`)."""
    return subjects([ref]).get(ref or "", "") if ref else ""


def actors(usernames: Iterable[str | None]) -> dict[str, str]:
    """Who did it, as the ledger names them: a person's username → their name; a meeting item's reference
    (a collective decision) → its text."""
    refs = {u: (u if ":" in u else f"person:{u}") for u in usernames if u}
    texts = subjects(refs.values())
    return {u: texts.get(ref, u) for u, ref in refs.items()}


# ---------------------------------------------------------------------------------- ledger payloads


def register_fields(fields: Mapping[str, Any]) -> None:
    """Payload keys → Chinese names; a value `(name, reading)` also says how the key's values read: a
    vocabulary ("matter.state"), several tried in order ("matter.kind,meeting.kind"), "@person" (a
    username), "@unit" (a unit code), "@power/" (a code within the entry's unit: power:<unit>/<code>),
    "@" (a reference such as "matter:42") or "yuan" (money). A key "<event type>/<key>" names the key
    in that event's entries only ("org.term_started/title": 职务, where elsewhere a title is 标题)."""
    for key, spec in fields.items():
        name, reading = spec if isinstance(spec, tuple) else (spec, "")
        _fields.setdefault(key, name)
        if reading:
            readings = _field_values.setdefault(key, [])
            readings.extend(r for r in reading.split(",") if r not in readings)


def field_label(key: str, event: str = "") -> str:
    name = _fields.get(f"{event}/{key}") if event else None
    name = name if name is not None else _fields.get(key)
    return str(name) if name is not None else key


YES_NO = {True: _("是"), False: _("否")}
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _readings(key: str, event: str = "") -> list[str]:
    """How a key's values read: as registered for this event's entries ("<event type>/<key>"), else as
    registered for the key anywhere."""
    return _field_values.get(f"{event}/{key}") or _field_values.get(key, [])


def field_value(key: str, value: Any, unit: str = "", event: str = "") -> Any:
    """A payload value for people: codes by their labels, usernames and references by their names,
    booleans as 是/否, nothing as —. Lists and mappings are left to the caller (see payload())."""
    readings = _readings(key, event)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return YES_NO[value]
    if isinstance(value, int) and any(r.startswith("@") for r in readings):
        value = str(value)  # an id read as a reference: "matter": 42 → 事项 #42 …
    if not isinstance(value, str):
        return value
    if ISO_TIME.match(value):  # a moment recorded with its offset: shown as Beijing time reads it
        return value[:19].replace("T", " ")
    for reading in readings:
        if reading == "yuan":
            try:
                return format_yuan(Decimal(value))
            except (InvalidOperation, ValueError):
                continue
        if reading == "@":
            return subject(value)
        if reading.startswith("@"):
            kind, rest = reading[1:].rstrip("/"), value
            if reading.endswith("/"):  # a code within the entry's unit
                if not unit:
                    continue
                rest = f"{unit}/{value}"
            describe = _subjects.get(kind)
            found = describe([rest]).get(rest) if callable(describe) else None
            if found is not None:
                return found
            continue
        if value in _vocabularies.get(reading, {}) or _formatters.get(reading):
            text = label(reading, value)
            if text != value:
                return text
    return value


def payload(data: Any, key: str = "", unit: str = "", event: str = "") -> Any:
    """A ledger entry's payload as nested (label, value) rows for a definition list: a mapping becomes a
    list of (field label, payload(value)), a list of mappings a list of those, a list of scalars one text
    joined by 、, a scalar its readable text (field_value)."""
    if isinstance(data, Mapping):
        return [(field_label(k, event), payload(v, k, unit, event)) for k, v in data.items()]
    if isinstance(data, list | tuple):
        if all(not isinstance(v, Mapping | list | tuple) for v in data):
            return "、".join(str(field_value(key, v, unit, event)) for v in data) or "—"
        return [payload(v, key, unit, event) for v in data]
    return field_value(key, data, unit, event)


# A refusal names its rule: a SPEC id (R-MAT-3) reads as it is; the generic ones read in words.
register("error.rule", {"validation": _("输入有误"), "not-found": _("未找到"), "malformed": _("格式有误")})
