""""Sudah tuntas?": some days after a body's final answer (``SOLVED_CHECK_AFTER_DAYS``) the
citizen is asked, once, whether the problem was really solved (yes / partly / no, with a
comment). "No" on a report still awaiting the citizen's verdict offers to reopen it (the
dispute of ``citizen.dispute_resolution``). The answers feed the statistics
(``routing.statistics``).

The sweep reads only the reports due through the partial index ``report_solved_check_due_idx``
and claims each with a conditional update, so two sweeps at once ask each citizen once."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import User
from complaints.lifecycle import record_act
from complaints.models import EventKind, Report, ReportStatus, SolvedAnswer
from complaints.services.citizen import NOTE_MAX
from complaints.services.notifications import notify_reporter
from lapor.errors import Invalid, NotAllowed

BATCH = 200
# Statuses in which the question still makes sense (a disputed report is open again and has
# no final answer; resolved_at is cleared then).
ASKED_STATUSES = (ReportStatus.RESOLVED, ReportStatus.CLOSED)


def ask_due(*, now: datetime | None = None, batch: int = BATCH) -> int:
    """Ask every citizen whose final answer is at least the policy's days old and who was not
    asked yet. Returns how many were asked by this call."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SOLVED_CHECK_AFTER_DAYS)
    asked = 0
    while True:
        ids = list(
            Report.objects.filter(solved_asked_at__isnull=True, resolved_at__isnull=False,
                                  resolved_at__lte=cutoff)
            .order_by("resolved_at", "id").values_list("id", flat=True)[:batch]
        )
        if not ids:
            return asked
        for report_id in ids:
            asked += _ask_one(report_id, now)


@transaction.atomic
def _ask_one(report_id: int, now: datetime) -> int:
    # Claim once: only the sweep whose update changed the row asks.
    if not Report.objects.filter(pk=report_id, solved_asked_at__isnull=True).update(
        solved_asked_at=now
    ):
        return 0
    report = Report.objects.get(pk=report_id)
    if report.status not in ASKED_STATUSES or report.reporter_id is None and not (
        report.contact_email
    ):
        return 1  # claimed, nobody to ask: never asked again
    notify_reporter(
        report=report,
        message=_("Sudah tuntas? Beri tahu kami apakah masalah Anda benar-benar selesai."),
    )
    return 1


@transaction.atomic
def answer_solved(*, report: Report, actor: User, answer: str, comment: str = "") -> Report:
    """The reporter answers "Sudah tuntas?" once: yes, partly or no, with a comment."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.reporter_id is None or locked.reporter_id != actor.pk:
        raise NotAllowed(_("Hanya pelapor yang dapat melakukan ini."))
    if locked.solved_asked_at is None or locked.status not in ASKED_STATUSES:
        raise Invalid(_("Pertanyaan “Sudah tuntas?” belum diajukan untuk laporan ini."))
    if locked.solved_answered_at is not None:
        raise Invalid(_("Anda sudah menjawab pertanyaan ini."))
    if answer not in SolvedAnswer.values:
        raise Invalid(_("Pilih salah satu jawaban."), field="answer")
    comment = (comment or "").strip()
    if len(comment) > NOTE_MAX:
        raise Invalid(_("Komentar paling banyak %(max)d karakter.") % {"max": NOTE_MAX},
                      field="comment")
    now = timezone.now()
    locked.solved_answer, locked.solved_comment, locked.solved_answered_at = answer, comment, now
    # The comment stays on the report (read by the reporter and the staff), not in the public
    # timeline: it may hold personal details.
    record_act(locked, event=EventKind.SOLVED_ANSWERED,
               changed=("solved_answer", "solved_comment", "solved_answered_at"),
               bumps_version=False, actor=actor, data={"answer": answer}, at=now)
    return locked
