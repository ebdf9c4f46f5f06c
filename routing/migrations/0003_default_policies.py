"""The default deadline policies of domain.md (version 1 of each clock)."""

from django.db import migrations

DEFAULTS = [
    ("first_response", 24, None, "mark_overdue"),
    ("follow_up", None, 60, "escalate_ombudsman"),
    ("verification", None, 3, "notify"),
    ("citizen_silence", 240, None, "close"),
]


def seed(apps, schema_editor):
    DeadlinePolicy = apps.get_model("routing", "DeadlinePolicy")
    for clock, hours, days, action in DEFAULTS:
        if not DeadlinePolicy.objects.filter(clock=clock).exists():
            DeadlinePolicy.objects.create(
                clock=clock, version=1, length_hours=hours, working_days=days, action=action,
                is_current=True,
            )


class Migration(migrations.Migration):
    dependencies = [("routing", "0002_clocks_policies_calendar")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
