"""pg_trgm for the similar-reports lookup (complaints.similar), and the partial index that
bounds its candidate set: the newest open reports of one regency and category."""

import django.db.models.expressions
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("complaints", "0026_category_question_config_version"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                django.db.models.expressions.F("regency"),
                django.db.models.expressions.F("category"),
                django.db.models.expressions.OrderBy(
                    django.db.models.expressions.F("submitted_at"), descending=True),
                condition=models.Q(
                    ("duplicate_of__isnull", True),
                    ("status__in", ["submitted", "postponed", "dispositioned", "in_progress",
                                    "resolved"]),
                ),
                name="report_similar_idx",
            ),
        ),
    ]
