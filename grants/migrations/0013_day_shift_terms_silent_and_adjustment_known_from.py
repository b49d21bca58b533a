"""Two changes of the legal dates: silence on a last day off, and when an adjustment became known.

1. Record that a series' terms are silent on a last day off, and read silence as Civil Code Art 142.

Until now a series could say only "no shift", "next business day" or "previous business day" for the
last day of the departure window (notice (11)2) and of the heir's window (notice (11)3), and "no
shift" was the default. There was no way to record that the terms say nothing, so a series that says
"no shift" may only have taken the default. Where the terms are silent, Civil Code Art 142 ends the
period on the next business day (docs/domain.md §6.4, reading R3): every series that says "no shift"
is moved to the new value "terms_silent", which is also the new default. A series whose terms do say
"no shift" must be set back to it by hand; the reverse migration turns every "terms_silent" back into
"none".

2. A share adjustment may be known later than the day it applies from: a split conditional on a
shareholders' meeting applies retroactively from the day after its record date and is known from the
day after the meeting closes (notice (3), docs/domain.md §2.2). ``known_from`` records that day;
empty means known from the day it applies, which is what every existing adjustment was (conditional
splits approved before this change were applied from the day after their meeting, and keep that
day: their ledger events say so).
"""

from django.db import migrations, models

SHIFT_FIELDS = ("departure_window_shift", "heir_window_shift")


def silent_where_none(apps, schema_editor):
    Series = apps.get_model("grants", "Series")
    for field in SHIFT_FIELDS:
        Series.objects.filter(**{field: "none"}).update(**{field: "terms_silent"})


def none_where_silent(apps, schema_editor):
    Series = apps.get_model("grants", "Series")
    for field in SHIFT_FIELDS:
        Series.objects.filter(**{field: "terms_silent"}).update(**{field: "none"})


SHIFT_CHOICES = [
    ("terms_silent", "The terms say nothing: the next business day (Civil Code Art 142)"),
    ("next_business_day", "The terms say: the next business day"),
    ("previous_business_day", "The terms say: the previous business day"),
    ("none", "The terms say: no shift, even on a day off"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0012_transfer_notification"),
    ]

    operations = [
        migrations.AlterField(
            model_name="series",
            name="departure_window_shift",
            field=models.CharField(
                choices=SHIFT_CHOICES,
                default="terms_silent",
                max_length=30,
                verbose_name="when the last day is not a business day",
            ),
        ),
        migrations.AlterField(
            model_name="series",
            name="heir_window_shift",
            field=models.CharField(
                choices=SHIFT_CHOICES,
                default="terms_silent",
                max_length=30,
                verbose_name="when the heir's last day is not a business day",
            ),
        ),
        migrations.AddField(
            model_name="shareadjustment",
            name="known_from",
            field=models.DateField(
                blank=True,
                help_text="Empty: known from the day it applies. Set for a retroactive adjustment, clause (3).",
                null=True,
                verbose_name="known from",
            ),
        ),
        migrations.AddConstraint(
            model_name="shareadjustment",
            constraint=models.CheckConstraint(
                condition=models.Q(known_from__isnull=True) | models.Q(known_from__gte=models.F("applies_from")),
                name="share_adjustment_known_after_it_applies",
                violation_error_message="An adjustment cannot be known before the day it applies from.",
            ),
        ),
        # Data last, after every change of the schema.
        migrations.RunPython(silent_where_none, none_where_silent),
    ]
