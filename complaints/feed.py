"""Reads for the public feed of reports, its search and a public report's page.

Built on ``selectors.public_reports()`` (verified, non-confidential reports). Everything public
is read from the public copy (``Report.public_title``/``public_description`` and
``public_search_vector``: personal data masked, ``complaints.redaction``), never from the
original. Pages are keyset
pages (never OFFSET) behind an opaque cursor; the default order is served by the partial index
``report_public_feed_idx``. Rows carry no reporter identity at all: the feed shows no names.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

from django import forms
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import F, FloatField, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Cast, Left, Replace
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from agencies.models import Body, User
from complaints import redaction, selectors
from complaints.models import (
    VERIFIED_STATUSES,
    Attachment,
    AttachmentState,
    Report,
    ReportEvent,
    ReportKind,
    Support,
)
from complaints.selectors import AnyUser

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
EXCERPT_LENGTH = 200
SEARCH_CONFIG = "indonesian"
# A search tests the newest SEARCH_WINDOW reports (after the filters and the cursor) against
# its words; relevance and support order the matches found there, or, when fewer than a page
# match there (a rare word), the newest RELEVANCE_CANDIDATES matches. See feed_queryset.
SEARCH_WINDOW = 5000
RELEVANCE_CANDIDATES = 1000


class Sort(models.TextChoices):
    NEWEST = "newest", _("Terbaru")
    OLDEST = "oldest", _("Terlama")
    SUPPORT = "most_supported", _("Dukungan terbanyak")
    RELEVANCE = "relevance", _("Paling relevan")


# sort → (the value compared after the id, descending?)
_KEYS: dict[str, tuple[str, bool]] = {
    Sort.NEWEST: ("submitted_at", True),
    Sort.OLDEST: ("submitted_at", False),
    Sort.SUPPORT: ("support_count", True),
    Sort.RELEVANCE: ("rank", True),
}


class FeedForm(forms.Form):
    """The feed's query parameters, shared by the page (which drops an invalid value) and the
    API (which answers 400)."""

    q = forms.CharField(label=_("Cari laporan"), required=False, max_length=200)
    province = forms.CharField(label=_("Provinsi"), required=False, max_length=13)
    regency = forms.CharField(label=_("Kabupaten/kota"), required=False, max_length=13)
    category = forms.SlugField(label=_("Kategori"), required=False, max_length=120)
    kind = forms.ChoiceField(
        label=_("Jenis laporan"), required=False, choices=[("", ""), *ReportKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", "")] + [(s.value, s.label) for s in VERIFIED_STATUSES],
    )
    body = forms.IntegerField(label=_("Instansi"), required=False, min_value=1)
    sort = forms.ChoiceField(label=_("Urutkan"), required=False, choices=[("", ""), *Sort.choices])
    cursor = forms.CharField(required=False, max_length=500)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        province, regency = data.get("province"), data.get("regency")
        # Kemendagri codes nest (33 → 33.74): a regency of another province is a stale choice
        # left over from changing the province, not a wish for an empty result.
        if province and regency and not regency.startswith(province + "."):
            data["regency"] = ""
        return data


@dataclass(frozen=True)
class FeedParams:
    q: str = ""
    province: str = ""
    regency: str = ""
    category: str = ""
    kind: str = ""
    status: str = ""
    body: int | None = None
    sort: str = ""
    cursor: str = ""
    page_size: int = PAGE_SIZE

    @classmethod
    def from_form(cls, form: FeedForm) -> FeedParams:
        """The valid values of a bound form (an invalid one is left out)."""
        if not form.is_bound:
            return cls()
        form.is_valid()
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        data["q"] = " ".join(data.get("q", "").split())
        return cls(**data)

    @property
    def effective_sort(self) -> str:
        if self.sort == Sort.RELEVANCE and not self.q:
            return Sort.NEWEST
        return self.sort or (Sort.RELEVANCE if self.q else Sort.NEWEST)

    @property
    def filter_count(self) -> int:
        """How many filters besides the search words narrow the feed (shown on "Saring")."""
        return sum(
            1 for value in (self.province, self.regency, self.category, self.kind, self.status)
            if value
        )

    @property
    def is_filtered(self) -> bool:
        return any(
            (self.q, self.province, self.regency, self.category, self.kind, self.status, self.body)
        )


@dataclass
class FeedRow:
    """One report in the feed: public facts only, no reporter."""

    id: int
    tracking_number: str
    title: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    category_name: str
    regency_name: str
    province_name: str
    holder_body_name: str
    support_count: int
    submitted_at: datetime
    excerpt: str
    snippet: SafeString | None
    thumbnail_id: int | None
    is_supported: bool
    may_support: bool


@dataclass
class FeedPage:
    rows: list[FeedRow]
    next_cursor: str | None
    sort: str
    params: FeedParams = field(default_factory=FeedParams)


# --- cursors ------------------------------------------------------------------------------


def encode_cursor(sort: str, value: Any, pk: int) -> str:
    if isinstance(value, datetime):
        value = value.isoformat()
    raw = json.dumps({"s": sort, "v": value, "i": pk}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, int] | None:
    """The (value, id) after which the page starts, or None for a cursor that is not one of
    ours for this sort (tampered, truncated, of another sort): the caller starts over."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
    except (ValueError, binascii.Error):
        return None
    if not isinstance(data, dict) or data.get("s") != sort:
        return None
    pk, value = data.get("i"), data.get("v")
    if not isinstance(pk, int) or isinstance(pk, bool) or pk < 1:
        return None
    name = _KEYS[sort][0]
    if name == "submitted_at":
        if not isinstance(value, str):
            return None
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
        if value.tzinfo is None:
            return None
    elif name == "support_count":
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            return None
    elif not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        return None
    return value, pk


