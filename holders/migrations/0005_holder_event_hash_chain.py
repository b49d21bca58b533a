import django.utils.timezone
from django.db import migrations, models

from equityplan.appendonly import chain_migration_operation

# The fields hashed when this migration ran (the model's hash_fields then): frozen here.
HASH_FIELDS = (
    "id",
    "event_type",
    "holder",
    "effective_date",
    "recorded_at",
    "recorded_by",
    "approved_by",
    "before",
    "after",
)


class Migration(migrations.Migration):
    dependencies = [
        ("holders", "0004_my_number"),
    ]

    operations = [
        migrations.AddField(
            model_name="holderevent",
            name="prev_hash",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="previous row's hash"
            ),
        ),
        migrations.AddField(
            model_name="holderevent",
            name="row_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="row hash"),
        ),
        migrations.AlterField(
            model_name="holderevent",
            name="recorded_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="recorded at"
            ),
        ),
        chain_migration_operation("holders_holderevent", HASH_FIELDS, "holders.HolderEvent"),
    ]
