"""Similar reports: the public reports near a report being filed that look like it (shown to
the citizen before submitting, with "Dukung laporan ini"), and the likely duplicates of a new
report (shown to its verifier, with their score and a one-click merge).

The cost is bounded whatever the size of the table. Candidates are first restricted, through
the partial index ``report_similar_idx`` (regency, category, submitted_at DESC, over the
open, non-duplicate reports), to the newest ``CANDIDATES`` reports of the same regency and
category submitted in the last ``RECENT_DAYS`` days; only those are scored, by trigram
similarity of the titles (pg_trgm), full-text rank of the typed words against the report's
search vector, and a bonus for the same kecamatan. The statement is prepared once per
database connection (``lapor.prepared``).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from agencies.models import User
from complaints import redaction
from complaints.models import OPEN_STATUSES, VERIFIED_STATUSES, Report, ReportStatus
from lapor.errors import DomainError
from lapor.prepared import PreparedStatement

SEARCH_CONFIG = "indonesian"
LIMIT = 5
CANDIDATES = 150
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


class SimilarFirst(DomainError):
    """A submission held back by the step before submitting: similar public reports the
    citizen has not been shown (the API's answer lists them, with the draft kept)."""

    status = 409
    code = "similar_reports"


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


def lookup_statement(typed: Typed, *, statuses: tuple[str, ...], public: bool,
                     exclude_id: int | None = None, now: datetime | None = None,
                     viewer_id: int | None = None) -> tuple[str, dict[str, Any]]:
    """The SQL (as written, with named parameters) and the parameters of ``_lookup``."""
    statement, params = _lookup(typed, statuses=statuses, public=public,
                                exclude_id=exclude_id, now=now, viewer_id=viewer_id)
    return statement.named_sql, params


def _lookup(typed: Typed, *, statuses: tuple[str, ...], public: bool,
            exclude_id: int | None = None, now: datetime | None = None,
            viewer_id: int | None = None) -> tuple[PreparedStatement, dict[str, Any]]:
    """The statement and parameters of the best ``LIMIT`` rows for ``typed``, best first (the
    columns ``_row`` reads): one statement written
    here (the ORM spent more of the web process's CPU building it than PostgreSQL spent
    running it). Candidates: the newest ``CANDIDATES`` reports of the same regency and
    category in ``statuses`` (a subset of the open ones, so ``report_similar_idx`` holds them
    in that order). Each is scored once against what was typed: against the public copy
    (``public``: what a citizen may be shown, so that words a verifier took out, or masked
    personal data, match nothing) or the original (the verifier's duplicates); only the best
    five are joined to their places and to whether ``viewer_id`` supports them."""
    words = _words(typed.title + " " + typed.description)
    title = typed.title.strip() or " ".join(words[:8])
    params = {
        "title": title, "config": SEARCH_CONFIG, "words": " | ".join(words),
        "district": typed.district_id, "regency": typed.regency_id,
        "category": typed.category_id,
        "since": (now or timezone.now()) - timedelta(days=RECENT_DAYS),
        "exclude": exclude_id, "viewer": viewer_id,
    }
    statement = _statement(statuses=_values(statuses), public=public,
                           excluding=exclude_id is not None)
    return statement, params


_TYPES = {
    "title": "text", "config": "text", "words": "text", "district": "integer",
    "regency": "integer", "category": "integer", "since": "timestamptz",
    "exclude": "integer", "viewer": "integer",
}
_STATUS = re.compile(r"[a-z_]+")


def _values(statuses: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(str(getattr(status, "value", status)) for status in statuses)


@functools.cache
def _statement(*, statuses: tuple[str, ...], public: bool, excluding: bool
               ) -> PreparedStatement:
    title_column, vector = (("public_title", "public_search_vector") if public
                            else ("title", "search_vector"))
    only_public = "AND NOT c.is_confidential" if public else ""
    not_itself = "AND c.id <> %(exclude)s" if excluding else ""
    # Names, clauses and the statuses are this module's constants, written into the statement
    # (so that PostgreSQL sees the statuses within report_similar_idx's and keeps one plan
    # through it for every value: planning cost it more than running); what was typed and
    # who asks are parameters.
    if not all(_STATUS.fullmatch(status) for status in statuses):
        raise ValueError(f"not a status: {statuses!r}")
    within = ", ".join(f"'{status}'" for status in statuses)
    sql = f"""
        WITH best AS (
            SELECT r.id, r.submitted_at, (
                similarity(r.{title_column}, %(title)s) * 0.55
                + LEAST(ts_rank(r.{vector}, to_tsquery(%(config)s::regconfig, %(words)s))
                        * 4.0, 1.0) * 0.3
                + CASE WHEN r.district_id = %(district)s THEN 0.15 ELSE 0.0 END
            )::float8 AS score
            FROM complaints_report r
            WHERE r.id IN (
                SELECT c.id FROM complaints_report c
                WHERE c.regency_id = %(regency)s AND c.category_id = %(category)s
                  AND c.status IN ({within}) AND c.duplicate_of_id IS NULL
                  AND c.submitted_at >= %(since)s {only_public} {not_itself}
                ORDER BY c.submitted_at DESC LIMIT {CANDIDATES:d})
            ORDER BY score DESC, r.submitted_at DESC, r.id DESC
            LIMIT {LIMIT:d}
        )
        SELECT r.id, r.tracking_number, r.{title_column}, r.status, r.support_count,
               r.submitted_at, r.reporter_id, r.is_confidential, district.name, regency.name,
               best.score,
               EXISTS (SELECT 1 FROM complaints_support s
                       WHERE s.report_id = r.id AND s.user_id = %(viewer)s)
        FROM best JOIN complaints_report r ON r.id = best.id
        LEFT JOIN agencies_region district ON district.id = r.district_id
        LEFT JOIN agencies_region regency ON regency.id = r.regency_id
        WHERE best.score >= {THRESHOLD!r}
        ORDER BY best.score DESC, best.submitted_at DESC, best.id DESC
    """  # noqa: S608
    # named by its text: another set of statuses is another statement on the connection
    name = f"lapor_similar_{hashlib.sha256(sql.encode()).hexdigest()[:16]}"
    return PreparedStatement.of(name, sql, _TYPES)


def _found(typed: Typed, **how: Any) -> list[tuple[Any, ...]]:
    """The rows of ``lookup_statement``, planned once per connection (``lapor.prepared``:
    PostgreSQL took longer to plan it than to run it)."""
    statement, params = _lookup(typed, **how)
    with connection.cursor() as cursor:
        statement.execute(cursor, params)
        return cursor.fetchall()


def _row(found: tuple[Any, ...], viewer: User | None, *, public: bool) -> SimilarReport:
    (pk, tracking_number, title, status, support_count, submitted_at, reporter_id,
     is_confidential, district_name, regency_name, score, is_supported) = found
    is_public = not is_confidential and status in VERIFIED_STATUSES
    return SimilarReport(
        id=pk, tracking_number=tracking_number or "",
        title=redaction.localised(title) if public else title,
        status=status, status_label=str(ReportStatus(status).label),
        district_name=district_name or "", regency_name=regency_name or "",
        support_count=support_count, submitted_at=submitted_at, score=round(float(score), 2),
        is_supported=is_supported,
        may_support=(viewer is not None and is_public and not is_supported
                     and reporter_id != viewer.pk),
    )


def similar_public_reports(typed: Typed, *, viewer: User | None = None,
                           exclude_id: int | None = None) -> list[SimilarReport]:
    """Up to five public, open reports near what the citizen typed that look like it (none
    while the category, the regency or any word is missing). No reporter identity."""
    if not typed.is_enough:
        return []
    found = _found(typed, statuses=tuple(s.value for s in PUBLIC_OPEN_STATUSES), public=True,
                   exclude_id=exclude_id, viewer_id=viewer.pk if viewer is not None else None)
    return [_row(row, viewer, public=True) for row in found]


def unseen_similar(typed: Typed, *, viewer: User, seen: Collection[str]
                   ) -> list[SimilarReport]:
    """The step before submitting (the filing page's, and the API's with ``similar_seen``):
    the similar public reports, all of them, when one of them is not among the tracking
    numbers ``seen`` (shown by the page's script as the citizen typed, by the step itself, or
    by an app); none once every one was seen."""
    found = similar_public_reports(typed, viewer=viewer)
    if all(r.tracking_number in seen for r in found):
        return []
    return found


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
    return [_row(row, None, public=False)
            for row in _found(typed, statuses=INDEXED_STATUSES, public=False,
                              exclude_id=report.pk)]
