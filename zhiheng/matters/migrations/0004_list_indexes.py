"""Indexes for what grows: the lists' order (newest first) whole, per unit and per submitter, and a
signer's co-signs (the inbox, R-MAT-8's co-sign branch) — issue 12."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("matters", "0003_rules_to_parameters"),
        ("org", "0002_one_principal_guard"),
        ("powers", "0005_power_change"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="cosign",
            index=models.Index(fields=["signer", "signed_at"], name="matters_cosign_signer_signed"),
        ),
        migrations.AddIndex(
            model_name="matter",
            index=models.Index(fields=["submitted_at", "id"], name="matters_submitted"),
        ),
        migrations.AddIndex(
            model_name="matter",
            index=models.Index(fields=["unit", "submitted_at", "id"], name="matters_unit_submitted"),
        ),
        migrations.AddIndex(
            model_name="matter",
            index=models.Index(fields=["submitted_by", "submitted_at"], name="matters_submitter_submitted"),
        ),
    ]
