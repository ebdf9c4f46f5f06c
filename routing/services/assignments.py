"""The named assignee inside the holding body: an operator takes a report ("Ambil"), a
supervisor assigns or reassigns one or many. Each assignment is a staff-only event (the
citizen still sees only the body) and tells the assignee; a move to another body clears it
(routing.services.moves)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from agencies import access
from agencies.models import Body, User
from complaints.lifecycle import record_act
from complaints.models import EventKind, Report, ReportStatus, Visibility
from complaints.services.notifications import notify_staff, quoted_title
from lapor.errors import DomainError, Invalid, NotAllowed
from routing.services.moves import lock

# A report can be held by a named person while its body owes it something.
ASSIGNABLE_STATUSES = (ReportStatus.DISPOSITIONED, ReportStatus.IN_PROGRESS,
                       ReportStatus.RESOLVED)
BULK_MAX = 100


def _holder(report: Report) -> Body:
    holder = report.holder_body
    if holder is None or report.status not in ASSIGNABLE_STATUSES:
        raise Invalid(_("Laporan ini tidak sedang dipegang instansi."))
    return holder


@transaction.atomic
def take_report(*, report: Report, actor: User, expected_version: int | None = None,
                seen_seq: int | None = None) -> Report:
    """Ambil: the actor becomes the report's assignee. Someone else's report is reassigned
    only by a supervisor."""
    report = lock(report, expected_version, seen_seq)
    holder = _holder(report)
    if not access.may_hold_for(actor, holder):
        raise NotAllowed(_("Laporan ini tidak dipegang oleh instansi Anda."))
    if report.assignee_id == actor.pk:
        raise Invalid(_("Anda sudah memegang laporan ini."))
    if report.assignee_id is not None and not access.may_assign_within(actor, holder):
        raise NotAllowed(_("Laporan ini sudah dipegang petugas lain; minta pimpinan Anda "
                           "untuk memindahkannya."))
    _assign(report, holder=holder, assignee=actor, actor=actor)
    return report


@transaction.atomic
def assign_report(*, report: Report, actor: User, assignee: User,
                  expected_version: int | None = None, seen_seq: int | None = None) -> Report:
    """A supervisor of the holder (or above it) assigns the report to one of those who may act
    for the holder."""
    report = lock(report, expected_version, seen_seq)
    holder = _holder(report)
    if not access.may_assign_within(actor, holder):
        raise NotAllowed(_("Hanya pimpinan instansi yang dapat menugaskan laporan."))
    if not access.may_hold_for(assignee, holder):
        raise Invalid(_("%(name)s bukan petugas %(body)s.")
                      % {"name": assignee.full_name, "body": holder.name}, field="assignee")
    if report.assignee_id == assignee.pk:
        raise Invalid(_("Laporan ini sudah dipegang %(name)s.") % {"name": assignee.full_name},
                      field="assignee")
    _assign(report, holder=holder, assignee=assignee, actor=actor)
    return report


def _assign(report: Report, *, holder: Body, assignee: User, actor: User) -> None:
    """The core: the report is locked and the assignment checked."""
    previous = report.assignee
    report.assignee = assignee
    record_act(report, event=EventKind.ASSIGNED, changed=("assignee",), bumps_version=False,
               actor=actor, actor_body=holder, visibility=Visibility.STAFF,
               note=_("Dipegang %(name)s.") % {"name": assignee.full_name},
               data={"assignee": assignee.pk, "assignee_name": assignee.full_name,
                     "previous": previous.pk if previous else None})
    if assignee.pk != actor.pk:
        with translation.override("id"):
            notify_staff(
                users=[assignee], report=report,
                title=_("Laporan untuk Anda: %(number)s") % {"number": report.tracking_number},
                message=_("%(actor)s menugaskan laporan “%(title)s” kepada Anda.")
                % {"actor": actor.full_name, "title": quoted_title(report)},
                url=reverse("routing:report", args=[report.tracking_number]),
            )


@dataclass
class BulkResult:
    assigned: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # number → why


def assign_many(*, numbers: Iterable[str], actor: User, assignee: User) -> BulkResult:
    """Assign several reports (from the queue's checkboxes) to one person, each in its own
    transaction: one that cannot be assigned (moved meanwhile, another body's) is named with
    its reason, the others are assigned."""
    wanted = list(dict.fromkeys(n.strip() for n in numbers if n.strip()))
    if not wanted:
        raise Invalid(_("Centang laporan yang akan ditugaskan."), field="reports")
    if len(wanted) > BULK_MAX:
        raise Invalid(_("Paling banyak %(n)d laporan sekaligus.") % {"n": BULK_MAX},
                      field="reports")
    found = {r.tracking_number: r for r in
             Report.objects.select_related("holder_body").filter(tracking_number__in=wanted)}
    result = BulkResult()
    for number in wanted:
        report = found.get(number)
        if report is None or report.holder_body is None or not access.may_view_holdings(
                actor, report.holder_body):
            result.refused[number] = _("Laporan tidak ditemukan.")
            continue
        try:
            assign_report(report=report, actor=actor, assignee=assignee)
        except DomainError as exc:
            result.refused[number] = str(exc)
        else:
            result.assigned.append(number)
    return result
