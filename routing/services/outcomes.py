"""The verification outcomes of SP4N-LAPOR! V3 besides disposition, rejection, duplicate and
asking the citizen to complete (routing.services.verification): postpone (*Tunda*, back in the
verification queue on a chosen date), not a matter for any body in the system (*Bukan
wewenang*, the citizen is told where to go), and archive (*Arsipkan*: greetings, tests, empty
reports). Each is an act through ``complaints.lifecycle.record_act`` with its own event and
status, which is also its category in statistics (``OUTCOME_STATUSES``).

``return_due(now)`` (beat, every minute) hands postponed reports back to the verification
queue on their date, exactly once, reading only those due through the partial index
``report_postponed_return_idx``.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies import access
from agencies.models import TimeZone, User
from complaints.lifecycle import record_act
from complaints.models import EventKind, Report, ReportStatus
from complaints.services.notifications import for_citizens, notify_reporter
from lapor.errors import Invalid, NotAllowed
from routing import clocks
from routing.models import Clock, ClockKind, ExternalChannel
from routing.services.moves import lock
from routing.services.verification import require_verifier

# How far ahead a report may be postponed.
POSTPONE_MAX_DAYS = 90
REASON_MAX = 2_000
BATCH_SIZE = 200

ARCHIVE_REASONS = {
    "greeting": gettext_lazy("Salam, ucapan atau terima kasih"),
    "test": gettext_lazy("Uji coba"),
    "empty": gettext_lazy("Kosong atau tidak bermakna"),
    "other": gettext_lazy("Alasan lain"),
}

# The statistics category of each verification outcome: the status it leaves the report in
# (a duplicate is "rejected" with rejection_reason "duplicate").
OUTCOME_STATUSES = {
    "disposition": ReportStatus.DISPOSITIONED,
    "reject": ReportStatus.REJECTED,
    "postpone": ReportStatus.POSTPONED,
    "refer-out": ReportStatus.REFERRED_OUT,
    "archive": ReportStatus.ARCHIVED,
}


def _text(value: str, *, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(message, field=field)
    if len(value) > REASON_MAX:
        raise Invalid(_("Paling banyak %(n)d karakter.") % {"n": REASON_MAX}, field=field)
    return value


def _zone(report: Report) -> ZoneInfo:
    province = report.province  # None without a query when the report has no province
    return ZoneInfo(province.time_zone if province is not None else TimeZone.WIB)


def date_label(day: dt.date) -> str:
    """"2 Desember 2026", in the language that is active."""
    return formats.date_format(day, "j F Y")


@transaction.atomic
def postpone_report(
    *, report: Report, actor: User, reason: str, returns_on: dt.date,
    expected_version: int | None = None, seen_seq: int | None = None,
) -> Report:
    """Tunda: take a new report out of the verification queue until ``returns_on`` (the start
    of that day in the report's province), with a reason the citizen reads. Its verification
    clock keeps running, unless its policy pauses it (``pauses_when_postponed``): then it
    stops now and a clock with the time it had left starts when the report returns."""
    report = lock(report, expected_version, seen_seq)
    require_verifier(actor, report)
    reason = _text(reason, field="reason", message=_("Tuliskan alasan penundaan."))
    now = timezone.now()
    zone = _zone(report)
    today = now.astimezone(zone).date()
    if returns_on <= today:
        raise Invalid(_("Pilih tanggal setelah hari ini."), field="returns_on")
    if returns_on > today + dt.timedelta(days=POSTPONE_MAX_DAYS):
        raise Invalid(_("Paling lama %(n)d hari dari hari ini.") % {"n": POSTPONE_MAX_DAYS},
                      field="returns_on")
    report.returns_at = dt.datetime.combine(returns_on, dt.time(0, 0), tzinfo=zone)
    running = clocks.running(report, ClockKind.VERIFICATION)
    paused = running is not None and running.policy.pauses_when_postponed
    left = max(0.0, (running.due_at - now).total_seconds()) if running and paused else 0.0
    if paused:
        clocks.stop(report, ClockKind.VERIFICATION, at=now, outcome=Clock.Outcome.PAUSED)
    with for_citizens():
        label = date_label(returns_on)
    record_act(report, event=EventKind.POSTPONED, status=ReportStatus.POSTPONED,
               changed=("returns_at",), actor=actor, note=reason, at=now,
               data={"returns_on": returns_on.isoformat(), "returns_on_label": label,
                     "clock_paused": paused, "seconds_left": left})
    with for_citizens():
        message = _("Verifikasi laporan Anda ditunda sampai %(date)s. %(reason)s") % {
            "date": label, "reason": reason}
    notify_reporter(report=report, message=message)
    return report


def return_due(now: dt.datetime | None = None, *, batch_size: int = BATCH_SIZE) -> int:
    """Hand every postponed report whose date has come back to the verification queue;
    returns how many. Each batch is claimed with ``FOR UPDATE SKIP LOCKED`` and returned in
    its transaction, so two runs at once, a repeated run or a catch-up after downtime return
    each report exactly once (a returned report is no longer postponed)."""
    now = now or timezone.now()
    returned = 0
    while True:
        with transaction.atomic():
            due = list(
                Report.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("province")
                .filter(status=ReportStatus.POSTPONED, returns_at__lte=now)
                .order_by("returns_at", "id")[:batch_size]
            )
            for report in due:
                _return_to_verification(report, at=now)
            returned += len(due)
        if len(due) < batch_size:
            return returned


def _return_to_verification(report: Report, *, at: dt.datetime) -> None:
    """The core of ``return_due``: the caller holds the row lock of a postponed report."""
    postponed = report.events.filter(kind=EventKind.POSTPONED).order_by("-seq").first()
    data = postponed.data if postponed is not None else {}
    report.returns_at = None
    record_act(report, event=EventKind.POSTPONEMENT_ENDED, status=ReportStatus.SUBMITTED,
               changed=("returns_at",), at=at)
    if data.get("clock_paused"):
        clocks.start(report, ClockKind.VERIFICATION, at=at,
                     due_at=at + dt.timedelta(seconds=float(data.get("seconds_left", 0))))
    with for_citizens():
        message = _("Laporan Anda kembali ke antrean verifikasi.")
    notify_reporter(report=report, message=message)


@transaction.atomic
def refer_out(
    *, report: Report, actor: User, channel: ExternalChannel, note: str = "",
    expected_version: int | None = None, seen_seq: int | None = None,
) -> Report:
    """Bukan wewenang: the report is no matter for any body in the system (a court case, a
    crime for the police, a private dispute); it ends here and the citizen is told where to
    take it, from the system admin's list of external channels."""
    report = lock(report, expected_version, seen_seq)
    require_verifier(actor, report)
    if not channel.is_active:
        raise Invalid(_("Saluran itu tidak aktif lagi; pilih yang lain."), field="channel")
    note = (note or "").strip()[:REASON_MAX]
    now = timezone.now()
    report.closed_at = now
    record_act(report, event=EventKind.REFERRED_OUT, status=ReportStatus.REFERRED_OUT,
               changed=("closed_at",), actor=actor, note=note, at=now,
               data={"channel": channel.pk, "channel_name": channel.name,
                     "channel_description": channel.description, "channel_url": channel.url,
                     "channel_contact": channel.contact})
    clocks.stop(report, ClockKind.VERIFICATION, at=now)
    where = " · ".join(part for part in (channel.contact, channel.url) if part)
    with for_citizens():
        message = _("Silakan sampaikan laporan Anda ke %(channel)s%(where)s: laporan ini "
                    "bukan wewenang instansi dalam LAPOR!") % {
            "channel": channel.name, "where": f" ({where})" if where else ""}
    notify_reporter(report=report, message=f"{message} {note}".strip())
    return report


@transaction.atomic
def archive_report(
    *, report: Report, actor: User, reason: str, note: str = "",
    expected_version: int | None = None, seen_seq: int | None = None,
) -> Report:
    """Arsipkan: a greeting, a test, an empty report is archived with a reason; it is never
    public and counts in no public figure (only verified reports do)."""
    report = lock(report, expected_version, seen_seq)
    require_verifier(actor, report)
    if reason not in ARCHIVE_REASONS:
        raise Invalid(_("Pilih alasan pengarsipan."), field="reason")
    note = (note or "").strip()[:REASON_MAX]
    if reason == "other" and not note:
        raise Invalid(_("Jelaskan alasan pengarsipan."), field="note")
    now = timezone.now()
    report.closed_at = now
    with for_citizens():
        label = str(ARCHIVE_REASONS[reason])
    record_act(report, event=EventKind.ARCHIVED, status=ReportStatus.ARCHIVED,
               changed=("closed_at",), actor=actor, note=note, at=now,
               data={"reason": reason, "reason_label": label})
    clocks.stop(report, ClockKind.VERIFICATION, at=now)
    with for_citizens():
        message = _("Laporan Anda diarsipkan: %(reason)s.") % {"reason": label}
    notify_reporter(report=report, message=f"{message} {note}".strip())
    return report


def external_channels() -> list[ExternalChannel]:
    return list(ExternalChannel.objects.filter(is_active=True))


@transaction.atomic
def save_external_channel(*, actor: User, channel: ExternalChannel) -> ExternalChannel:
    """The system admin adds or edits an external channel (deactivated, never deleted: the
    history of reports sent there names it)."""
    if not access.is_system_admin(actor):
        raise NotAllowed(_("Saluran di luar LAPOR! diatur oleh admin sistem."))
    channel.name = channel.name.strip()
    if not channel.name:
        raise Invalid(_("Isi nama saluran."), field="name")
    channel.save()
    return channel
