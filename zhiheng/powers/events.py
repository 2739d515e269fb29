"""Ledger event codes of the powers app (R-LED-1: division plans and policy changes are on record)."""

from django.utils.translation import gettext_lazy as _

from zhiheng.ledger.events import register

POWER_SAVED = register("powers.power_saved", _("职权目录登记"))
CATALOGUE_IMPORTED = register("powers.catalogue_imported", _("职权目录导入"))
CATEGORY_ADDED = register("powers.category_added", _("区增设职权类别"))
TEMPLATE_VERSIONED = register("powers.template_versioned", _("政策模板新版本"))
POLICY_SET = register("powers.policy_set", _("单位政策变更"))
PAIR_ADDED = register("powers.incompatible_pair_added", _("设定不相容职权组合"))
PAIR_RETIRED = register("powers.incompatible_pair_retired", _("取消不相容职权组合"))
DEADLINE_SET = register("powers.deadline_set", _("设定分工方案报送期限"))
PLAN_DRAFTED = register("powers.plan_drafted", _("分工方案起草"))
PLAN_FILED = register("powers.plan_filed", _("分工方案报送"))
PLAN_IN_FORCE = register("powers.plan_in_force", _("分工方案生效"))
POWER_CHANGE_PROPOSED = register("powers.power_change_proposed", _("限制类职权目录变更待区纪委确认"))
POWER_CHANGE_ACCEPTED = register("powers.power_change_accepted", _("区纪委确认职权目录变更"))
POWER_CHANGE_REJECTED = register("powers.power_change_rejected", _("区纪委驳回职权目录变更"))