def _after(name: str, descending: bool, value: Any, pk: int) -> Q:
    # (name, id) < (value, pk) written so that the first term is a plain range condition the
    # index can start from: name <= value AND (name < value OR id < pk).
    if descending:
        return Q(**{f"{name}__lte": value}) & (Q(**{f"{name}__lt": value}) | Q(id__lt=pk))
    return Q(**{f"{name}__gte": value}) & (Q(**{f"{name}__gt": value}) | Q(id__gt=pk))


# --- the feed -----------------------------------------------------------------------------


def _escaped(field_name: str) -> Replace:
    """The column HTML-escaped in SQL (as django.utils.html.escape does), so that the headline
    built from it holds no markup but the <mark> tags that ts_headline adds."""
    expression: Any = F(field_name)
    for char, entity in (
        ("&", "&amp;"),
        ("<", "&lt;"),
        (">", "&gt;"),
        ('"', "&quot;"),
        ("'", "&#x27;"),
    ):
        expression = Replace(expression, Value(char), Value(entity))
    return expression


def filtered_reports(params: FeedParams) -> QuerySet[Report]:
    """Public reports matching the filters (not the text search)."""
    reports = selectors.filter_reports(
        selectors.public_reports().filter(submitted_at__isnull=False),
        province=params.province, regency=params.regency, category=params.category,
        kind=params.kind,
    )
    if params.status:
        reports = reports.filter(status=params.status)
    if params.body is not None:
        path = Body.objects.filter(pk=params.body).values_list("path", flat=True).first()
        if path is None:
            return reports.none()
        reports = reports.filter(holder_body__path__startswith=path)
    return reports


