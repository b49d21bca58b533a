"""A position is held at a company; only an office at a series' issuer counts for (11)2.

Every position recorded before this was an office at its holder's issuer: the company of the series
of the holder's earliest allotment, or, for a holder with none, the only company there is (the first
one by id where there are several). A database with positions but no company cannot be migrated
and says so.
"""

import django.db.models.deletion
from django.db import migrations, models


def positions_at_the_issuer(apps, schema_editor):
    Position = apps.get_model("holders", "Position")
    Company = apps.get_model("companies", "Company")
    Allotment = apps.get_model("grants", "Allotment")
    issuer_of = {}
    for holder_id, company_id in Allotment.objects.order_by("allotted_on", "pk").values_list(
        "holder_id", "series__company_id"
    ):
        issuer_of.setdefault(holder_id, company_id)
    fallback = Company.objects.order_by("pk").values_list("pk", flat=True).first()
    for position in Position.objects.filter(company__isnull=True):
        company_id = issuer_of.get(position.holder_id, fallback)
        if company_id is None:
            raise RuntimeError("positions exist but no company does: enter the issuer first")
        position.company_id = company_id
        position.save(update_fields=["company"])


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0001_initial"),
        ("grants", "0010_company_moved"),
        ("holders", "0002_holderevent_append_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="position",
            name="company",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="positions",
                to="companies.company",
                verbose_name="company",
            ),
        ),
        migrations.RunPython(positions_at_the_issuer, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="position",
            name="company",
            field=models.ForeignKey(
                help_text="Where the office is held: only an office at a series' issuer counts for (11)2.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="positions",
                to="companies.company",
                verbose_name="company",
            ),
        ),
        migrations.RemoveConstraint(model_name="position", name="position_one_open_per_title"),
        migrations.AddConstraint(
            model_name="position",
            constraint=models.UniqueConstraint(
                condition=models.Q(("ended_on__isnull", True)),
                fields=("holder", "company", "title"),
                name="position_one_open_per_title_and_company",
            ),
        ),
    ]
