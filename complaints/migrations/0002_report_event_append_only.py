"""The history of a report is append-only: the database itself refuses UPDATE and DELETE on
report events, whoever asks (the application, a shell, an admin). TRUNCATE (test flushes)
is not row-level and is not affected."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION complaints_report_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'report events are append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER report_event_append_only
    BEFORE UPDATE OR DELETE ON complaints_reportevent
    FOR EACH ROW EXECUTE FUNCTION complaints_report_event_append_only();
"""

REVERSE = """
DROP TRIGGER IF EXISTS report_event_append_only ON complaints_reportevent;
DROP FUNCTION IF EXISTS complaints_report_event_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
