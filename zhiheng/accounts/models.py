"""People and API tokens."""

from __future__ import annotations

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
    """A bearer token for the REST API. Only its SHA-256 is stored; the token itself is shown once."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        indexes = [models.Index(fields=["person", "created_at"])]

    def __str__(self) -> str:
        return f"token#{self.pk} of {self.person_id}"

    def is_valid_at(self, moment) -> bool:
        return self.revoked_at is None and self.expires_at > moment
