"""The staff queues: what a verifier must verify, what a body holds. Scoped by
agencies.access, filtered, sorted by due time or age, paginated by keyset (never OFFSET) over
the partial indexes ``report_queue_due_idx`` / ``report_queue_age_idx`` /
``report_verification_idx``."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import OrderBy, RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from agencies import access
from agencies.models import Body, Role, User
from complaints.models import Attachment, Priority, Report, ReportKind, ReportStatus
from complaints.selectors import filter_reports
from routing import permissions, tallies

OPEN_HELD = (ReportStatus.DISPOSITIONED, ReportStatus.IN_PROGRESS, ReportStatus.RESOLVED)
# Who has a body's queue: its operators, and supervisors for their subtree.
QUEUE_ROLES = {Role.OPERATOR, Role.SUPERVISOR}
SORTS = ("due", "age", "newest")
# Whose reports: "me" (Milik saya, the user's own as assignee), "none" (Belum ada yang
# memegang: no named assignee yet).
ASSIGNEE_FILTERS = ("me", "none")
PAGE_SIZE = 25


@dataclass
class QueueFilters:
    status: str = ""
    kind: str = ""
    category: str = ""  # slug
    province: str = ""  # region code
    regency: str = ""  # region code
    body: int | None = None  # one body within the user's scope (supervisors)
    overdue: bool = False
    due_soon: bool = False  # "segera jatuh tempo": warned, not yet due
    due_before: datetime | None = None
    assignee: str = ""  # one of ASSIGNEE_FILTERS, or "" for everyone's
    q: str = ""
    sort: str = "due"
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params: Any) -> QueueFilters:
        """Parse query parameters; a bad value is dropped and named in ``errors``."""
        filters = cls(
            status=params.get("status", "") or "",
            kind=params.get("kind", "") or "",
            category=params.get("category", "") or "",
            province=params.get("province", "") or "",
            regency=params.get("regency", "") or "",
            q=(params.get("q", "") or "").strip()[:200],
            overdue=str(params.get("overdue", "")).lower() in ("1", "true", "on", "ya"),
            due_soon=str(params.get("due_soon", "")).lower() in ("1", "true", "on", "ya"),
            sort=params.get("sort", "due") or "due",
            assignee=params.get("assignee", "") or "",
        )
        if filters.assignee and filters.assignee not in ASSIGNEE_FILTERS:
            filters.errors["assignee"] = filters.assignee
            filters.assignee = ""
        if filters.status and filters.status not in ReportStatus.values:
            filters.errors["status"] = filters.status
            filters.status = ""
        if filters.sort not in SORTS:
            filters.errors["sort"] = filters.sort
            filters.sort = "due"
        raw_body = params.get("body") or params.get("instansi")
        if raw_body:
            try:
                filters.body = int(raw_body)
            except (TypeError, ValueError):
                filters.errors["body"] = str(raw_body)
        # Kemendagri codes nest (33 → 33.74): a regency of another province is a choice left
        # over from changing the province, not a wish for an empty queue.
        if filters.province and not filters.regency.startswith(filters.province + "."):
            filters.regency = ""
        if filters.kind and filters.kind not in ReportKind.values:
            filters.errors["kind"] = filters.kind
            filters.kind = ""
        raw_due = params.get("due_before", "")
        if raw_due:
            parsed = _parse_time(raw_due) or _parse_time(f"{raw_due}T00:00:00")
            if parsed is None:
                filters.errors["due_before"] = raw_due
            else:
                filters.due_before = parsed
        return filters

    def as_params(self) -> dict[str, str]:
        params = {
            "status": self.status, "kind": self.kind, "category": self.category,
            "province": self.province, "regency": self.regency, "q": self.q, "sort": self.sort,
            "overdue": "1" if self.overdue else "",
            "due_soon": "1" if self.due_soon else "",
            "body": str(self.body) if self.body else "",
            "due_before": self.due_before.isoformat() if self.due_before else "",
            "assignee": self.assignee,
        }
        return {k: v for k, v in params.items() if v}


def _parse_time(value: Any) -> datetime | None:
    """An ISO date-time (naive: in the current time zone), or None for anything else. Django's
    parse_datetime raises ValueError for a well-formed impossible value (2025-02-30)."""
    if not isinstance(value, str):
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        return None
    if parsed is None:
        return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _apply(queryset: QuerySet[Report], filters: QueueFilters) -> QuerySet[Report]:
    queryset = filter_reports(
        queryset, province=filters.province, regency=filters.regency,
        category=filters.category, kind=filters.kind,
    )
    if filters.overdue:
        queryset = queryset.filter(due_at__lt=timezone.now())
    if filters.due_soon:
        queryset = due_soon_among(queryset)
    if filters.due_before:
        queryset = queryset.filter(due_at__lt=filters.due_before)
    if filters.q:
        queryset = queryset.filter(
            search_vector=SearchQuery(filters.q, config="indonesian", search_type="websearch")
        )
    return queryset


def _held_bodies(user: User, filters: QueueFilters) -> QuerySet[Body]:
    bodies = access.bodies_actionable_by(user)
    if filters.body:
        bodies = bodies.filter(pk=filters.body)
    return bodies


def _held(queryset: QuerySet[Report], filters: QueueFilters, user: User) -> QuerySet[Report]:
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    else:
        queryset = queryset.filter(status__in=OPEN_HELD)
    return _assigned(_apply(queryset, filters), filters, user)


def _assigned(queryset: QuerySet[Report], filters: QueueFilters, user: User
              ) -> QuerySet[Report]:
    """Milik saya / Belum ada yang memegang (``report_queue_assignee_idx``)."""
    if filters.assignee == "me":
        return queryset.filter(assignee_id=user.pk)
    if filters.assignee == "none":
        return queryset.filter(assignee__isnull=True)
    return queryset


def held_reports(user: User, filters: QueueFilters) -> QuerySet[Report]:
    """Reports held by the bodies the user acts for (an operator: their body; a supervisor:
    their body and all below), filtered; open ones unless a status is chosen."""
    bodies = _held_bodies(user, filters)
    return _held(Report.objects.filter(holder_body__in=bodies.values("pk")), filters, user)


def held_page(
    user: User, filters: QueueFilters, *, cursor: str = "", size: int = PAGE_SIZE
) -> tuple[list[Report], str | None]:
    """``page()`` of ``held_reports`` for listing. Over several bodies (a supervisor) the
    open reports are read one index range per body, each stopping after a page, and merged
    (``_per_body_ids``): a province's queue reads a page per body, not every open report of
    the province to sort them. One body, or a status outside the queue index, is a plain
    ``page()``."""
    body_ids = list(_held_bodies(user, filters).values_list("pk", flat=True))
    in_index = not filters.status or filters.status in OPEN_HELD
    if len(body_ids) <= 1 or not in_index:
        return page(for_listing(held_reports(user, filters)), sort=filters.sort,
                    cursor=cursor, size=size, emergency_first=True)
    ids: list[int] = []
    now = timezone.now()
    for part in page_querysets(_held(Report.objects.all(), filters, user), sort=filters.sort,
                               cursor=cursor, emergency_first=True, now=now):
        ids += _per_body_ids(part, body_ids, size + 1 - len(ids))
        if len(ids) > size:
            break
    by_id = {report.pk: report for report in for_listing(Report.objects.filter(pk__in=ids))}
    rows = [by_id[pk] for pk in ids if pk in by_id]
    return _paged(rows, sort=filters.sort, size=size, age_field="held_since", urgent_at=now)


def _per_body_ids(part: QuerySet[Report], body_ids: list[int], limit: int) -> list[int]:
    """The first ``limit`` ids of the ordered ``part`` over all ``body_ids``: for each body
    (LATERAL) the part restricted to it, which the (holder_body, key, id) index serves in
    order and which stops after ``limit`` rows; then those few rows per body merged."""
    order: list[tuple[str, bool]] = []
    for term in part.query.order_by:
        if isinstance(term, str):
            order.append((term.lstrip("-"), term.startswith("-")))
        else:
            assert isinstance(term, OrderBy) and isinstance(term.expression, F)  # the sorts' keys
            order.append((term.expression.name, term.descending))
    columns = ["id", *(name for name, _ in order if name != "id")]
    inner = part.filter(holder_body_id=RawSQL("queue_body.id", ())).values(*columns)[:limit]
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:  # the filters match nothing (``none()``)
        return []
    keys = ", ".join(f"found.{name} {'DESC' if descending else 'ASC'}"
                     for name, descending in order)
    # Interpolated: the part's own SQL and its sort columns (model field names), never input.
    head = "SELECT found.id FROM unnest(%s::bigint[]) AS queue_body(id) CROSS JOIN LATERAL"
    query = f"{head} ({sql}) AS found ORDER BY {keys} LIMIT %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(query, [body_ids, *params, limit])
        return [row[0] for row in cursor.fetchall()]


def verification_reports(user: User, filters: QueueFilters) -> QuerySet[Report]:
    """New reports waiting for verification in the verifier's provinces (all: national)."""
    queryset = Report.objects.filter(status=ReportStatus.SUBMITTED)
    provinces = permissions.verifier_provinces(user)
    if provinces is not None:
        queryset = queryset.filter(province_id__in=provinces)
    if not permissions.is_verifier(user):
        queryset = queryset.none()
    return _apply(queryset, filters)


