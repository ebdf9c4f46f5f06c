"""Reads of reports, scoped to what the viewer may see. No view builds its own filter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_

from django.contrib.auth.models import AnonymousUser
from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies import access
from agencies.models import Body, Membership, Role, User
from complaints.models import (
    VERIFIED_STATUSES,
    Attachment,
    Category,
    EventKind,
    Notification,
    Report,
    ReportEvent,
    ReportStatus,
    Visibility,
)
from complaints.tracking_numbers import normalise

AnyUser = User | AnonymousUser


def active_categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True)


def public_reports() -> QuerySet[Report]:
    """Verified, non-confidential reports: what anyone may see. Matches the condition of the
    partial index ``report_public_feed_idx``."""
    return Report.objects.filter(
        is_confidential=False, status__in=[s.value for s in VERIFIED_STATUSES]
    )


def reports_of(user: User) -> QuerySet[Report]:
    """The citizen's own reports and drafts, newest first, with the places the API shows."""
    return (
        Report.objects.filter(reporter=user)
        .select_related("category", "holder_body", "province", "regency", "district",
                        "duplicate_of")
        .order_by("-created_at", "-id")
    )


def drafts_of(user: User) -> QuerySet[Report]:
    return reports_of(user).filter(status=ReportStatus.DRAFT)


def assisted_drafts_of(user: User) -> QuerySet[Report]:
    """Drafts a staff member keeps for people they file for (assisted intake)."""
    return Report.objects.filter(entered_by=user, reporter__isnull=True,
                                 status=ReportStatus.DRAFT)


def is_reporter(user: AnyUser, report: Report) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and report.reporter_id == user.pk


# The events that hand a report to a body: every body they name held the report once.
MOVE_EVENTS = (
    EventKind.DISPOSITIONED, EventKind.DISPOSED_DOWN, EventKind.REDIRECTED, EventKind.ESCALATED,
)


def holder_ids(report: Report) -> set[int]:
    """Every body that held the report, the present holder included (one query)."""
    held = set(
        ReportEvent.objects.filter(report=report, kind__in=MOVE_EVENTS, to_body__isnull=False)
        .values_list("to_body_id", flat=True)
    )
    if report.holder_body_id is not None:
        held.add(report.holder_body_id)
    return held


def _works_for_a_former_holder(user: AnyUser, report: Report) -> bool:
    """An operator of, or a supervisor above, a body that held the report before."""
    memberships = access.memberships_of(user)
    if not any(m.role in (Role.OPERATOR, Role.SUPERVISOR) for m in memberships):
        return False
    former = Body.objects.filter(pk__in=holder_ids(report) - {report.holder_body_id})
    return any(access.may_act_on_holdings(user, body) for body in former)


def copied_bodies(report: Report) -> list[Body]:
    """The bodies the report was copied to (tembusan), in the order it was copied."""
    return list(Body.objects.filter(report_copies__report=report).order_by(
        "report_copies__at", "report_copies__id"))


def copy_followed_by(user: AnyUser, report: Report) -> Body | None:
    """The copied body for which ``user`` follows the report (its operators, the supervisors
    above it), or None. No query for a user without an operator's or supervisor's role."""
    memberships = access.memberships_of(user)
    if not any(m.role in (Role.OPERATOR, Role.SUPERVISOR) for m in memberships):
        return None
    return access.follows_copy(user, copied_bodies(report))


def _covers_as_verifier(user: AnyUser, report: Report) -> bool:
    return any(
        m.role == Role.VERIFIER
        and (m.body.province_id is None or m.body.province_id == report.province_id)
        for m in access.memberships_of(user)
    )


def _supervises_its_verifiers(user: AnyUser, report: Report) -> bool:
    """A supervisor above verifiers who cover the report's province: the people told when its
    verification is late (routing.sweep), who must be able to open it."""
    paths = [m.body.path for m in access.memberships_of(user) if m.role == Role.SUPERVISOR]
    if not paths:
        return False
    return Membership.objects.filter(
        role=Role.VERIFIER, is_active=True, user__is_active=True,
    ).filter(
        Q(body__province_id=report.province_id) | Q(body__province__isnull=True)
    ).filter(reduce(or_, (Q(body__path__startswith=path) for path in paths))).exists()


def _is_ombudsman_officer_of(user: AnyUser, report: Report) -> bool:
    return report.ombudsman_office_id is not None and any(
        m.role == Role.OMBUDSMAN_OFFICER
        and (m.body_id == report.ombudsman_office_id or m.body.kind == Body.Kind.OMBUDSMAN)
        for m in access.memberships_of(user)
    )


