"""Training the learned routing suggestion (``routing.learned``) from past dispositions, and
how often each source of suggestions was right. Called by the nightly Celery task
(``routing.train_routing_model``) and ``manage.py train_routing_model`` alike.

Training rows: the newest ``ROUTING_MODEL_MAX_ROWS`` reports a verifier dispositioned
(kind ``verification``; a trusted rule's automatic dispositions teach nothing the rule does
not already say). The label is the body that kept the report: the last body it was
redirected to, or the verifier's body when nobody redirected it (a body outside its
authority redirects, "no wrong door", so the last redirect names the body that had it)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from sklearn.pipeline import Pipeline

from complaints.models import Report
from routing import learned, rules
from routing.models import Disposition, RoutingModel, SuggestionSource

log = logging.getLogger(__name__)

MIN_ROWS = 20


@dataclass
class TrainingSet:
    rows: list[learned.Row]
    bodies: list[int]  # the label's body, per row
    rule_bodies: list[int | None]  # what the rules (as they are now) suggest, per row


def training_set(limit: int, *, label: str = "final") -> TrainingSet:
    """The newest ``limit`` verified reports, oldest first, with their label ("final": the
    body after redirects; "first": the verifier's own choice). Streamed from the database in
    chunks; one query."""
    last_redirect = Disposition.objects.filter(
        report_id=OuterRef("report_id"), kind=Disposition.Kind.REDIRECT,
    ).order_by("-created_at", "-id").values("to_body_id")[:1]
    dispositions = (
        Disposition.objects.filter(kind=Disposition.Kind.VERIFICATION)
        .order_by("-created_at", "-id")
    )
    if label == "final":
        dispositions = dispositions.annotate(
            label=Coalesce(Subquery(last_redirect), F("to_body_id"), output_field=IntegerField()))
    else:
        dispositions = dispositions.annotate(label=F("to_body_id"))
    found = dispositions.values_list(
        "report__title", "report__description", "report__category_id", "report__province_id",
        "report__regency_id", "report__district_id", "label",
    )[:limit]
    rows, bodies, places = [], [], []
    for i, (title, description, category, province, regency, district, body) in enumerate(
        found.iterator(chunk_size=5000)
    ):
        rows.append(learned.Row(title, description, category, province, regency))
        bodies.append(body)
        places.append(Report(pk=i, category_id=category, province_id=province,
                             regency_id=regency, district_id=district))
    rule_bodies: list[int | None] = []
    for start in range(0, len(places), 5000):  # the rules as they are now: one query a chunk
        chunk = places[start:start + 5000]
        chosen = rules.suggest_many(chunk)
        rule_bodies.extend(chosen[r.pk].body_id if r.pk in chosen else None for r in chunk)
    rows.reverse()
    bodies.reverse()
    rule_bodies.reverse()
    return TrainingSet(rows, bodies, rule_bodies)


@dataclass
class Evaluation:
    rows: int
    top1: float
    top3: float
    rules_top1: float
    rules_coverage: float  # share of rows for which a rule suggests anything
    seconds_per_report: list[float]


def evaluate(pipeline: Pipeline, data: TrainingSet, governments: dict[int, int],
             *, batch: int = 2000) -> Evaluation:
    """Top-1/top-3 of the model and top-1 of the rules on ``data``."""
    top1 = top3 = rule_hits = rule_any = 0
    for start in range(0, len(data.rows), batch):
        chunk = data.rows[start:start + batch]
        for i, found in enumerate(learned.ranked(pipeline, chunk, governments)):
            body = data.bodies[start + i]
            bodies = [b for b, _p in found]
            top1 += bool(bodies) and bodies[0] == body
            top3 += body in bodies
    for body, rule_body in zip(data.bodies, data.rule_bodies, strict=True):
        rule_any += rule_body is not None
        rule_hits += rule_body == body
    n = max(len(data.rows), 1)
    return Evaluation(len(data.rows), top1 / n, top3 / n, rule_hits / n, rule_any / n, [])


def split(data: TrainingSet, held_out: float) -> tuple[TrainingSet, TrainingSet]:
    """Older rows to train, the newest ``held_out`` share to test (time order, no shuffle)."""
    cut = len(data.rows) - int(len(data.rows) * held_out)
    return (
        TrainingSet(data.rows[:cut], data.bodies[:cut], data.rule_bodies[:cut]),
        TrainingSet(data.rows[cut:], data.bodies[cut:], data.rule_bodies[cut:]),
    )


def labels_of(data: TrainingSet, governments: dict[int, int]) -> list[str]:
    return [learned.label_of(b, r, governments) for b, r in zip(data.bodies, data.rows,
                                                                strict=True)]


def train(*, limit: int | None = None, held_out: float = 0.2) -> RoutingModel | None:
    """Train a new version on the newest verified dispositions: measure it on the newest
    ``held_out`` share after fitting on the older rows, then fit it on every row and store
    it. None (nothing stored) with fewer than MIN_ROWS rows or a single body."""
    limit = limit or settings.ROUTING_MODEL_MAX_ROWS
    started = time.monotonic()
    data = training_set(limit)
    governments = learned.region_governments()
    labels = labels_of(data, governments)
    if len(data.rows) < MIN_ROWS or len(set(labels)) < 2:
        log.info("routing model: %d rows, %d classes: not trained", len(data.rows),
                 len(set(labels)))
        return None
    older, newest = split(data, held_out)
    measured: Evaluation | None = None
    older_labels = labels[:len(older.rows)]
    if newest.rows and len(set(older_labels)) >= 2:
        measured = evaluate(learned.fit(older.rows, older_labels), newest, governments)
    pipeline = learned.fit(data.rows, labels)
    blob = learned.dump(pipeline)
    with transaction.atomic():
        last = RoutingModel.objects.select_for_update().order_by("-version").first()
        model = RoutingModel.objects.create(
            version=(last.version if last else 0) + 1,
            trained_at=timezone.now(),
            training_rows=len(data.rows),
            held_out_rows=measured.rows if measured else 0,
            top1=measured.top1 if measured else None,
            top3=measured.top3 if measured else None,
            rules_top1=measured.rules_top1 if measured else None,
            classes=len(pipeline.classes_),
            seconds=time.monotonic() - started,
            size_bytes=len(blob),
            pipeline=blob,
        )
    log.info("routing model v%d: %d rows, top-1 %s, %.1f s", model.version, model.training_rows,
             model.top1, model.seconds)
    return model


def taken(*, to_body_id: int, rule_body_id: int | None,
          suggestions: list[learned.Suggestion]) -> tuple[str, int | None]:
    """Which suggestion the chosen body was (the rule's first: it fills the form), and its
    rank among the learned ones (None without a learned suggestion)."""
    rank = learned.rank_of(to_body_id, suggestions) if suggestions else None
    if rule_body_id is not None and rule_body_id == to_body_id:
        return SuggestionSource.RULE, rank
    if rank == 1:
        return SuggestionSource.LEARNED_TOP1, rank
    if rank:
        return SuggestionSource.LEARNED_TOP3, rank
    return SuggestionSource.NONE, rank


def safe_suggest(report: Report) -> tuple[RoutingModel | None, list[learned.Suggestion]]:
    """The learned suggestion, or nothing if the stored model cannot be used (trained by
    another scikit-learn version, say): a suggestion never stops a verifier's work."""
    try:
        return learned.suggest(report)
    except Exception:  # noqa: BLE001 - advisory only; logged
        log.exception("routing model: no learned suggestion for report %s", report.pk)
        return None, []


@dataclass
class SourceSummary:
    """How often a source's suggestion was the body a verifier chose (and kept: not
    redirected afterwards)."""

    source: str
    label: str
    suggested: int  # dispositions where this source suggested something
    right: int  # … and its (first) suggestion was the chosen body
    kept: int  # … and the report was not redirected after
    right_top3: int | None = None  # learned only: the chosen body was among its three
    taken: int = 0  # dispositions recorded as taken from this source

    def _percent(self, n: int | None) -> str:
        return "—" if n is None or not self.suggested else f"{100 * n / self.suggested:.1f}%"

    @property
    def right_percent(self) -> str:
        return self._percent(self.right)

    @property
    def kept_percent(self) -> str:
        return self._percent(self.kept)

    @property
    def top3_percent(self) -> str:
        return self._percent(self.right_top3)


def summary(*, days: int = 90) -> list[SourceSummary]:
    """Per source (rule, learned), over the verifiers' dispositions of the last ``days``: one
    aggregate query."""
    since = timezone.now() - timedelta(days=days)
    redirected = Disposition.objects.filter(
        report_id=OuterRef("report_id"), kind=Disposition.Kind.REDIRECT,
        created_at__gt=OuterRef("created_at"),
    )
    rule_right = Q(suggested_body__isnull=False, was_overridden=False)
    counts = (
        Disposition.objects.filter(kind=Disposition.Kind.VERIFICATION, created_at__gte=since)
        .annotate(redirected=Exists(redirected))
        .aggregate(
            rule_n=Count("pk", filter=Q(suggested_body__isnull=False)),
            rule_right=Count("pk", filter=rule_right),
            rule_kept=Count("pk", filter=rule_right & Q(redirected=False)),
            rule_taken=Count("pk", filter=Q(suggestion_taken=SuggestionSource.RULE)),
            learned_n=Count("pk", filter=Q(learned_rank__isnull=False)),
            learned_right=Count("pk", filter=Q(learned_rank=1)),
            learned_kept=Count("pk", filter=Q(learned_rank=1, redirected=False)),
            learned_top3=Count("pk", filter=Q(learned_rank__gte=1)),
            learned_taken=Count("pk", filter=Q(suggestion_taken__in=(
                SuggestionSource.LEARNED_TOP1, SuggestionSource.LEARNED_TOP3))),
            none_taken=Count("pk", filter=Q(suggestion_taken=SuggestionSource.NONE)),
        )
    )
    return [
        SourceSummary(SuggestionSource.RULE, str(SuggestionSource.RULE.label),
                      counts["rule_n"], counts["rule_right"], counts["rule_kept"],
                      taken=counts["rule_taken"]),
        SourceSummary("learned", _("Riwayat disposisi"),
                      counts["learned_n"], counts["learned_right"], counts["learned_kept"],
                      right_top3=counts["learned_top3"], taken=counts["learned_taken"]),
        SourceSummary(SuggestionSource.NONE, str(SuggestionSource.NONE.label), 0, 0, 0,
                      taken=counts["none_taken"]),
    ]
