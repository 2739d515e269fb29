"""Ledger event codes of the powers app (R-LED-1: division plans and policy changes are on record)."""

from zhiheng.ledger.events import register

POWER_SAVED = register("powers.power_saved", "职权目录登记")
CATALOGUE_IMPORTED = register("powers.catalogue_imported", "职权目录导入")
CATEGORY_ADDED = register("powers.category_added", "区增设职权类别")
TEMPLATE_VERSIONED = register("powers.template_versioned", "政策模板新版本")
POLICY_SET = register("powers.policy_set", "单位政策变更")
PAIR_ADDED = register("powers.incompatible_pair_added", "设定不相容职权组合")
DEADLINE_SET = register("powers.deadline_set", "设定分工方案报送期限")
PLAN_DRAFTED = register("powers.plan_drafted", "分工方案起草")
PLAN_FILED = register("powers.plan_filed", "分工方案报送")
PLAN_IN_FORCE = register("powers.plan_in_force", "分工方案生效")
