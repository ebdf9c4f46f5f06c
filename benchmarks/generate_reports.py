"""``python -m benchmarks.generate_reports --count N``: a realistic national data set for the
benchmarks (see ``benchmarks.generation``), written into the database of ``DATABASE_URL``.

    .venv/bin/python -m benchmarks.generate_reports --count N [--seed S] [--now …] [--days D]
        [--replace | --append] [--sweep-lag-minutes M] [--workers W]

A refusal (bad arguments, a database that already holds reports) is one sentence on stderr
and exit status 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, time
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")


def _moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=JAKARTA)


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate_reports",
        description=(
            "Fill the database with N generated citizens' reports (history, clocks, "
            "dispositions, supports, notifications, accounts), spread over Indonesia by "
            "population."
        ),
    )
    parser.add_argument("--count", type=int, required=True, help="number of reports")
    parser.add_argument("--seed", type=int, default=1, help="same seed, same data (1)")
    parser.add_argument(
        "--now", type=_moment,
        help="the moment the data set ends, ISO (naive: Asia/Jakarta); "
             "default today 00:00 in Jakarta",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--replace", action="store_true",
                      help="empty the report tables and generated accounts first")
    mode.add_argument("--append", action="store_true",
                      help="add to a database that already holds reports")
    parser.add_argument("--days", type=int, default=3 * 365,
                        help="how far back the reports go (1095: three years)")
    parser.add_argument("--sweep-lag-minutes", type=int, default=30,
                        help="the deadline sweep last ran this long before --now (30)")
    parser.add_argument("--workers", type=int, default=2,
                        help="processes that generate, connections that rebuild (2)")
    return parser


def main(argv: Sequence[str] | None = None, *, say: Callable[[str], None] = print) -> int:
    """Generate, print what was written; 2 (with the reason on stderr) when refused. ``say``
    receives every line of the report (``print`` by default)."""
    args = parser().parse_args(argv)
    if args.count < 1 or args.days < 1 or args.workers < 1:
        return _refuse("--count, --days and --workers must be at least 1.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
    import django

    django.setup()
    from benchmarks.generation.run import GenerationError, Options, generate_reports

    now = args.now or datetime.combine(datetime.now(JAKARTA).date(), time(0), tzinfo=JAKARTA)
    say(f"generating {args.count:,} reports, seed {args.seed}, ending {now.isoformat()}")
    try:
        result = generate_reports(Options(
            count=args.count, seed=args.seed, now=now, replace=args.replace,
            append=args.append, sweep_lag_minutes=args.sweep_lag_minutes, days=args.days,
            workers=args.workers, say=say,
        ))
    except GenerationError as exc:
        return _refuse(str(exc))
    say("")
    say("rows per table:")
    for line in result.table_lines:
        say("  " + line)
    say(f"  {'agencies_user (generated)':<26}{result.counts.get('users', 0):>12,}")
    say("status mix:")
    total = sum(result.statuses.values()) or 1
    for status, n in result.statuses.most_common():
        say(f"  {status:<16}{n:>12,}  {100 * n / total:5.1f} %")
    say("slowest rebuild steps:")
    for label, seconds in sorted(result.rebuild_steps, key=lambda s: -s[1])[:8]:
        say(f"  {label:<60}{seconds:8.1f} s")
    say("timing:")
    for label, seconds in result.timings:
        say(f"  {label:<60}{seconds:8.1f} s")
    return 0


def _refuse(message: str) -> int:
    """What a management command does with a CommandError: the message on stderr, status 2."""
    print(f"error: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
