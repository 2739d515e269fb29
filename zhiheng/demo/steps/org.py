"""Step 1: districts, units, commission admins and every unit's team (R-ORG, API.md demo guarantees)."""

from __future__ import annotations

import functools

from django.contrib.auth.hashers import make_password

from zhiheng.accounts.models import Person
from zhiheng.org import services
from zhiheng.org.models import District, DistrictRoleKind, Role

from ..context import DEMO_PASSWORD, TERMS_START, DemoContext, Team
from ..data import DISTRICTS, SEED_PEOPLE, STAFF_PER_UNIT, TITLE_OVERRIDES, TITLES
from ..names import NameMaker


@functools.cache
def _demo_password_hash() -> str:
    # Hashed once: PBKDF2 per account would make the build take a minute. Demo accounts only.
    return make_password(DEMO_PASSWORD)


def _person(ctx: DemoContext, username: str, name: str, what: str) -> Person:
    person = Person.objects.create(username=username, name=name, password=_demo_password_hash())
    ctx.accounts.append((username, name, what))
    return person


def _district_person(
    ctx: DemoContext,
    district: District,
    username: str,
    name: str,
    what: str,
    *,
    role: str,
    title: str,
    group: int | None = None,
) -> Person:
    """A person with a role in the district's commission (its admin, an inspection group's member)."""
    person = _person(ctx, username, name, what)
    services.grant_district_role(
        by=None, district=district, person=person, role=role, start=TERMS_START, title=title, group=group
    )
    return person


def build(ctx: DemoContext) -> None:
    names = NameMaker(ctx.rng.randrange(1 << 30))
    names.used.update(SEED_PEOPLE.values())  # nobody else bears a protagonist's name
    for spec in DISTRICTS:
        district = District.objects.create(code=spec.code, name=spec.name)
        ctx.districts[spec.code] = district
        ctx.policies[spec.code] = spec.policy
        ctx.admins[spec.code] = _district_person(
            ctx,
            district,
            f"{spec.code}-admin",
            names(),
            f"{spec.name}纪委管理员",
            role=DistrictRoleKind.COMMISSION_ADMIN,
            title="区纪委干部",
        )
        for unit_spec in spec.units:
            unit = services.create_unit(
                by=None, district=district, code=unit_spec.code, name=unit_spec.name, kind=unit_spec.kind
            )
            ctx.units[unit.code] = unit
            if unit_spec.pilot:
                ctx.pilot_units.add(unit.code)
            ctx.teams[unit.code] = _team(ctx, names, unit, unit_spec.deputies)


def _team(ctx: DemoContext, names: NameMaker, unit, deputies: int) -> Team:
    principal_title, deputy_titles, inspector_title, staff_titles = TITLES[unit.kind]
    principal_title, deputy_titles = TITLE_OVERRIDES.get(unit.code, (principal_title, deputy_titles))

    def appoint(username: str, role: str, title: str, what: str) -> Person:
        name = names()  # drawn even when the seed names the person: everyone else keeps their name
        person = _person(ctx, username, SEED_PEOPLE.get(username, name), f"{unit.name}{what}")
        services.appoint(by=None, unit=unit, person=person, role=role, title=title, start=TERMS_START)
        return person

    principal = appoint(f"{unit.code}-principal", Role.PRINCIPAL, principal_title, "一把手")
    deputy_people = [
        appoint(f"{unit.code}-deputy{i + 1}", Role.DEPUTY, deputy_titles[i], f"副职{i + 1}")
        for i in range(deputies)
    ]
    inspector = appoint(f"{unit.code}-inspector", Role.INSPECTOR, inspector_title, "纪检组长")
    staff = [
        appoint(f"{unit.code}-staff{i + 1}", Role.STAFF, staff_titles[i], f"经办人{i + 1}")
        for i in range(STAFF_PER_UNIT)
    ]
    return Team(unit=unit, principal=principal, deputies=deputy_people, inspector=inspector, staff=staff)
