"""Writes about organisation: units, terms of office, the principal's handover (R-ORG)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet, TextChoices

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core.errors import Conflict, Forbidden, Invalid

from . import rules
from .errors import OnePrincipal, TermOverlaps, UnitNameTaken
from .models import District, DistrictRole, DistrictRoleKind, Membership, Role, Unit, UnitKind


def _ensure_admin(by: Person | None, district: District) -> None:
    rules.ensure_commission_admin(by, district, rule="R-ORG-1", action="维护单位和班子")


def _ensure_choice(choices: type[TextChoices], field: str, value: str, message: str) -> None:
    """A kind or role outside its choices is invalid input (422), named by its field."""
    if value not in choices.values:
        raise Invalid("validation", message, {field: value})


def _record_unit_change(event: str, *, by: Person | None, unit: Unit, payload: dict[str, Any]) -> None:
    """A change to the unit itself (its details, its principal) is recorded with the unit as subject."""
    ledger.record(event, by=by, unit=unit.code, subject=f"unit:{unit.code}", payload=payload)


def _ensure_name_free(district: District, name: str, unit: Unit | None = None) -> None:
    """R-ORG-1: a district's units are told apart by name; `unit` is the one being renamed."""
    taken = Unit.objects.filter(district=district, name=name)
    if unit is not None:
        taken = taken.exclude(pk=unit.pk)
    if taken.exists():
        raise UnitNameTaken(f"本区已有名为“{name}”的单位", {"name": name})


@transaction.atomic
def create_unit(
    *, by: Person | None, district: District, code: str, name: str, kind: str = UnitKind.DEPARTMENT
) -> Unit:
    _ensure_admin(by, district)
    _ensure_choice(UnitKind, "kind", kind, "单位类型无效")
    if Unit.objects.filter(code=code).exists():
        raise Conflict("R-ORG-1", f"单位代码 {code} 已存在", {"code": code})
    _ensure_name_free(district, name)
    unit = Unit.objects.create(district=district, code=code, name=name, kind=kind)
    _record_unit_change(
        "org.unit_created", by=by, unit=unit, payload={"district": district.code, "name": name, "kind": kind}
    )
    return unit


@transaction.atomic
def update_unit(*, by: Person | None, unit: Unit, name: str, kind: str, is_active: bool = True) -> Unit:
    _ensure_admin(by, unit.district)
    _ensure_choice(UnitKind, "kind", kind, "单位类型无效")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _ensure_name_free(unit.district, name, unit)
    unit.name, unit.kind, unit.is_active = name, kind, is_active
    unit.save(update_fields=["name", "kind", "is_active", "updated_at"])
    _record_unit_change(
        "org.unit_updated", by=by, unit=unit, payload={"name": name, "kind": kind, "is_active": is_active}
    )
    return unit


def _overlaps(qs: QuerySet[Membership], start: dt.date, end: dt.date | None) -> QuerySet[Membership]:
    """Terms in qs that share at least one day with [start, end]."""
    qs = qs.filter(end__isnull=True) | qs.filter(end__gte=start)
    return qs.filter(start__lte=end) if end is not None else qs


@transaction.atomic
def appoint(
    *,
    by: Person | None,
    unit: Unit,
    person: Person,
    role: str,
    start: dt.date,
    title: str = "",
    end: dt.date | None = None,
) -> Membership:
    """Start a term of office. A second principal overlapping an existing principal's term is refused (R-ORG-2)."""
    _ensure_admin(by, unit.district)
    _ensure_choice(Role, "role", role, "角色无效")
    if end is not None and end < start:
        raise Invalid("validation", "任职截止日期不能早于起始日期", {"end": str(end)})
    Unit.objects.select_for_update().get(pk=unit.pk)  # serialise team changes of one unit
    same_person = _overlaps(Membership.objects.filter(unit=unit, person=person), start, end)
    if same_person.exists():
        raise TermOverlaps(f"{person.name} 在该时段已在本单位任职", {"person": person.username})
    if role == Role.PRINCIPAL:
        clash = _overlaps(Membership.objects.filter(unit=unit, role=Role.PRINCIPAL), start, end).first()
        if clash is not None:
            raise OnePrincipal(
                f"该时段本单位已有一把手 {clash.person.name}，请使用“更换一把手”办理交接",
                {"current": clash.person.username, "since": str(clash.start)},
            )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                unit=unit, person=person, role=role, title=title, start=start, end=end
            )
    except IntegrityError as exc:  # the database's own guard (exclusion constraint / trigger)
        raise OnePrincipal("同一单位同一时间只能有一名一把手", {}) from exc
    ledger.record(
        "org.term_started",
        by=by,
        unit=unit.code,
        subject=f"person:{person.username}",
        payload={"role": role, "title": title, "start": str(start), "end": str(end) if end else None},
    )
    return membership


