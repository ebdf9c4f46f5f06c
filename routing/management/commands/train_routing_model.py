"""manage.py train_routing_model: train a new version of the learned routing suggestion now
(the nightly Celery task calls the same service)."""

from django.core.management.base import BaseCommand, CommandParser

from routing.services.learning import train


class Command(BaseCommand):
    help = "Train the learned routing suggestion on the newest verified dispositions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=None,
                            help="newest rows to train on (default ROUTING_MODEL_MAX_ROWS)")

    def handle(self, *args: object, **options: object) -> None:
        limit = options["limit"]
        model = train(limit=limit if isinstance(limit, int) else None)
        if model is None:
            self.stdout.write("Too few verified dispositions: no model trained.")
            return
        top = (f"top-1 {model.top1:.1%}, top-3 {model.top3:.1%}, rules {model.rules_top1:.1%}"
               if model.top1 is not None and model.top3 is not None
               and model.rules_top1 is not None else "not measured")
        self.stdout.write(f"v{model.version}: {model.training_rows} rows, {model.classes} "
                          f"classes, {top}, {model.seconds:.1f} s, {model.size_bytes} bytes")
