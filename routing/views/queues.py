"""The staff queue pages: new reports waiting for verification (verifiers) and the reports a
body holds (its operators; supervisors for their whole subtree). Thin: parse the filters, call
``routing.queues`` and ``routing.rules``, render. Rows never show who reported."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dates import MONTHS_3
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from agencies import access
from agencies.models import Region, Role, TimeZone, User
from agencies.signed_in import AuthenticatedRequest
from complaints import selectors
from complaints.models import Report, ReportKind, ReportStatus
from lapor.errors import DomainError, Invalid
from routing import permissions, queues
from routing import selectors as routing_selectors
from routing.forms import BulkAssignForm
from routing.models import ClockKind
from routing.queues import QUEUE_ROLES, with_attachment_count
from routing.rules import suggest_many
from routing.services import assignments

# Up to this many bodies in the user's scope are offered as a select; more, a search by name.
BODY_CHOICES_MAX = 200
# Statuses always listed in the operators' counts (others only when some report has them).
COUNTED_STATUSES = (*queues.OPEN_HELD, ReportStatus.CLOSED)


@dataclass(frozen=True)
class StaffHome:
    """Where a staff member's work continues: their own queue (the breadcrumb of a staff
    report page, the page after an action that took the report out of their hands)."""

    url: str
    label: str


def staff_home(user: User) -> StaffHome:
    roles = access.roles_of(user)
    if roles & QUEUE_ROLES:
        return StaffHome(reverse("routing:queue"), _("Antrean"))
    if Role.VERIFIER in roles:
        return StaffHome(reverse("routing:verification"), _("Verifikasi"))
    if Role.OMBUDSMAN_OFFICER in roles:
        return StaffHome(reverse("routing:ombudsman"), _("Pengawasan Ombudsman"))
    if access.may_use_admin_site(user):
        return StaffHome(reverse("admin:index"), _("Administrasi"))
    return StaffHome(reverse("complaints:track"), _("Lacak laporan"))


def deadline_text(due_at: datetime, now: datetime) -> str:
    """"sisa 5 jam" / "terlambat 3 jam": the time to or past ``due_at``, whole units."""
    minutes = int(abs(due_at - now) / timedelta(minutes=1))
    hours, days = minutes // 60, minutes // (24 * 60)
    late = due_at < now
    if hours < 1:
        if late:
            return ngettext("terlambat %(n)d menit", "terlambat %(n)d menit", minutes) % {
                "n": minutes
            }
        return ngettext("sisa %(n)d menit", "sisa %(n)d menit", minutes) % {"n": minutes}
    if hours < 48:
        if late:
            return ngettext("terlambat %(n)d jam", "terlambat %(n)d jam", hours) % {"n": hours}
        return ngettext("sisa %(n)d jam", "sisa %(n)d jam", hours) % {"n": hours}
    values = {"days": days, "hours": hours - days * 24}
    if late:
        return _("terlambat %(days)d hari %(hours)d jam") % values
    return _("sisa %(days)d hari %(hours)d jam") % values


@dataclass
class QueueRow:
    """One row of the bodies' queue, its text already formatted: a page renders 25 of them,
    and formatting in Python costs a fraction of the same work in template tags."""

    report: Report
    is_overdue: bool
    deadline: str  # "sisa 5 jam" / "terlambat 3 jam", empty without a deadline
    url: str
    status: str
    kind: str
    location: str
    due_clock: str = ""  # which deadline: "Tanggapan pertama", "Tindak lanjut"
    due_iso: str = ""
    due_local: str = ""  # "12 Mar 2026 16.00 WIB", in the holding body's time zone
    responded_local: str = ""
    escalated_local: str = ""  # when it went to the Ombudsman (the body still owes it)
    assignee: str = ""  # the named member of the body's staff who holds it, if any
    is_due_soon: bool = False  # "segera jatuh tempo": warned, not yet due


class RowFormatter:
    """Formats queue rows for one request: the URL prefix, month names and time zones are
    looked up once, not per row."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        marker = "LPR-0000-0000"
        self.url_template = reverse("routing:report", args=[marker]).replace(marker, "{}")
        self.months = [""] + [str(MONTHS_3[m]).title() for m in range(1, 13)]
        self.zones: dict[str, ZoneInfo] = {}
        self.statuses = {value: str(label) for value, label in ReportStatus.choices}
        self.kinds = {value: str(label) for value, label in ReportKind.choices}
        self.clocks = {value: str(label) for value, label in ClockKind.choices}
        # The language's TIME_FORMAT (lapor/formats): "H.i" in Indonesian, "H:i" in English.
        self.time_separator = formats.get_format("TIME_FORMAT")[1:2] or "."

    @staticmethod
    def labels() -> dict[str, str]:
        """The row's fixed words, translated once per page."""
        return {
            "late": _("Terlambat"), "soon": _("Segera jatuh tempo"), "status": _("Status"),
            "holder": _("Instansi pemegang"),
            "kind": _("Jenis"), "category": _("Kategori"), "location": _("Lokasi"),
            "due": _("Tenggat"), "no_due": _("Tidak ada tenggat"),
            "ombudsman": _("Diawasi Ombudsman RI sejak"),
            "response": _("Tanggapan"), "not_responded": _("Belum ditanggapi"),
            "assignee": _("Dipegang"), "no_assignee": _("Belum ada yang memegang"),
            "pick": _("Pilih"),
        }

    def local(self, value: datetime, zone_name: str) -> str:
        zone = self.zones.get(zone_name)
        if zone is None:
            zone = self.zones[zone_name] = ZoneInfo(zone_name)
        at = value.astimezone(zone)
        return (f"{at.day} {self.months[at.month]} {at.year} "
                f"{at:%H}{self.time_separator}{at:%M} "
                f"{TimeZone.abbreviation(zone_name)}")

    def row(self, report: Report) -> QueueRow:
        body = report.holder_body
        zone = body.time_zone if body else "Asia/Jakarta"
        place = report.regency or report.province
        return QueueRow(
            report=report,
            is_overdue=queues.is_overdue(report, self.now),
            is_due_soon=queues.is_due_soon(report, self.now),
            deadline=deadline_text(report.due_at, self.now) if report.due_at else "",
            url=self.url_template.format(report.tracking_number),
            status=self.statuses.get(report.status, report.status),
            kind=self.kinds.get(report.kind, report.kind),
            location=place.name if place else "—",
            due_clock=self.clocks.get(report.due_clock_kind, ""),
            due_iso=report.due_at.isoformat() if report.due_at else "",
            due_local=self.local(report.due_at, zone) if report.due_at else "",
            responded_local=(self.local(report.holder_responded_at, zone)
                             if report.holder_responded_at else ""),
            escalated_local=(self.local(report.escalated_at, zone)
                             if report.escalated_at else ""),
            assignee=report.assignee.full_name if report.assignee_id and report.assignee else "",
        )


