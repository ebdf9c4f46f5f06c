"""Which day is day 1 of a count in working days becomes a field of the deadline policy.

The versions that exist were counted with "the day of receipt counts before 16:00", so they
keep it (their clocks keep the version they started with); each clock counted in working days
gets a new current version with the law's count, day 1 being the first working day after the
day of receipt, which clocks started from now on use."""

from django.db import migrations, models


def new_versions(apps, schema_editor):
    DeadlinePolicy = apps.get_model("routing", "DeadlinePolicy")
    for old in DeadlinePolicy.objects.filter(is_current=True, working_days__isnull=False):
        old.is_current = False
        old.save(update_fields=["is_current"])
        DeadlinePolicy.objects.create(
            clock=old.clock, version=old.version + 1, length_hours=None,
            working_days=old.working_days, action=old.action, is_current=True,
            day_one="next_working_day",
        )


class Migration(migrations.Migration):
    dependencies = [("routing", "0013_external_channels_postpone_policy")]

    operations = [
        migrations.AddField(
            model_name="deadlinepolicy", name="day_one",
            field=models.CharField(default="same_day_before_close", max_length=24),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="deadlinepolicy", name="day_one",
            field=models.CharField(
                choices=[
                    ("next_working_day", "Hari ke-1 adalah hari kerja pertama sesudah hari "
                     "laporan diterima, pukul berapa pun"),
                    ("same_day_before_close", "Hari diterima dihitung sebagai hari ke-1 bila "
                     "laporan masuk sebelum pukul 16.00"),
                ],
                db_default="next_working_day", default="next_working_day", max_length=24,
                verbose_name="hari ke-1",
            ),
        ),
        migrations.RunPython(new_versions, migrations.RunPython.noop),
    ]
