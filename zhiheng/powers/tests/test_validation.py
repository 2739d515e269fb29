"""R-DIV-4: the pure validator, without a database (plus a few hypothesis properties)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from zhiheng.powers import validation as v
from zhiheng.powers.validation import PowerFact, validate_plan

POWERS = [
    PowerFact("finance", "财务", "finance", True),
    PowerFact("procurement", "采购", "procurement", True),
    PowerFact("personnel", "人事", "personnel", True),
    PowerFact("general", "综合", "general", False),
]
DEPUTIES = ["d1", "d2", "d3"]
PAIRS = [("finance", "procurement")]
VALID = [("finance", "d1"), ("procurement", "d2"), ("personnel", "d3"), ("general", "d3")]


def run(assignments, **kw):
    args = {"powers": POWERS, "principal": "boss", "deputies": DEPUTIES, "incompatible": PAIRS}
    args.update(kw)
    return validate_plan(assignments=assignments, **args)


def kinds(violations):
    return sorted((x.kind, x.power) for x in violations)


def test_valid_plan_has_no_violation():
    assert run(VALID) == []


def test_non_restricted_power_may_stay_unassigned():
    assert run(VALID[:3]) == []


def test_restricted_power_to_the_principal():
    result = run([("finance", "boss"), *VALID[1:]])
    assert kinds(result) == [(v.RESTRICTED_TO_PRINCIPAL, "finance")]
    assert result[0].rule == "R-DIV-4"
    assert "一把手" in result[0].message


def test_unassigned_restricted_power():
    result = run([a for a in VALID if a[0] != "personnel"])
    assert kinds(result) == [(v.UNASSIGNED, "personnel")]


def test_power_split_between_two_deputies():
    result = run([*VALID, ("personnel", "d2")])
    assert kinds(result) == [(v.SPLIT, "personnel")]


def test_duplicate_identical_assignment_is_not_a_split():
    assert run([*VALID, ("finance", "d1")]) == []


def test_incompatible_pair_held_by_one_deputy_names_both_powers():
    result = run([("finance", "d1"), ("procurement", "d1"), ("personnel", "d3")])
    assert kinds(result) == [(v.INCOMPATIBLE, "finance"), (v.INCOMPATIBLE, "procurement")]
    assert all(x.deputy == "d1" for x in result)


def test_pairs_are_configurable_per_district():
    assert run([("finance", "d1"), ("procurement", "d1"), ("personnel", "d3")], incompatible=[]) == []


def test_assignee_who_is_not_a_deputy_on_the_date():
    result = run([*VALID[:3], ("general", "retired")])
    assert kinds(result) == [(v.NOT_DEPUTY, "general")]


def test_non_restricted_power_to_the_principal_is_not_a_deputy_assignment():
    assert kinds(run([*VALID[:3], ("general", "boss")])) == [(v.NOT_DEPUTY, "general")]


def test_unknown_power():
    assert kinds(run([*VALID, ("nope", "d1")])) == [(v.UNKNOWN_POWER, "nope")]


def test_every_violation_is_listed_at_once():
    result = run([("finance", "boss"), ("procurement", "d1"), ("procurement", "d2"), ("general", "x")])
    assert kinds(result) == [
        (v.NOT_DEPUTY, "general"),
        (v.RESTRICTED_TO_PRINCIPAL, "finance"),
        (v.SPLIT, "procurement"),
        (v.UNASSIGNED, "personnel"),
    ]
    assert {x.rule for x in result} == {"R-DIV-4"}


people = st.sampled_from(["boss", "d1", "d2", "d3", "ghost"])
assignment_lists = st.lists(st.tuples(st.sampled_from([p.code for p in POWERS]), people), max_size=10)


@settings(max_examples=120, deadline=None)
@given(assignment_lists)
def test_property_no_violation_iff_every_rule_holds(assignments):
    holders: dict[str, set[str]] = {}
    for power, person in assignments:
        holders.setdefault(power, set()).add(person)
    restricted = {p.code for p in POWERS if p.restricted}
    ok = (
        all(len(holders.get(code, ())) == 1 for code in restricted)
        and all(len(h) <= 1 for h in holders.values())
        and all(h <= set(DEPUTIES) for h in holders.values())
        and not any(
            holders.get("finance") and holders.get("finance") == holders.get("procurement") for _ in [0]
        )
    )
    assert (run(assignments) == []) == ok


@settings(max_examples=80, deadline=None)
@given(assignment_lists)
def test_property_principal_never_holds_a_restricted_power_in_a_valid_plan(assignments):
    if run(assignments) == []:
        assert not any(person == "boss" for power, person in assignments if power != "general")
