"""Backfill the statistics' rollups: ``manage.py rebuild_statistics [--from YYYY-MM-DD]
[--to YYYY-MM-DD]`` (default: from the first report received to today)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Min
from django.utils import timezone

from complaints.models import Report
from routing.services import statistics


class Command(BaseCommand):
    help = "Recompute the statistics' rollups of a range of days (the backfill)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="first", default="")
        parser.add_argument("--to", dest="last", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            first = date.fromisoformat(options["first"]) if options["first"] else None
            last = date.fromisoformat(options["last"]) if options["last"] else None
        except ValueError as exc:
            raise CommandError(f"Tanggal tidak sah: {exc}") from exc
        if first is None:
            earliest = Report.objects.aggregate(m=Min("submitted_at"))["m"]
            if earliest is None:
                self.stdout.write("Belum ada laporan.")
                return
            first = statistics.local_day(earliest)
        last = last or statistics.local_day(timezone.now())
        run = statistics.rebuild(first=first, last=last)
        self.stdout.write(f"{run.days} hari, {run.reports} laporan dihitung ulang.")
