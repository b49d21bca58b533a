"""Company moves from grants to this app without touching its table (grants_company) or its rows.

The table was created by grants 0001; here only Django's picture of the models changes. The content
type is renamed too, so the permissions of the roles and the admin log keep pointing at it.
"""

import django.db.models.deletion
from django.db import migrations, models


def rename_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="grants", model="company").update(app_label="companies")


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="companies", model="company").update(app_label="grants")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("grants", "0008_market_data_imported_event"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Company",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        ("name_ja", models.CharField(blank=True, max_length=200, verbose_name="name (Japanese)")),
                        ("securities_code", models.CharField(blank=True, max_length=10, verbose_name="securities code")),
                        ("address", models.CharField(blank=True, max_length=300, verbose_name="head office address")),
                        ("representative", models.CharField(blank=True, max_length=200, verbose_name="representative")),
                        (
                            "successor_of",
                            models.ForeignKey(
                                blank=True,
                                help_text="Set on a company that took over rights in an organizational restructuring.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="successors",
                                to="companies.company",
                                verbose_name="successor of",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "company",
                        "verbose_name_plural": "companies",
                        "ordering": ["name"],
                        "db_table": "grants_company",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_type, restore_content_type),
    ]
