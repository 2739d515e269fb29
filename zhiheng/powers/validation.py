"""The division-plan validator (R-DIV-4): a pure function over values — no ORM, no clock.

Services gather the facts (the catalogue with "restricted" computed for the in-force date, the
principal and deputies on that date, the district's incompatible pairs) and call validate_plan();
the API returns its list as error.detail.violations. It lists EVERY violation, not the first one,
so a principal fixes the whole plan in one pass.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

RULE = "R-DIV-4"

# Kinds, so pages and tests can tell violations apart without parsing the message.
RESTRICTED_TO_PRINCIPAL = "restricted_to_principal"
UNASSIGNED = "unassigned"
SPLIT = "split"
INCOMPATIBLE = "incompatible"
NOT_DEPUTY = "not_deputy"
UNKNOWN_POWER = "unknown_power"


@dataclass(frozen=True)
class PowerFact:
    code: str
    name: str
    category: str  # category code
    restricted: bool


@dataclass(frozen=True)
class Violation:
    rule: str
    power: str
    message: str
    kind: str
    deputy: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def validate_plan(
    *,
    powers: Sequence[PowerFact],
    assignments: Iterable[tuple[str, str]],
    principal: str | None,
    deputies: Iterable[str],
    incompatible: Iterable[tuple[str, str]] = (),
    category_names: dict[str, str] | None = None,
) -> list[Violation]:
    """Every R-DIV-4 violation of a plan, in catalogue order.

    `assignments` are (power code, username) pairs; `deputies` the usernames holding a deputy term
    in the unit on the in-force date; `incompatible` pairs of category codes one deputy may not hold
    together. A non-restricted power may be left unassigned; every assignee must be a deputy.
    """
    deputy_set = set(deputies)
    names = category_names or {}
    by_code = {p.code: p for p in powers}
    holders: dict[str, list[str]] = defaultdict(list)
    violations: list[Violation] = []
    for power_code, username in assignments:
        if username not in holders[power_code]:
            holders[power_code].append(username)
    for power_code in holders:
        if power_code not in by_code:
            violations.append(
                Violation(RULE, power_code, f"职权 {power_code} 不在本单位职权目录中", UNKNOWN_POWER)
            )

    held_categories: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for power in powers:
        people = holders.get(power.code, [])
        if power.restricted and not people:
            violations.append(
                Violation(RULE, power.code, f"限制类职权“{power.name}”未分配给任何分管副职", UNASSIGNED)
            )
        if len(people) > 1:
            violations.append(
                Violation(
                    RULE,
                    power.code,
                    f"职权“{power.name}”被拆分给多人分管（{'、'.join(people)}），每项职权只能有一名分管副职",
                    SPLIT,
                )
            )
        for username in people:
            if principal is not None and username == principal:
                if power.restricted:
                    violations.append(
                        Violation(
                            RULE,
                            power.code,
                            f"一把手不得直接分管限制类职权“{power.name}”",
                            RESTRICTED_TO_PRINCIPAL,
                            username,
                        )
                    )
                else:
                    violations.append(
                        Violation(
                            RULE,
                            power.code,
                            f"职权“{power.name}”应分配给副职，而非一把手",
                            NOT_DEPUTY,
                            username,
                        )
                    )
            elif username not in deputy_set:
                violations.append(
                    Violation(
                        RULE,
                        power.code,
                        f"{username} 在生效日期不是本单位副职，不能分管“{power.name}”",
                        NOT_DEPUTY,
                        username,
                    )
                )
            else:
                held_categories[username][power.category].append(power.code)

    seen_pairs: set[tuple[str, str]] = set()
    for first, second in incompatible:
        key = tuple(sorted((first, second)))
        if key in seen_pairs or first == second:
            continue
        seen_pairs.add(key)  # type: ignore[arg-type]
        for username, categories in sorted(held_categories.items()):
            if first in categories and second in categories:
                label = f"{names.get(first, first)}与{names.get(second, second)}"
                for power_code in categories[first] + categories[second]:
                    violations.append(
                        Violation(
                            RULE,
                            power_code,
                            f"{username} 同时分管{label}，属于本区规定的不相容职权组合",
                            INCOMPATIBLE,
                            username,
                        )
                    )
    return violations
