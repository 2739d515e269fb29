"""Ledger event codes of the pilot programmes: stable once written (entries are hashed). Payloads hold ids,
unit codes and dates; a visit's record is kept as its SHA-256 (`content`)."""

from django.utils.translation import gettext_lazy as _

from zhiheng.ledger.events import register

CREATED = register("pilots.programme_created", _("设立试点"))
UNIT_ADDED = register("pilots.unit_added", _("增加试点单位"))
UNIT_REMOVED = register("pilots.unit_removed", _("移出试点单位"))
PHASE_SET = register("pilots.phase_set", _("设定试点阶段"))
VISIT_RECORDED = register("pilots.visit_recorded", _("记录督查"))
ROLLED_OUT = register("pilots.rolled_out", _("全面推开"))

ALL = (CREATED, UNIT_ADDED, UNIT_REMOVED, PHASE_SET, VISIT_RECORDED, ROLLED_OUT)
