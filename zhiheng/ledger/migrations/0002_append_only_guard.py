"""R-LED-1 in the database: UPDATE and DELETE of entries, nodes and checkpoints are refused.

See zhiheng/ledger/guard.py. Keep this the last migration that changes these tables' schema on SQLite:
SQLite remakes a table to alter it, dropping its triggers (a later migration must re-run guard SQL).
"""

from django.db import migrations

from zhiheng.ledger import guard


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, lambda: [])():
            schema_editor.execute(sql, None)

    return run


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [
        migrations.RunPython(
            _run({"postgresql": guard.pg_sql, "sqlite": guard.sqlite_sql}),
            _run({"postgresql": guard.pg_drop_sql, "sqlite": guard.sqlite_drop_sql}),
        )
    ]