def page_links(request: HttpRequest, next_cursor: str | None) -> dict[str, str | None]:
    next_url = first_url = None
    if next_cursor:
        query = request.GET.copy()
        query["cursor"] = next_cursor
        next_url = "?" + query.urlencode()
    if request.GET.get("cursor"):
        query = request.GET.copy()
        query.pop("cursor", None)
        first_url = "?" + query.urlencode()
    return {"next_url": next_url, "first_url": first_url}


def _region_options(filters: queues.QueueFilters, provinces: set[int] | None) -> dict[str, Any]:
    """Province and regency choices: every province for a nationwide scope, else the regencies
    of the scope's province (or of the chosen one)."""
    all_provinces = Region.objects.filter(level=Region.Level.PROVINCE).order_by("name")
    regencies = Region.objects.filter(level=Region.Level.REGENCY).order_by("name")
    if filters.province:
        regencies = regencies.filter(parent__code=filters.province)
    elif provinces is not None and len(provinces) == 1:
        regencies = regencies.filter(parent_id__in=provinces)
    else:
        regencies = regencies.none()
    return {
        "provinces": all_provinces if provinces is None or len(provinces) > 1 else [],
        "regencies": regencies,
    }


def _common(filters: queues.QueueFilters) -> dict[str, Any]:
    return {
        "filters": filters,
        "categories": selectors.active_categories(),
        "kinds": ReportKind.choices,
        "is_filtered": any(
            (filters.status, filters.kind, filters.category, filters.province, filters.regency,
             filters.body, filters.overdue, filters.due_before, filters.q, filters.assignee)
        ),
    }


