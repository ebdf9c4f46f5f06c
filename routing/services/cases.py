"""Cases (*kasus bersama*): a body's staff group reports it holds about one same matter and
answer them once. A case's final answer is the ordinary final answer (``handling.resolve``)
given to each of its reports in one transaction: each citizen receives it on their own report
and number, each report's clocks are met, and the statistics count each report."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies import access
from agencies.models import User
from complaints.lifecycle import record_act
from complaints.models import EventKind, Report, Visibility
from lapor.errors import Invalid, NotAllowed
from routing import permissions
from routing.models import Case, CaseReport
from routing.services import handling
from routing.services.handling import HANDLED_STATUSES

CASE_MAX = 100
TITLE_MAX = 150


@transaction.atomic
def group_reports(*, numbers: Iterable[str], title: str, actor: User) -> Case:
    """Group the reports ``numbers`` (at least two, all held by one body ``actor`` may act
    for, open, and in no case yet) into a new case called ``title``."""
    wanted = list(dict.fromkeys(n.strip() for n in numbers if n.strip()))
    if len(wanted) < 2:
        raise Invalid(_("Centang paling sedikit dua laporan untuk digabung menjadi kasus."),
                      field="reports")
    if len(wanted) > CASE_MAX:
        raise Invalid(_("Paling banyak %(n)d laporan dalam satu kasus.") % {"n": CASE_MAX},
                      field="reports")
    title = title.strip()
    if not title:
        raise Invalid(_("Beri judul kasus, mis. “Jembatan Kali Garang rusak”."), field="title")
    if len(title) > TITLE_MAX:
        raise Invalid(_("Judul kasus paling panjang %(n)d karakter.") % {"n": TITLE_MAX},
                      field="title")
    reports = list(Report.objects.select_for_update(of=("self",)).select_related("holder_body")
                   .filter(tracking_number__in=wanted).order_by("submitted_at", "id"))
    found = {r.tracking_number for r in reports}
    missing = [n for n in wanted if n not in found]
    if missing or any(not permissions.may_handle(actor, r) for r in reports):
        number = missing[0] if missing else next(
            r.tracking_number for r in reports if not permissions.may_handle(actor, r))
        raise NotAllowed(_("%(number)s tidak dipegang oleh instansi Anda.") % {"number": number})
    bodies = {r.holder_body_id for r in reports}
    if len(bodies) > 1:
        raise Invalid(_("Satu kasus hanya untuk laporan yang dipegang satu instansi."),
                      field="reports")
    for report in reports:
        if report.status not in HANDLED_STATUSES:
            raise Invalid(_("%(number)s tidak sedang ditangani (%(status)s).") % {
                "number": report.tracking_number, "status": report.get_status_display()},
                field="reports")
    taken = list(CaseReport.objects.filter(report__in=reports)
                 .values_list("report__tracking_number", flat=True))
    if taken:
        raise Invalid(_("%(number)s sudah termasuk kasus lain.") % {"number": taken[0]},
                      field="reports")
    holder = reports[0].holder_body
    assert holder is not None  # may_handle
    case = Case.objects.create(holder_body=holder, title=title, created_by=actor)
    CaseReport.objects.bulk_create([CaseReport(case=case, report=r) for r in reports])
    note = _("Digabung dalam kasus bersama “%(title)s” (%(n)d laporan).") % {
        "title": title, "n": len(reports)}
    for report in reports:
        record_act(report, event=EventKind.INTERNAL_NOTE, bumps_version=False, actor=actor,
                   actor_body=holder, note=note, visibility=Visibility.STAFF)
    return case


def case_reports(case: Case) -> QuerySet[Report]:
    return (Report.objects.filter(case_membership__case=case)
            .select_related("category", "regency", "district", "holder_body")
            .order_by("submitted_at", "id"))


def may_answer(user: User, case: Case) -> bool:
    return access.may_act_on_holdings(user, case.holder_body)


def answerable(case: Case) -> list[Report]:
    """The case's reports its body still holds and handles: those its answer goes to."""
    return [r for r in case_reports(case)
            if r.holder_body_id == case.holder_body_id and r.status in HANDLED_STATUSES]


@transaction.atomic
def answer_case(*, case: Case, actor: User, answer: str) -> list[Report]:
    """Give one final answer to every report of the case the body still handles, each
    through ``handling.resolve`` (its citizen told on their own report, its clocks met), all
    or none."""
    if not may_answer(actor, case):
        raise NotAllowed(_("Kasus ini bukan milik instansi Anda."))
    reports = answerable(case)
    if not reports:
        raise Invalid(_("Tidak ada laporan dalam kasus ini yang masih menunggu jawaban."))
    answered = [handling.resolve(report=r, actor=actor, answer=answer) for r in reports]
    case.answered_at = timezone.now()
    case.answered_by = actor
    case.save(update_fields=["answered_at", "answered_by"])
    return answered
