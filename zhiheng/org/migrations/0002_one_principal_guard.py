"""R-ORG-2 in the database: no two principal terms of one unit may share a day.

PostgreSQL: an exclusion constraint over date ranges (btree_gist), safe under concurrency.
SQLite: triggers (SQLite serialises writers, so a check inside the trigger is race-free).
"""

from django.db import migrations

PG_UP = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE org_membership ADD CONSTRAINT org_one_principal_per_day
       EXCLUDE USING gist (unit_id WITH =, daterange(start, "end", '[]') WITH &&)
       WHERE (role = 'principal')""",
]
PG_DOWN = ["ALTER TABLE org_membership DROP CONSTRAINT IF EXISTS org_one_principal_per_day"]

SQLITE_CHECK = """
  WHEN NEW.role = 'principal' AND EXISTS (
    SELECT 1 FROM org_membership m
    WHERE m.unit_id = NEW.unit_id AND m.role = 'principal' AND m.id != NEW.id
      AND m.start <= COALESCE(NEW."end", '9999-12-31')
      AND NEW.start <= COALESCE(m."end", '9999-12-31'))
  BEGIN SELECT RAISE(ABORT, 'R-ORG-2: one principal per unit at any date'); END
"""
SQLITE_UP = [
    f"CREATE TRIGGER org_one_principal_insert BEFORE INSERT ON org_membership {SQLITE_CHECK}",
    f"CREATE TRIGGER org_one_principal_update BEFORE UPDATE ON org_membership {SQLITE_CHECK}",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS org_one_principal_insert", "DROP TRIGGER IF EXISTS org_one_principal_update"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": PG_DOWN, "sqlite": SQLITE_DOWN}),
        )
    ]
