# The statistics' rebuild of a day reads the reports received that day through this index.
# Built CONCURRENTLY: on a national table a plain CREATE INDEX would hold filings for minutes.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('complaints', '0034_outbox_headers_label'),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='report',
            index=models.Index(fields=['submitted_at'], name='report_submitted_idx'),
        ),
    ]
