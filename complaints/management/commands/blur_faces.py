"""manage.py blur_faces: make the public copies (faces blurred) of photos cleaned before faces
were blurred. Batch by batch until none is left; stopped half-way, it goes on where it
stopped (a photo done is done for good). The beat sweep does the same, a few each minute."""

from django.core.management.base import BaseCommand, CommandParser

from complaints.attachments import faces_pending, sweep_faces


class Command(BaseCommand):
    help = "Blur faces in the public copies of photos cleaned before faces were blurred."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=50, help="photos per batch")
        parser.add_argument("--limit", type=int, default=0,
                            help="stop after about this many photos (0: all)")

    def handle(self, *args: object, **options: object) -> None:
        batch = max(1, int(str(options["batch"])))
        limit = int(str(options["limit"]))
        totals: dict[str, int] = {}
        done = 0
        while faces_pending().exists() and (not limit or done < limit):
            counts = sweep_faces(batch=min(batch, limit - done) if limit else batch)
            if not counts:
                break
            for outcome, count in counts.items():
                totals[outcome] = totals.get(outcome, 0) + count
            done += sum(counts.values())
            self.stdout.write(f"{done} photo(s) looked at: " + ", ".join(
                f"{outcome} {count}" for outcome, count in sorted(totals.items())))
        left = faces_pending().count()
        self.stdout.write(f"done; {left} photo(s) still waiting" if left else "done")
