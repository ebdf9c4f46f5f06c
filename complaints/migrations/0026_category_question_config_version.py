"""A category's questions are cached per process: their writes bump the config version."""

from django.db import migrations

from agencies.config_cache import trigger_sql


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0004_config_version'),
        ('complaints', '0025_category_questions_open311'),
    ]

    operations = [
        migrations.RunSQL(*trigger_sql("complaints_categoryquestion")),
    ]
