"""The learned routing suggestion: which bodies past verifiers sent reports like this one to.

A scikit-learn pipeline (TF-IDF over the title and description, word and character n-grams,
with the category, province and regency/city one-hot) feeds a linear classifier
(``SGDClassifier``, log-loss) that ranks bodies. Its labels are *relative to the report's
place* where they can be: "the government of the report's regency/city", "the government of
its province", else one body (a ministry, an agency, BPJS, a unit). So what is learned in
one regency ("lampu jalan mati" goes to the regency's government) holds in every other one,
the classes are a few dozen rather than every body in the tree, and the model stays small.

This module only fits, stores and ranks; ``routing.services.learning`` picks the training
rows and saves a ``RoutingModel`` version; ``suggest`` reads the newest version, loaded once
per process and again only when a newer one is stored."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import joblib
import numpy as np
from django.db import DEFAULT_DB_ALIAS
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

from agencies.config_cache import ConfigCache
from agencies.config_cache import cache as config_cache
from agencies.models import Body
from complaints.models import Report
from routing.models import RoutingModel

REGENCY = "@regency"  # the government of the report's regency/city
PROVINCE = "@province"  # the government of the report's province
TOP = 3


@dataclass(frozen=True)
class Row:
    """What the model reads of a report (the fields a verifier sees before choosing)."""

    title: str
    description: str
    category_id: int | None
    province_id: int | None
    regency_id: int | None


@dataclass(frozen=True)
class Suggestion:
    body: Body
    confidence: float  # the model's probability, 0-1
    rank: int  # 1-3

    @property
    def percent(self) -> int:
        return round(100 * self.confidence)


def row_of(report: Report) -> Row:
    return Row(report.title or "", report.description or "", report.category_id,
               report.province_id, report.regency_id)


# Module-level, not lambdas: the fitted pipeline is pickled with references to them.
def texts(rows: Sequence[Row]) -> list[str]:
    return [f"{r.title}. {r.title}. {r.description}" for r in rows]  # the title counts twice


def places(rows: Sequence[Row]) -> list[dict[str, int]]:
    return [
        {f"c{r.category_id}": 1, f"p{r.province_id}": 1, f"r{r.regency_id}": 1} for r in rows
    ]


def make_pipeline(*, chars: bool = False, alpha: float = 1e-4,
                  max_features: int = 60_000) -> Pipeline:
    """The untrained pipeline. Indonesian has no stemmer here: character n-grams (within
    words, ``chars``) would catch "berlubang"/"lubang", "diperbaiki"/"perbaikan", but cost
    six times the fitting time for nothing measurable on the national data set (see
    benchmarks/NOTES.md), so they are off by default. ``alpha``: the regularisation; weaker
    (1e-5) overfits the words, stronger (1e-3) leans on the category alone."""
    parts: list[tuple[str, Any]] = [
        ("words", Pipeline([
            ("text", FunctionTransformer(texts)),
            ("tfidf", TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_df=0.5,
                                      sublinear_tf=True, max_features=max_features,
                                      dtype=np.float32)),
        ])),
        ("place", Pipeline([
            ("dict", FunctionTransformer(places)),
            ("onehot", DictVectorizer(dtype=np.float32)),
        ])),
    ]
    if chars:
        parts.insert(1, ("chars", Pipeline([
            ("text", FunctionTransformer(texts)),
            ("tfidf", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=3,
                                      max_df=0.5, sublinear_tf=True, max_features=max_features,
                                      dtype=np.float32)),
        ])))
    return Pipeline([
        ("features", FeatureUnion(parts)),
        ("classify", SGDClassifier(loss="log_loss", alpha=alpha, max_iter=20, tol=1e-3,
                                   n_jobs=2, random_state=0)),
    ])


def label_of(body_id: int, row: Row, governments: dict[int, int]) -> str:
    """The class of a body for a report: relative to the report's place where it can be."""
    if row.regency_id is not None and governments.get(row.regency_id) == body_id:
        return REGENCY
    if row.province_id is not None and governments.get(row.province_id) == body_id:
        return PROVINCE
    return str(body_id)


