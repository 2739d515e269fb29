"""Writes of the powers app (R-DIV-1..6), one module per use-case family: the catalogue and the
commission's hold on its restricted part (catalogue), the district's configuration (policy), division
plans (plans). Re-exported here so every interface calls `powers.services.<use case>`.

Every write: lock → authorize → check state → write → ledger.record → side effects on commit.
`by=None` is the system itself (demo builder, data migrations); every interface passes a person.
"""

from .catalogue import (
    accept_power_change,
    clean_flowchart,
    import_catalogue_rows,
    reject_power_change,
    save_power,
    save_power_ex,
)
from .plans import (
    check_plan,
    draft_plan,
    file_plan,
    plan_facts,
    record_plans_coming_into_force,
)
from .policy import (
    add_category,
    add_incompatible_pair,
    create_template,
    retire_incompatible_pair,
    revise_template,
    set_deadline,
    set_unit_policy,
    version_template,
)

__all__ = [
    "accept_power_change",
    "add_category",
    "add_incompatible_pair",
    "check_plan",
    "clean_flowchart",
    "create_template",
    "draft_plan",
    "file_plan",
    "import_catalogue_rows",
    "plan_facts",
    "record_plans_coming_into_force",
    "reject_power_change",
    "retire_incompatible_pair",
    "revise_template",
    "save_power",
    "save_power_ex",
    "set_deadline",
    "set_unit_policy",
    "version_template",
]
