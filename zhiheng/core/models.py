"""Base model: every row knows when it was created and last changed."""

from django.db import models

from . import clock


class TimeStamped(models.Model):
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
