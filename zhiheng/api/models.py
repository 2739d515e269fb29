"""Stored first responses of writes made with an Idempotency-Key (API.md conventions)."""

from django.db import models

from zhiheng.core import clock


class IdempotentRequest(models.Model):
    """One (caller, key): the fingerprint of the first request and, once done, its response."""

    owner = models.CharField(max_length=150)
    key = models.CharField(max_length=128)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True)  # empty while the first request is in flight
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="api_idempotency_unique_key")]

    def __str__(self) -> str:
        return f"{self.owner}:{self.key}"
