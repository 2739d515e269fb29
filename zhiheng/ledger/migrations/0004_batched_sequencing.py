"""Issue 12 / decision 0014: batched sequencing. The Pending queue, and Entry.pending naming the pending row
an entry was integrated from (a nullable column added in place, plus a partial unique index, so no table
is remade; the SQLite guard is re-created anyway, as in 0003)."""

from django.db import migrations, models

from zhiheng.ledger import guard


def _reinstall_sqlite_guard(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in guard.sqlite_drop_sql() + guard.sqlite_sql():
        schema_editor.execute(sql, None)


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0003_entry_district'),
    ]

    operations = [
        migrations.CreateModel(
            name='Pending',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('event_type', models.CharField(max_length=64, verbose_name='事件类型')),
                ('unit', models.CharField(blank=True, max_length=32, verbose_name='单位')),
                ('district', models.CharField(blank=True, max_length=32, verbose_name='区')),
                ('subject', models.CharField(blank=True, max_length=128, verbose_name='对象')),
                ('actor', models.CharField(blank=True, max_length=150, verbose_name='操作人')),
                ('recorded_at', models.DateTimeField(verbose_name='记录时间')),
                ('body', models.TextField(verbose_name='规范化内容（无序号）')),
            ],
            options={
                'verbose_name': '待入账条目',
                'verbose_name_plural': '待入账条目',
                'ordering': ['id'],
            },
        ),
        migrations.AddField(
            model_name='entry',
            name='pending',
            field=models.BigIntegerField(blank=True, null=True, verbose_name='待入账编号'),
        ),
        migrations.AddConstraint(
            model_name='entry',
            constraint=models.UniqueConstraint(condition=models.Q(('pending__isnull', False)), fields=('pending',), name='ledger_entry_pending_once'),
        ),
        migrations.RunPython(_reinstall_sqlite_guard, migrations.RunPython.noop),
    ]
