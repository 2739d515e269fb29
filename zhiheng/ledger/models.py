"""Ledger storage: entries in index order, the stored subtree hashes, the head, signed checkpoints.

Entry, Node and Checkpoint rows are append-only: the database refuses UPDATE and DELETE of them
(triggers created by migration 0002, per vendor). Head is the one mutable row: the append lock.
Pending rows are the batched write path's queue (services/sequencing.py): recorded in the domain
transaction, integrated into the tree (and deleted) by the integrator.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Entry(models.Model):
    """One appended event. `data` holds the exact canonical bytes that were hashed (R-LED-2)."""

    index = models.BigIntegerField(_("序号"), primary_key=True)
    event_type = models.CharField(_("事件类型"), max_length=64, db_index=True)
    unit = models.CharField(_("单位"), max_length=32, blank=True, db_index=True)
    # The scope of an entry without a unit: the district's code for a district-level entry (also in the
    # hashed payload as "district"), "" for a platform-level one. NULL only on rows appended before the
    # column existed (their scope was never recorded; rules.py shows them to nobody but verification).
    district = models.CharField(_("区"), max_length=32, null=True, blank=True, db_index=True)
    subject = models.CharField(_("对象"), max_length=128, blank=True, db_index=True)
    actor = models.CharField(_("操作人"), max_length=150, blank=True)
    recorded_at = models.DateTimeField(_("记录时间"))
    data = models.BinaryField(_("规范化内容"))
    leaf_hash = models.BinaryField(_("叶哈希"), max_length=32)
    # Batched sequencing (docs/decisions/0017): the id of the Pending row this entry was integrated from,
    # so whoever kept the pending id resolves it to the index; NULL for entries appended inline. Not hashed.
    pending = models.BigIntegerField(_("待入账编号"), null=True, blank=True)

    class Meta:
        verbose_name = _("账本条目")
        verbose_name_plural = _("账本条目")
        ordering = ["index"]
        constraints = [
            models.UniqueConstraint(
                fields=["pending"],
                condition=models.Q(pending__isnull=False),
                name="ledger_entry_pending_once",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.index} {self.event_type} {self.subject}"

    @property
    def text(self) -> str:
        return bytes(self.data).decode()


class Node(models.Model):
    """The hash of one complete perfect subtree of level >= 1 (see merkle.py), written once at append.

    `key` packs (level, index) as level << 48 | index; leaf hashes (level 0) live on Entry.
    """

    key = models.BigIntegerField(_("键"), primary_key=True)
    hash = models.BinaryField(_("哈希"), max_length=32)

    class Meta:
        verbose_name = _("子树哈希")
        verbose_name_plural = _("子树哈希")

    def __str__(self) -> str:
        return f"node {self.key}"


class Head(models.Model):
    """The single row every append locks: the tree size and its frontier (the hashes of the perfect
    subtrees tiling the tree, largest first), so appends serialize, never fork, never leave a gap."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(_("条目数"), default=0)
    frontier = models.BinaryField(_("边界哈希"), default=b"")

    class Meta:
        verbose_name = _("账本头")
        verbose_name_plural = _("账本头")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="ledger_single_head")]

    def __str__(self) -> str:
        return f"ledger head size={self.size}"


class Pending(models.Model):
    """An entry recorded but not yet integrated into the tree (batched sequencing, decision 0017).

    Inserted inside the domain transaction — so it commits or rolls back with the change it records —
    without touching the Head. The integrator gives it the next index, writes the Entry (its canonical
    bytes built from these fields), the subtree hashes and the head, and deletes this row, all in one
    transaction. `body` is the canonical entry without its index (it begins `{"payload":`): the entry
    bytes are `{"index":<i>,` followed by body[1:], exactly what an inline append would have written.
    """

    id = models.BigAutoField(primary_key=True)
    event_type = models.CharField(_("事件类型"), max_length=64)
    unit = models.CharField(_("单位"), max_length=32, blank=True)
    district = models.CharField(_("区"), max_length=32, blank=True)
    subject = models.CharField(_("对象"), max_length=128, blank=True)
    actor = models.CharField(_("操作人"), max_length=150, blank=True)
    recorded_at = models.DateTimeField(_("记录时间"))
    body = models.TextField(_("规范化内容（无序号）"))

    class Meta:
        verbose_name = _("待入账条目")
        verbose_name_plural = _("待入账条目")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"pending {self.pk} {self.event_type} {self.subject}"


class Checkpoint(models.Model):
    """A signed statement of the tree: size, root, time, Ed25519 signature, key id (R-LED-2)."""

    size = models.BigIntegerField(_("条目数"))
    root = models.BinaryField(_("根哈希"), max_length=32)
    timestamp = models.DateTimeField(_("时间"))
    signature = models.BinaryField(_("签名"), max_length=64)
    key_id = models.CharField(_("密钥编号"), max_length=64)
    reason = models.CharField(_("签发原因"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("签名检查点")
        verbose_name_plural = _("签名检查点")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"checkpoint {self.pk} size={self.size}"


class VerificationRun(models.Model):
    """One full verification (R-LED-4): when it ran, what it covered, and the first failure if any."""

    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"))
    ok = models.BooleanField(_("通过"))
    entries = models.BigIntegerField(_("条目数"))
    checkpoints = models.IntegerField(_("检查点数"))
    kind = models.CharField(_("问题类型"), max_length=32, blank=True)
    position = models.BigIntegerField(_("问题位置"), null=True, blank=True)
    message = models.TextField(_("结果"), blank=True)
    by = models.CharField(_("发起人"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("验证记录")
        verbose_name_plural = _("验证记录")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"verification {self.pk} {'ok' if self.ok else self.kind}"
