"""Report kinds are stored in English, as every identifier is (README, "Names"): aduan →
complaint, aspirasi → aspiration, permintaan_informasi → information_request. Their labels
stay Indonesian. Export jobs keep their filters, so theirs are renamed too."""

from django.db import migrations, models

RENAMES = [("aduan", "complaint"), ("aspirasi", "aspiration"),
           ("permintaan_informasi", "information_request")]


def _sql(pairs):
    cases = " ".join(f"WHEN '{old}' THEN '{new}'" for old, new in pairs)
    olds = ", ".join(f"'{old}'" for old, _new in pairs)
    return [
        f"UPDATE complaints_report SET kind = CASE kind {cases} END WHERE kind IN ({olds})",
        f"UPDATE routing_exportjob SET filters = jsonb_set(filters, '{{kind}}', "
        f"to_jsonb(CASE filters->>'kind' {cases} END)) WHERE filters->>'kind' IN ({olds})",
    ]


class Migration(migrations.Migration):

    dependencies = [
        ("complaints", "0009_notification_title_message_link"),
        ("routing", "0009_admin_column_names"),
    ]

    operations = [
        migrations.AlterField(
            model_name="report",
            name="kind",
            field=models.CharField(
                choices=[("complaint", "Aduan"), ("aspiration", "Aspirasi"),
                         ("information_request", "Permintaan informasi")],
                default="complaint", max_length=24, verbose_name="jenis laporan",
            ),
        ),
        migrations.RunSQL(
            _sql(RENAMES), reverse_sql=_sql([(new, old) for old, new in RENAMES]),
        ),
    ]
