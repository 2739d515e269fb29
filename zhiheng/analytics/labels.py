"""The analytics app's codes in Chinese (zhiheng.web.labels): the roll-up's groupings, and the entries of the
pilot flag the commission once set as a parameter (decision 0026: pilot units are now a programme's units,
zhiheng.pilots; the entries already written still read)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiheng.web import labels

from .models import CellKind

LABELS = {"pilot": _("试点单位")}

labels.register_each("analytics", cell_kind=CellKind)  # the roll-up's groupings (decision 0022)
labels.register_subject("analytics-pilot", labels.rules_of(_("试点单位")))
labels.register("analytics.rule_field", LABELS)
labels.register_fields({**LABELS, "changed": (_("变更项"), "analytics.rule_field")})
