"""Escalation to the Ombudsman RI after 60 working days without follow-up: the report goes to
the Ombudsman office of its province (the body still holds it), its supervisor and the citizen
are told, and a signed notice is queued for the Ombudsman's case system."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Body, Membership, Role
from complaints.lifecycle import record_act
from complaints.models import EventKind, Report
from complaints.services.notifications import notify_reporter, notify_staff, quoted_title
from routing import webhooks


def office_for(report: Report) -> Body:
    """The Ombudsman office of the report's province, or Ombudsman RI itself."""
    if report.province_id is not None:
        office = Body.objects.filter(
            kind=Body.Kind.OMBUDSMAN_OFFICE, province_id=report.province_id, is_active=True
        ).first()
        if office is not None:
            return office
    return Body.objects.get(kind=Body.Kind.OMBUDSMAN)


def escalate_to_ombudsman(*, report: Report, at: datetime | None = None) -> Report:
    """The caller holds the report's lock and has claimed the breached clock."""
    now = at or timezone.now()
    office = office_for(report)
    report.ombudsman_office = office
    report.escalated_at = now
    event = record_act(
        report, event=EventKind.OMBUDSMAN_ESCALATED, changed=("ombudsman_office", "escalated_at"),
        actor_body=report.holder_body, from_body=report.holder_body, to_body=office, at=now,
        note=_("Tidak selesai ditindaklanjuti dalam 60 hari kerja; diteruskan ke %(office)s. "
               "Instansi tetap wajib menindaklanjuti.") % {"office": office.name},
    )
    notify_reporter(
        report=report,
        message=_("Laporan Anda diteruskan ke %(office)s karena belum selesai "
                  "ditindaklanjuti dalam 60 hari kerja.") % {"office": office.name},
    )
    _notify_staff(report, office)
    webhooks.enqueue(report=report, event_kind=EventKind.OMBUDSMAN_ESCALATED, payload={
        "event": "report.escalated",
        "tracking_number": report.tracking_number,
        "title": report.title,
        "description": report.description,
        "kind": report.kind,
        "category": report.category.name if report.category else None,
        "province": report.province.code if report.province else None,
        "regency": report.regency.code if report.regency else None,
        "holder_body": report.holder_body.name if report.holder_body else None,
        "ombudsman_office": office.name,
        "first_dispositioned_at": report.first_dispositioned_at.isoformat()
        if report.first_dispositioned_at else None,
        "escalated_at": now.isoformat(),
        "event_seq": event.seq,
        "is_anonymous": report.is_anonymous,
        "url": f"{settings.SITE_URL}/petugas/laporan/{report.tracking_number}/",
    })
    return report


def _notify_staff(report: Report, office: Body) -> None:
    """The holding body's operators and the supervisors above it, and the office's officers."""
    holder = report.holder_body
    bodies_above = [holder.path[:i] for i in range(Body.steplen, len(holder.path) + 1,
                                                   Body.steplen)] if holder else []
    members = Membership.objects.filter(is_active=True, user__is_active=True).filter(
        Q(body__path__in=bodies_above, role=Role.SUPERVISOR)
        | Q(body=holder, role=Role.OPERATOR)
        | Q(body=office, role=Role.OMBUDSMAN_OFFICER)
    ).select_related("user")
    notify_staff(
        users=(m.user for m in members), report=report,
        title=_("Laporan %(number)s diteruskan ke Ombudsman RI")
        % {"number": report.tracking_number},
        message=_("Laporan “%(title)s” tidak selesai ditindaklanjuti dalam 60 hari kerja dan "
                  "kini diawasi %(office)s.")
        % {"title": quoted_title(report), "office": office.name},
        url=reverse("routing:report", args=[report.tracking_number]),
    )