def body_of(label: str, row: Row, governments: dict[int, int]) -> int | None:
    if label == REGENCY:
        return governments.get(row.regency_id) if row.regency_id else None
    if label == PROVINCE:
        return governments.get(row.province_id) if row.province_id else None
    return int(label)


def region_governments() -> dict[int, int]:
    """Region id → the id of its active government body (province, regency or city)."""
    return config_cache.get("learned_region_governments", _load_governments)


def _load_governments() -> dict[int, int]:
    kinds = (Body.Kind.PROVINCE, Body.Kind.REGENCY, Body.Kind.CITY)
    return dict(
        Body.objects.using(DEFAULT_DB_ALIAS)
        .filter(kind__in=kinds, is_active=True, region__isnull=False)
        .order_by("-pk").values_list("region_id", "pk")
    )


def fit(rows: Sequence[Row], labels: Sequence[str], **options: Any) -> Pipeline:
    pipeline = make_pipeline(**options)
    pipeline.fit(rows, list(labels))
    for _name, part in pipeline.named_steps["features"].transformer_list:
        tfidf = part.named_steps.get("tfidf")
        if hasattr(tfidf, "stop_words_"):
            # Every term left out of the vocabulary, kept only for introspection: most of
            # the stored size (scikit-learn's documentation says it may be removed).
            del tfidf.stop_words_
    return pipeline


def ranked(pipeline: Pipeline, rows: Sequence[Row], governments: dict[int, int],
           top: int = TOP) -> list[list[tuple[int, float]]]:
    """For each row, up to ``top`` (body id, probability), best first; classes whose body does
    not exist for the row's place (no regency government) are skipped."""
    if not rows:
        return []
    probabilities = pipeline.predict_proba(rows)
    classes = pipeline.classes_
    order = np.argsort(-probabilities, axis=1)[:, : top + 2]
    result = []
    for i, row in enumerate(rows):
        found: list[tuple[int, float]] = []
        for j in order[i]:
            body = body_of(str(classes[j]), row, governments)
            if body is not None and all(body != b for b, _p in found):
                found.append((body, float(probabilities[i, j])))
            if len(found) == top:
                break
        result.append(found)
    return result


def dump(pipeline: Pipeline) -> bytes:
    buffer = io.BytesIO()
    joblib.dump(pipeline, buffer, compress=3)
    return buffer.getvalue()


def load(data: bytes) -> Pipeline:
    # Only ever bytes this application wrote itself (RoutingModel.pipeline), never an upload.
    return joblib.load(io.BytesIO(data))  # noqa: S301


def _latest() -> int:
    """The id of the newest version's row (ids are never given twice, even after a rollback,
    so a copy loaded under one id is never taken for another row)."""
    return (RoutingModel.objects.using(DEFAULT_DB_ALIAS).order_by("-version")
            .values_list("pk", flat=True).first()) or 0


# The newest model, per process: loaded once, again when a newer version is stored.
_models = ConfigCache(version=_latest)


def current_model() -> tuple[RoutingModel, Pipeline] | None:
    """The newest stored model and its pipeline, or None when none was trained yet."""
    return _models.get("model", _load_current)


def _load_current() -> tuple[RoutingModel, Pipeline] | None:
    model = RoutingModel.objects.using(DEFAULT_DB_ALIAS).order_by("-version").first()
    if model is None:
        return None
    return model, load(bytes(model.pipeline))


def suggest(report: Report) -> tuple[RoutingModel | None, list[Suggestion]]:
    """The learned model that is current and its top 3 bodies for ``report`` (none without a
    model). Inactive bodies are left out."""
    loaded = current_model()
    if loaded is None:
        return None, []
    model, pipeline = loaded
    found = ranked(pipeline, [row_of(report)], region_governments())[0]
    bodies = Body.objects.in_bulk([b for b, _p in found])
    return model, [
        Suggestion(bodies[b], p, rank)
        for rank, (b, p) in enumerate(((b, p) for b, p in found
                                       if b in bodies and bodies[b].is_active), start=1)
    ]


def rank_of(body_id: int, suggestions: Iterable[Suggestion]) -> int:
    """Where ``body_id`` stands among the suggestions (1-3), 0 when it is not among them."""
    return next((s.rank for s in suggestions if s.body.pk == body_id), 0)
