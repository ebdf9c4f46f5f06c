"""``generate_reports``: fill the database with a national data set of reports, their history,
clocks, dispositions, supports, notifications and the people behind them.

Steps: read the world (regions, bodies, rules, policies); with ``replace``, empty the report
tables and remove the generated accounts; create the staff and citizen accounts; set aside
the secondary indexes and foreign keys of the filled tables; draw every report's place and
moment (spread by population, more recent more frequent), then act out each report's life in
submission order and stream the rows into one COPY per table; rebuild the indexes and keys,
set the sequences, ANALYZE. Same seed and ``now``, same data.
"""

from __future__ import annotations

import math
import multiprocessing
import queue
import random
import time
import traceback
from bisect import bisect
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from asgiref.local import Local
from django.db import connection, connections, transaction

from agencies.models import Membership
from benchmarks.generation import bulk, tables
from benchmarks.generation.lifecycle import Plan, Simulator
from benchmarks.generation.people import (
    EMAIL_DOMAIN,
    REPORTS_PER_CITIZEN,
    USERS,
    Citizens,
    staff_accounts,
    staff_row,
)
from benchmarks.generation.rows import DAY, HOUR, MINUTE, to_micros
from benchmarks.generation.world import World
from routing import tallies

WINDOW_DAYS = 3 * 365
GROWTH_DAYS = 500  # reports per day grow by e each 500 days: recent ones are more frequent
WEEKEND_FACTOR = 0.55
# Reports by local hour of day (a citizen's day; a trickle at night).
HOUR_WEIGHTS = (1, 0.5, 0.3, 0.3, 0.5, 1, 2, 4, 7, 9, 10, 9, 7, 8, 8, 7, 6, 5, 5, 6, 7, 6, 4, 2)
CHUNK_REPORTS = 2000
SEGMENT_REPORTS = 50_000
MAX_SEGMENTS = 8
EVENTS_HELD = 30 * DAY  # a report's events wait this long for a later duplicate to be marked
DEFAULT_SWEEP_LAG = 30 * MINUTE

USER_TABLE = USERS.name
REPORT_TABLE = tables.REPORTS.name
FILLED = [table.name for table, _rows in tables.TABLES.values()]
# Emptied by --replace: the filled tables and what hangs off a report.
REPLACED_TABLES = (
    *FILLED, "complaints_attachment", "routing_identitydisclosure", "routing_webhookdelivery",
)


class GenerationError(Exception):
    """The database is not in a state to generate into (the message says why)."""


@dataclass
class Options:
    count: int
    seed: int = 1
    now: datetime | None = None
    replace: bool = False
    append: bool = False
    sweep_lag_minutes: int = DEFAULT_SWEEP_LAG // MINUTE
    days: int = WINDOW_DAYS
    workers: int = 2
    say: Callable[[str], None] = print


@dataclass
class Result:
    counts: dict[str, int] = field(default_factory=dict)
    statuses: Counter[str] = field(default_factory=Counter)
    timings: list[tuple[str, float]] = field(default_factory=list)
    table_lines: list[str] = field(default_factory=list)
    rebuild_steps: list[tuple[str, float]] = field(default_factory=list)


def _connect():  # noqa: ANN202 - a psycopg2 connection
    """A new connection with Django's settings (the test database during tests)."""
    return connection.get_new_connection(connection.get_connection_params())


