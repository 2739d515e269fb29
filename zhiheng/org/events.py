"""Ledger event codes of the org app."""

from zhiheng.ledger.events import register

UNIT_CREATED = register("org.unit_created", "单位设立")
UNIT_UPDATED = register("org.unit_updated", "单位信息变更")
TERM_STARTED = register("org.term_started", "任职开始")
TERM_ENDED = register("org.term_ended", "任职结束")
PRINCIPAL_CHANGED = register("org.principal_changed", "一把手变更")
DISTRICT_ROLE_GRANTED = register("org.district_role_granted", "授予区级角色")
