# A notification becomes a title, one sentence and a link (it was a copy of the whole email).

from django.db import migrations, models

# Existing rows: the first line of the old body (the email's opening sentence, which the old
# templates stored HTML-escaped), cut to 160 characters, and the report's page for that user:
# the reporter's own page for the reporter, the staff page for everyone else. The paths are
# written out because a migration must not change when the URL configuration does later.
FILL = r"""
UPDATE complaints_notification AS n SET
    message = CASE WHEN char_length(t.line) > 160 THEN left(t.line, 159) || '…' ELSE t.line END,
    url = CASE
        WHEN r.tracking_number IS NULL THEN ''
        WHEN r.reporter_id = n.user_id THEN '/laporan-saya/' || r.tracking_number || '/'
        ELSE '/petugas/laporan/' || r.tracking_number || '/'
    END
FROM complaints_notification AS o
LEFT JOIN complaints_report AS r ON r.id = o.report_id
CROSS JOIN LATERAL (
    SELECT replace(replace(replace(replace(replace(replace(
        btrim(split_part(btrim(o.body, E' \n'), E'\n', 1)),
        '&quot;', '"'), '&#x27;', ''''), '&#39;', ''''), '&lt;', '<'), '&gt;', '>'),
        '&amp;', '&') AS line
) AS t
WHERE o.id = n.id
"""


class Migration(migrations.Migration):

    dependencies = [
        ("complaints", "0008_report_due_clock_kind"),
    ]

    operations = [
        migrations.RenameField(model_name="notification", old_name="subject", new_name="title"),
        migrations.AddField(
            model_name="notification",
            name="message",
            field=models.CharField(default="", max_length=300),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification",
            name="url",
            field=models.CharField(blank=True, default="", max_length=300),
            preserve_default=False,
        ),
        migrations.RunSQL(FILL, reverse_sql=migrations.RunSQL.noop),
        migrations.RemoveField(model_name="notification", name="body"),
        migrations.RemoveIndex(model_name="notification", name="notification_user_idx"),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                models.F("user"),
                models.ExpressionWrapper(
                    models.Q(("read_at__isnull", True)), output_field=models.BooleanField()
                ).desc(),
                models.F("created_at").desc(),
                models.F("id").desc(),
                name="notification_inbox_idx",
            ),
        ),
    ]
