"""The persona matrix (ENGINEERING §4): for every button of rules.actions_for, every persona and matters
in every state, the predicate the pages and the API show (`can_<verb>`) says True iff the service
accepts the action. A refused action changes nothing and writes no ledger entry — except the
principal's attempt on a restricted matter, which writes only its RF1 warning (R-MAT-2).

Each case runs in a savepoint rolled back afterwards, so every persona meets the same matter.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from zhiheng.core.errors import DomainError
from zhiheng.ledger.models import Entry
from zhiheng.matters import rules, selectors, services
from zhiheng.matters.errors import PrincipalAttempt
from zhiheng.matters.models import Matter
from zhiheng.matters.tests.conftest import snapshot
from zhiheng.matters.viewer import Viewer
from zhiheng.risk.models import Warning

pytestmark = pytest.mark.django_db

PERSONAS = [
    "admin",
    "principal",
    "deputy_in_charge",
    "other_deputy",
    "inspector",
    "staff",
    "outsider",
    "legal",  # the legal officer: a staff member who sits on the R-MAT-7 panel
]


def person(w: SimpleNamespace, persona: str, matter: Matter) -> Any:
    if persona == "deputy_in_charge":
        return matter.deputy
    if persona == "other_deputy":
        return next(d for d in (w.deputy, w.deputy2, w.deputy3) if d.pk != matter.deputy_id)
    return getattr(w, persona)


def upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("收据.txt", "收据：办公用品一批。".encode(), content_type="text/plain")


# action of actions_for → (the can_ predicate, the service call with valid input)
ACTIONS: dict[str, tuple[Callable[[Any, Matter], bool], Callable[[Matter, Any], object]]] = {
    "approve": (rules.can_approve, lambda m, p: services.approve(matter=m, by=p, comment="同意")),
    "reject": (rules.can_reject, lambda m, p: services.reject(matter=m, by=p, comment="理由不足")),
    "refer": (rules.can_refer, lambda m, p: services.refer_to_collective(matter=m, by=p, reason="上会")),
    "veto": (rules.can_veto, lambda m, p: services.veto(matter=m, by=p, reason="价格偏高")),
    "cosign": (rules.can_cosign, lambda m, p: services.cosign(matter=m, by=p, comment="同意")),
    "execute": (rules.can_execute, lambda m, p: services.execute(matter=m, by=p, note="已办")),
    "withdraw": (rules.can_withdraw, lambda m, p: services.withdraw(matter=m, by=p, note="撤回")),
    "joint_review": (
        rules.can_give_joint_opinion,
        lambda m, p: services.joint_review(matter=m, by=p, opinion="agree", reason="事实清楚"),
    ),
    "evidence": (rules.can_add_evidence, lambda m, p: services.add_evidence(matter=m, by=p, upload=upload())),
}


def submit(w: SimpleNamespace, power: str = "finance", amount: str | None = "1200.00", **kw: Any) -> Matter:
    return services.submit(
        by=w.staff, unit=w.unit, power=w.power[power], title=kw.pop("title", power), amount=amount, **kw
    )


def shapes(w: SimpleNamespace) -> dict[str, Matter]:
    """Matters in every state the buttons care about, all submitted by `staff`."""
    small = submit(w, budget_line=w.office)  # finance (restricted), the deputy decides alone
    general = submit(w, power="general", amount=None)  # not restricted for the principal
    collective = submit(w, amount="60000.00", budget_line=w.big)  # R-MAT-3
    referred = services.refer_to_collective(
        matter=submit(w, amount="70000.00", budget_line=w.big), by=w.deputy, reason="上会"
    )
    cosign = submit(w, power="procurement", amount="250000.00", budget_line=w.big)  # R-MAT-3 and R-MAT-4
    cosign = services.refer_to_collective(matter=cosign, by=w.deputy2, reason="上会")
    cosign = services.apply_collective_decision(
        matter=cosign, outcome="passed", by=w.principal, meeting_ref="meeting:1/item:1"
    )
    services.cosign(matter=cosign, by=w.inspector)  # one of three signatures given
    approved = services.approve(matter=submit(w, budget_line=w.office), by=w.deputy)
    executed = services.execute(
        matter=services.approve(matter=submit(w, budget_line=w.office), by=w.deputy), by=w.staff
    )
    rejected = services.reject(matter=submit(w, budget_line=w.office), by=w.deputy, comment="不必要")
    vetoed = services.veto(matter=submit(w, budget_line=w.office), by=w.principal, reason="价格偏高")
    joint = submit(w, power="admin-enforcement", amount="20000.00", counterparty="某企业")  # R-MAT-7
    services.joint_review(matter=joint, by=w.legal, opinion="agree")  # one of three opinions given
    agreed = submit(w, power="admin-enforcement", amount="30000.00", counterparty="某企业")
    for member in (w.deputy3, w.legal, w.inspector):
        services.joint_review(matter=agreed, by=member, opinion="agree")
    made = {
        "small": small,
        "general": general,
        "collective": collective,
        "referred": referred,
        "cosign": cosign,
        "approved": approved,
        "executed": executed,
        "rejected": rejected,
        "vetoed": vetoed,
        "joint": joint,
        "agreed": agreed,
    }
    return {name: Matter.objects.get(pk=m.pk) for name, m in made.items()}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_button_shows_iff_the_service_accepts(mw, media, action):
    can, call = ACTIONS[action]
    accepted = []
    for shape, matter in shapes(mw).items():
        for persona in PERSONAS:
            who = person(mw, persona, matter)
            case = (action, shape, persona)
            with transaction.atomic():
                fresh = Matter.objects.get(pk=matter.pk)
                expected = can(who, fresh)
                # The list path (one Viewer for a page of matters) answers the same.
                assert rules.actions_for(Viewer(who), fresh)[action] is expected, case
                before, entries, warnings = snapshot(matter), Entry.objects.count(), Warning.objects.count()
                try:
                    call(Matter.objects.get(pk=matter.pk), who)
                except DomainError as refusal:
                    assert not expected, (*case, refusal)
                    assert snapshot(matter) == before, case
                    if isinstance(refusal, PrincipalAttempt):  # R-MAT-2: only the RF1 warning is written
                        assert (persona, refusal.rule) == ("principal", "R-MAT-2"), case
                        assert Warning.objects.count() == warnings + 1, case
                        added = Entry.objects.count() - entries
                        newest = Entry.objects.order_by("-index").values_list("event_type", flat=True)
                        assert list(newest[:added]) == ["risk.warning_raised"], case
                    else:
                        assert (Entry.objects.count(), Warning.objects.count()) == (entries, warnings), case
                else:
                    assert expected, case
                    assert Entry.objects.count() > entries, case  # an accepted action is in the ledger
                    accepted.append((shape, persona))
                transaction.set_rollback(True)
    assert accepted, f"no persona may {action} any matter: the matrix would prove nothing"


def test_the_buttons_of_the_matrix(mw):
    """Who sees which button on a freshly submitted small finance matter (restricted for the principal)."""
    m = Matter.objects.get(pk=submit(mw, budget_line=mw.office).pk)
    shown = {
        persona: sorted(a for a, ok in rules.actions_for(person(mw, persona, m), m).items() if ok)
        for persona in PERSONAS
    }
    assert shown == {
        "admin": [],
        "principal": ["veto"],
        "deputy_in_charge": ["approve", "evidence", "refer", "reject"],
        "other_deputy": [],
        "inspector": [],
        "staff": ["evidence", "withdraw"],
        "outsider": [],
        "legal": [],
    }


def test_submit_and_budget_lines_predicates_match_their_services(mw):
    for persona in PERSONAS:
        who = person(mw, persona, Matter(deputy=mw.deputy))
        try:
            services.submit(by=who, unit=mw.unit, power=mw.power["general"], title="综合事务")
        except DomainError:
            submitted = False
        else:
            submitted = True
        assert rules.can_submit(who, mw.unit) is submitted, persona
        try:
            services.set_budget_line(by=who, unit=mw.unit, code=f"l-{persona}", name="x", amount="1.00")
        except DomainError:
            declared = False
        else:
            declared = True
        assert rules.can_set_budget_line(who, mw.unit) is declared, persona


def test_the_viewer_answers_the_panel_as_the_selectors_do(mw):
    """The caches behind the buttons agree with the authority they cache (R-MAT-7 panel, missing opinions)."""
    made = shapes(mw)
    for name in ("joint", "agreed", "small"):
        m = Matter.objects.get(pk=made[name].pk)
        for p in (mw.deputy3, mw.legal, mw.inspector, mw.principal, mw.staff):
            viewer = Viewer(p)
            assert viewer.panel_waiting(m) == selectors.joint_review_missing(m), (name, p.username)
            if m.requires_joint_review:
                assert viewer.panel(m) == selectors.joint_panel(m)
                assert viewer.on_panel(m) is (p.pk in selectors.joint_panel(m))
    assert selectors.joint_review_missing(made["joint"]) == ["t-deputy3", "t-inspector"]
