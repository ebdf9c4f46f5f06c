"""The deadline sweep does work per due clock and due warning, not per running clock.

Times ``enforce_deadlines(now)`` over two scenarios with the same number of due clocks and due
warnings: a SMALL one (10,000 open reports, each with a running follow-up clock and its two
warnings, 10 and 3 working days before; 1,000 clocks due, and 1,000 other clocks whose last
warning is due) and a LARGE one (1,000,000 open reports, clocks and 2,000,000 warning rows,
the same 1,000 + 1,000 due), and prints both times, their ratio (target <= 1.5), the cost per
due clock and per due warning, and the EXPLAIN (ANALYZE, BUFFERS) of the sweep's two selection
queries (the ``SELECT ... FOR UPDATE ... SKIP LOCKED`` of one batch of clocks, then of
warnings), which should read ``clock_sweep_idx`` and ``clock_warning_sweep_idx``.

Builds a scratch database (``<DATABASE_URL's name>_sweepbench``), migrates it, loads the tree,
then per scenario fills the reports and clocks with SQL (generate_series), runs VACUUM ANALYZE
and a CHECKPOINT (so that neither autovacuum nor a checkpoint nor first-read hint-bit writes
land inside the timed sweep), and times one sweep. A tiny warm-up sweep runs first so that the
small scenario does not pay the process's first-call costs. Every due clock is a follow-up
clock, whose breach escalates its report to the Ombudsman: the same real work per due clock in
both scenarios; every due warning is the last warning of a follow-up clock due tomorrow, sent
in the app and by email to the holder's operators and the supervisors above (the scratch
database has no members, so the recipients' query runs and finds nobody, in both scenarios).
The warnings of the breached clocks were sent before; every other clock's two warnings are
still ahead (pending, in the warning index). Exits 0 whatever the figures (it is a benchmark).
Run:

    .venv/bin/python -m benchmarks.sweep_ratio [--large 1000000] [--small 10000] [--due 1000]
        [--warn-due 1000]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from benchmarks.scratch import scratch_database

TARGET_RATIO = 1.5
SLOW_BUILD_SECONDS = 300


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--warn-due", type=int, default=None,
                        help="warnings due (default: as many as --due)")
    parser.add_argument("--json", help="also write the figures to this file (for benchmarks/)")
    args = parser.parse_args()
    if args.warn_due is None:
        args.warn_due = args.due
    if not (0 < args.due and 2 * max(args.due, args.warn_due) <= args.small <= args.large):
        parser.error("need 0 < --due, 2 × max(--due, --warn-due) <= --small <= --large")
    started = time.perf_counter()
    bench_name = scratch_database("sweepbench")
    from django.db import DatabaseError, connection, transaction
    from django.utils import timezone

    from agencies.models import Body
    from complaints.models import Category
    from routing import tallies
    from routing.models import DeadlinePolicy
    from routing.sweep import due_clocks, due_warnings, enforce_deadlines

    holder = Body.objects.get(source_key="regency-33.74")
    category = Category.objects.get(slug="infrastruktur").pk
    policy = DeadlinePolicy.objects.get(clock="follow_up", is_current=True).pk
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM agencies_region WHERE code IN ('33', '33.74') ORDER BY code")
        province, regency = (row[0] for row in cursor.fetchall())
    print(f"scratch database {bench_name}: migrated and tree loaded in "
          f"{time.perf_counter() - started:.1f} s")

    def build(prefix: str, reports: int, due: int, warn_due: int) -> float:
        """``reports`` open reports at the holder, one running follow-up clock each, ``due`` of
        them (every ``step``-th, so spread over the table) already past their due time; two
        warning rows per clock, ``warn_due`` last warnings due now (every ``step``-th from
        ``step // 2``, their clocks due tomorrow), the others sent (the breached clocks') or
        ahead."""
        step = reports // due
        warn_step = reports // warn_due
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            # A million-row INSERT would update the same per-body tally a million times in
            # one transaction; bulk loads recompute the tallies once instead (as
            # generate_reports does).
            cursor.execute(f"ALTER TABLE complaints_report DISABLE TRIGGER {tallies.TRIGGER}")
            cursor.execute(
                """
                INSERT INTO complaints_report (
                    tracking_number, kind, title, description, category_id, province_id,
                    regency_id, is_anonymous, is_confidential, status, contact_name,
                    contact_email, contact_phone, channel, support_count, rating_comment,
                    created_at, updated_at, submitted_at, version, holder_body_id, held_since,
                    first_dispositioned_at, due_at, due_clock_kind, rejection_reason)
                SELECT %s || lpad(g::text, 12, '0'), 'complaint', 'Laporan uji ' || g,
                       'Jalan rusak nomor ' || g, %s, %s, %s, false, false, 'in_progress',
                       '', '', '', 'web', 0, '', now() - interval '90 days',
                       now() - interval '90 days', now() - interval '90 days', 1, %s,
                       now() - interval '89 days', now() - interval '89 days',
                       CASE WHEN g %% %s = 0 AND g <= %s
                            THEN now() - interval '1 hour' - (g / %s || ' minutes')::interval
                            ELSE now() + interval '1 day' + (g %% 86400 || ' minutes')::interval
                       END,
                       'follow_up', ''
                FROM generate_series(1, %s) AS g
                """,
                [prefix, category, province, regency, holder.pk, step, step * due, step,
                 reports],
            )
            cursor.execute(
                """
                INSERT INTO routing_clock (report_id, kind, body_id, policy_id, state,
                                           started_at, due_at, sweep_after, failures, outcome)
                SELECT id, 'follow_up', holder_body_id, %s, 'running', first_dispositioned_at,
                       due_at, due_at, 0, ''
                FROM complaints_report ORDER BY id
                """,
                [policy],
            )
            cursor.execute(
                """
                INSERT INTO routing_clockwarning (clock_id, before, is_last, send_at, state,
                                                  sent_at, failures)
                SELECT c.id, w.before, w.before = 3,
                       CASE WHEN c.due_at <= now() THEN c.due_at - interval '5 days'
                            -- the first warning of a clock warned now went out days ago:
                            -- before its last warning (now - 1 hour), never between that
                            -- and now, where the sweep would take it for a later warning
                            -- and drop the last one as superseded
                            WHEN w.before = 10 AND c.warned THEN now() - interval '5 days'
                            WHEN c.warned THEN now() - interval '1 hour'
                            ELSE c.due_at - (w.before * interval '2 hours')
                       END,
                       CASE WHEN c.due_at <= now() OR (w.before = 10 AND c.warned)
                            THEN 'sent' ELSE 'pending' END,
                       CASE WHEN c.due_at <= now() THEN c.due_at - interval '5 days'
                            WHEN w.before = 10 AND c.warned THEN now() - interval '5 days'
                       END,
                       0
                FROM (SELECT id, due_at,
                             (row_number() OVER (ORDER BY id)) %% %s = %s
                             AND row_number() OVER (ORDER BY id) <= %s AS warned
                      FROM routing_clock) AS c
                CROSS JOIN (VALUES (10), (3)) AS w(before)
                """,
                [warn_step, warn_step // 2, warn_step * warn_due],
            )
            cursor.execute(f"ALTER TABLE complaints_report ENABLE TRIGGER {tallies.TRIGGER}")
            tallies.rebuild()
            cursor.execute("VACUUM ANALYZE complaints_report")
            cursor.execute("VACUUM ANALYZE routing_clock")
            cursor.execute("VACUUM ANALYZE routing_clockwarning")
            try:
                cursor.execute("CHECKPOINT")
            except DatabaseError:  # not a superuser: the figures are a little noisier
                pass
        return time.perf_counter() - t0

    def reset() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE complaints_report, routing_clock, complaints_reportevent, "
                "complaints_notification, routing_webhookdelivery CASCADE"
            )

    def counts(now: object) -> tuple[int, int, int, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*), count(*) FILTER (WHERE sweep_after <= %s) FROM routing_clock "
                "WHERE state = 'running'",
                [now],
            )
            running, due = cursor.fetchone()
            cursor.execute(
                "SELECT count(*), count(*) FILTER (WHERE send_at <= %s) "
                "FROM routing_clockwarning WHERE state = 'pending'",
                [now],
            )
            pending, warnings_due = cursor.fetchone()
        return running, due, pending, warnings_due

    def explain(now: object, which: str = "clocks") -> str:
        """The plan of one batch's selection, exactly as the sweep sends it; rolled back."""
        with transaction.atomic():
            if which == "clocks":
                batch = (due_clocks(now).select_for_update(skip_locked=True, of=("self",))
                         .select_related("policy", "body")[:200])
            else:
                batch = (due_warnings(now).select_for_update(skip_locked=True, of=("self",))
                         .select_related("clock", "clock__body", "clock__policy")[:200])
            sql, params = batch.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            transaction.set_rollback(True)
        return plan

    # Warm-up: the first sweep of a process pays for translations, templates and the
    # connection's catalog caches; keep that out of the small scenario.
    build("W", 100, 10, 10)
    enforce_deadlines(timezone.now())
    reset()

    results = []
    for name, prefix, reports in (("small", "S", args.small), ("large", "L", args.large)):
        if results:
            reset()
        build_seconds = build(prefix, reports, args.due, args.warn_due)
        now = timezone.now()
        running, due, pending, warnings_due = counts(now)
        slow = "  (over 5 minutes!)" if build_seconds > SLOW_BUILD_SECONDS else ""
        print(f"{name}: built {reports:,} reports, {running:,} running clocks ({due:,} due) "
              f"and {pending:,} pending warnings ({warnings_due:,} due) in "
              f"{build_seconds:.1f} s{slow}")
        plan = explain(now)
        warning_plan = explain(now, "warnings")
        t0 = time.perf_counter()
        outcome = enforce_deadlines(now)
        seconds = time.perf_counter() - t0
        breached = sum(outcome.breached.values())
        warned = sum(outcome.warned.values())
        print(f"{name}: sweep {seconds:.2f} s — " + "; ".join(outcome.lines()))
        results.append({"name": name, "reports": reports, "due": due, "breached": breached,
                        "warnings_due": warnings_due, "warned": warned,
                        "dropped": outcome.dropped_warnings,
                        "failed": outcome.failed, "seconds": seconds, "plan": plan,
                        "warning_plan": warning_plan, "build": build_seconds})

    print()
    header = (f"{'scenario':<9} {'open reports':>13} {'due':>6} {'breached':>9} "
              f"{'warned':>7} {'sweep s':>9} {'ms/clock':>9} {'select ms':>10} "
              f"{'warn sel ms':>11}")
    print(header)
    print("-" * len(header))

    def execution_ms(plan: str) -> str:
        match = re.search(r"Execution Time: ([\d.]+) ms", plan)
        return match.group(1) if match else "?"

    for row in results:
        handled = row["breached"] + row["warned"]
        # The per-clock cost: the sweep's time over every clock it breached or warned about.
        per_clock = row["seconds"] * 1000 / handled if handled else float("nan")
        print(f"{row['name']:<9} {row['reports']:>13,} {row['due']:>6,} {row['breached']:>9,} "
              f"{row['warned']:>7,} {row['seconds']:>9.2f} {per_clock:>9.2f} "
              f"{execution_ms(row['plan']):>10} {execution_ms(row['warning_plan']):>11}")
    small, large = results
    ratio = large["seconds"] / small["seconds"]
    print(f"\nratio large/small: {ratio:.2f} (target <= {TARGET_RATIO})")
    for row in results:
        print(f"\nEXPLAIN (ANALYZE, BUFFERS) of the sweep's selection, {row['name']} "
              f"({row['reports']:,} running clocks, first batch of 200):\n{row['plan']}")
        print(f"\nEXPLAIN (ANALYZE, BUFFERS) of the warnings' selection, {row['name']} "
              f"(first batch of 200):\n{row['warning_plan']}")
    uses_index = all("clock_sweep_idx" in row["plan"] for row in results)
    seq_scan = any("Seq Scan on routing_clock " in row["plan"] for row in results)
    print("\nselection reads clock_sweep_idx:", "yes" if uses_index and not seq_scan else "NO")
    warning_index = all("clock_warning_sweep_idx" in row["warning_plan"] for row in results)
    warning_seq = any("Seq Scan on routing_clockwarning" in row["warning_plan"]
                      for row in results)
    print("warnings' selection reads clock_warning_sweep_idx:",
          "yes" if warning_index and not warning_seq else "NO")
    complete = all(row["breached"] == row["due"] and row["warned"] == row["warnings_due"]
                   and not row["failed"] for row in results)
    if not complete:
        print("WARNING: not every due clock was breached, or due warning sent, exactly once "
              "(see counts above)")
    if args.json:
        selects = [re.search(r"Execution Time: ([\d.]+) ms", row["plan"]) for row in results]
        Path(args.json).write_text(json.dumps({
            "due": args.due, "small": small["reports"], "large": large["reports"],
            "small_seconds": small["seconds"], "large_seconds": large["seconds"],
            "ratio": ratio, "complete": complete, "warn_due": args.warn_due,
            "small_ms_per_clock": small["seconds"] * 1000 / max(
                small["breached"] + small["warned"], 1),
            "large_ms_per_clock": large["seconds"] * 1000 / max(
                large["breached"] + large["warned"], 1),
            "small_select_ms": selects[0].group(1) if selects[0] else "?",
            "large_select_ms": selects[1].group(1) if selects[1] else "?",
        }))
    verdict = "PASS" if ratio <= TARGET_RATIO else "MISS"
    print(f"\n{verdict}: large/small = {ratio:.2f}, target <= {TARGET_RATIO}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
