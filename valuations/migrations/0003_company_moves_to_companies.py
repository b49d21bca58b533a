"""Company moved to the companies app: market data's keys point there; nothing changes in the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('companies', '0001_initial'),
        ('valuations', '0002_delete_stocksplit'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='dividend',
                    name='company',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='dividends', to='companies.company', verbose_name='company'),
                ),
                migrations.AlterField(
                    model_name='importbatch',
                    name='company',
                    field=models.ForeignKey(blank=True, help_text='Empty for government bond yields.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='companies.company', verbose_name='company'),
                ),
                migrations.AlterField(
                    model_name='shareprice',
                    name='company',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='share_prices', to='companies.company', verbose_name='company'),
                ),
                ],
            database_operations=[],
        ),
    ]
