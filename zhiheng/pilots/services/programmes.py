"""A pilot programme's use cases (R-PIL-1): create it, add or remove units, set a phase's date, record a
supervision visit, roll it out to the rest of the district.

Lock → authorize and check the stage (rules) → validate the dates (states) → write → record in the ledger
under the district (`pilots.*`, subject `pilot:<id>`). Dates are the commission's acts: a phase or a rollout
takes effect today or later, a visit has happened. The rollout gives every remaining unit its policy from the
rollout date (powers.set_unit_policy, its own ledger entry) unless one is already in force on that date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Invalid
from zhiheng.org.models import District, Unit
from zhiheng.powers import selectors as powers
from zhiheng.powers import services as powers_services
from zhiheng.powers.models import PolicyTemplate

from .. import events, rules, selectors, states
from ..errors import BackDated, BadUnits, BadVisit, PhasesOutOfOrder, RolloutTooEarly
from ..models import Member, Phase, Programme, RolloutUnit, Visit
from ..states import PhaseName


def _record(event: str, programme: Programme, by: Person | None, **payload: Any) -> None:
    ledger.record(
        event,
        by=by,
        district=programme.district.code,
        subject=programme.subject,
        payload={"programme": programme.pk, **payload},
    )


def _locked(programme: Programme) -> Programme:
    """The programme, locked; its district locked first, so that two programmes of one district never take
    the same unit at once (a unit is in at most one running pilot)."""
    District.objects.select_for_update().filter(pk=programme.district_id).first()
    return Programme.objects.select_for_update().select_related("district").get(pk=programme.pk)


def _not_before_today(day: dt.date, field: str) -> None:
    if day < clock.today():
        raise BackDated(detail={"fields": {field: [f"不能早于今天（{clock.today()}）"]}})


def _check_unit(programme: Programme, unit: Unit, joining: Iterable[int] = ()) -> None:
    """A unit may join: one of the district's, in no other running pilot, and not the last one outside."""
    if unit.district_id != programme.district_id:
        raise BadUnits(detail={"fields": {"units": [f"{unit.code} 不是本区单位"]}, "unit": unit.code})
    running = selectors.running_programme_of(unit)
    if running is not None and running.pk != programme.pk:
        raise BadUnits(detail={"fields": {"units": [f"{unit.code} 已在试点“{running.name}”中"]}})
    members = set(programme.members.values_list("unit_id", flat=True)) | set(joining) | {unit.pk}
    if not Unit.objects.filter(district_id=programme.district_id).exclude(pk__in=members).exists():
        raise BadUnits(detail={"fields": {"units": ["试点不能包括本区全部单位"]}, "unit": unit.code})


def _join(programme: Programme, unit: Unit, joining: Iterable[int] = ()) -> None:
    _check_unit(programme, unit, joining)
    Member.objects.get_or_create(programme=programme, unit=unit, defaults={"added_at": clock.now()})


@transaction.atomic
def create_programme(
    *, by: Person | None, district: District, name: str, units: Iterable[Unit] = ()
) -> Programme:
    """R-PIL-1: the commission sets up a pilot in its district, with its chosen units."""
    rules.ensure_create(by, district)
    District.objects.select_for_update().filter(pk=district.pk).first()
    name = name.strip()
    if not name:
        raise Invalid("validation", "试点名称必填", {"fields": {"name": ["必填"]}})
    if Programme.objects.filter(district=district, name=name).exists():
        raise Invalid("validation", "本区已有同名试点", {"fields": {"name": ["本区已有同名试点"]}})
    programme = Programme.objects.create(district=district, name=name, created_by=by)
    joined: list[int] = []
    for unit in dict.fromkeys(units):
        _join(programme, unit, joined)
        joined.append(unit.pk)
    codes = sorted(u.code for u in selectors.member_units(programme))
    _record(events.CREATED.code, programme, by, name=name, units=codes)
    return programme


@transaction.atomic
def add_unit(*, by: Person | None, programme: Programme, unit: Unit) -> Programme:
    """R-PIL-1: a unit joins the pilot — only before formal implementation begins."""
    programme = _locked(programme)
    rules.ensure_units(by, programme)
    if programme.members.filter(unit=unit).exists():
        return programme
    _join(programme, unit)
    _record(events.UNIT_ADDED.code, programme, by, unit=unit.code)
    return programme


@transaction.atomic
def remove_unit(*, by: Person | None, programme: Programme, unit: Unit) -> Programme:
    """R-PIL-1: a unit leaves the pilot — only before formal implementation begins; the last one cannot."""
    programme = _locked(programme)
    rules.ensure_units(by, programme)
    member = programme.members.filter(unit=unit).first()
    if member is None:
        raise BadUnits(detail={"fields": {"unit": [f"{unit.code} 不是本试点单位"]}, "unit": unit.code})
    if programme.members.count() == 1:
        raise BadUnits(detail={"fields": {"unit": ["试点至少保留一个单位"]}, "unit": unit.code})
    member.delete()
    _record(events.UNIT_REMOVED.code, programme, by, unit=unit.code)
    return programme


