"""RF12 and RF3 from a filed declaration (R-GATE-2, SPEC §10): the check-up's checks (checkup/checks.py)
found that the declarant's assets grew faster than their declared income (RF12), or that a business of
their spouse or children is a counterparty of their unit's matters (RF3, the conflict-of-interest half that
a declaration can show before any decision).

Consumed from `checkup.declaration_filed` entries (its payload names the checks that fired), so the risk
engine never opens a declaration: the warning says what kind of finding it is and where to look, not what
the person declared — that stays sealed in the check-up, each read of it in the ledger. One warning per
declaration and rule (source "entry:<index>"), on the declarant's unit today, for its inspector and, like
every warning, escalated to the commission; a declarant with no unit raises none (nobody to route to).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from zhiheng.accounts.selectors import find_person
from zhiheng.ledger.dispatch import Recorded
from zhiheng.org import selectors as org

from .. import services

CODE = "checkup.declaration_filed"
TITLES = {"RF3": "利益冲突（亲属企业为本单位相对方）", "RF12": "申报资产增长快于申报收入"}
FINDINGS = {"RF12": "RF12", "counterparty": "RF3"}  # the check's code → the red flag it raises


def _explanation(rule: str) -> str:
    if rule == "RF12":
        return _(
            "%(name)s 的 %(year)s 年度廉情申报：资产增长超过本年申报收入。请在廉政体检中核实（查阅记入账本）。"
        )
    return _(
        "%(name)s 的 %(year)s 年度廉情申报：其配偶或子女经营的企业是本单位事项的相对方。"
        "请在廉政体检中核实，并在相关决策中回避。"
    )


def on_declaration(entry: Recorded) -> None:
    payload = entry.payload
    person = find_person(str(payload.get("declarant", "")))
    if person is None:
        return
    membership = org.current_memberships_of(person).select_related("unit").first()
    if membership is None:
        return
    for check in payload.get("checks", []):
        rule = FINDINGS.get(check)
        if rule is None:
            continue
        services.raise_warning(
            rule=rule,
            level="high",
            unit=membership.unit,
            subject=entry.subject,
            explanation=_explanation(rule)
            % {"name": person.name or person.username, "year": payload.get("year")},
            records=[
                {"declarant": person.username, "year": payload.get("year"), "version": payload.get("version")}
            ],
            source=f"entry:{entry.index}",
        )
