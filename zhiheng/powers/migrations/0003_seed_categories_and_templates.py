"""Seed the categories of R-DIV-2 and the two policy templates of R-DIV-3 (jiangbei-3x v1, nanchuan-5 v1).

A data migration, not a demo step: every install (and every test database) needs them, because the
validator, the API and the matters engine compute "restricted" from them.
"""

from django.db import migrations

from zhiheng.powers.seed import CATEGORIES, TEMPLATES, seed

def unseed(apps, schema_editor):
    PolicyTemplate = apps.get_model("powers", "PolicyTemplate")
    Category = apps.get_model("powers", "Category")
    PolicyTemplate.objects.filter(code__in=[t[0] for t in TEMPLATES], version=1).delete()
    Category.objects.filter(code__in=[c[0] for c in CATEGORIES], district__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("powers", "0002_plan_filing_round")]

    operations = [migrations.RunPython(seed, unseed)]
