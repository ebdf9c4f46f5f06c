"""manage.py enforce_deadlines: run one deadline sweep by hand."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_datetime

from routing.sweep import enforce_deadlines


class Command(BaseCommand):
    help = "Breach every clock that is due (as of --now) and apply its policy, once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="replay as of this moment (ISO 8601, with zone)")
        parser.add_argument("--dry-run", action="store_true",
                            help="print what would happen, change nothing")

    def handle(self, *args: object, **options: object) -> None:
        now = None
        if options["now"]:
            now = parse_datetime(str(options["now"]))
            if now is None or now.tzinfo is None:
                raise CommandError("--now must be an ISO 8601 time with a zone, "
                                   "e.g. 2026-05-01T09:00:00+07:00")
        result = enforce_deadlines(now, dry_run=bool(options["dry_run"]))
        for line in result.lines():
            self.stdout.write(line)
