"""Routing rules and deadline policies are cached per process: their writes bump the config
version."""

from django.db import migrations

from agencies.config_cache import trigger_sql


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0004_config_version'),
        ('routing', '0018_policy_per_priority'),
    ]

    operations = [
        migrations.RunSQL(*trigger_sql("routing_routingrule")),
        migrations.RunSQL(*trigger_sql("routing_deadlinepolicy")),
    ]