@transaction.atomic
def set_phase(*, by: Person | None, programme: Programme, name: str, start: dt.date) -> Programme:
    """R-PIL-1: a phase from a date — not a phase already begun, not back-dated, in the seed's order."""
    if name not in PhaseName.values:
        raise Invalid(
            "validation", "未知的试点阶段", {"fields": {"name": [f"须为 {'、'.join(states.ORDER)} 之一"]}}
        )
    programme = _locked(programme)
    rules.ensure_phase(by, programme, name)
    _not_before_today(start, "from")
    phases = programme.phase_dates()
    old = phases.get(name)
    if old == start:
        return programme
    phases[name] = start
    if not states.in_order(phases):
        raise PhasesOutOfOrder(
            detail={"phases": {k: str(v) for k, v in phases.items()}, "fields": {"from": []}}
        )
    Phase.objects.update_or_create(programme=programme, name=name, defaults={"start": start})
    _record(
        events.PHASE_SET.code,
        programme,
        by,
        phase=name,
        **{"from": str(start)},
        old_from=str(old) if old else "",
    )
    return programme


@transaction.atomic
def record_visit(
    *,
    by: Person | None,
    programme: Programme,
    on: dt.date,
    units: Iterable[Unit],
    visitors: str,
    findings: str,
) -> Visit:
    """R-PIL-1: the commission's supervision visit 督查 to pilot units: it happened (not in the future, not
    before the pilot's first phase began), to units of the pilot, by someone, with its record."""
    programme = _locked(programme)
    rules.ensure_visit(by, programme)
    visited = list(dict.fromkeys(units))
    members = {u.pk for u in selectors.member_units(programme)}
    fields: dict[str, list[str]] = {}
    if on > clock.today():
        fields["on"] = ["督查日期不能晚于今天"]
    phases = programme.phase_dates()
    first = min(phases.values()) if phases else None
    if first is None or on < first:
        fields["on"] = ["督查日期不能早于试点开始（第一个阶段的起始日期）"]
    if not visited or any(u.pk not in members for u in visited):
        fields["units"] = ["须为本试点的单位"]
    if not visitors.strip():
        fields["visitors"] = ["必填"]
    if not findings.strip():
        fields["findings"] = ["必填"]
    if fields:
        raise BadVisit(detail={"fields": fields})
    visit = Visit.objects.create(
        programme=programme,
        on=on,
        visitors=visitors.strip(),
        findings=findings.strip(),
        recorded_by=by,
        recorded_at=clock.now(),
    )
    visit.units.set(visited)
    _record(
        events.VISIT_RECORDED.code,
        programme,
        by,
        visit=visit.pk,
        on=str(on),
        units=sorted(u.code for u in visited),
        visitors=visit.visitors,
        content=visit.content_digest(),
    )
    return visit


def _template_for(programme: Programme, on: dt.date, code: str | None) -> PolicyTemplate | None:
    """The template the rollout gives: the one named, else the one every pilot unit follows on the day."""
    if code:
        return powers.get_template_for(programme.district, code)
    followed = set(powers.policy_codes_for_units(selectors.member_units(programme), on).values())
    if len(followed) == 1:
        return powers.get_template_for(programme.district, followed.pop())
    return None


@transaction.atomic
def roll_out(
    *, by: Person | None, programme: Programme, on: dt.date, template: str | None = None
) -> Programme:
    """R-PIL-1: the rollout 推开 — after formal implementation began, from a date not in the past, once:
    every unit of the district outside the pilot is brought in, with its policy in force from that date
    (the template named, or the pilot units' own), unless one is already in force then."""
    programme = _locked(programme)
    rules.ensure_rollout(by, programme)
    _not_before_today(on, "on")
    phases = programme.phase_dates()
    if not states.rollout_follows(phases, on):
        start = phases[PhaseName.IMPLEMENTATION]
        raise RolloutTooEarly(detail={"fields": {"on": [f"须晚于正式实施日期（{start}）"]}})
    chosen: PolicyTemplate | None = None
    brought, kept = [], []
    for unit in selectors.remaining_units(programme).order_by("code"):
        policy = None
        if powers.policy_on(unit, on) is None:
            chosen = chosen or _template_for(programme, on, template)
            if chosen is None:
                raise Invalid("R-PIL-1", "须指定推开采用的政策模板", {"fields": {"template": ["必填"]}})
            policy = powers_services.set_unit_policy(by=by, unit=unit, template=chosen, in_force_from=on)
            brought.append(unit.code)
        else:
            kept.append(unit.code)
        RolloutUnit.objects.create(programme=programme, unit=unit, policy=policy)
    programme.rolled_out_on = on
    programme.rolled_out_by = by
    programme.save(update_fields=["rolled_out_on", "rolled_out_by", "updated_at"])
    _record(
        events.ROLLED_OUT.code,
        programme,
        by,
        on=str(on),
        units=sorted(brought + kept),
        policy_set=brought,
        template=chosen.code if chosen else "",
    )
    return programme
