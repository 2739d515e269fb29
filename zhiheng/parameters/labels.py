"""The parameters app's codes in Chinese (zhiheng.web.labels): where a value in force comes from."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiheng.web import labels

labels.register("parameters.source", {"unit": _("本单位"), "district": _("区默认"), "default": _("制度默认")})
labels.register_fields({"scope": (_("范围"), "parameters.source"), "changed": (_("变更项"), "")})
