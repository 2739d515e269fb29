"""R-LED-1 / issue 9 hole 11: a district-level entry carries its district, so access.py can scope it.

A nullable column with no default is added in place (ALTER TABLE ... ADD COLUMN on both vendors); rows
already appended are not touched — their `district` stays NULL (scope never recorded). On SQLite the
guard's triggers are then re-created in case the vendor remade the table (0002's warning), so the
append-only guard is in place whatever path the schema editor took.
"""

from django.db import migrations, models

from zhiheng.ledger import guard


def _reinstall_sqlite_guard(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in guard.sqlite_drop_sql() + guard.sqlite_sql():
        schema_editor.execute(sql, None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_append_only_guard")]
    operations = [
        migrations.AddField(
            model_name="entry",
            name="district",
            field=models.CharField(blank=True, db_index=True, max_length=32, null=True, verbose_name="区"),
        ),
        migrations.RunPython(_reinstall_sqlite_guard, migrations.RunPython.noop),
    ]
