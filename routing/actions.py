"""The staff actions on a report, in one registry used by the staff page and the API alike:
each action's form, who may take it, the service it calls (routing.services) and the message
after it. Views and API views only look actions up here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies import access
from agencies.models import User
from complaints.models import Attachment, Report, ReportStatus
from complaints.selectors import copy_followed_by
from complaints.tracking_numbers import normalise
from lapor.errors import Invalid
from routing import permissions
from routing.forms import (
    ArchiveForm,
    AssignForm,
    AttachmentVisibilityForm,
    CopyForm,
    DisposeDownForm,
    DispositionForm,
    DuplicateForm,
    NoteActionForm,
    PostponeForm,
    PriorityForm,
    PublicCopyForm,
    RedirectForm,
    ReferOutForm,
    RejectForm,
    ResolveForm,
    StaffActionForm,
)
from routing.services import (
    assignments,
    copies,
    handling,
    moderation,
    outcomes,
    verification,
)


@dataclass(frozen=True)
class Action:
    """A staff action on a report: its form (the page's and the API's validation alike), who
    may take it (a verifier on a new report, or the holding body), the service it calls and
    what the person is told. Keyed by its page path (Indonesian); ``api_name`` is its name in
    the API."""

    api_name: str
    form: type[StaffActionForm]
    label: Any
    verification: bool  # a verifier's action on a new report; else the holding body's
    run: Callable[[Report, User, dict[str, Any], list[Any]], Report]
    done: Any  # the success message, with %(number)s
    # Who reads what the form's text field says: shown under it, so nobody writes for the
    # citizen what is meant for staff, or the other way round.
    audience: Any = None
    # The text field a response template fills (the answers to the citizen), if any.
    template_field: str | None = None
    # Who may take it, when not the verifier's or the holding body's rule (an assignment).
    allowed: Callable[[User, Report], bool] | None = None
    # After it, the actor goes on working on the same report (a moderation act by a verifier
    # who does not handle it), not to the next one of their queue.
    stays_on_report: bool = False
    # Taken on one of the report's files (its form names the attachment): the page shows it
    # beside each file, not among the report's actions.
    per_attachment: bool = False


PUBLIC_TEXT = gettext_lazy("Dibaca pelapor dan tampil di halaman publik laporan.")
CITIZEN_TEXT = gettext_lazy("Dibaca pelapor.")
STAFF_TEXT = gettext_lazy("Hanya untuk petugas; tidak tampil untuk pelapor atau publik.")


def _common(data: dict[str, Any]) -> dict[str, Any]:
    return {"expected_version": data["version"], "seen_seq": data.get("seen_seq")}


ACTIONS: dict[str, Action] = {
    "disposisi": Action(
        "disposition",
        DispositionForm, gettext_lazy("Teruskan ke instansi"), True,
        lambda r, u, d, f: verification.disposition_report(
            report=r, to_body=d["body"], actor=u, note=d.get("note", ""), **_common(d)),
        gettext_lazy("%(number)s diteruskan ke instansi."), STAFF_TEXT,
    ),
    "tolak": Action(
        "reject",
        RejectForm, gettext_lazy("Tolak"), True,
        lambda r, u, d, f: verification.reject_report(
            report=r, actor=u, reason=d["reason"], note=d.get("note", ""), **_common(d)),
        gettext_lazy("%(number)s ditolak; pelapor diberi tahu alasannya."), CITIZEN_TEXT,
    ),
    "duplikat": Action(
        "mark-duplicate",
        DuplicateForm, gettext_lazy("Tandai duplikat"), True,
        lambda r, u, d, f: verification.mark_duplicate(
            report=r, original=_original(d["original"]), actor=u, note=d.get("note", ""),
            **_common(d)),
        gettext_lazy("%(number)s digabung dengan laporan aslinya; pelapor diberi tahu."),
        CITIZEN_TEXT,
    ),
    "minta-lengkapi": Action(
        "request-completion",
        NoteActionForm, gettext_lazy("Minta pelapor melengkapi"), True,
        lambda r, u, d, f: verification.request_completion(
            report=r, actor=u, note=d.get("note", ""), **_common(d)),
        gettext_lazy("Permintaan melengkapi %(number)s terkirim ke pelapor."), CITIZEN_TEXT,
    ),
    "tunda": Action(
        "postpone",
        PostponeForm, gettext_lazy("Tunda"), True,
        lambda r, u, d, f: outcomes.postpone_report(
            report=r, actor=u, reason=d.get("reason", ""), returns_on=d["returns_on"],
            **_common(d)),
        gettext_lazy("%(number)s ditunda; laporan kembali ke antrean pada tanggalnya."),
        CITIZEN_TEXT,
    ),
    "bukan-wewenang": Action(
        "refer-out",
        ReferOutForm, gettext_lazy("Bukan wewenang"), True,
        lambda r, u, d, f: outcomes.refer_out(
            report=r, actor=u, channel=d["channel"], note=d.get("note", ""), **_common(d)),
        gettext_lazy("%(number)s bukan wewenang instansi dalam LAPOR!; pelapor diarahkan ke "
                     "saluran yang tepat."), CITIZEN_TEXT,
    ),
    "arsipkan": Action(
        "archive",
        ArchiveForm, gettext_lazy("Arsipkan"), True,
        lambda r, u, d, f: outcomes.archive_report(
            report=r, actor=u, reason=d["reason"], note=d.get("note", ""), **_common(d)),
        gettext_lazy("%(number)s diarsipkan."), CITIZEN_TEXT,
    ),
    "prioritas": Action(
        "set-priority",
        PriorityForm, gettext_lazy("Ubah prioritas"), True,
        lambda r, u, d, f: verification.set_priority(
            report=r, actor=u, priority=d["priority"], reason=d.get("reason", ""),
            **_common(d)),
        gettext_lazy("Prioritas %(number)s diubah."), STAFF_TEXT,
    ),
    "tanggapi": Action(
        "respond",
        NoteActionForm, gettext_lazy("Tanggapi pelapor"), False,
        lambda r, u, d, f: handling.respond(
            report=r, actor=u, note=d.get("note", ""), **_common(d)),
        gettext_lazy("Tanggapan untuk %(number)s terkirim."), PUBLIC_TEXT, "note",
    ),
    "disposisi-bawah": Action(
        "dispose-down",
        DisposeDownForm, gettext_lazy("Disposisi ke unit di bawah"), False,
        lambda r, u, d, f: handling.dispose_down(
            report=r, actor=u, to_body=d["to_body"], note=d.get("note", ""), **_common(d)),
        gettext_lazy("%(number)s didisposisikan ke unit."), STAFF_TEXT,
    ),
    "alihkan": Action(
        "redirect",
        RedirectForm, gettext_lazy("Alihkan ke instansi lain"), False,
        lambda r, u, d, f: handling.redirect(
            report=r, actor=u, to_body=d["body"], reason=d.get("reason", ""),
            confirm_return=d.get("confirm_return", False), **_common(d)),
        gettext_lazy("%(number)s dialihkan."), PUBLIC_TEXT,
    ),
    "eskalasi": Action(
        "escalate",
        NoteActionForm, gettext_lazy("Naikkan ke instansi induk"), False,
        lambda r, u, d, f: handling.escalate(
            report=r, actor=u, note=d.get("note", ""), **_common(d)),
        gettext_lazy("%(number)s dinaikkan ke instansi induk."), STAFF_TEXT,
    ),
    "minta-info": Action(
        "request-information",
        NoteActionForm, gettext_lazy("Minta informasi dari pelapor"), False,
        lambda r, u, d, f: handling.request_information(
            report=r, actor=u, note=d.get("note", ""), **_common(d)),
        gettext_lazy("Permintaan informasi untuk %(number)s terkirim."), PUBLIC_TEXT, "note",
    ),
    "tembuskan": Action(
        "copy",
        CopyForm, gettext_lazy("Tembuskan ke instansi lain"), False,
        lambda r, u, d, f: copies.copy_report(
            report=r, actor=u, to_body=d["body"], note=d.get("note", ""), **_common(d)),
        gettext_lazy("%(number)s ditembuskan; instansi itu dapat mengikutinya."), STAFF_TEXT,
    ),
    "catatan": Action(
        "add-internal-note",
        NoteActionForm, gettext_lazy("Catatan internal"), False,
        lambda r, u, d, f: handling.add_internal_note(report=r, actor=u, note=d.get("note", "")),
        gettext_lazy("Catatan pada %(number)s disimpan (hanya untuk petugas)."), STAFF_TEXT,
        # The holder's staff, and those of every body the report was copied to.
        allowed=lambda u, r: permissions.may_handle(u, r) or copy_followed_by(u, r) is not None,
    ),
    "ambil": Action(
        "take",
        StaffActionForm, gettext_lazy("Ambil"), False,
        lambda r, u, d, f: assignments.take_report(report=r, actor=u, **_common(d)),
        gettext_lazy("Anda kini memegang %(number)s."),
        allowed=lambda u, r: _may_take(u, r),
    ),
    "tugaskan": Action(
        "assign",
        AssignForm, gettext_lazy("Tugaskan ke petugas"), False,
        lambda r, u, d, f: assignments.assign_report(
            report=r, actor=u, assignee=d["assignee"], **_common(d)),
        gettext_lazy("%(number)s ditugaskan; petugas itu diberi tahu."),
        allowed=lambda u, r: _may_assign(u, r),
    ),
    "selesaikan": Action(
        "resolve",
        ResolveForm, gettext_lazy("Beri jawaban akhir"), False,
        lambda r, u, d, f: handling.resolve(
            report=r, actor=u, answer=d.get("answer", ""), uploads=f,
            held=d.get("held_attachments") or [], **_common(d)),
        gettext_lazy("Jawaban akhir untuk %(number)s terkirim; pelapor dapat menerima atau "
                     "membantahnya."), PUBLIC_TEXT, "answer",
    ),
    "salinan-publik": Action(
        "edit-public-copy",
        PublicCopyForm, gettext_lazy("Ubah salinan publik"), False,
        lambda r, u, d, f: moderation.edit_public_copy(
            report=r, actor=u, title=d.get("title", ""), description=d.get("description", ""),
            reason=d.get("reason", ""), **_common(d)),
        gettext_lazy("Salinan publik %(number)s diubah; pelapor diberi tahu alasannya."),
        allowed=permissions.may_moderate, stays_on_report=True,
    ),
    "sembunyikan-lampiran": Action(
        "hide-attachment",
        AttachmentVisibilityForm, gettext_lazy("Sembunyikan dari publik"), False,
        lambda r, u, d, f: _hide(r, u, d),
        gettext_lazy("Lampiran %(number)s disembunyikan dari publik; pelapor diberi tahu."),
        allowed=lambda u, r: permissions.may_moderate(u, r), stays_on_report=True,
        per_attachment=True,
    ),
    "tampilkan-lampiran": Action(
        "unhide-attachment",
        AttachmentVisibilityForm, gettext_lazy("Tampilkan lagi"), False,
        lambda r, u, d, f: _unhide(r, u, d),
        gettext_lazy("Lampiran %(number)s ditampilkan lagi untuk publik; pelapor diberi tahu."),
        allowed=lambda u, r: permissions.may_moderate(u, r), stays_on_report=True,
        per_attachment=True,
    ),
}


def _attachment(report: Report, pk: int) -> Attachment:
    attachment = Attachment.objects.filter(pk=pk, report=report).first()
    if attachment is None:
        raise Invalid(_("Lampiran itu bukan lampiran laporan ini."), field="attachment")
    return attachment


def _hide(report: Report, actor: User, data: dict[str, Any]) -> Report:
    moderation.hide_attachment(attachment=_attachment(report, data["attachment"]), actor=actor,
                               reason=data.get("reason", ""))
    return report


def _unhide(report: Report, actor: User, data: dict[str, Any]) -> Report:
    moderation.unhide_attachment(attachment=_attachment(report, data["attachment"]),
                                 actor=actor, reason=data.get("reason", ""))
    return report


def _original(raw: str) -> Report:
    number = normalise(raw)
    report = Report.objects.filter(tracking_number=number).first() if number else None
    if report is None:
        raise Invalid(_("Laporan asli dengan nomor itu tidak ditemukan."), field="original")
    return report


def _assignable(report: Report) -> bool:
    return report.holder_body is not None and report.status in assignments.ASSIGNABLE_STATUSES


def _may_assign(user: User, report: Report) -> bool:
    holder = report.holder_body
    return holder is not None and _assignable(report) and access.may_assign_within(user, holder)


def _may_take(user: User, report: Report) -> bool:
    """Ambil: not one's own already; someone else's only for a supervisor (a reassignment)."""
    if not _assignable(report) or report.assignee_id == user.pk:
        return False
    assert report.holder_body is not None  # _assignable
    if not access.may_hold_for(user, report.holder_body):
        return False
    return report.assignee_id is None or access.may_assign_within(user, report.holder_body)


def available_actions(user: User, report: Report) -> list[str]:
    """The page paths of the actions ``user`` may take on ``report`` now."""
    verifies = report.status == ReportStatus.SUBMITTED and permissions.may_verify(user, report)
    handles = permissions.may_handle(user, report)
    names: list[str] = []
    for name, action in ACTIONS.items():
        if action.verification:
            allowed = verifies
        elif action.allowed is not None:
            allowed = action.allowed(user, report)
        else:
            allowed = handles and report.status in handling.HANDLED_STATUSES
        if allowed:
            names.append(name)
    return names




BY_API_NAME: dict[str, str] = {action.api_name: slug for slug, action in ACTIONS.items()}