def is_staff_viewer(user: AnyUser, report: Report) -> bool:
    """Staff who may open the report's staff page: those who may see its holder's holdings
    (its operators, the supervisors above it, verifiers and Ombudsman officers of its
    province), the staff of a body that held it before or that it was copied to, its
    Ombudsman office once escalated, a verifier whose scope covers it while it waits for
    verification, the system admin."""
    if not getattr(user, "is_authenticated", False):
        return False
    holder = report.holder_body  # None without a query when the report has no holder
    if holder is not None and access.may_view_holdings(user, holder):
        return True
    if access.is_system_admin(user) or _is_ombudsman_officer_of(user, report):
        return True
    if report.status in (ReportStatus.SUBMITTED, ReportStatus.POSTPONED) and (
        _covers_as_verifier(user, report) or _supervises_its_verifiers(user, report)
    ):
        return True
    return _works_for_a_former_holder(user, report) or copy_followed_by(user, report) is not None


def may_read_internal(user: AnyUser, report: Report) -> bool:
    """May ``user`` read the report's staff-only events and files (internal notes, the
    verifier's note to the body, breaches)? The staff of the bodies that hold or held it or
    that it was copied to (and those above them), the verifiers of its province, its
    Ombudsman office once it was escalated, the system admin. Never the public, the
    reporter, or another body's staff; an Ombudsman officer of the province sees the report
    but not its internal notes before it is escalated."""
    if not getattr(user, "is_authenticated", False):
        return False
    if access.is_system_admin(user) or _is_ombudsman_officer_of(user, report):
        return True
    if _covers_as_verifier(user, report):
        return True
    holder = report.holder_body  # None without a query when the report has no holder
    if holder is not None and access.may_act_on_holdings(user, holder):
        return True
    return _works_for_a_former_holder(user, report) or copy_followed_by(user, report) is not None


def may_view_report(user: AnyUser, report: Report) -> bool:
    if report.status == ReportStatus.DRAFT:
        return is_reporter(user, report)
    return report.is_public or is_reporter(user, report) or is_staff_viewer(user, report)


def _by_number(raw: str) -> Report | None:
    number = normalise(raw)
    if number is None:
        return None
    return (
        Report.objects.select_related("category", "holder_body", "province", "regency", "district",
                                      "duplicate_of")
        .filter(tracking_number=number)
        .first()
    )


def lookup_by_tracking_number(user: AnyUser, raw: str) -> Report | None:
    """The report with this number if the user may see it (a confidential one: its reporter
    and staff only). None for a number that does not exist or may not be seen: the answer
    does not tell which, so numbers cannot be probed."""
    report = _by_number(raw)
    if report is None or not may_view_report(user, report):
        return None
    return report


def public_timeline(report: Report) -> QuerySet[ReportEvent]:
    """The report's public events, newest first: what the public, the public API, the feed
    and the look-up by number show."""
    return _timeline(report, (Visibility.PUBLIC,))


def reporter_timeline(report: Report) -> QuerySet[ReportEvent]:
    """What the reporter reads, newest first (their page, the citizen's API, their data
    export): the public events and those meant for them and staff (a verifier's reason for
    changing what the public sees), never the staff-only ones."""
    return _timeline(report, (Visibility.PUBLIC, Visibility.REPORTER))


def _timeline(report: Report, visibilities: tuple[str, ...]) -> QuerySet[ReportEvent]:
    return (
        ReportEvent.objects.filter(report=report, visibility__in=visibilities)
        .select_related("actor_body", "from_body", "to_body")
        .order_by("-seq")
    )


def timeline_for(viewer: AnyUser, report: Report) -> QuerySet[ReportEvent]:
    """The report's events as ``viewer`` may read them on the staff side, newest first: all of
    them (with the acting staff member) for those who may read internal notes, else what the
    reporter reads."""
    if not may_read_internal(viewer, report):
        return reporter_timeline(report)
    return (
        ReportEvent.objects.filter(report=report)
        .select_related("actor_body", "from_body", "to_body", "actor")
        .order_by("-seq")
    )


@dataclass(frozen=True)
class TrackedReport:
    """What a look-up by number shows. Anyone holding the number of a report that is not
    confidential learns its status and dates, so a new reporter is told that it waits for
    verification; ``report`` (title, description, place, files, timeline) is there only for
    who may see the report: everyone once it is verified, its reporter, staff."""

    tracking_number: str
    status: CitizenStatus
    submitted_at: datetime | None
    verified_at: datetime | None
    closed_at: datetime | None
    report: Report | None  # None: the status and dates only

    @property
    def shows_content(self) -> bool:
        return self.report is not None


def track_by_tracking_number(user: AnyUser, raw: str) -> TrackedReport | None:
    """The look-up of ``raw``: None for a number that does not exist, a draft, and a
    confidential report the user may not see, alike, so numbers cannot be probed."""
    report = _by_number(raw)
    # A submitted report always has its number (report_submitted_has_tracking_number).
    if report is None or report.status == ReportStatus.DRAFT or report.tracking_number is None:
        return None
    visible = may_view_report(user, report)
    if not visible and report.is_confidential:
        return None
    return TrackedReport(
        tracking_number=report.tracking_number,
        status=citizen_status(report, user),
        submitted_at=report.submitted_at,
        verified_at=report.verified_at,
        closed_at=report.closed_at,
        report=report if visible else None,
    )


