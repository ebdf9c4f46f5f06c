"""Deadline policies per priority: a policy may be for one priority only (empty: every
priority without its own), one current version per clock and priority. Seeded: the first
response to a "darurat" report within 4 hours, warned 1 hour before."""

from django.conf import settings
from django.db import migrations, models


def new_versions(apps, schema_editor):
    DeadlinePolicy = apps.get_model("routing", "DeadlinePolicy")
    if not DeadlinePolicy.objects.filter(clock="first_response", priority="emergency").exists():
        top = DeadlinePolicy.objects.filter(clock="first_response").order_by("-version").first()
        DeadlinePolicy.objects.create(
            clock="first_response", priority="emergency",
            version=(top.version if top else 0) + 1, length_hours=4, working_days=None,
            action="mark_overdue", warnings_before=[1], is_current=True,
        )


class Migration(migrations.Migration):

    dependencies = [
        ('routing', '0017_waiting_for_the_citizen'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='deadlinepolicy',
            name='policy_one_current_per_clock',
        ),
        migrations.AddField(
            model_name='deadlinepolicy',
            name='priority',
            field=models.CharField(blank=True, choices=[('normal', 'Biasa'), ('high', 'Tinggi'), ('emergency', 'Darurat')], db_default='', default='', help_text='Kosong: semua prioritas tanpa kebijakan sendiri.', max_length=10, verbose_name='prioritas'),
        ),
        migrations.AddConstraint(
            model_name='deadlinepolicy',
            constraint=models.UniqueConstraint(condition=models.Q(('is_current', True)), fields=('clock', 'priority'), name='policy_one_current_per_clock_and_priority'),
        ),
        migrations.RunPython(new_versions, migrations.RunPython.noop),
    ]