def deadline_counts(user: User, filters: QueueFilters) -> tuple[int, int]:
    """How many open reports the user's bodies hold past their deadline (breached ones
    included: see ``Report.due_at``), and how many are "segera jatuh tempo", with the same
    other filters: one query, ranges over the queue index per body."""
    unfiltered = QueueFilters(**{**filters.__dict__, "status": "", "overdue": False,
                                 "due_soon": False, "errors": {}})
    return deadline_counts_among(held_reports(user, unfiltered))


def deadline_counts_among(reports: QuerySet[Report]) -> tuple[int, int]:
    now = timezone.now()
    counts = reports.filter(due_at__isnull=False).aggregate(
        overdue=Count("id", filter=Q(due_at__lt=now)),
        soon=Count("id", filter=Q(due_at__gte=now, due_soon_from__lte=now)),
    )
    return counts["overdue"], counts["soon"]


def overdue_count(user: User, filters: QueueFilters) -> int:
    return deadline_counts(user, filters)[0]


def overdue_among(reports: QuerySet[Report]) -> int:
    return reports.filter(due_at__lt=timezone.now()).count()


def due_soon_among(reports: QuerySet[Report], now: datetime | None = None) -> QuerySet[Report]:
    """The reports whose holder's next deadline is "segera jatuh tempo": its first warning
    is due (``due_soon_from``, see ``Report``) and the deadline itself is not yet. A range
    over the queue index (holder_body, due_at) like the overdue."""
    moment = now or timezone.now()
    return reports.filter(due_at__gte=moment, due_soon_from__lte=moment)


