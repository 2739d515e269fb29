"""The accounts app's codes in Chinese (zhiheng.web.labels): sign-in channels and outcomes, throttles,
and people named by their username (ledger actors, `person:<username>` subjects)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiheng.web import labels

from .models import LoginChannel, LoginOutcome, Person, ThrottleKind

labels.register_each(
    "accounts", login_channel=LoginChannel, login_outcome=LoginOutcome, throttle_kind=ThrottleKind
)
labels.register_subject("person", labels.by_field(Person.objects, "username"))
labels.register_fields(
    {
        "person": (_("人员"), "@person"),
        "username": (_("用户名"), ""),
        "channel": (_("渠道"), "accounts.login_channel"),
        "outcome": (_("结果"), "accounts.login_outcome"),
        "address": _("地址"),
        "count": _("数量"),
    }
)
