"""Warnings before a deadline: each policy names them (in its unit), each clock gets a row per
warning when it starts, and the sweep sends each once. The defaults of issue 14 come as new
versions: first response warned 6 hours before, follow-up 10 and 3 working days before."""

import django.contrib.postgres.fields
import django.db.models.deletion
from django.db import migrations, models


DEFAULT_WARNINGS = {"first_response": [6], "follow_up": [10, 3]}


def new_versions(apps, schema_editor):
    DeadlinePolicy = apps.get_model("routing", "DeadlinePolicy")
    for clock, warnings in DEFAULT_WARNINGS.items():
        old = DeadlinePolicy.objects.filter(clock=clock, is_current=True).first()
        if old is None or old.warnings_before:
            continue
        old.is_current = False
        old.save(update_fields=["is_current"])
        DeadlinePolicy.objects.create(
            clock=clock, version=old.version + 1, length_hours=old.length_hours,
            working_days=old.working_days, day_one=old.day_one, action=old.action,
            warnings_before=warnings, is_current=True,
        )


class Migration(migrations.Migration):

    dependencies = [
        ('routing', '0014_policy_day_one_convention'),
    ]

    operations = [
        migrations.AddField(
            model_name='clock',
            name='warn_from',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='deadlinepolicy',
            name='warnings_before',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.PositiveIntegerField(), blank=True, default=list, help_text='Dalam satuan lama tenggat (jam atau hari kerja), dipisah koma: 10,3.', size=None, verbose_name='peringatan sebelum tenggat'),
        ),
        migrations.CreateModel(
            name='ClockWarning',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('before', models.PositiveIntegerField()),
                ('is_last', models.BooleanField(default=False)),
                ('send_at', models.DateTimeField()),
                ('state', models.CharField(choices=[('pending', 'Menunggu'), ('sent', 'Terkirim'), ('dropped', 'Tidak dikirim')], default='pending', max_length=8)),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
                ('failures', models.PositiveSmallIntegerField(default=0)),
                ('clock', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='warnings', to='routing.clock')),
            ],
            options={
                'ordering': ['clock_id', 'send_at'],
                'indexes': [models.Index(condition=models.Q(('state', 'pending')), fields=['send_at', 'id'], name='clock_warning_sweep_idx')],
                'constraints': [models.UniqueConstraint(fields=('clock', 'before'), name='clock_warning_unique')],
            },
        ),
        migrations.RunPython(new_versions, migrations.RunPython.noop),
    ]
