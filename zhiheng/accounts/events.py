"""Ledger event codes of the accounts app (issue 10)."""

from django.utils.translation import gettext_lazy as _

from zhiheng.ledger.events import register

LOGIN_THROTTLED = register("auth.login_throttled", _("登录尝试受限"))
TOKENS_REVOKED = register("auth.tokens_revoked", _("纪委管理员撤销 API 令牌"))
