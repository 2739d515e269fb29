"""People, API tokens, and the record of sign-in attempts with their throttle counters (issue 10)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiheng.core import clock


class Person(AbstractUser):
    """A person who signs in: commission staff, leaders, staff, inspectors.

    `name` is the full name as written in Chinese (姓名); Django's first/last name are not used.
    is_staff/is_superuser are for platform operators only, never a governance power (ENGINEERING §4).
    """

    name = models.CharField(_("姓名"), max_length=64)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["username"]

    def __str__(self) -> str:
        return f"{self.name}（{self.username}）" if self.name else self.username


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 is stored; the token itself is shown once.

    `authenticated_at` is when the password behind this token was last checked: a renewal passes it on,
    and no renewal reaches past it plus API_TOKEN_MAX_HOURS (issue 10).
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("签发时间"), default=clock.now)
    authenticated_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        indexes = [models.Index(fields=["person", "created_at"])]

    def __str__(self) -> str:
        return f"token#{self.pk} of {self.person_id}"

    def is_valid_at(self, moment: dt.datetime) -> bool:
        return self.revoked_at is None and self.expires_at > moment

    def state_at(self, moment: dt.datetime) -> str:
        """ "revoked", "expired" or "live" — for the "my tokens" page."""
        if self.revoked_at is not None:
            return "revoked"
        return "live" if self.expires_at > moment else "expired"


class LoginChannel(models.TextChoices):
    API = "api", _("接口")
    WEB = "web", _("网页")


class LoginOutcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("用户名或密码错误")
    THROTTLED = "throttled", _("尝试过于频繁，未受理")
    REFUSED = "refused", _("密码正确但不得登录")


class LoginAttempt(models.Model):
    """One sign-in attempt: when, which username was tried, from which address, through which door, and
    how it ended. The password is never stored, nor anything derived from it."""

    at = models.DateTimeField(_("时间"), default=clock.now, db_index=True)
    username = models.CharField(_("尝试的用户名"), max_length=150)
    address = models.CharField(_("地址"), max_length=64)
    channel = models.CharField(_("渠道"), max_length=8, choices=LoginChannel.choices)
    outcome = models.CharField(_("结果"), max_length=10, choices=LoginOutcome.choices)

    class Meta:
        verbose_name = _("登录尝试")
        verbose_name_plural = _("登录尝试")
        indexes = [models.Index(fields=["username", "at"]), models.Index(fields=["address", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username}@{self.address} {self.outcome}"


class ThrottleKind(models.TextChoices):
    PAIR = "pair", _("账户与地址")
    ACCOUNT = "account", _("账户（陌生地址）")
    ADDRESS = "address", _("地址（陌生账户）")


class LoginThrottle(models.Model):
    """A failure counter for one pair (account, address), one account, or one address (backoff.py).

    `key` is unique, so concurrent first failures meet on one row; every change happens under the row's
    lock (accounts.signin). `last_success_at` (pair rows) makes the address known to the account.
    """

    key = models.CharField(max_length=240, unique=True)
    kind = models.CharField(max_length=8, choices=ThrottleKind.choices)
    username = models.CharField(max_length=150, blank=True)
    address = models.CharField(max_length=64, blank=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    ledgered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("登录限速计数")
        verbose_name_plural = _("登录限速计数")

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"
