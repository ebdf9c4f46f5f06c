"""Counts of the reports each body holds, per status, kept exact by the database.

The trigger below runs in the transaction of every write to complaints_report, whoever makes
it (services, admin, COPY, raw SQL): a report held by a body (holder_body_id set) and past
its draft counts once under (body, status). An UPDATE that changes neither column touches
nothing. When a report moves, the two rows change in (body, status) order, so that two
transactions moving reports in opposite directions lock them in the same order and never
deadlock. ``rebuild()`` recomputes every count in one statement, for bulk loads that turn the
trigger off (generate_reports) and for a check.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet, Sum

from agencies.models import Body
from routing.models import HolderStatusCount

TRIGGER = "report_holder_status_count"

INSTALL_SQL = """
CREATE OR REPLACE FUNCTION routing_holder_status_count_add(body bigint, st text, delta integer)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO routing_holderstatuscount (body_id, status, n) VALUES (body, st, delta)
    ON CONFLICT (body_id, status) DO UPDATE SET n = routing_holderstatuscount.n + EXCLUDED.n
$$;

CREATE OR REPLACE FUNCTION routing_holder_status_count_sync() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_counted boolean := TG_OP <> 'INSERT'
        AND OLD.holder_body_id IS NOT NULL AND OLD.status <> 'draft';
    new_counted boolean := TG_OP <> 'DELETE'
        AND NEW.holder_body_id IS NOT NULL AND NEW.status <> 'draft';
BEGIN
    IF TG_OP = 'UPDATE' AND old_counted AND new_counted
       AND OLD.holder_body_id = NEW.holder_body_id AND OLD.status = NEW.status THEN
        RETURN NULL;
    END IF;
    IF old_counted AND new_counted
       AND (NEW.holder_body_id, NEW.status) < (OLD.holder_body_id, OLD.status) THEN
        PERFORM routing_holder_status_count_add(NEW.holder_body_id, NEW.status, 1);
        PERFORM routing_holder_status_count_add(OLD.holder_body_id, OLD.status, -1);
        RETURN NULL;
    END IF;
    IF old_counted THEN
        PERFORM routing_holder_status_count_add(OLD.holder_body_id, OLD.status, -1);
    END IF;
    IF new_counted THEN
        PERFORM routing_holder_status_count_add(NEW.holder_body_id, NEW.status, 1);
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS report_holder_status_count ON complaints_report;
CREATE TRIGGER report_holder_status_count
    AFTER INSERT OR DELETE OR UPDATE OF status, holder_body_id ON complaints_report
    FOR EACH ROW EXECUTE FUNCTION routing_holder_status_count_sync();
"""

UNINSTALL_SQL = """
DROP TRIGGER IF EXISTS report_holder_status_count ON complaints_report;
DROP FUNCTION IF EXISTS routing_holder_status_count_sync();
DROP FUNCTION IF EXISTS routing_holder_status_count_add(bigint, text, integer);
"""

REBUILD_SQL = """
DELETE FROM routing_holderstatuscount;
INSERT INTO routing_holderstatuscount (body_id, status, n)
SELECT holder_body_id, status, count(*) FROM complaints_report
WHERE holder_body_id IS NOT NULL AND status <> 'draft'
GROUP BY holder_body_id, status;
"""


def rebuild() -> None:
    """Recompute every count from the reports (one statement; locks the tallies meanwhile)."""
    with connection.cursor() as cursor:
        cursor.execute("LOCK TABLE routing_holderstatuscount IN EXCLUSIVE MODE; " + REBUILD_SQL)


def counts_for(bodies: QuerySet[Body]) -> dict[str, int]:
    """Reports held per status by ``bodies`` together (statuses with none are left out)."""
    rows = (
        HolderStatusCount.objects.filter(body__in=bodies.values("pk"), n__gt=0)
        .order_by().values("status").annotate(total=Sum("n")).values_list("status", "total")
    )
    return dict(rows)


def mismatches() -> list[tuple[int, str, int, int]]:
    """(body, status, kept, actual) wherever a kept count differs from the reports."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT coalesce(k.body_id, a.body_id), coalesce(k.status, a.status),
                   coalesce(k.n, 0), coalesce(a.n, 0)
            FROM (SELECT body_id, status, n FROM routing_holderstatuscount WHERE n <> 0) k
            FULL JOIN (SELECT holder_body_id AS body_id, status, count(*) AS n
                       FROM complaints_report
                       WHERE holder_body_id IS NOT NULL AND status <> 'draft'
                       GROUP BY 1, 2) a
              ON a.body_id = k.body_id AND a.status = k.status
            WHERE coalesce(k.n, 0) <> coalesce(a.n, 0)
            ORDER BY 1, 2
        """)
        return [tuple(row) for row in cursor.fetchall()]