@transaction.atomic
def end_term(*, by: Person | None, membership: Membership, end: dt.date) -> Membership:
    _ensure_admin(by, membership.unit.district)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if end < membership.start:
        raise Invalid("validation", "任职截止日期不能早于起始日期", {"end": str(end)})
    if membership.end is not None and membership.end <= end:
        raise Conflict("R-ORG-1", "该任职已于更早日期结束", {"end": str(membership.end)})
    membership.end = end
    membership.save(update_fields=["end", "updated_at"])
    ledger.record(
        "org.term_ended",
        by=by,
        unit=membership.unit.code,
        subject=f"person:{membership.person.username}",
        payload={"role": membership.role, "end": str(end)},
    )
    if membership.role in (Role.DEPUTY, Role.INSPECTOR):
        unit_code = membership.unit.code
        transaction.on_commit(lambda: _hand_over_matters(unit_code), robust=True)
    return membership


HAND_OVER_TASK = "zhiheng.matters.tasks.hand_over_matters_of_departed"


def _hand_over_matters(unit_code: str) -> None:
    """Issue 9 hole 8: once a deputy's or inspector's term has ended, their open matters and co-signs pass
    to whoever holds the role now. org sits below matters (layers), so it enqueues the matters task by
    name, as the beat schedule does; a term ending later is handed over by the daily run of that task."""
    from celery import current_app

    current_app.loader.import_default_modules()
    task = current_app.tasks.get(HAND_OVER_TASK)
    if task is not None:
        task.delay(unit=unit_code)


@transaction.atomic
def change_principal(
    *, by: Person | None, unit: Unit, person: Person, on: dt.date, title: str = ""
) -> Membership:
    """The dated handover of R-ORG-2: the outgoing principal's term ends the day before `on`."""
    _ensure_admin(by, unit.district)
    Unit.objects.select_for_update().get(pk=unit.pk)
    outgoing = (
        Membership.objects.select_for_update()
        .filter(unit=unit, role=Role.PRINCIPAL, start__lte=on)
        .filter(end__isnull=True)
        .first()
    )
    if outgoing is not None and outgoing.person_id == person.pk:
        raise OnePrincipal(f"{person.name} 已是本单位一把手", {"person": person.username})
    if outgoing is not None:
        if outgoing.start >= on:
            raise OnePrincipal("交接日期必须晚于现任一把手的任职起始日期", {"since": str(outgoing.start)})
        end_term(by=by, membership=outgoing, end=on - dt.timedelta(days=1))
    # A person moving up inside the unit (e.g. a deputy becoming principal) ends their current term first.
    for own in Membership.objects.select_for_update().filter(unit=unit, person=person, end__isnull=True):
        end_term(by=by, membership=own, end=on - dt.timedelta(days=1))
    membership = appoint(by=by, unit=unit, person=person, role=Role.PRINCIPAL, start=on, title=title)
    _record_unit_change(
        "org.principal_changed",
        by=by,
        unit=unit,
        payload={
            "from": outgoing.person.username if outgoing else None,
            "to": person.username,
            "on": str(on),
        },
    )
    return membership


@transaction.atomic
def grant_district_role(
    *,
    by: Person | None,
    district: District,
    person: Person,
    role: str,
    start: dt.date,
    title: str = "",
    group: int | None = None,
) -> DistrictRole:
    """A district-level role; an inspection member serves in the district's group number `group`
    (第N督察组, R-SUP-2) — the members of one group share its checks."""
    _ensure_admin(by, district)
    _ensure_choice(DistrictRoleKind, "role", role, "区级角色无效")
    if person.is_superuser:
        # ENGINEERING §4: platform operators never hold a governance power.
        raise Forbidden("R-ORG-1", "平台运维账户不能担任治理角色", {"person": person.username})
    if group is not None and (role != DistrictRoleKind.INSPECTION or not 1 <= group <= 99):
        raise Invalid(
            "R-SUP-2", "只有督察组成员可编入督察组，组号为 1–99", {"fields": {"group": [str(group)]}}
        )
    grant = DistrictRole.objects.create(
        district=district, person=person, role=role, start=start, title=title, group=group
    )
    payload: dict[str, Any] = {"district": district.code, "role": role, "start": str(start)}
    if group is not None:
        payload["group"] = group
    ledger.record(
        "org.district_role_granted",
        by=by,
        district=district.code,
        subject=f"person:{person.username}",
        payload=payload,
    )
    return grant
