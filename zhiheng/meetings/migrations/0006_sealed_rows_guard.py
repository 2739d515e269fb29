"""R-MTG-7 in the database: a sealed meeting's rows are never updated or deleted (issue 9 hole 10).

See zhiheng/meetings/sealed_rows.py. A later migration that alters one of the guarded tables on SQLite
must run sealed_rows.sqlite_sql() again (SQLite drops triggers when it remakes a table).
"""

from django.db import migrations

from zhiheng.meetings import sealed_rows


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, lambda: [])():
            schema_editor.execute(sql, None)

    return run


class Migration(migrations.Migration):
    dependencies = [("meetings", "0005_item_roll_deferral_effect"), ("ledger", "0002_append_only_guard")]
    operations = [
        migrations.RunPython(
            _run({"postgresql": sealed_rows.pg_sql, "sqlite": sealed_rows.sqlite_sql}),
            _run({"postgresql": sealed_rows.pg_drop_sql, "sqlite": sealed_rows.sqlite_drop_sql}),
        )
    ]
