"""Reads of reports, scoped to what the viewer may see. No view builds its own filter."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from agencies import access
from agencies.models import User
from complaints.models import (
    VERIFIED_STATUSES,
    Attachment,
    Category,
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
        .select_related("category", "holder_body", "province", "regency", "district")
        .order_by("-created_at", "-id")
    )


def drafts_of(user: User) -> QuerySet[Report]:
    return reports_of(user).filter(status=ReportStatus.DRAFT)


def is_reporter(user: AnyUser, report: Report) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and report.reporter_id == user.pk


def is_staff_viewer(user: AnyUser, report: Report) -> bool:
    """Staff who may see this report: those who may see its holder's holdings, or a verifier
    whose scope covers it while it waits for verification."""
    if not getattr(user, "is_authenticated", False):
        return False
    if report.holder_body_id is not None and access.may_view_holdings(user, report.holder_body):
        return True
    if access.is_system_admin(user):
        return True
    if report.ombudsman_office_id is not None:
        for membership in access.memberships_of(user):
            if membership.role == "ombudsman_officer" and (
                membership.body_id == report.ombudsman_office_id
                or membership.body.kind == "ombudsman"
            ):
                return True
    if report.status == ReportStatus.SUBMITTED:
        for membership in access.memberships_of(user):
            if membership.role == "verifier" and (
                membership.body.province_id is None
                or membership.body.province_id == report.province_id
            ):
                return True
    return False


def may_view_report(user: AnyUser, report: Report) -> bool:
    if report.status == ReportStatus.DRAFT:
        return is_reporter(user, report)
    return report.is_public or is_reporter(user, report) or is_staff_viewer(user, report)


def lookup_by_tracking_number(user: AnyUser, raw: str) -> Report | None:
    """The report with this number if the user may see it (a confidential one: its reporter
    and staff only). None for a number that does not exist or may not be seen: the answer
    does not tell which, so numbers cannot be probed."""
    number = normalise(raw)
    if number is None:
        return None
    report = (
        Report.objects.select_related("category", "holder_body", "province", "regency", "district")
        .filter(tracking_number=number)
        .first()
    )
    if report is None or not may_view_report(user, report):
        return None
    return report


def timeline(report: Report, *, staff: bool) -> QuerySet[ReportEvent]:
    """The report's events, newest first: public ones for citizens and the public, all of
    them for staff."""
    events = ReportEvent.objects.filter(report=report).select_related(
        "actor_body", "from_body", "to_body"
    )
    if staff:
        events = events.select_related("actor")
    else:
        events = events.filter(visibility=Visibility.PUBLIC)
    return events.order_by("-seq")


def visible_attachments(user: AnyUser, report: Report) -> QuerySet[Attachment]:
    attachments = report.attachments.all()
    if not is_staff_viewer(user, report):
        attachments = attachments.filter(is_staff_only=False)
    return attachments


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
        Prefetch("attachments", queryset=Attachment.objects.filter(is_staff_only=False))
    )


def attachment_for(user: AnyUser, pk: int) -> Attachment | None:
    """The attachment if ``user`` may see it: its report is visible to them, and a staff-only
    file only to staff. None otherwise, so the caller answers 404 either way."""
    attachment = Attachment.objects.select_related("report").filter(pk=pk).first()
    if attachment is None or not may_view_report(user, attachment.report):
        return None
    if attachment.is_staff_only and not is_staff_viewer(user, attachment.report):
        return None
    return attachment


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
