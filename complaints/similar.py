"""Similar reports: the public reports near a report being filed that look like it (shown to
the citizen before submitting, with "Dukung laporan ini"), and the likely duplicates of a new
report (shown to its verifier, with their score and a one-click merge).

The cost is bounded whatever the size of the table. Candidates are first restricted, through
the partial index ``report_similar_idx`` (regency, category, submitted_at DESC, over the
open, non-duplicate reports), to the newest ``CANDIDATES`` reports of the same regency and
category submitted in the last ``RECENT_DAYS`` days; only those are scored, by trigram
similarity of the titles (pg_trgm), trigram word similarity of the typed words within the
title, full-text rank of the typed words against the report's search vector, and a bonus for
the same kecamatan.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    TrigramSimilarity,
    TrigramWordSimilarity,
)
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Greatest, Least
from django.utils import timezone

from agencies.models import User
from complaints import redaction
from complaints.models import OPEN_STATUSES, Report, ReportStatus, Support

SEARCH_CONFIG = "indonesian"
LIMIT = 5
CANDIDATES = 300
RECENT_DAYS = 365
# Below this score a report is not "similar" (tuned on the tests' examples: a report about
# another thing in the same regency and category scores under 0.15, with the kecamatan bonus).
THRESHOLD = 0.25
WORDS_MAX = 12
MIN_WORD = 3
# The public reports a citizen may be pointed to: open, verified and public.
PUBLIC_OPEN_STATUSES = (
    ReportStatus.DISPOSITIONED, ReportStatus.IN_PROGRESS, ReportStatus.RESOLVED,
)
# Every status the index covers (a new report's duplicates may be new reports too).
INDEXED_STATUSES = tuple(s.value for s in OPEN_STATUSES)

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Typed:
    """What the citizen has typed so far (or a new report's own fields)."""

    title: str
    description: str
    category_id: int | None
    regency_id: int | None
    district_id: int | None

    @property
    def is_enough(self) -> bool:
        return bool(self.category_id and self.regency_id and _words(self.title + " "
                                                                   + self.description))


@dataclass(frozen=True)
class SimilarReport:
    id: int
    tracking_number: str
    title: str
    status: str
    status_label: str
    district_name: str
    regency_name: str
    support_count: int
    submitted_at: datetime
    score: float
    is_supported: bool
    may_support: bool


def _words(text: str) -> list[str]:
    """Distinct words of ``text`` (letters and digits only: safe in a raw tsquery)."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(text.lower()):
        word = word.replace("_", "")
        if len(word) >= MIN_WORD and not word.isdigit():
            seen.setdefault(word, None)
    return list(seen)[:WORDS_MAX]


def candidates(typed: Typed, *, statuses: tuple[str, ...], now: datetime | None = None
               ) -> QuerySet[Report]:
    """The bounded candidate set: newest reports of the same regency and category, through
    ``report_similar_idx`` (its condition is implied by ``statuses`` ⊆ the open statuses)."""
    since = (now or timezone.now()) - timedelta(days=RECENT_DAYS)
    return Report.objects.filter(
        Q(regency_id=typed.regency_id), Q(category_id=typed.category_id),
        status__in=list(statuses), duplicate_of__isnull=True, submitted_at__gte=since,
    ).order_by("-submitted_at")


def _scored(typed: Typed, pool: QuerySet[Report], *, public: bool) -> QuerySet[Report]:
    """``pool`` scored against what was typed: against the public copy (``public``: what a
    citizen may be shown, so that words a verifier took out, or masked personal data, match
    nothing) or against the original (the verifier's duplicates)."""
    words = _words(typed.title + " " + typed.description)
    title = typed.title.strip() or " ".join(words[:8])
    ids = pool.values("id")[:CANDIDATES]
    title_field = "public_title" if public else "title"
    rank = SearchRank(F("public_search_vector" if public else "search_vector"),
                      SearchQuery(" | ".join(words), config=SEARCH_CONFIG, search_type="raw"))
    same_district = Case(When(district_id=typed.district_id, then=Value(0.15)),
                         default=Value(0.0), output_field=FloatField())
    return (
        Report.objects.filter(pk__in=ids)
        .annotate(
            title_similarity=Greatest(TrigramSimilarity(title_field, title),
                                      TrigramWordSimilarity(title, title_field)),
            text_rank=Cast(Least(Cast(rank, FloatField()) * Value(4.0), Value(1.0)),
                           FloatField()),
        )
        # 0–1: the title weighs most, then the words anywhere, then the same kecamatan
        .annotate(score=Cast(F("title_similarity") * Value(0.55) + F("text_rank") * Value(0.3)
                             + same_district, FloatField()))
        .filter(score__gte=THRESHOLD)
        .select_related("regency", "district")
        .order_by("-score", "-submitted_at", "-id")
    )


def _row(report: Report, supported: set[int], viewer: User | None, *, public: bool
         ) -> SimilarReport:
    assert report.submitted_at is not None  # candidates are submitted reports
    is_supported = report.pk in supported
    title = redaction.localised(report.public_title) if public else report.title
    return SimilarReport(
        id=report.pk, tracking_number=report.tracking_number or "", title=title,
        status=report.status, status_label=str(report.get_status_display()),
        district_name=report.district.name if report.district else "",
        regency_name=report.regency.name if report.regency else "",
        support_count=report.support_count, submitted_at=report.submitted_at,
        score=round(float(getattr(report, "score", 0.0)), 2), is_supported=is_supported,
        may_support=(viewer is not None and report.is_public and not is_supported
                     and report.reporter_id != viewer.pk),
    )


def similar_public_reports(typed: Typed, *, viewer: User | None = None,
                           exclude_id: int | None = None) -> list[SimilarReport]:
    """Up to five public, open reports near what the citizen typed that look like it (none
    while the category, the regency or any word is missing). No reporter identity."""
    if not typed.is_enough:
        return []
    pool = candidates(typed, statuses=tuple(s.value for s in PUBLIC_OPEN_STATUSES)).filter(
        is_confidential=False)
    if exclude_id is not None:
        pool = pool.exclude(pk=exclude_id)
    found = list(_scored(typed, pool, public=True)[:LIMIT])
    supported: set[int] = set()
    if viewer is not None and found:
        supported = set(Support.objects.filter(
            user=viewer, report_id__in=[r.pk for r in found]).values_list("report_id", flat=True))
    return [_row(r, supported, viewer, public=True) for r in found]


def typed_from(values: Mapping[str, object]) -> Typed:
    """What the citizen has typed, from a form's (or the API's) parsed values."""
    def pk(name: str) -> int | None:
        value = values.get(name)
        return getattr(value, "pk", None)

    return Typed(
        title=str(values.get("title") or ""), description=str(values.get("description") or ""),
        category_id=pk("category"), regency_id=pk("regency"), district_id=pk("district"),
    )


def typed_of(report: Report) -> Typed:
    return Typed(title=report.title, description=report.description,
                 category_id=report.category_id, regency_id=report.regency_id,
                 district_id=report.district_id)


def likely_duplicates(report: Report) -> list[SimilarReport]:
    """For the verifier: up to five open reports (new ones too, confidential ones too: the
    verifier may see them) that may be the same as ``report``, best score first; each
    submitted before it or, when both are new, either way."""
    typed = typed_of(report)
    if not typed.is_enough:
        return []
    pool = candidates(typed, statuses=INDEXED_STATUSES).exclude(pk=report.pk).exclude(
        Q(duplicate_of_id=report.pk))
    found = _scored(typed, pool, public=False)[:LIMIT]
    return [_row(r, set(), None, public=False) for r in found]
