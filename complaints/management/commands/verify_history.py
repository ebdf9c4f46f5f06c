"""manage.py verify_history: find reports whose history was altered behind the app's back."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from complaints.history import broken_histories
from complaints.models import Report


class Command(BaseCommand):
    help = "Recompute every report's event hash chain and list the reports that do not match."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--report", help="check only this tracking number")

    def handle(self, *args: object, **options: object) -> None:
        reports = None
        if options.get("report"):
            reports = Report.objects.filter(tracking_number=options["report"])
        problems = list(broken_histories(reports))
        for report_id, seq, what in problems:
            number = Report.objects.filter(pk=report_id).values_list("tracking_number", flat=True)
            self.stdout.write(f"{number.first() or report_id} event {seq}: {what}")
        if problems:
            bad = len({p[0] for p in problems})
            raise CommandError(f"{bad} report(s) with an altered history")
        self.stdout.write("every history is intact")
