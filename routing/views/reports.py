"""The staff page of one report: its facts, path, full history, and the actions the viewer
may take (verification or handling), each a small form calling one service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agencies import access
from agencies.models import User
from complaints import selectors as complaint_selectors
from complaints.models import Report, ReportStatus
from complaints.tracking_numbers import normalise
from lapor.errors import DomainError, Invalid
from lapor.page_errors import show_on_form
from routing import permissions
from routing.clocks import HOLDER_CLOCKS
from routing.forms import (
    DisposeDownForm,
    DispositionForm,
    DuplicateForm,
    NoteActionForm,
    RedirectForm,
    RejectForm,
    ResolveForm,
    RevealForm,
    StaffActionForm,
    TemplateForm,
)
from routing.models import Clock, ClockKind, ResponseTemplate
from routing.rules import suggest
from routing.services import handling, identity, templates, verification
from routing.services.moves import holder_path
from routing.views.queues import QUEUE_ROLES, deadline_text, staff_home


@dataclass(frozen=True)
class Action:
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


PUBLIC_TEXT = gettext_lazy("Dibaca pelapor dan tampil di halaman publik laporan.")
CITIZEN_TEXT = gettext_lazy("Dibaca pelapor.")
STAFF_TEXT = gettext_lazy("Hanya untuk petugas; tidak tampil untuk pelapor atau publik.")


def _common(data: dict[str, Any]) -> dict[str, Any]:
    return {"expected_version": data["version"], "seen_seq": data.get("seen_seq")}


ACTIONS: dict[str, Action] = {
    "disposisi": Action(
        DispositionForm, gettext_lazy("Teruskan ke instansi"), True,
        lambda r, u, d, f: verification.disposition_report(
            report=r, to_body=d["body"], actor=u, note=d.get("note", ""), **_common(d)),
        gettext_lazy("%(number)s diteruskan ke instansi."), STAFF_TEXT,
    ),
    "tolak": Action(
        RejectForm, gettext_lazy("Tolak"), True,
        lambda r, u, d, f: verification.reject_report(
            report=r, actor=u, reason=d["reason"], note=d.get("note", ""), **_common(d)),
        gettext_lazy("%(number)s ditolak; pelapor diberi tahu alasannya."), CITIZEN_TEXT,
    ),
    "duplikat": Action(
        DuplicateForm, gettext_lazy("Tandai duplikat"), True,
        lambda r, u, d, f: verification.mark_duplicate(
            report=r, original=_original(d["original"]), actor=u, note=d.get("note", ""),
            **_common(d)),
        gettext_lazy("%(number)s digabung dengan laporan aslinya; pelapor diberi tahu."),
        CITIZEN_TEXT,
    ),
    "minta-lengkapi": Action(
        NoteActionForm, gettext_lazy("Minta pelapor melengkapi"), True,
        lambda r, u, d, f: verification.request_completion(
            report=r, actor=u, note=d.get("note", ""), **_common(d)),
        gettext_lazy("Permintaan melengkapi %(number)s terkirim ke pelapor."), CITIZEN_TEXT,
    ),
    "tanggapi": Action(
        NoteActionForm, gettext_lazy("Tanggapi pelapor"), False,
        lambda r, u, d, f: handling.respond(
            report=r, actor=u, note=d.get("note", ""), **_common(d)),
        gettext_lazy("Tanggapan untuk %(number)s terkirim."), PUBLIC_TEXT, "note",
    ),
    "disposisi-bawah": Action(
        DisposeDownForm, gettext_lazy("Disposisi ke unit di bawah"), False,
        lambda r, u, d, f: handling.dispose_down(
            report=r, actor=u, to_body=d["to_body"], note=d.get("note", ""), **_common(d)),
        gettext_lazy("%(number)s didisposisikan ke unit."), STAFF_TEXT,
    ),
    "alihkan": Action(
        RedirectForm, gettext_lazy("Alihkan ke instansi lain"), False,
        lambda r, u, d, f: handling.redirect(
            report=r, actor=u, to_body=d["body"], reason=d.get("reason", ""),
            confirm_return=d.get("confirm_return", False), **_common(d)),
        gettext_lazy("%(number)s dialihkan."), PUBLIC_TEXT,
    ),
    "eskalasi": Action(
        NoteActionForm, gettext_lazy("Naikkan ke instansi induk"), False,
        lambda r, u, d, f: handling.escalate(
            report=r, actor=u, note=d.get("note", ""), **_common(d)),
        gettext_lazy("%(number)s dinaikkan ke instansi induk."), STAFF_TEXT,
    ),
    "minta-info": Action(
        NoteActionForm, gettext_lazy("Minta informasi dari pelapor"), False,
        lambda r, u, d, f: handling.request_information(
            report=r, actor=u, note=d.get("note", ""), **_common(d)),
        gettext_lazy("Permintaan informasi untuk %(number)s terkirim."), PUBLIC_TEXT, "note",
    ),
    "catatan": Action(
        NoteActionForm, gettext_lazy("Catatan internal"), False,
        lambda r, u, d, f: handling.add_internal_note(report=r, actor=u, note=d.get("note", "")),
        gettext_lazy("Catatan pada %(number)s disimpan (hanya untuk petugas)."), STAFF_TEXT,
    ),
    "selesaikan": Action(
        ResolveForm, gettext_lazy("Beri jawaban akhir"), False,
        lambda r, u, d, f: handling.resolve(
            report=r, actor=u, answer=d.get("answer", ""), uploads=f,
            held=d.get("held_attachments") or [], **_common(d)),
        gettext_lazy("Jawaban akhir untuk %(number)s terkirim; pelapor dapat menerima atau "
                     "membantahnya."), PUBLIC_TEXT, "answer",
    ),
}


def _original(raw: str) -> Report:
    number = normalise(raw)
    report = Report.objects.filter(tracking_number=number).first() if number else None
    if report is None:
        raise Invalid(_("Laporan asli dengan nomor itu tidak ditemukan."), field="original")
    return report


def _staff_report(request: HttpRequest, tracking_number: str) -> Report:
    report = get_object_or_404(
        Report.objects.select_related(
            "category", "holder_body", "province", "regency", "district", "reporter",
            "duplicate_of", "ombudsman_office",
        ),
        tracking_number=tracking_number,
    )
    if not complaint_selectors.is_staff_viewer(request.user, report):
        raise Http404  # another body's report does not exist for this user
    return report


def _available(user: User, report: Report) -> list[str]:
    names: list[str] = []
    if report.status == ReportStatus.SUBMITTED and permissions.may_verify(user, report):
        names += [n for n, a in ACTIONS.items() if a.verification]
    if permissions.may_handle(user, report):
        if report.status in handling.HANDLED_STATUSES:
            names += [n for n, a in ACTIONS.items() if not a.verification]
        else:
            names.append("catatan")
    return names


def _context(request: HttpRequest, report: Report, bound: dict[str, Any]) -> dict[str, Any]:
    events = list(complaint_selectors.timeline_for(request.user, report))
    last_seq = events[0].seq if events else 0
    initial = {"version": report.version, "seen_seq": last_seq}
    available = _available(request.user, report)
    forms: list[tuple[str, Action, Any]] = []
    for name in available:
        action = ACTIONS[name]
        form = bound.get(name)
        if form is None:
            form = action.form(initial=dict(initial),
                               **_form_kwargs(name, action, report, request.user))
        forms.append((name, action, form))
    rule = suggest(report) if report.status == ReportStatus.SUBMITTED else None
    if rule is not None:
        for name, _action, form in forms:
            if name == "disposisi" and not form.is_bound:
                form.initial.update({"to_body": rule.body.pk, "to_body_query": rule.body.name})
    path = holder_path(report)
    seen: set[int] = set()
    path_rows = []
    for body in path:
        path_rows.append((body, body.pk in seen))
        seen.add(body.pk)
    return {
        "report": report,
        "home": staff_home(request.user),
        "events": events,
        "attachments": complaint_selectors.visible_attachments(request.user, report),
        "forms": forms,
        "rule": rule,
        "path": path_rows,
        "response_templates": [
            (t, templates.render(t, report)) for t in templates.templates_for(report)
        ] if any(ACTIONS[n].template_field for n in available) else [],
        "reveal_form": bound.get("reveal") or RevealForm(),
        "identity": bound.get("identity"),
        "may_reveal": (not report.is_anonymous) or access.is_system_admin(request.user),
        **deadline_context(report),
    }


def deadline_context(report: Report) -> dict[str, Any]:
    """The report's clocks, and what the holder owes now: its earliest unmet deadline (a
    breached one included) with "sisa …" / "terlambat …", and its current first-response
    clock, for the facts at the top of the page."""
    clocks = list(Clock.objects.filter(report=report).select_related("body", "policy")
                  .order_by("started_at", "id"))
    now = timezone.now()
    due = next((c for c in sorted(clocks, key=lambda c: c.due_at)
                if c.kind in HOLDER_CLOCKS and c.stopped_at is None), None)
    first_response = next((c for c in reversed(clocks) if c.kind == ClockKind.FIRST_RESPONSE
                           and c.body_id == report.holder_body_id), None)
    return {
        "clocks": clocks,
        "due_clock": due,
        "due_text": deadline_text(due.due_at, now) if due else "",
        "is_overdue": due is not None and due.due_at < now,
        "first_response_clock": first_response,
    }


@login_required
def report_page(request: HttpRequest, tracking_number: str) -> HttpResponse:
    report = _staff_report(request, tracking_number)
    return render(request, "routing/report.html", _context(request, report, {}))


def _form_kwargs(name: str, action: Action, report: Report, user: User) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"auto_id": f"id_{name}_%s"}
    if action.form is DisposeDownForm:
        kwargs["holder"] = report.holder_body
    if action.form is ResolveForm:
        kwargs["held"] = handling.held_answer_files(report, user)
    return kwargs


def _with_template(request: HttpRequest, report: Report, action: Action) -> Any:
    """The posted data with the chosen response template's text in the action's text field:
    "Pakai templat" without JavaScript (with it, the select fills the field at once)."""
    data = request.POST.copy()
    chosen = next((t for t in templates.templates_for(report)
                   if str(t.pk) == request.POST.get("template")), None)
    if chosen is not None and action.template_field:
        data[action.template_field] = templates.render(chosen, report)
    return data


@login_required
@require_POST
def report_action(request: HttpRequest, tracking_number: str, action: str) -> HttpResponse:
    report = _staff_report(request, tracking_number)
    if action not in ACTIONS or action not in _available(request.user, report):
        raise Http404
    spec = ACTIONS[action]
    kwargs = _form_kwargs(action, spec, report, request.user)
    uploads = request.FILES.getlist("attachments")
    held_now: list[int] = []
    if uploads and spec.form is ResolveForm:
        # Kept first, whatever becomes of the answer: a failed try loses no file.
        try:
            held_now = [a.pk for a in handling.hold_answer_files(
                report=report, actor=request.user, uploads=uploads)]
        except DomainError as exc:
            form = spec.form(request.POST, **kwargs)
            form.add_error("attachments", str(exc))
            return _render_action_form(request, report, action, form)
    data = _with_template(request, report, spec) if "use_template" in request.POST \
        else request.POST.copy()
    for pk in held_now:
        data.appendlist("held_attachments", str(pk))
    form = spec.form(data, **kwargs)
    if "use_template" in request.POST:
        form.is_valid()  # shown again, filled, with nothing run
        form.errors.clear()
        return _render_action_form(request, report, action, form, status=200)
    if form.is_valid():
        try:
            spec.run(report, request.user, form.cleaned_data, [])
        except DomainError as exc:
            show_on_form(form, exc)
            return _render_action_form(request, report, action, form, status=exc.status)
        else:
            messages.success(request, str(spec.done) % {"number": report.tracking_number})
            report.refresh_from_db()
            if spec.verification or not permissions.may_handle(request.user, report):
                # Verified, rejected, merged, or sent to a body outside the actor's reach:
                # their work continues with the next report of their queue.
                return redirect(staff_home(request.user).url)
            return redirect("routing:report", tracking_number=tracking_number)
    return _render_action_form(request, report, action, form)


def _render_action_form(request: HttpRequest, report: Report, action: str, form: Any, *,
                        status: int = 400) -> HttpResponse:
    report.refresh_from_db()
    context = _context(request, report, {action: form})
    context["open_action"] = action
    return render(request, "routing/report.html", context, status=status)


@login_required
@require_POST
def reveal_reporter(request: HttpRequest, tracking_number: str) -> HttpResponse:
    """Show the reporter's identity to this staff member, once, and log that they saw it."""
    report = _staff_report(request, tracking_number)
    form = RevealForm(request.POST)
    form.is_valid()
    bound: dict[str, Any] = {"reveal": form}
    try:
        bound["identity"] = identity.reveal_reporter(
            report=report, viewer=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except DomainError as exc:
        show_on_form(form, exc)
    context = _context(request, report, bound)
    return render(request, "routing/report.html", context, status=200 if "identity" in bound
                  else 400)


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    """The response templates a staff member may use; supervisors (and the system admin)
    also add and delete those of the bodies they administer."""
    user = request.user
    if not access.roles_of(user) & QUEUE_ROLES and not access.is_system_admin(user):
        raise Http404
    administered = access.bodies_administered_by(user)
    may_edit = administered.exists()
    form = None
    if may_edit:
        form = TemplateForm(request.POST or None)
        form.fields["body"].queryset = administered.order_by("path")
        if request.method == "POST" and form.is_valid():
            try:
                templates.create_template(
                    body=form.cleaned_data["body"], title=form.cleaned_data["title"],
                    text=form.cleaned_data["text"], actor=user,
                )
            except DomainError as exc:
                show_on_form(form, exc)
            else:
                messages.success(request, _("Templat disimpan."))
                return redirect("routing:templates")
    elif request.method == "POST":
        raise Http404
    items = [(t, access.may_administer(user, t.body))
             for t in templates.templates_visible_to(user)]
    return render(request, "routing/templates.html",
                  {"form": form, "items": items, "home": staff_home(user)},
                  status=400 if form is not None and form.errors else 200)


@login_required
@require_POST
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(ResponseTemplate.objects.select_related("body"), pk=pk)
    if not access.may_administer(request.user, template.body):
        raise Http404
    templates.delete_template(template=template, actor=request.user)
    messages.success(request, _("Templat dihapus."))
    return redirect("routing:templates")