def generate_reports(options: Options) -> Result:
    result = Result()
    say = options.say
    started = time.perf_counter()
    clock = [started]

    def lap(label: str) -> None:
        now = time.perf_counter()
        result.timings.append((label, now - clock[0]))
        clock[0] = now

    if options.replace and options.append:
        raise GenerationError("--replace and --append exclude each other.")
    now = to_micros(options.now)
    sweep_time = now - options.sweep_lag_minutes * MINUTE
    with connection.cursor() as cursor:
        leftover = bulk.pending(cursor)
    if leftover is not None:
        say("an interrupted run left indexes and keys set aside: rebuilding them first")
        bulk.rebuild(_connect, leftover, workers=options.workers)
    _check_database(options)
    references = _user_references()
    with transaction.atomic(), connection.cursor() as cursor:
        aside = bulk.set_aside(cursor, [USER_TABLE, *FILLED], referenced=[USER_TABLE])
    say(f"set aside {len(aside.indexes)} indexes and {len(aside.foreign_keys)} foreign keys")
    # The per-body tallies' trigger would run once per copied report; they are recomputed in
    # one statement at the end instead (routing.tallies.rebuild).
    _tally_trigger("DISABLE")
    try:
        if options.replace:
            _empty(references, say)
        lap("prepare (check, set aside, empty)")
        first = _first_ids()
        salt = "" if first["reports"] == 1 else f":{first['reports']}"
        world = World(rng=random.Random(f"{options.seed}{salt}:world"))
        lap("read regions, bodies, rules, policies")
        schedule = _schedule(world, random.Random(f"{options.seed}{salt}:time"), options.count,
                             now, options.days)
        citizens = _people(world, options, schedule, now, first, salt, result, say)
        lap("citizens and staff")
        shared = _Shared(
            world=world, citizens=citizens, schedule=schedule,
            bounds=_segment_bounds(len(schedule)), seed=f"{options.seed}{salt}", now=now,
            sweep_time=sweep_time, suggestions=world.suggestions(), taken=_taken_numbers(),
            first_report=first["reports"],
        )
        lap("routing suggestions for every (category, regency/city)")
        _load(shared, max(1, options.workers), first, result, say)
        lap("generate + COPY (all tables at once)")
    except BaseException:
        say("failed: rebuilding the indexes and keys that were set aside")
        bulk.rebuild(_connect, aside, workers=options.workers)
        _tally_trigger("ENABLE")
        tallies.rebuild()
        raise
    say("rebuilding indexes and validating foreign keys")
    result.rebuild_steps = bulk.rebuild(_connect, aside, workers=options.workers)
    lap("index build + foreign keys")
    with connection.cursor() as cursor:
        bulk.reset_sequences(cursor, [USER_TABLE, *FILLED])
    bulk.analyze(_connect, [USER_TABLE, *FILLED], workers=options.workers)
    lap("ANALYZE")
    _tally_trigger("ENABLE")
    tallies.rebuild()
    lap("queue tallies per body and status")
    result.timings.append(("total", time.perf_counter() - started))
    return result


