"""Ledger event codes of the inspections app: stable once written (entries are hashed).

A check's opening (with its sample) and every read are district-level entries: the commission reads them,
the inspected unit does not (its inspector reads the unit's entries) — the unit's principal must not learn
during the check who and what was looked at (R-SUP-2). Findings and the closing are the unit's entries:
the unit answers them."""

from django.utils.translation import gettext_lazy as _

from zhiheng.ledger.events import register

from . import parameters  # noqa: F401  (registers the "inspections" parameter set at start-up)

OPENED = register("inspection.opened", _("督察检查开始"))
READ = register("inspection.read", _("督察调阅"))
CLOSED = register("inspection.closed", _("督察检查结束"))
FINDING = register("inspection.finding_recorded", _("督察发现问题"))
ANSWERED = register("inspection.rectification_answered", _("整改情况答复"))
ACCEPTED = register("inspection.rectification_accepted", _("整改验收销号"))
RETURNED = register("inspection.rectification_returned", _("整改退回"))
RULES_SET = register("inspection.rules_set", _("督察检查规则设置"))