def _window_matches(reports: QuerySet[Report], words: str, descending: bool, limit: int
                    ) -> list[int]:
    """Ids of up to ``limit`` reports matching ``words`` (web search syntax) among the first
    SEARCH_WINDOW of ``reports`` by submission time, in that order.

    The window is read through ``report_public_feed_idx`` and only its rows are tested
    against the query: bounded work, whatever the word. Left to itself the planner
    underestimates words that come together ("lampu jalan mati": it multiplies their
    frequencies) and reads every match through the search index instead, tens of thousands
    of rows for an everyday complaint."""
    direction = "DESC" if descending else "ASC"
    window = reports.order_by(
        F("submitted_at").desc() if descending else F("submitted_at").asc(),
        "-id" if descending else "id",
    ).values("id", "submitted_at", "public_search_vector")[:SEARCH_WINDOW]
    try:
        inner, params = window.query.sql_with_params()
    except EmptyResultSet:  # the filters match nothing (``none()``: say, an unknown body)
        return []
    # Only the fixed direction keyword is interpolated; every value is a parameter.
    sql = (
        f"SELECT w.id FROM ({inner}) AS w "  # noqa: S608
        "WHERE w.public_search_vector @@ websearch_to_tsquery(%s::regconfig, %s) "
        f"ORDER BY w.submitted_at {direction}, w.id {direction} LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, SEARCH_CONFIG, words, limit])
        return [row[0] for row in cursor.fetchall()]


def _matching_ids(reports: QuerySet[Report], words: str, descending: bool, limit: int
                  ) -> list[int]:
    """Up to ``limit`` matches by submission time: from the window when it holds that many,
    else through the search index (a rare word: few matches, found fast)."""
    ids = _window_matches(reports, words, descending, limit)
    if len(ids) < limit:
        order = ("-submitted_at", "-id") if descending else ("submitted_at", "id")
        query = SearchQuery(words, config=SEARCH_CONFIG, search_type="websearch")
        matches = reports.filter(public_search_vector=query).order_by(*order)
        ids = list(matches.values_list("id", flat=True)[:limit])
    return ids


class _FeedParts(TypedDict):
    """What feed_queryset puts on each report beside its fields."""

    excerpt_source: str  # .annotate()
    public_images: list[Attachment]  # Prefetch(to_attr=…)


FeedReport: TypeAlias = "WithAnnotations[Report, _FeedParts]"


def feed_queryset(params: FeedParams) -> QuerySet[FeedReport]:
    """The ordered, unsliced query of the page that ``params`` asks for (after its cursor).

    A search first finds the ids it may show (one or two queries, run here): by submission
    time, the next page of matches; by relevance or support, the candidates, which are the
    matches among the newest SEARCH_WINDOW reports (or, for a rare word, the newest
    RELEVANCE_CANDIDATES matches)."""
    sort = params.effective_sort
    reports = filtered_reports(params)
    name, descending = _KEYS[sort]
    after = decode_cursor(params.cursor, sort) if params.cursor else None
    size = min(max(params.page_size, 1), MAX_PAGE_SIZE)
    if params.q:
        query = SearchQuery(params.q, config=SEARCH_CONFIG, search_type="websearch")
        if name == "submitted_at":
            walk = reports.filter(_after(name, descending, *after)) if after else reports
            reports = reports.filter(pk__in=_matching_ids(walk, params.q, descending, size + 1))
            after = None  # already applied
        else:
            ids = _window_matches(reports, params.q, True, RELEVANCE_CANDIDATES)
            if len(ids) <= size:
                ids = _matching_ids(reports, params.q, True, RELEVANCE_CANDIDATES)
            reports = reports.filter(pk__in=ids)
        reports = reports.annotate(
            # ts_rank is a float4; as a float8 it round-trips exactly through the cursor.
            rank=Cast(SearchRank(F("public_search_vector"), query), FloatField()),
            snippet=SearchHeadline(
                _escaped("public_description"),
                query,
                config=SEARCH_CONFIG,
                start_sel="<mark>",
                stop_sel="</mark>",
                max_words=35,
                min_words=15,
            ),
        )
    if after is not None:
        reports = reports.filter(_after(name, descending, *after))
    return (
        reports.select_related("category", "regency", "province", "holder_body")
        .only(
            "id",
            "tracking_number",
            "public_title",
            "kind",
            "status",
            "support_count",
            "submitted_at",
            "reporter",
            "category__name",
            "regency__name",
            "province__name",
            "holder_body__name",
        )
        .annotate(excerpt_source=Left("public_description", EXCERPT_LENGTH + 1))
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=selectors.public_attachments().filter(
                    content_type__startswith="image/", state=AttachmentState.CLEAN,
                    faces_found__isnull=False,  # its public copy made (complaints.faces)
                )
                .exclude(thumbnail="")
                .only("id", "report_id", "created_at")
                .order_by("created_at", "id"),
                to_attr="public_images",
            )
        )
        .order_by(F(name).desc() if descending else F(name).asc(), "-id" if descending else "id")
    )


