"""Evidence gets the full append-only guard (TRUNCATE too), and every database gets the trigger
function's current body back: grants 0017 used to write an older one over it."""

from django.db import migrations

from equityplan.appendonly import full_guard_operation


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0021_holding_list_indexes"),
        ("holders", "0008_holder_list_indexes"),
    ]

    operations = [full_guard_operation("grants_evidence")]
