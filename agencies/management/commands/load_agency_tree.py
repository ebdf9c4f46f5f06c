"""manage.py load_agency_tree: load or refresh regions and bodies from agencies/data."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from agencies.tree_loader import DATA_DIR, load_agency_tree


class Command(BaseCommand):
    help = "Load or refresh the region tree and the tree of bodies (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data-dir", type=Path, default=DATA_DIR)

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_agency_tree(options["data_dir"])
        for line in report.lines():
            self.stdout.write(line)
