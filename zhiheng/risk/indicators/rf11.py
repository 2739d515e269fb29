"""RF11 incompatible powers held by one deputy (R-DIV-4): a deputy holds powers of two categories the
district forbids one person to hold together (e.g. finance with procurement), in a plan in force or
coming into force — also when the pair was forbidden after the plan came into force.

Source of the idea: segregation of duties, the internal-control principle (COSO 2013, principle 10; the
OCP red-flags guide's "same official controls budget and award"); here the pairs are the district's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .common import HIGH, Finding, PlanFact

RULE = "RF11"


def find(plans: Iterable[PlanFact], pairs: Iterable[tuple[str, str]]) -> list[Finding]:
    """`pairs`: the district's forbidden pairs of category codes applying today."""
    forbidden = sorted({(min(a, b), max(a, b)) for a, b in pairs})
    findings = []
    for plan in plans:
        held: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for power, category, deputy in plan.assignments:
            held[deputy][category].append(power)
        for deputy, categories in sorted(held.items()):
            for first, second in forbidden:
                if first in categories and second in categories:
                    powers = [*categories[first], *categories[second]]
                    findings.append(
                        Finding(
                            rule=RULE,
                            unit=plan.unit,
                            key=f"v{plan.version}:{deputy}:{first}+{second}",
                            subject=f"unit:{plan.unit}",
                            level=HIGH,
                            explanation=(
                                f"分工方案 v{plan.version}（{plan.in_force_from} 起）中，{deputy} 同时分管不相容的"
                                f"职权类别 {first} 与 {second}（{'、'.join(powers)}；R-DIV-4）。"
                            ),
                            records=(
                                {
                                    "version": plan.version,
                                    "deputy": deputy,
                                    "pair": [first, second],
                                    "powers": powers,
                                },
                            ),
                        )
                    )
    return findings
