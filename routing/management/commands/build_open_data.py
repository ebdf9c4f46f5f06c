"""Build today's open data set (/data-terbuka/) now: ``manage.py build_open_data [--force]``.
The same service as the daily Celery task; without ``--force`` a day already built is kept."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from routing import opendata_files


class Command(BaseCommand):
    help = "Write today's open data set (reports, data dictionary, licence, statistics)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true",
                            help="Build again even when today's set exists.")

    def handle(self, *args: Any, **options: Any) -> None:
        manifest = opendata_files.build(force=options["force"])
        if manifest is None:
            self.stdout.write("Data terbuka sedang dibuat oleh proses lain.")
            return
        folder = opendata_files.root() / manifest["date"]
        self.stdout.write(f"{manifest['date']}: {manifest['reports']} laporan, "
                          f"{len(manifest['files'])} berkas di {folder}")
