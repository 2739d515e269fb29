"""The analytics app's codes in Chinese (zhiheng.web.labels): the pilot flag's parameter entries."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiheng.web import labels

from .parameters import LABELS

labels.register_subject("analytics-pilot", labels.rules_of(_("试点单位")))
labels.register("analytics.rule_field", LABELS)
labels.register_fields({**LABELS, "changed": (_("变更项"), "analytics.rule_field")})
