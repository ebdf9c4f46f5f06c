"""Categories are cached per process: their writes bump the config version."""

from django.db import migrations

from agencies.config_cache import trigger_sql


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0004_config_version'),
        ('complaints', '0019_event_kinds_of_outcomes_and_priorities'),
    ]

    operations = [
        migrations.RunSQL(*trigger_sql("complaints_category")),
    ]
