"""Company moved to the companies app: the foreign keys point there; the table and rows stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('companies', '0001_initial'),
        ('grants', '0008_market_data_imported_event'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='company',
                    name='successor_of',
                ),
                migrations.AlterField(
                    model_name='corporateaction',
                    name='company',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='corporate_actions', to='companies.company', verbose_name='company'),
                ),
                migrations.AlterField(
                    model_name='restructuring',
                    name='successor_company',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='companies.company', verbose_name='restructured company'),
                ),
                migrations.AlterField(
                    model_name='series',
                    name='company',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='series', to='companies.company', verbose_name='company'),
                ),
                ],
            database_operations=[],
        ),
    ]
