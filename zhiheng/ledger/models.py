"""Ledger storage: entries in index order; their leaf hashes; signed checkpoints."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Entry(models.Model):
    """One appended event. `data` holds the exact canonical bytes that were hashed (R-LED-2).

    The database refuses UPDATE and DELETE of these rows (triggers in the migration).
    """

    index = models.BigIntegerField(_("序号"), primary_key=True)
    event_type = models.CharField(_("事件类型"), max_length=64, db_index=True)
    unit = models.CharField(_("单位"), max_length=32, blank=True, db_index=True)
    subject = models.CharField(_("对象"), max_length=128, blank=True, db_index=True)
    actor = models.CharField(_("操作人"), max_length=150, blank=True)
    recorded_at = models.DateTimeField(_("记录时间"))
    data = models.BinaryField(_("规范化内容"))
    leaf_hash = models.BinaryField(_("叶哈希"), max_length=32)

    class Meta:
        verbose_name = _("账本条目")
        verbose_name_plural = _("账本条目")
        ordering = ["index"]

    def __str__(self) -> str:
        return f"#{self.index} {self.event_type} {self.subject}"