def feed(params: FeedParams, *, viewer: AnyUser | None = None) -> FeedPage:
    """One page of the public feed. Queries: the body's path (with a body filter), the page,
    its images, and the viewer's supports (when signed in): none per row."""
    sort = params.effective_sort
    size = min(max(params.page_size, 1), MAX_PAGE_SIZE)
    found = list(feed_queryset(params)[: size + 1])
    page, more = found[:size], len(found) > size
    user = viewer if viewer is not None and viewer.is_authenticated else None
    supported: set[int] = set()
    if user is not None and page:
        supported = set(
            Support.objects.filter(user=user, report_id__in=[r.pk for r in page]).values_list(
                "report_id", flat=True
            )
        )
    rows = [_row(r, supported, user) for r in page]
    next_cursor = None
    if more:
        last = page[-1]
        next_cursor = encode_cursor(sort, getattr(last, _KEYS[sort][0]), last.pk)
    return FeedPage(rows=rows, next_cursor=next_cursor, sort=sort, params=params)


def _row(report: FeedReport, supported: set[int], viewer: User | None) -> FeedRow:
    source = redaction.localised(report.excerpt_source)
    excerpt = source[:EXCERPT_LENGTH].rstrip() + "…" if len(source) > EXCERPT_LENGTH else source
    snippet = getattr(report, "snippet", None)
    images = report.public_images
    is_supported = report.pk in supported
    assert report.submitted_at is not None  # filtered_reports keeps the submitted ones only
    return FeedRow(
        id=report.pk,
        tracking_number=report.tracking_number or "",
        title=redaction.localised(report.public_title),
        kind=report.kind,
        kind_label=str(report.get_kind_display()),
        status=report.status,
        status_label=str(report.get_status_display()),
        category_name=report.category.name if report.category else "",
        regency_name=report.regency.name if report.regency else "",
        province_name=report.province.name if report.province else "",
        holder_body_name=report.holder_body.name if report.holder_body else "",
        support_count=report.support_count,
        submitted_at=report.submitted_at,
        excerpt=excerpt,
        # Safe: built from the description escaped in SQL; the only markup is <mark>.
        snippet=mark_safe(redaction.localised(snippet)) if snippet is not None else None,  # noqa: S308
        thumbnail_id=images[0].pk if images else None,
        is_supported=is_supported,
        may_support=(viewer is not None and not is_supported and report.reporter_id != viewer.pk),
    )


# --- a public report's page ---------------------------------------------------------------


@dataclass(frozen=True)
class PublicEvent:
    """An event of the public timeline with its note's public copy (event notes are
    append-only history, so their copy is made as they are shown: a few per page)."""

    event: ReportEvent
    note: str


@dataclass
class PublicReport:
    """A report's public page. ``title``, ``description`` and the events' notes are the
    public copy in the reader's language; the report's own fields are the original."""

    report: Report
    title: str
    description: str
    events: list[PublicEvent]
    attachments: list[Attachment]
    is_supported: bool
    may_support: bool


def public_detail(viewer: AnyUser, tracking_number: str) -> PublicReport | None:
    """A report as its public page shows it, or None when ``viewer`` may not see it (a report
    that is not public is shown to its reporter and to staff only). The timeline is the public
    one for everybody, newest first; attachments are the non-staff ones."""
    report = selectors.lookup_by_tracking_number(viewer, tracking_number)
    if report is None:
        return None
    events = [
        PublicEvent(event=e, note=redaction.localised(redaction.public_copy(e.note)))
        for e in selectors.public_timeline(report)
    ]
    attachments = list(selectors.public_attachments().filter(report=report).exclude(
        state=AttachmentState.FAILED).order_by("created_at", "id"))
    signed_in = viewer.is_authenticated
    is_supported = viewer.is_authenticated and (
        Support.objects.filter(report=report, user=viewer).exists()
    )
    return PublicReport(
        report=report,
        title=redaction.localised(report.public_title),
        description=redaction.localised(report.public_description),
        events=events,
        attachments=attachments,
        is_supported=is_supported,
        may_support=(
            bool(signed_in)
            and report.is_public
            and not is_supported
            and report.reporter_id != viewer.pk
        ),
    )


def url_or_none(name: str, *args: object) -> str | None:
    """The URL of a named route, or None where it is not mounted (an attachment route of
    another part of the site)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None
