"""Item.matter_ref (a loose integer id) becomes Item.matter, a real foreign key to matters.Matter.

The data is carried over: every matter_ref is copied into matter_id. A reference to a matter that no
longer exists cannot be kept under a foreign key; rather than silently dropping part of a sealed record
(R-MTG-7) the migration stops and names the items.

The old column is dropped in 0003: PostgreSQL refuses to ALTER a table with pending deferred-FK trigger
events from the copy, and each migration runs in its own transaction.
"""

import django.db.models.deletion
from django.db import migrations, models


def copy_refs_forward(apps, schema_editor):
    Item = apps.get_model("meetings", "Item")
    Matter = apps.get_model("matters", "Matter")
    refs = dict(Item.objects.filter(matter_ref__isnull=False).values_list("pk", "matter_ref"))
    known = set(Matter.objects.filter(pk__in=set(refs.values())).values_list("pk", flat=True))
    dangling = sorted(pk for pk, ref in refs.items() if ref not in known)
    if dangling:
        raise RuntimeError(f"meetings items {dangling} refer to matters that do not exist; fix them first")
    for pk, ref in refs.items():
        Item.objects.filter(pk=pk).update(matter_id=ref)


def copy_refs_backward(apps, schema_editor):
    Item = apps.get_model("meetings", "Item")
    for pk, ref in Item.objects.filter(matter__isnull=False).values_list("pk", "matter_id"):
        Item.objects.filter(pk=pk).update(matter_ref=ref)


class Migration(migrations.Migration):
    dependencies = [
        ("matters", "0001_initial"),
        ("meetings", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="item",
            name="matter",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="meeting_items",
                to="matters.matter",
                verbose_name="关联事项",
            ),
        ),
        migrations.RunPython(copy_refs_forward, copy_refs_backward),
    ]
