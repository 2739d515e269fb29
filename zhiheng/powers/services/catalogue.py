"""Writes to the power catalogue 职权目录 (R-DIV-1), and the commission's hold on its restricted part
(R-DIV-2; issue 9 hole 7, docs/decisions/0009-no-path-around-the-rules.md).

Which powers are restricted follows from their category and the unit's policy, so re-categorising a
power (or deactivating one) can take a power out of the restriction the principal is subject to. Such a
change — a category change from or to a category restricted for the unit (today or under a policy
already set for a later date), or deactivating a restricted power — takes effect when the district's
commission admin makes it; made by the unit (its principal) it becomes a pending `PowerChange` the
commission accepts or rejects, each step on the ledger. Everything else (names, legal basis, flowcharts,
new powers, changes between unrestricted categories) takes effect at once, as before.

Every write: lock → authorize → check state → write → ledger.record. `by=None` is the system itself
(demo builder, data migrations) and applies directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict, Unpack

from django.db import IntegrityError, transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Conflict, Forbidden, Invalid
from zhiheng.org.models import Unit

from .. import rules, selectors
from ..models import Category, Power, PowerChange, PowerChangeStatus
from .policy import category as _category


def clean_flowchart(steps: Any) -> list[dict[str, str]]:
    """A flowchart is an ordered list of {"step", "role", "output"}; refuse anything else (422)."""
    if steps in (None, ""):
        return []
    if not isinstance(steps, list):
        raise Invalid("validation", "权力运行流程图应为步骤列表", {"flowchart": "list expected"})
    cleaned = []
    for i, step in enumerate(steps, start=1):
        if not isinstance(step, dict) or not str(step.get("step", "")).strip():
            raise Invalid("validation", f"流程第 {i} 步缺少步骤名称", {"flowchart": i})
        cleaned.append({k: str(step.get(k, "")).strip()[:60] for k in ("step", "role", "output")})
    return cleaned


@dataclass
class Saved:
    """What a catalogue write did: the powers as they now stand, and the changes left to the commission."""

    powers: list[Power] = field(default_factory=list)
    pending: list[PowerChange] = field(default_factory=list)


@dataclass
class _Outcome:
    power: Power
    created: bool = False
    change: PowerChange | None = None  # left to the commission
    applied_before: dict[str, Any] | None = None  # a restricted change applied directly: the state before


def _state(category: Category, is_active: bool) -> dict[str, Any]:
    return {"category": category.code, "is_active": is_active}


def touches_restriction(*, before: tuple[int, bool], after: tuple[int, bool], restricted: set[int]) -> bool:
    """Does moving a power from (category id, active) `before` to `after` change the restricted catalogue?
    A category change from or to a restricted category does; so does deactivating a restricted power.
    (Re-activating one, or creating one, only adds to what the principal may not approve.)"""
    (cat_b, active_b), (cat_a, active_a) = before, after
    if cat_b != cat_a and (cat_b in restricted or cat_a in restricted):
        return True
    return active_b and not active_a and cat_b in restricted


def _write_one(
    *,
    by: Person | None,
    unit: Unit,
    row: dict[str, Any],
    categories: dict[str, Category],
    restricted: set[int],
    direct: bool,
) -> _Outcome:
    """Create or update one power; a restricted change from the unit is opened as a pending change."""
    wanted = categories[row["category"]]
    active = bool(row.get("is_active", True))
    fields = {
        "name": row["name"],
        "legal_basis": row.get("legal_basis", ""),
        "flowchart": clean_flowchart(row.get("flowchart")),
    }
    power = Power.objects.select_for_update().filter(unit=unit, code=row["code"]).first()
    if power is None:
        created = Power.objects.create(
            unit=unit, code=row["code"], category=wanted, is_active=active, **fields
        )
        return _Outcome(created, created=True)
    before = (power.category_id, power.is_active)
    sensitive = touches_restriction(before=before, after=(wanted.pk, active), restricted=restricted)
    for name, value in fields.items():
        setattr(power, name, value)
    outcome = _Outcome(power)
    if sensitive and not direct:
        assert by is not None  # _is_direct: a change without a person is applied, never proposed
        outcome.change = _propose(by=by, unit=unit, power=power, after=_state(wanted, active))
    else:
        if sensitive:
            outcome.applied_before = _state(power.category, power.is_active)
        power.category, power.is_active = wanted, active
    power.save()
    return outcome


def _propose(*, by: Person, unit: Unit, power: Power, after: dict[str, Any]) -> PowerChange:
    if PowerChange.objects.filter(power=power, status=PowerChangeStatus.PENDING).exists():
        raise Conflict(
            "R-DIV-2",
            f"职权“{power.name}”已有一项变更待区纪委确认，请待处理后再提出",
            {"power": power.code},
        )
    try:
        with transaction.atomic():
            change = PowerChange.objects.create(
                unit=unit,
                power=power,
                before=_state(power.category, power.is_active),
                after=after,
                proposed_by=by,
                proposed_at=clock.now(),
            )
    except IntegrityError as exc:  # a concurrent proposal for the same power
        raise Conflict("R-DIV-2", "该职权已有一项变更待区纪委确认", {"power": power.code}) from exc
    ledger.record(
        "powers.power_change_proposed",
        by=by,
        unit=unit.code,
        subject=f"power:{unit.code}/{power.code}",
        payload={"change": change.pk, "power": power.code, "before": change.before, "after": after},
    )
    return change


def _is_direct(by: Person | None, unit: Unit) -> bool:
    return by is None or rules.can_change_restricted_catalogue(by, unit)


class PowerFields(TypedDict):
    """One power as written to the catalogue: its code, name and category; optionally its legal basis,
    flowchart and whether it is active."""

    code: str
    name: str
    category: str
    legal_basis: NotRequired[str]
    flowchart: NotRequired[Sequence[dict[str, str]] | None]
    is_active: NotRequired[bool]


@transaction.atomic
def save_power(*, by: Person | None, unit: Unit, **power: Unpack[PowerFields]) -> Power:
    """R-DIV-1: create or update one power. A change of the restricted catalogue made by the unit is left
    pending for the commission (see the module's docstring): the power keeps its category and state,
    and `selectors.list_power_changes` shows the change. Returns the power as it now stands."""
    return save_power_ex(by=by, unit=unit, **power).powers[0]


@transaction.atomic
def save_power_ex(
    *,
    by: Person | None,
    unit: Unit,
    code: str,
    name: str,
    category: str,
    legal_basis: str = "",
    flowchart: Sequence[dict[str, str]] | None = None,
    is_active: bool = True,
) -> Saved:
    """save_power(), also answering which change (if any) was left to the commission."""
    rules.ensure_can_edit_catalogue(by, unit)
    Unit.objects.select_for_update().get(pk=unit.pk)
    cat = _category(category, unit.district)
    row = {
        "code": code,
        "name": name,
        "category": category,
        "legal_basis": legal_basis,
        "flowchart": flowchart,
        "is_active": is_active,
    }
    restricted = selectors.restricted_category_ids_from(unit)
    out = _write_one(
        by=by,
        unit=unit,
        row=row,
        categories={category: cat},
        restricted=restricted,
        direct=_is_direct(by, unit),
    )
    power = out.power
    payload: dict[str, Any] = {
        "code": code,
        "name": name,
        "category": power.category.code,
        "created": out.created,
    }
    if not power.is_active:
        payload["is_active"] = False
    if out.change is not None:
        payload["pending_change"] = out.change.pk
    if out.applied_before is not None:
        payload["restricted_change"] = {"before": out.applied_before, "after": _state(cat, is_active)}
    ledger.record(
        "powers.power_saved", by=by, unit=unit.code, subject=f"power:{unit.code}/{code}", payload=payload
    )
    return Saved(powers=[power], pending=[out.change] if out.change else [])


@transaction.atomic
def import_catalogue_rows(*, by: Person | None, unit: Unit, rows: Sequence[dict[str, Any]]) -> Saved:
    """Write rows already validated by powers.excel (all or nothing: one transaction). Rows changing the
    restricted catalogue, from the unit, become pending changes; the others are written."""
    rules.ensure_can_edit_catalogue(by, unit)
    Unit.objects.select_for_update().get(pk=unit.pk)
    categories = {c.code: c for c in selectors.list_categories(unit.district)}
    restricted = selectors.restricted_category_ids_from(unit)
    direct = _is_direct(by, unit)
    saved = Saved()
    applied: list[dict[str, Any]] = []
    for row in rows:
        out = _write_one(
            by=by, unit=unit, row=row, categories=categories, restricted=restricted, direct=direct
        )
        saved.powers.append(out.power)
        if out.change is not None:
            saved.pending.append(out.change)
        if out.applied_before is not None:
            after = _state(out.power.category, out.power.is_active)
            applied.append({"power": out.power.code, "before": out.applied_before, "after": after})
    payload: dict[str, Any] = {"rows": len(rows), "codes": [r["code"] for r in rows]}
    if saved.pending:
        payload["pending_changes"] = [c.pk for c in saved.pending]
    if applied:
        payload["restricted_changes"] = applied
    ledger.record(
        "powers.catalogue_imported", by=by, unit=unit.code, subject=f"unit:{unit.code}", payload=payload
    )
    return saved


# --- the commission's decision ---------------------------------------------------------------------


def _locked_pending(change: PowerChange, by: Person | None, verb: str) -> PowerChange:
    change = (
        PowerChange.objects.select_for_update()
        .select_related("unit", "unit__district", "power", "power__category")
        .get(pk=change.pk)
    )
    if by is not None and not rules.can_decide_power_change(by, change.unit):
        raise Forbidden(
            "R-DIV-2",
            f"限制类职权的目录变更由区纪委管理员{verb}，本单位（含一把手）不能自行{verb}",
            {"change": change.pk},
        )
    if by is not None and change.proposed_by_id == by.pk:
        raise Forbidden("R-DIV-2", f"不能{verb}自己提出的目录变更", {"change": change.pk})
    if change.status != PowerChangeStatus.PENDING:
        raise Conflict(
            "R-DIV-2", f"该变更已{change.get_status_display()}，不能再次处理", {"change": change.pk}
        )
    return change


def _decide(change: PowerChange, *, by: Person | None, status: str, reason: str) -> None:
    change.status, change.decided_by, change.decided_at, change.reason = status, by, clock.now(), reason
    change.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])
    event = "accepted" if status == PowerChangeStatus.ACCEPTED else "rejected"
    ledger.record(
        f"powers.power_change_{event}",
        by=by,
        unit=change.unit.code,
        subject=f"power:{change.unit.code}/{change.power.code}",
        payload={
            "change": change.pk,
            "power": change.power.code,
            "before": change.before,
            "after": change.after,
            "reason": reason,
        },
    )


@transaction.atomic
def accept_power_change(*, by: Person | None, change: PowerChange, reason: str = "") -> PowerChange:
    """R-DIV-2: the commission accepts a pending change; the power takes the proposed category and state.
    Refused (409) if the power no longer stands as the change found it (changed since by the commission)."""
    change = _locked_pending(change, by, "确认")
    power = Power.objects.select_for_update().select_related("category").get(pk=change.power_id)
    if _state(power.category, power.is_active) != change.before:
        raise Conflict(
            "R-DIV-2",
            f"职权“{power.name}”在提出变更后已被修改，请驳回后由单位重新提出",
            {"change": change.pk, "now": _state(power.category, power.is_active), "before": change.before},
        )
    power.category = _category(change.after["category"], change.unit.district)
    power.is_active = bool(change.after["is_active"])
    power.save(update_fields=["category", "is_active", "updated_at"])
    _decide(change, by=by, status=PowerChangeStatus.ACCEPTED, reason=reason.strip())
    change.power = power
    return change


@transaction.atomic
def reject_power_change(*, by: Person | None, change: PowerChange, reason: str) -> PowerChange:
    """R-DIV-2: the commission rejects a pending change, giving its reason; the power stays as it is."""
    if not reason.strip():
        raise Invalid("validation", "驳回须写明理由", {"fields": {"reason": ["驳回须写明理由"]}})
    change = _locked_pending(change, by, "驳回")
    _decide(change, by=by, status=PowerChangeStatus.REJECTED, reason=reason.strip())
    return change
