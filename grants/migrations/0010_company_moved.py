"""Company moved to the companies app: grants forgets it once every app's keys point at the new place
(valuations 0003 first). Only Django's picture of the models changes; the table stays."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('grants', '0009_company_moves_to_companies'),
        ('valuations', '0003_company_moves_to_companies'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='Company',
                ),
                ],
            database_operations=[],
        ),
    ]
