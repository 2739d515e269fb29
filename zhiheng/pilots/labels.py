"""The pilot programmes' codes in Chinese (zhiheng.web.labels): stages, phases, programmes named as
`pilot:<id>`, and the fields of their ledger entries (named per event, so no other app's "units" or "on"
reads differently)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from zhiheng.web import labels

from . import events
from .models import Programme
from .states import PhaseName, Stage

labels.register_each("pilots", stage=Stage, phase=PhaseName)


def _names(rests: list[str]) -> dict[str, str]:
    """ "pilot:<id>" → the programme's name (one query for all)."""
    ids = [r for r in rests if r.isdigit()]
    return {str(pk): name for pk, name in Programme.objects.filter(pk__in=ids).values_list("pk", "name")}


labels.register_subject("pilot", _names, _("试点"))

FIELDS: dict[str, Any] = {
    "programme": _("试点编号"),
    "name": _("试点名称"),
    "units": (_("单位"), "@unit"),
    "unit": (_("单位"), "@unit"),
    "phase": (_("阶段"), "pilots.phase"),
    "from": _("起始日期"),
    "old_from": _("原起始日期"),
    "visit": _("督查编号"),
    "on": _("日期"),
    "visitors": _("督查人员"),
    "content": _("督查记录摘要（SHA-256）"),
    "policy_set": (_("新设政策的单位"), "@unit"),
    "template": (_("政策模板"), "powers.template"),
}
labels.register_fields({f"{event.code}/{key}": spec for event in events.ALL for key, spec in FIELDS.items()})
