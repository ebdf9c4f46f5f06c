"""Copies (*tembusan*): the holder copies a report to other bodies (a province road reported to
a city, a ministry and its regional office). Their staff follow it in a "Tembusan" queue, read
its internal notes and add their own for the staff of every body involved, and are told of
its final answer; a copied body holds no clock and cannot act for the holder."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agencies.models import Body, Membership, Role, User
from complaints.lifecycle import record_act
from complaints.models import EventKind, Report, ReportCopy, Visibility
from complaints.services.notifications import notify_staff, quoted_title
from lapor.errors import Invalid
from routing.services.handling import NOTE_MAX, require_handler
from routing.services.moves import lock


@transaction.atomic
def copy_report(*, report: Report, actor: User, to_body: Body, note: str = "",
                expected_version: int | None = None, seen_seq: int | None = None) -> Report:
    """Copy the report to ``to_body``, with a note for the staff (never the citizen)."""
    report = lock(report, expected_version, seen_seq)
    holder = require_handler(actor, report)
    if not to_body.is_active:
        raise Invalid(_("Instansi tujuan tidak aktif."), field="to_body")
    if to_body.pk == holder.pk:
        raise Invalid(_("Laporan ini dipegang instansi itu sendiri."), field="to_body")
    if ReportCopy.objects.filter(report=report, body=to_body).exists():
        raise Invalid(_("Laporan ini sudah ditembuskan ke %(body)s.") % {"body": to_body.name},
                      field="to_body")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise Invalid(_("Paling banyak %(n)d karakter.") % {"n": NOTE_MAX}, field="note")
    now = timezone.now()
    ReportCopy.objects.create(report=report, body=to_body, by=actor, at=now)
    record_act(report, event=EventKind.COPIED, bumps_version=False, actor=actor,
               actor_body=holder, to_body=to_body, note=note, visibility=Visibility.STAFF,
               at=now)
    with translation.override("id"):
        notify_staff(
            users=_staff_of(to_body), report=report,
            title=_("Tembusan: %(number)s") % {"number": report.tracking_number},
            message=_("%(holder)s menembuskan laporan “%(title)s” kepada %(body)s untuk "
                      "diketahui; penanganannya tetap oleh %(holder)s.")
            % {"holder": holder.name, "title": quoted_title(report), "body": to_body.name},
            url=reverse("routing:report", args=[report.tracking_number]),
        )
    return report


def _staff_of(body: Body) -> list[User]:
    members = Membership.objects.filter(
        body=body, role__in=[Role.OPERATOR, Role.SUPERVISOR], is_active=True,
        user__is_active=True,
    ).values("user_id")
    return list(User.objects.filter(pk__in=members))