@login_required
@require_GET
def verification_page(request: AuthenticatedRequest) -> HttpResponse:
    """New reports in the verifier's provinces (all: a national verifier), oldest first, with
    the body the routing rules suggest. 404 for anyone who is not a verifier."""
    user = request.user
    if not permissions.is_verifier(user):
        raise Http404
    filters = queues.QueueFilters.from_params(request.GET)
    sort = filters.sort if filters.sort in ("age", "newest") else "age"
    waiting = queues.verification_reports(user, filters)
    rows, next_cursor = queues.page(
        with_attachment_count(queues.for_listing(waiting)),
        sort=sort,
        cursor=request.GET.get("cursor", ""),
        age_field="submitted_at",
    )
    suggestions = suggest_many(rows)
    provinces = permissions.verifier_provinces(user)
    return render(
        request,
        "routing/verification.html",
        {
            **_common(filters),
            **_region_options(filters, provinces),
            **page_links(request, next_cursor),
            "sort": sort,
            "rows": [(report, suggestions.get(report.pk)) for report in rows],
            "waiting_count": waiting.count(),
        },
    )


def _status_links(
    request: HttpRequest, filters: queues.QueueFilters, counts: dict[str, int]
) -> list[dict[str, Any]]:
    def url(status: str) -> str:
        query: QueryDict = request.GET.copy()
        query.pop("cursor", None)
        query.pop("status", None)
        if status:
            query["status"] = status
        return "?" + query.urlencode() if query else "?"

    shown = [s for s in ReportStatus if s in COUNTED_STATUSES or counts.get(s)]
    links = [
        {
            "value": "",
            "label": _("Semua yang terbuka"),
            "count": sum(counts.get(s, 0) for s in queues.OPEN_HELD),
            "url": url(""),
            "is_current": not filters.status,
        }
    ]
    links += [
        {
            "value": s.value,
            "label": s.label,
            "count": counts.get(s, 0),
            "url": url(s.value),
            "is_current": filters.status == s,
        }
        for s in shown
        if s != ReportStatus.DRAFT
    ]
    return links


def _assignee_links(request: HttpRequest, filters: queues.QueueFilters) -> list[dict[str, Any]]:
    """Semua · Milik saya · Belum ada yang memegang: the same queue, whoever holds it."""
    def url(value: str) -> str:
        query: QueryDict = request.GET.copy()
        for name in ("cursor", "assignee", "picked"):
            query.pop(name, None)
        if value:
            query["assignee"] = value
        return "?" + query.urlencode() if query else "?"

    return [
        {"value": value, "label": label, "url": url(value),
         "is_current": filters.assignee == value}
        for value, label in (("", _("Semua petugas")), ("me", _("Milik saya")),
                             ("none", _("Belum ada yang memegang")))
    ]


def _overdue_url(request: HttpRequest, filters: queues.QueueFilters) -> str:
    """The same queue with "only the overdue" switched on (or off when it is on)."""
    return _toggled(request, "overdue", filters.overdue)


def _due_soon_url(request: HttpRequest, filters: queues.QueueFilters) -> str:
    """The same queue with "only the segera jatuh tempo" switched on (or off)."""
    return _toggled(request, "due_soon", filters.due_soon)


def _toggled(request: HttpRequest, name: str, is_on: bool) -> str:
    query: QueryDict = request.GET.copy()
    query.pop("cursor", None)
    query.pop(name, None)
    if not is_on:
        query[name] = "1"
    return "?" + query.urlencode()


