"""Triggers that mark a receipt day changed (``routing_statdirtyday``) in the same transaction
as the change: a report inserted, deleted or updated in a column the statistics read; a
first-response or final-answer event written; a follow-up clock's outcome or breach set.
The statistics' refresh reads this small table instead of scanning the reports."""

from django.db import migrations

MARK = """
CREATE OR REPLACE FUNCTION routing_stat_mark(at timestamptz) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO routing_statdirtyday (day, marked_at)
    SELECT (at AT TIME ZONE 'Asia/Jakarta')::date, now() WHERE at IS NOT NULL
    ON CONFLICT (day) DO NOTHING
$$;

CREATE OR REPLACE FUNCTION routing_stat_mark_report_id(rid bigint) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO routing_statdirtyday (day, marked_at)
    SELECT (submitted_at AT TIME ZONE 'Asia/Jakarta')::date, now()
    FROM complaints_report WHERE id = rid AND submitted_at IS NOT NULL
    ON CONFLICT (day) DO NOTHING
$$;

CREATE OR REPLACE FUNCTION routing_stat_report_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM routing_stat_mark(OLD.submitted_at);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM routing_stat_mark(NEW.submitted_at);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION routing_stat_event_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.kind IN ('first_response', 'resolved') THEN
        PERFORM routing_stat_mark_report_id(OLD.report_id);
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.kind IN ('first_response', 'resolved') THEN
        PERFORM routing_stat_mark_report_id(NEW.report_id);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION routing_stat_clock_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.kind = 'follow_up' THEN
        PERFORM routing_stat_mark_report_id(OLD.report_id);
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.kind = 'follow_up'
       AND (TG_OP = 'INSERT' OR OLD.report_id <> NEW.report_id OR OLD.kind <> NEW.kind) THEN
        PERFORM routing_stat_mark_report_id(NEW.report_id);
    END IF;
    RETURN NULL;
END $$;

-- The columns the rollups read (routing.services.statistics._REPORTS_SQL).
CREATE TRIGGER routing_stat_report_upd AFTER UPDATE ON complaints_report FOR EACH ROW
WHEN ((OLD.submitted_at, OLD.status, OLD.holder_body_id, OLD.category_id, OLD.province_id,
       OLD.regency_id, OLD.rejection_reason, OLD.is_confidential, OLD.verified_at,
       OLD.escalated_at, OLD.rating, OLD.solved_answer, OLD.first_dispositioned_at)
      IS DISTINCT FROM
      (NEW.submitted_at, NEW.status, NEW.holder_body_id, NEW.category_id, NEW.province_id,
       NEW.regency_id, NEW.rejection_reason, NEW.is_confidential, NEW.verified_at,
       NEW.escalated_at, NEW.rating, NEW.solved_answer, NEW.first_dispositioned_at))
EXECUTE FUNCTION routing_stat_report_changed();
CREATE TRIGGER routing_stat_report_insdel AFTER INSERT OR DELETE ON complaints_report
FOR EACH ROW EXECUTE FUNCTION routing_stat_report_changed();

CREATE TRIGGER routing_stat_event_upd AFTER UPDATE ON complaints_reportevent FOR EACH ROW
WHEN ((OLD.kind, OLD.report_id, OLD.created_at) IS DISTINCT FROM
      (NEW.kind, NEW.report_id, NEW.created_at))
EXECUTE FUNCTION routing_stat_event_changed();
CREATE TRIGGER routing_stat_event_insdel AFTER INSERT OR DELETE ON complaints_reportevent
FOR EACH ROW EXECUTE FUNCTION routing_stat_event_changed();

-- A follow-up clock's outcome or breach (the sweep's breach saves no report).
CREATE TRIGGER routing_stat_clock_upd AFTER UPDATE ON routing_clock FOR EACH ROW
WHEN ((OLD.kind, OLD.report_id, OLD.outcome, OLD.breached_at) IS DISTINCT FROM
      (NEW.kind, NEW.report_id, NEW.outcome, NEW.breached_at))
EXECUTE FUNCTION routing_stat_clock_changed();
CREATE TRIGGER routing_stat_clock_insdel AFTER INSERT OR DELETE ON routing_clock
FOR EACH ROW EXECUTE FUNCTION routing_stat_clock_changed();
"""

UNMARK = """
DROP TRIGGER IF EXISTS routing_stat_report_upd ON complaints_report;
DROP TRIGGER IF EXISTS routing_stat_report_insdel ON complaints_report;
DROP TRIGGER IF EXISTS routing_stat_event_upd ON complaints_reportevent;
DROP TRIGGER IF EXISTS routing_stat_event_insdel ON complaints_reportevent;
DROP TRIGGER IF EXISTS routing_stat_clock_upd ON routing_clock;
DROP TRIGGER IF EXISTS routing_stat_clock_insdel ON routing_clock;
DROP FUNCTION IF EXISTS routing_stat_report_changed();
DROP FUNCTION IF EXISTS routing_stat_event_changed();
DROP FUNCTION IF EXISTS routing_stat_clock_changed();
DROP FUNCTION IF EXISTS routing_stat_mark(timestamptz);
DROP FUNCTION IF EXISTS routing_stat_mark_report_id(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("routing", "0023_statistics_cube"),
    ]

    operations = [migrations.RunSQL(MARK, UNMARK)]
