"""Imports from Excel (R-PIL-2), all or nothing: every row goes through the same service as a page or the
API (create, revise; create or edit a model), inside one transaction; any refused row is reported with its
row number and the rule that refused it, and then nothing is written. A row equal to what is in force is
left alone (so an exported file imported again changes nothing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from zhiheng.accounts.models import Person
from zhiheng.core.errors import Invalid
from zhiheng.core.spreadsheets import apply_rows
from zhiheng.meetings.models import Item
from zhiheng.org.models import District, Unit
from zhiheng.powers.models import Category

from .. import excel, rules, selectors
from ..models import ModelRule, Rule
from .library import create_model, edit_model
from .versions import create_rule, revise_rule


@dataclass
class Imported:
    created: list[str] = field(default_factory=list)
    revised: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


def _apply(sheet: excel.Sheet, out: Imported, each: Callable[[dict[str, Any]], None]) -> Imported:
    out.errors = apply_rows(sheet, each)
    if out.errors:
        out.created, out.revised, out.unchanged = [], [], []
    return out


def _item(meeting: int | None, number: int | None) -> Item | int | None:
    if meeting is None or number is None:
        return None
    found = Item.objects.filter(meeting_id=meeting, number=number).first()
    return found if found is not None else -1


def import_rules(*, by: Person | None, unit: Unit, data: bytes) -> Imported:
    """R-PIL-2: a unit's rules from a spreadsheet: new codes become rules, changed ones new versions."""
    rules.ensure_write(by, unit)
    out = Imported()

    def each(row: dict[str, Any]) -> None:
        powers, unknown = selectors.unit_powers(unit, row["powers"])
        if unknown:
            raise Invalid("validation", f"本单位没有职权：{'、'.join(unknown)}", {"powers": unknown})
        where: dict[str, Any] = {
            "meeting": row.get("meeting"),
            "item": _item(row.get("meeting"), row.get("item")),
            "adopted": row.get("adopted"),
        }
        existing = Rule.objects.filter(unit=unit, code=row["code"]).first()
        if existing is None:
            create_rule(
                by=by,
                unit=unit,
                code=row["code"],
                title=row["title"],
                body=row["body"],
                group=row["group"],
                powers=powers,
                **where,
            )
            out.created.append(row["code"])
            return
        current = existing.versions.prefetch_related("powers").get(number=existing.version)
        if (current.title, current.group, current.body, sorted(p.code for p in current.powers.all())) == (
            row["title"],
            row["group"],
            row["body"],
            sorted(row["powers"]),
        ):
            out.unchanged.append(row["code"])
            return
        revise_rule(
            by=by,
            rule=existing,
            title=row["title"],
            body=row["body"],
            group=row["group"],
            powers=powers,
            **where,
        )
        out.revised.append(row["code"])

    return _apply(excel.read_rules(data), out, each)


def import_library(*, by: Person | None, district: District, data: bytes) -> Imported:
    """R-PIL-2: the district's model rules from a spreadsheet (the commission admins)."""
    rules.ensure_library(by, district)
    out = Imported()

    def each(row: dict[str, Any]) -> None:
        categories = list(Category.objects.filter(code__in=row["categories"]))
        unknown = sorted(set(row["categories"]) - {c.code for c in categories})
        if unknown:
            raise Invalid("validation", f"没有职权类别：{'、'.join(unknown)}", {"categories": unknown})
        existing = ModelRule.objects.filter(district=district, code=row["code"]).first()
        if existing is None:
            create_model(
                by=by,
                district=district,
                code=row["code"],
                title=row["title"],
                body=row["body"],
                group=row["group"],
                categories=categories,
            )
            out.created.append(row["code"])
            return
        if (
            existing.title,
            existing.group,
            existing.body,
            sorted(c.code for c in existing.categories.all()),
        ) == (row["title"], row["group"], row["body"], sorted(row["categories"])):
            out.unchanged.append(row["code"])
            return
        edit_model(
            by=by,
            model=existing,
            title=row["title"],
            body=row["body"],
            group=row["group"],
            categories=categories,
        )
        out.revised.append(row["code"])

    return _apply(excel.read_library(data), out, each)