@login_required
@require_GET
def queue_page(request: AuthenticatedRequest) -> HttpResponse:
    """The reports the user's bodies hold, most urgent first, with counts per status. For
    operators and supervisors; 404 for anyone else."""
    user = request.user
    if not access.roles_of(user) & QUEUE_ROLES:
        raise Http404
    filters = queues.QueueFilters.from_params(request.GET)
    rows, next_cursor = queues.held_page(user, filters, cursor=request.GET.get("cursor", ""))
    formatter = RowFormatter(timezone.now())
    scope = (
        access.bodies_actionable_by(user)
        .order_by("path")
        .only("id", "name", "depth", "path", "province_id")
    )
    bodies = list(scope[: BODY_CHOICES_MAX + 1])
    # The regions of the bodies' provinces; a central body's holdings come from anywhere.
    body_provinces: set[int] | None = {b.province_id for b in bodies if b.province_id}
    if any(b.province_id is None for b in bodies):
        body_provinces = None
    # A large subtree (a ministry, Kemendagri) is searched by name; the select lists matches.
    body_q = request.GET.get("body_q", "").strip()[:100]
    is_body_search = len(bodies) > BODY_CHOICES_MAX
    if is_body_search:
        body_provinces = None
        if body_q:
            bodies = list(scope.filter(name__icontains=body_q)[:BODY_CHOICES_MAX])
        elif filters.body:
            bodies = list(scope.filter(pk=filters.body))
        else:
            bodies = []
    top = min((b.depth for b in bodies), default=1)
    due_before = timezone.localtime(filters.due_before).date() if filters.due_before else None
    overdue_count, due_soon_count = queues.deadline_counts(user, filters)
    return render(
        request,
        "routing/queue.html",
        {
            **_common(filters),
            **_region_options(filters, body_provinces),
            **page_links(request, next_cursor),
            "rows": [formatter.row(report) for report in rows],
            "labels": formatter.labels(),
            "status_links": _status_links(request, filters, queues.status_counts(user, filters)),
            "overdue_count": overdue_count,
            "overdue_url": _overdue_url(request, filters),
            "due_soon_count": due_soon_count,
            "due_soon_url": _due_soon_url(request, filters),
            "body_choices": [(b.pk, "— " * (b.depth - top) + b.name) for b in bodies],
            "is_body_search": is_body_search,
            "body_q": body_q,
            "shows_holder": is_body_search or len(bodies) > 1,
            "due_before_value": due_before.isoformat() if due_before else "",
            "sorts": [
                ("due", _("Paling mendesak")),
                ("age", _("Terlama dipegang")),
                ("newest", _("Terbaru diterima")),
            ],
            "filters_params": filters.as_params(),
            "assignee_links": _assignee_links(request, filters),
            **_bulk_assign_context(request, filters),
        },
    )


def _bulk_assign_context(request: AuthenticatedRequest, filters: queues.QueueFilters
                         ) -> dict[str, Any]:
    """The checkboxes and the "assign to" select of a supervisor's queue (none for an
    operator); the reports checked before a refused try stay checked (``picked``)."""
    user = request.user
    if Role.SUPERVISOR not in access.roles_of(user):
        return {"bulk_form": None}
    choices = routing_selectors.bulk_assignee_choices(user, body=filters.body)
    return {
        "bulk_form": BulkAssignForm(choices=choices, auto_id="bulk_%s"),
        "picked": set(request.GET.getlist("picked")),
        "queue_path": request.get_full_path(),
    }


@login_required
@require_POST
def queue_assign(request: AuthenticatedRequest) -> HttpResponse:
    """Assign the reports checked in the queue to one person (a supervisor's bulk action,
    without JavaScript); back to the same queue, saying what was assigned and what not."""
    user = request.user
    if Role.SUPERVISOR not in access.roles_of(user):
        raise Http404
    back = request.POST.get("next", "")
    queue_url = reverse("routing:queue")
    if not back.startswith(queue_url) or not url_has_allowed_host_and_scheme(
            back, allowed_hosts=None):
        back = queue_url
    numbers = request.POST.getlist("reports")
    form = BulkAssignForm(request.POST, choices=routing_selectors.bulk_assignee_choices(user))
    try:
        if not form.is_valid():
            raise Invalid(" ".join(str(e) for e in form.errors.get("assignee", [])))
        result = assignments.assign_many(numbers=numbers, actor=user,
                                         assignee=form.cleaned_data["assignee"])
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(_with_picked(back, numbers))
    if result.assigned:
        messages.success(request, ngettext(
            "%(n)d laporan ditugaskan ke %(name)s.", "%(n)d laporan ditugaskan ke %(name)s.",
            len(result.assigned)) % {"n": len(result.assigned),
                                     "name": form.cleaned_data["assignee"].full_name})
    for number, why in result.refused.items():
        messages.error(request, f"{number}: {why}")
    return redirect(_with_picked(back, list(result.refused)))


def _with_picked(url: str, numbers: list[str]) -> str:
    """``url`` with the numbers to show checked again."""
    if not numbers:
        return url
    path, _sep, query = url.partition("?")
    params = QueryDict(query, mutable=True)
    params.setlist("picked", numbers)
    return f"{path}?{params.urlencode()}"
