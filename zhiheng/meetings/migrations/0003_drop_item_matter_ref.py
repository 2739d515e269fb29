"""Drop Item.matter_ref now that 0002 copied it into Item.matter; keep one matter per meeting."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_item_matter_fk")]

    operations = [
        migrations.RemoveConstraint(model_name="item", name="meetings_matter_once_per_meeting"),
        migrations.RemoveField(model_name="item", name="matter_ref"),
        migrations.AddConstraint(
            model_name="item",
            constraint=models.UniqueConstraint(
                condition=models.Q(("matter__isnull", False)),
                fields=("meeting", "matter"),
                name="meetings_matter_once_per_meeting",
            ),
        ),
    ]