@dataclass(frozen=True)
class CitizenStatus:
    """A report's status as citizens read it: the stored status's label, except that a
    duplicate says which report it was merged into and where ``viewer`` can follow that one."""

    value: str  # the stored status
    label: str
    merged_into: str | None = None  # the tracking number of the report that carries on
    merged_into_url: str | None = None  # its page the viewer may open; None: just the number


def citizen_status(report: Report, viewer: AnyUser) -> CitizenStatus:
    """The one place that names a report's status to citizens (pages, look-up, citizen API).
    The stored status of a duplicate stays "rejected"; only what it reads as changes."""
    original = report.duplicate_of if report.duplicate_of_id else None
    if original is None or report.status != ReportStatus.REJECTED:
        return CitizenStatus(value=report.status, label=str(report.get_status_display()))
    number = original.tracking_number
    url = None
    if is_reporter(viewer, original):
        url = reverse("complaints:my-report", args=[number])
    elif original.is_public:
        url = reverse("public:detail", args=[number])
    return CitizenStatus(
        value=report.status, label=_("Digabung dengan %(number)s") % {"number": number},
        merged_into=number, merged_into_url=url,
    )


def visible_attachments(user: AnyUser, report: Report) -> QuerySet[Attachment]:
    """The report's files ``user`` may see: staff-only ones for those who read internal notes,
    files hidden from the public for its reporter and staff (who see them flagged)."""
    attachments = report.attachments.all()
    if not may_read_internal(user, report):
        attachments = attachments.filter(is_staff_only=False)
    if not _sees_hidden_files(user, report):
        attachments = attachments.filter(hidden_at__isnull=True)
    return attachments


def public_attachments() -> QuerySet[Attachment]:
    """Files any visitor of a public report may see: not internal, not hidden by a
    verifier. Every public copy (page, API, feed, export of public data) starts here."""
    return Attachment.objects.filter(is_staff_only=False, hidden_at__isnull=True)


def _sees_hidden_files(user: AnyUser, report: Report) -> bool:
    """A file hidden from the public is still there for the reporter, the person who
    attached it and staff who may open the report."""
    return is_reporter(user, report) or is_staff_viewer(user, report)


def reporter_label(report: Report, viewer: AnyUser) -> str:
    """How the reporter is named to ``viewer``: never by name for an anonymous report, except
    to the reporter themself."""
    if is_reporter(viewer, report):
        return _("Anda")
    if report.is_anonymous:
        return _("Anonim")
    if report.reporter is not None and report.reporter.erased_at is None:
        return report.reporter.full_name
    return report.contact_name or _("Warga")


def notifications_of(user: User) -> QuerySet[Notification]:
    """The user's notifications, unread first, then newest: the order of the index
    ``notification_inbox_idx``."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return (
        Notification.objects.filter(user=user)
        .select_related("report")
        .order_by(unread.desc(), "-created_at", "-id")
    )


def with_public_attachments(queryset: QuerySet[Report]) -> QuerySet[Report]:
    return queryset.prefetch_related(
        Prefetch("attachments", queryset=public_attachments())
    )


def attachment_for(user: AnyUser, pk: int) -> Attachment | None:
    """The attachment if ``user`` may see it: its report is visible to them, and a staff-only
    file only to staff. None otherwise, so the caller answers 404 either way."""
    attachment = Attachment.objects.select_related("report").filter(pk=pk).first()
    if attachment is None or not may_view_report(user, attachment.report):
        return None
    if attachment.is_staff_only and not may_read_internal(user, attachment.report):
        return None
    if attachment.is_hidden and not (
        _sees_hidden_files(user, attachment.report)
        or (user.is_authenticated and attachment.uploaded_by_id == user.pk)
    ):
        return None
    return attachment


def sees_original_photos(user: AnyUser, report: Report) -> bool:
    """Whether ``user`` gets a report's photos as they were sent, faces included: its reporter
    (they took them) and the staff who may open its staff page. Everyone else, and every
    public page or API whoever reads it, gets the public copy (faces blurred)."""
    return is_reporter(user, report) or is_staff_viewer(user, report)


def filter_reports(
    queryset: QuerySet[Report], *, province: str = "", regency: str = "", category: str = "",
    kind: str = "",
) -> QuerySet[Report]:
    """The filters every list of reports offers (public feed, staff queues): place by
    Kemendagri code, category by slug, kind. Empty values filter nothing."""
    if province:
        queryset = queryset.filter(province__code=province)
    if regency:
        queryset = queryset.filter(regency__code=regency)
    if category:
        queryset = queryset.filter(category__slug=category)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset
