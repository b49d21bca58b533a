import django.utils.timezone
from django.db import migrations, models

from equityplan.appendonly import chain_migration_operation

# The fields hashed when this migration ran (the model's hash_fields then): frozen here.
HASH_FIELDS = (
    "id",
    "event_type",
    "series",
    "holder",
    "rights_delta",
    "effective_date",
    "recorded_at",
    "recorded_by",
    "approved_by",
    "resolution_date",
    "resolution_reference",
    "payload",
    "reverses",
)


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0014_series_service_period"),
    ]

    operations = [
        migrations.AddField(
            model_name="ledgerevent",
            name="prev_hash",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="previous row's hash"
            ),
        ),
        migrations.AddField(
            model_name="ledgerevent",
            name="row_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="row hash"),
        ),
        migrations.AlterField(
            model_name="ledgerevent",
            name="recorded_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="recorded at"
            ),
        ),
        chain_migration_operation("grants_ledgerevent", HASH_FIELDS, "grants.LedgerEvent"),
    ]
