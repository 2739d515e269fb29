# Issue 11: a red flag raises one warning per (rule, subject, source) at most.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("risk", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="warning",
            name="source",
            field=models.CharField(blank=True, default="", max_length=96, verbose_name="来源"),
        ),
        migrations.AddConstraint(
            model_name="warning",
            constraint=models.UniqueConstraint(
                condition=models.Q(("source", ""), _negated=True),
                fields=("rule", "subject", "source"),
                name="risk_warning_once_per_source",
            ),
        ),
    ]
