"""The config version that per-process caches check (agencies.config_cache), with its trigger
on regions and bodies."""

from django.db import migrations

from agencies.config_cache import INSTALL_SQL, UNINSTALL_SQL, trigger_sql


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0003_second_factor'),
    ]

    operations = [
        migrations.RunSQL(INSTALL_SQL, UNINSTALL_SQL),
        migrations.RunSQL(*trigger_sql("agencies_region")),
        migrations.RunSQL(*trigger_sql("agencies_body")),
    ]