def _narrows_reports(filters: QueueFilters) -> bool:
    """Does any filter other than body and status apply (so the tallies cannot answer)?"""
    return bool(filters.province or filters.regency or filters.category or filters.kind
                or filters.overdue or filters.due_soon or filters.due_before or filters.q
                or filters.assignee)


def status_counts(user: User, filters: QueueFilters) -> dict[str, int]:
    """How many reports the user's bodies hold per status (all statuses, same other filters)."""
    unfiltered = QueueFilters(**{**filters.__dict__, "status": "", "errors": {}})
    bodies = access.bodies_actionable_by(user)
    if unfiltered.body:
        bodies = bodies.filter(pk=unfiltered.body)
    if not _narrows_reports(unfiltered):
        # The usual case, and the costly one at scale: every report the bodies ever held.
        return tallies.counts_for(bodies)
    queryset = _assigned(
        _apply(Report.objects.filter(holder_body__in=bodies.values("pk")), unfiltered),
        unfiltered, user)
    rows = queryset.exclude(status=ReportStatus.DRAFT).order_by().values_list("status")
    return dict(rows.annotate(n=Count("id")))


# --- keyset pagination ------------------------------------------------------------------


def _encode(values: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def _decode(cursor: str) -> dict[str, Any] | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    pk = data.get("id")
    return data if isinstance(pk, int) and not isinstance(pk, bool) else None


def _position(cursor: str, sort: str) -> tuple[datetime | None, int] | None:
    """The (sort value, id) after which the page starts; None (start over) for a cursor that
    is not ours for this sort: tampered, truncated, or made for another order."""
    data = _decode(cursor)
    if data is None or data.get("s") != sort:
        return None
    if data.get("at") is None:  # already among the rows without a value
        return None, data["id"]
    at = _parse_time(data["at"])
    return None if at is None else (at, data["id"])


def _sort_key(sort: str, age_field: str) -> tuple[str, bool]:
    return ("due_at" if sort == "due" else age_field), sort == "newest"


def page_querysets(
    queryset: QuerySet[Report], *, sort: str, cursor: str = "", age_field: str = "held_since",
    emergency_first: bool = False, now: datetime | None = None,
) -> list[QuerySet[Report]]:
    """The ordered querysets that ``page()`` reads in turn: first the rows that have a value of
    the sort key, after the cursor; then the rows without one (no deadline), which come last,
    by id. Two plain range scans instead of one ``… OR key IS NULL``, so that each is served
    by the composite index from the cursor on rather than filtered from the queue's start.

    ``emergency_first`` (the bodies' queues, sorted by due time): among the overdue, the
    "darurat" reports come first (``EMERGENCY_OVERDUE``, at ``now``), then every other row
    with a deadline; one more range scan over the same index, and the cursor says in which
    of the two it stopped."""
    key, descending = _sort_key(sort, age_field)
    direction = "lt" if descending else "gt"
    position = _position(cursor, sort) if cursor else None
    without_value = queryset.filter(**{f"{key}__isnull": True}).order_by(
        "-id" if descending else "id"
    )
    if position is not None and position[0] is None:
        return [without_value.filter(**{f"id__{direction}": position[1]})]
    with_value = queryset.filter(**{f"{key}__isnull": False})
    split = emergency_first and sort == "due"
    urgent_cursor = split and bool((_decode(cursor) or {}).get("u"))
    urgent_rows = Q(priority=Priority.EMERGENCY, due_at__lt=now or timezone.now())
    order = (F(key).desc(), F("id").desc()) if descending else (F(key).asc(), F("id").asc())

    def after(rows: QuerySet[Report]) -> QuerySet[Report]:
        if position is None:
            return rows
        at, last_id = position
        # (key, id) after (at, last_id), written so that the first term is a range condition
        # the index can start from: key >= at AND (key > at OR id > last_id).
        return rows.filter(
            Q(**{f"{key}__{direction}e": at})
            & (Q(**{f"{key}__{direction}": at}) | Q(**{f"id__{direction}": last_id}))
        )

    # Plain ASC / DESC (not NULLS LAST): the nulls are filtered out, and these are the orders
    # the (…, key, id) index gives scanned forwards / backwards.
    if not split:
        return [after(with_value).order_by(*order), without_value]
    urgent = with_value.filter(urgent_rows).order_by(*order)
    rest = with_value.exclude(urgent_rows).order_by(*order)
    if position is None:
        return [urgent, rest, without_value]
    if urgent_cursor:
        return [after(urgent), rest, without_value]
    return [after(rest), without_value]


def is_emergency_overdue(report: Report, now: datetime) -> bool:
    return (report.priority == Priority.EMERGENCY and report.due_at is not None
            and report.due_at < now)


def page(
    queryset: QuerySet[Report], *, sort: str, cursor: str = "", size: int = PAGE_SIZE,
    age_field: str = "held_since", emergency_first: bool = False,
) -> tuple[list[Report], str | None]:
    """One page after ``cursor``. ``due``: most urgent first (due_at, then reports without a
    deadline); ``age``: oldest first; ``newest``: newest first. Returns rows and next cursor.
    ``age_field`` is held_since in the bodies' queues, submitted_at in verification.
    One query, two when the page reaches the rows without a value."""
    rows: list[Report] = []
    now = timezone.now()
    for part in page_querysets(queryset, sort=sort, cursor=cursor, age_field=age_field,
                               emergency_first=emergency_first, now=now):
        rows.extend(part[: size + 1 - len(rows)])
        if len(rows) > size:
            break
    return _paged(rows, sort=sort, size=size, age_field=age_field,
                  urgent_at=now if emergency_first else None)


def _paged(rows: list[Report], *, sort: str, size: int, age_field: str,
           urgent_at: datetime | None = None) -> tuple[list[Report], str | None]:
    """The page's rows (up to ``size`` of the ``size + 1`` read) and the next cursor (which,
    with ``urgent_at``, says whether the page ended among the overdue "darurat" reports)."""
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        value = getattr(rows[-1], _sort_key(sort, age_field)[0])
        values: dict[str, Any] = {"s": sort, "at": value.isoformat() if value else None,
                                  "id": rows[-1].pk}
        if urgent_at is not None and sort == "due" and is_emergency_overdue(rows[-1],
                                                                            urgent_at):
            values["u"] = 1
        next_cursor = _encode(values)
    return rows, next_cursor


def is_due_soon(report: Report, now: datetime | None = None) -> bool:
    """The same test as the ``due_soon`` filter, on one report."""
    moment = now or timezone.now()
    return (report.due_at is not None and report.due_soon_from is not None
            and report.due_soon_from <= moment <= report.due_at)


def is_overdue(report: Report, now: datetime | None = None) -> bool:
    """Has the holder's earliest unmet deadline passed (a breached one stays passed until the
    body acts)? The same test as the ``overdue`` filter."""
    return report.due_at is not None and report.due_at < (now or timezone.now())


def for_listing(queryset: QuerySet[Report]) -> QuerySet[Report]:
    """What a queue row shows, in the page's one query. The text and the contact of a person
    without an account are not even read: a row never shows who reported."""
    return queryset.select_related(
        "category", "holder_body", "regency", "province", "ombudsman_office", "assignee"
    ).defer(
        "search_vector", "description", "rating_comment",
        "contact_name", "contact_email", "contact_phone",
    )


OMBUDSMAN_SORTS = ("due", "newest")


def ombudsman_sort(filters: QueueFilters) -> str:
    """The officers' queue: most overdue first unless the newest escalations are asked for."""
    return filters.sort if filters.sort in OMBUDSMAN_SORTS else "due"


def ombudsman_reports(user: User, filters: QueueFilters) -> QuerySet[Report]:
    """Reports escalated to the Ombudsman offices the user works at (Ombudsman RI: all)."""
    offices = [m.body for m in access.memberships_of(user) if m.role == "ombudsman_officer"]
    queryset = Report.objects.filter(ombudsman_office__isnull=False)
    if not offices:
        return queryset.none()
    if not any(office.kind == "ombudsman" for office in offices):
        queryset = queryset.filter(ombudsman_office__in=[o.pk for o in offices])
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return _apply(queryset, filters)


def with_attachment_count(queryset: QuerySet[Report]) -> QuerySet[Report]:
    """Each report's number of attachments, as a subquery (no GROUP BY over the page)."""
    counts = (
        Attachment.objects.filter(report=OuterRef("pk"))
        .order_by()
        .values("report")
        .annotate(n=Count("id"))
        .values("n")
    )
    return queryset.annotate(
        attachment_count=Coalesce(Subquery(counts, output_field=IntegerField()), 0)
    )
