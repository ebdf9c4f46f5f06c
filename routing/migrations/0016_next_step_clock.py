"""The 5-working-day substantive follow-up (*tindak lanjut berkala*): a clock kind and its
first policy (5 working days, day 1 the next working day, a breach marks the report overdue
and tells the supervisors)."""

from django.db import migrations, models


def new_versions(apps, schema_editor):
    DeadlinePolicy = apps.get_model("routing", "DeadlinePolicy")
    if not DeadlinePolicy.objects.filter(clock="next_step").exists():
        DeadlinePolicy.objects.create(
            clock="next_step", version=1, length_hours=None, working_days=5,
            day_one="next_working_day", action="mark_overdue", warnings_before=[],
            is_current=True,
        )


class Migration(migrations.Migration):

    dependencies = [
        ('routing', '0015_deadline_warnings'),
    ]

    operations = [
        migrations.AlterField(
            model_name='clock',
            name='kind',
            field=models.CharField(choices=[('first_response', 'Tanggapan pertama'), ('follow_up', 'Tindak lanjut'), ('next_step', 'Tindak lanjut berkala'), ('verification', 'Verifikasi'), ('citizen_silence', 'Pelapor tidak menanggapi jawaban')], max_length=16),
        ),
        migrations.AlterField(
            model_name='deadlinepolicy',
            name='clock',
            field=models.CharField(choices=[('first_response', 'Tanggapan pertama'), ('follow_up', 'Tindak lanjut'), ('next_step', 'Tindak lanjut berkala'), ('verification', 'Verifikasi'), ('citizen_silence', 'Pelapor tidak menanggapi jawaban')], max_length=16, verbose_name='jenis tenggat'),
        ),
        migrations.RunPython(new_versions, migrations.RunPython.noop),
    ]
