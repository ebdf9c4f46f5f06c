"""manage.py generate_reports --count N: a realistic national data set for benchmarks (see
``complaints.generation``)."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError, CommandParser

from complaints.generation.run import GenerationError, Options, generate_reports

JAKARTA = ZoneInfo("Asia/Jakarta")


def _moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=JAKARTA)


class Command(BaseCommand):
    help = (
        "Fill the database with N generated citizens' reports (history, clocks, dispositions, "
        "supports, notifications, accounts), spread over Indonesia by population."
    )

    def add_arguments(self, parser: CommandParser) -> None:
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

    def handle(self, *args: object, **options: object) -> None:
        count = options["count"]
        if count < 1 or options["days"] < 1 or options["workers"] < 1:
            raise CommandError("--count, --days and --workers must be at least 1.")
        now = options["now"] or datetime.combine(datetime.now(JAKARTA).date(), time(0),
                                                 tzinfo=JAKARTA)
        say = self.stdout.write
        say(f"generating {count:,} reports, seed {options['seed']}, ending {now.isoformat()}")
        try:
            result = generate_reports(Options(
                count=count, seed=options["seed"], now=now, replace=options["replace"],
                append=options["append"], sweep_lag_minutes=options["sweep_lag_minutes"],
                days=options["days"], workers=options["workers"], say=say,
            ))
        except GenerationError as exc:
            raise CommandError(str(exc)) from exc
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
