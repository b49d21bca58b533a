from django.db import migrations

from equityplan.appendonly import append_only_trigger_operation


class Migration(migrations.Migration):
    dependencies = [("holders", "0001_initial")]

    operations = [append_only_trigger_operation("holders_holderevent")]
