"""Ledger event codes of the org app."""

from django.utils.translation import gettext_lazy as _

from zhiheng.ledger.events import register

UNIT_CREATED = register("org.unit_created", _("单位设立"))
UNIT_UPDATED = register("org.unit_updated", _("单位信息变更"))
TERM_STARTED = register("org.term_started", _("任职开始"))
TERM_ENDED = register("org.term_ended", _("任职结束"))
PRINCIPAL_CHANGED = register("org.principal_changed", _("一把手变更"))
DISTRICT_ROLE_GRANTED = register("org.district_role_granted", _("授予区级角色"))