def _tally_trigger(action: str) -> None:
    """Turn the per-body tallies' trigger off or on (a database migrated before it has none)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = %s", [tallies.TRIGGER])
        if cursor.fetchone():
            verb = {"DISABLE": "DISABLE", "ENABLE": "ENABLE"}[action]
            cursor.execute(f"ALTER TABLE complaints_report {verb} TRIGGER {tallies.TRIGGER}")


def _check_database(options: Options) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {REPORT_TABLE})")  # noqa: S608
        has_reports = cursor.fetchone()[0]
    if has_reports and not (options.replace or options.append):
        raise GenerationError(
            "The database already holds reports: pass --replace to start over or --append "
            "to add to them."
        )


def _user_references() -> list[tuple[str, str, bool]]:
    """(table, column, NOT NULL) of every foreign key to an account."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, a.attname, a.attnotnull
            FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'f' AND c.confrelid = %s::regclass
            ORDER BY 1, 2
            """,
            [USER_TABLE],
        )
        return cursor.fetchall()


def _empty(references: list[tuple[str, str, bool]], say: Callable[[str], None]) -> None:
    say("emptying " + ", ".join(REPLACED_TABLES) + " and removing generated accounts")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(REPLACED_TABLES)} RESTART IDENTITY CASCADE")
        _remove_generated_accounts(cursor, references)


def _remove_generated_accounts(cursor, references: list[tuple[str, str, bool]]  # noqa: ANN001
                               ) -> None:
    """Delete every ``@contoh.id`` account: rows that must point at an account go with it,
    optional references are cleared (as Django's CASCADE / SET_NULL would). The foreign keys
    are set aside meanwhile, so the delete does not check 200,000 rows one by one."""
    cursor.execute(
        f"CREATE TEMP TABLE generated_users ON COMMIT DROP AS SELECT id FROM {USER_TABLE} "  # noqa: S608
        "WHERE email LIKE %s",
        [f"%@{EMAIL_DOMAIN}"],
    )
    for table, column, not_null in references:
        if table in REPLACED_TABLES:
            continue
        if not_null:
            cursor.execute(f'DELETE FROM "{table}" WHERE "{column}" IN '  # noqa: S608
                           "(SELECT id FROM generated_users)")
        else:
            cursor.execute(f'UPDATE "{table}" SET "{column}" = NULL WHERE "{column}" IN '  # noqa: S608
                           "(SELECT id FROM generated_users)")
    cursor.execute(f"DELETE FROM {USER_TABLE} WHERE id IN (SELECT id FROM generated_users)")  # noqa: S608
    bulk.reset_sequences(cursor, [USER_TABLE])


def _first_ids() -> dict[str, int]:
    first = {}
    with connection.cursor() as cursor:
        for key, table in [("users", USER_TABLE),
                           *((k, t.name) for k, (t, _rows) in tables.TABLES.items())]:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
            first[key] = cursor.fetchone()[0]
    return first


def _taken_numbers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tracking_number FROM {REPORT_TABLE} "  # noqa: S608
                       "WHERE tracking_number IS NOT NULL")
        return {row[0] for row in cursor.fetchall()}


def _schedule(world: World, rng: random.Random, count: int, now: int,
              days: int = WINDOW_DAYS) -> list[tuple[int, int]]:
    """Every report's (submission moment, regency/city index), in time order, over the
    ``days`` before ``now``."""
    offset_wib = 7 * HOUR
    today = (now + offset_wib) // DAY  # in Jakarta
    first_day = today - days
    day_weights = []
    for day in range(first_day, today + 1):
        weight = math.exp(-(today - day) / GROWTH_DAYS)
        if (day + 3) % 7 >= 5:
            weight *= WEEKEND_FACTOR
        day_weights.append(weight)
    days = _cumulative(day_weights)
    hours = _cumulative(HOUR_WEIGHTS)
    schedule = []
    regencies = world.regencies
    for _i in range(count):
        regency = world.pick_regency(rng)
        offset = regencies[regency].province.offset
        while True:
            day = first_day + bisect(days, rng.random() * days[-1])
            hour = bisect(hours, rng.random() * hours[-1])
            moment = day * DAY + hour * HOUR + rng.randrange(HOUR) - offset
            if moment < now:
                break
        schedule.append((moment, regency))
    schedule.sort()
    return schedule


def _cumulative(weights) -> list[float]:  # noqa: ANN001
    total, result = 0.0, []
    for weight in weights:
        total += weight
        result.append(total)
    return result


def _people(world: World, options: Options, schedule: list[tuple[int, int]], now: int,
            first: dict[str, int], salt: str, result: Result,
            say: Callable[[str], None]) -> Citizens:
    """Create the staff accounts (with their memberships) and the citizens, by COPY."""
    rng = random.Random(f"{options.seed}{salt}:people")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT email FROM {USER_TABLE} WHERE email LIKE %s",  # noqa: S608
                       [f"%@{EMAIL_DOMAIN}"])
        existing = {row[0] for row in cursor.fetchall()}
        cursor.execute(f"SELECT COALESCE(MAX(substring(email from '^warga([0-9]+)@')::int), 0) "  # noqa: S608
                       f"FROM {USER_TABLE} WHERE email LIKE %s", [f"warga%@{EMAIL_DOMAIN}"])
        last_number = cursor.fetchone()[0]
    start = schedule[0][0] if schedule else now
    staff = staff_accounts(world, first_id=first["users"], existing_emails=existing)
    first_citizen = first["users"] + len(staff)
    citizens = Citizens(
        world, rng, count=max(options.count // REPORTS_PER_CITIZEN, 10), first_id=first_citizen,
        first_number=last_number + 1, start=start, now=now,
        join_times=[moment for moment, _r in schedule] or [now - DAY],
    )
    joined = start - 30 * DAY
    stream = None
    with transaction.atomic():
        stream = bulk.TableStream(_connect, USERS.name, USERS.columns)
        try:
            for account in staff:
                stream.add(staff_row(account, rng, joined=joined,
                                     time_zone=world.bodies[account.body_id].time_zone))
            for line in citizens.rows(rng):
                stream.add(line)
            stream.finish()
            stream.connection.commit()
        finally:
            stream.connection.close()
        Membership.objects.bulk_create(
            [Membership(user_id=a.uid, body_id=a.body_id, role=a.role) for a in staff],
            batch_size=1000,
        )
    world.reload_staff()
    result.counts["users"] = stream.rows
    say(f"accounts: {len(staff):,} staff, {citizens.count:,} citizens")
    return citizens


@dataclass
class _Shared:
    """What the worker processes inherit (they are forked): read-only."""

    world: World
    citizens: Citizens
    schedule: list[tuple[int, int]]
    bounds: list[int]
    seed: str
    now: int
    sweep_time: int
    suggestions: dict
    taken: set[str]
    first_report: int


_shared: _Shared | None = None


def _segment_bounds(total: int) -> list[int]:
    """Contiguous slices of the schedule, one per segment; how many depends on the count
    only, so the data do not depend on how many processes generate them."""
    segments = max(1, min(MAX_SEGMENTS, total // SEGMENT_REPORTS))
    return [total * i // segments for i in range(segments + 1)]


def _worker(worker: int, workers: int, outputs: list, ready: list) -> None:  # noqa: ANN001
    """A generating process: its share of the segments, one after the other, each once the
    loader has taken in the segment ``workers`` before it (memory stays bounded)."""
    # Fresh connection wrappers: whatever the parent still held (a test's connection inside
    # an atomic block is not really closed by close_all) must never be used, nor closed,
    # from this process. A forked process ends with os._exit, so the inherited sockets are
    # left alone.
    connections._connections = Local(connections.thread_critical)
    try:
        for segment in range(worker, len(outputs), workers):
            ready[segment].wait()
            try:
                _generate_segment(_shared, segment, outputs[segment])
            except BaseException:
                outputs[segment].put(("error", traceback.format_exc()))
                return
    finally:
        connections.close_all()  # the calendar may have opened one


def _generate_segment(shared: _Shared, segment: int, out) -> None:  # noqa: ANN001
    """Act out one segment's reports; put their COPY lines on ``out`` in batches."""
    low, high = shared.bounds[segment], shared.bounds[segment + 1]
    simulator = Simulator(
        shared.world, shared.citizens, random.Random(f"{shared.seed}:life:{segment}"),
        now=shared.now, sweep_time=shared.sweep_time, suggestions=shared.suggestions,
        taken_numbers=shared.taken, number_slot=(segment, len(shared.bounds) - 1),
    )
    held: deque[Plan] = deque()
    for begin in range(low, high, CHUNK_REPORTS):
        end = min(begin + CHUNK_REPORTS, high)
        seconds: Counter[str] = Counter()
        t0 = time.perf_counter()
        chunk = [simulator.plan(shared.first_report + i, *shared.schedule[i])
                 for i in range(begin, end)]
        seconds["simulate"] += time.perf_counter() - t0
        blocks: dict[str, tuple[bytes, int]] = {}
        for key, (_table, lines_of) in tables.TABLES.items():
            if key != "events":
                t0 = time.perf_counter()
                lines = lines_of(chunk)
                blocks[key] = ("".join(lines).encode(), len(lines))
                seconds[key] += time.perf_counter() - t0
        for plan in chunk:
            if plan.events:
                held.append(plan)
        latest = shared.schedule[end - 1][0]
        t0 = time.perf_counter()
        ready = []
        while held and (end == high or held[0].submitted_at < latest - EVENTS_HELD):
            ready.append(held.popleft())
        lines = tables.event_lines(ready)
        blocks["events"] = ("".join(lines).encode(), len(lines))
        seconds["events"] += time.perf_counter() - t0
        simulator.forget_before(latest - EVENTS_HELD + DAY)
        out.put(("batch", blocks, Counter(plan.status for plan in chunk), seconds, end - begin))
    out.put(("end",))


def _load(shared: _Shared, workers: int, first: dict[str, int], result: Result,
          say: Callable[[str], None]) -> None:
    """Generate the segments in ``workers`` forked processes; here, number the lines in
    order and stream each table to its own COPY."""
    global _shared
    _shared = shared
    context = multiprocessing.get_context("fork")
    segments = len(shared.bounds) - 1
    outputs = [context.Queue() for _i in range(segments)]
    ready = [context.Event() for _i in range(segments)]
    for segment in range(min(workers, segments)):
        ready[segment].set()
    connections.close_all()  # never share a connection with a child
    processes = [
        context.Process(target=_worker, args=(w, workers, outputs, ready), daemon=True)
        for w in range(min(workers, segments))
    ]
    for process in processes:
        process.start()
    streams = {key: bulk.TableStream(_connect, table.name, table.columns)
               for key, (table, _lines) in tables.TABLES.items()}
    seconds: Counter[str] = Counter()
    total = len(shared.schedule)
    done = 0
    started = time.perf_counter()
    next_report = started + 10
    try:
        for segment in range(segments):
            while True:
                item = _next(outputs[segment], processes)
                if item[0] == "end":
                    break
                if item[0] == "error":
                    raise GenerationError(f"generating segment {segment} failed:\n{item[1]}")
                _kind, blocks, statuses, spent, reports = item
                for key, (block, rows) in blocks.items():
                    if rows:
                        streams[key].add(block, rows)
                result.statuses.update(statuses)
                seconds.update(spent)
                done += reports
                if time.perf_counter() >= next_report:
                    elapsed = time.perf_counter() - started
                    say(f"  {done:,} / {total:,} reports ({done / elapsed:,.0f}/s, "
                        f"{elapsed:.0f} s)")
                    next_report = time.perf_counter() + 15
            if segment + workers < segments:
                ready[segment + workers].set()
        for stream in streams.values():
            stream.finish()
        for stream in streams.values():
            stream.connection.commit()
    except BaseException:
        for process in processes:
            process.terminate()
        for stream in streams.values():
            stream.abort()
        raise
    for process in processes:
        process.join()
    for stream in streams.values():
        stream.connection.close()
    elapsed = time.perf_counter() - started
    say(f"  {done:,} / {total:,} reports ({done / elapsed:,.0f}/s, {elapsed:.0f} s)")
    result.timings.append((f"  of which simulating lives (CPU s, {workers} processes)",
                           seconds["simulate"]))
    result.table_lines.append(
        f"{'table':<26}{'rows':>12}{'MB':>9}{'format s':>10}{'waited s':>10}"
        f"{'COPY done at s':>16}"
    )
    for key, stream in streams.items():
        result.counts[key] = stream.rows
        result.table_lines.append(
            f"{stream.table:<26}{stream.rows:>12,}{stream.bytes / 1e6:>9.0f}"
            f"{seconds[key]:>10.1f}{stream.wait_seconds:>10.1f}{stream.finished_after:>16.1f}"
        )


def _next(output, processes: list) -> tuple:  # noqa: ANN001
    """The next item of a segment's queue; fails if the generating processes died."""
    while True:
        try:
            return output.get(timeout=5)
        except queue.Empty:
            if not any(process.is_alive() for process in processes):
                raise GenerationError("the generating processes ended unexpectedly") from None
