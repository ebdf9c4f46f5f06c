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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agencies import access
from agencies.models import User
from complaints import selectors as complaint_selectors
from complaints.errors import ReportError
from complaints.models import Report, ReportStatus
from complaints.tracking_numbers import normalise
from routing import permissions
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
from routing.models import Clock, ResponseTemplate
from routing.rules import suggest
from routing.services import handling, identity, templates, verification
from routing.services.moves import holder_path


@dataclass(frozen=True)
class Action:
    form: type[StaffActionForm]
    label: Any
    verification: bool  # a verifier's action on a new report; else the holding body's
    run: Callable[[Report, User, dict[str, Any], list[Any]], Report]
    done: Any


def _common(data: dict[str, Any]) -> dict[str, Any]:
    return {"expected_version": data["version"], "seen_seq": data.get("seen_seq")}


ACTIONS: dict[str, Action] = {
    "disposisi": Action(
        DispositionForm, gettext_lazy("Teruskan ke instansi"), True,
        lambda r, u, d, f: verification.disposition_report(
            report=r, to_body=d["body"], actor=u, note=d.get("note", ""), **_common(d)),
        gettext_lazy("Laporan diteruskan."),
    ),
    "tolak": Action(
        RejectForm, gettext_lazy("Tolak"), True,
        lambda r, u, d, f: verification.reject_report(
            report=r, actor=u, reason=d["reason"], note=d.get("note", ""), **_common(d)),
        gettext_lazy("Laporan ditolak; pelapor diberi tahu alasannya."),
    ),
    "duplikat": Action(
        DuplicateForm, gettext_lazy("Tandai duplikat"), True,
        lambda r, u, d, f: verification.mark_duplicate(
            report=r, original=_original(d["original"]), actor=u, note=d.get("note", ""),
            **_common(d)),
        gettext_lazy("Ditandai sebagai duplikat; pelapor diberi tahu."),
    ),
    "minta-lengkapi": Action(
        NoteActionForm, gettext_lazy("Minta pelapor melengkapi"), True,
        lambda r, u, d, f: verification.request_completion(
            report=r, actor=u, note=d.get("note", ""), **_common(d)),
        gettext_lazy("Permintaan terkirim ke pelapor."),
    ),
    "tanggapi": Action(
        NoteActionForm, gettext_lazy("Tanggapi pelapor"), False,
        lambda r, u, d, f: handling.respond(
            report=r, actor=u, note=d.get("note", ""), **_common(d)),
        gettext_lazy("Tanggapan terkirim."),
    ),
    "disposisi-bawah": Action(
        DisposeDownForm, gettext_lazy("Disposisi ke unit di bawah"), False,
        lambda r, u, d, f: handling.dispose_down(
            report=r, actor=u, to_body=d["to_body"], note=d.get("note", ""), **_common(d)),
        gettext_lazy("Laporan didisposisikan ke unit."),
    ),
    "alihkan": Action(
        RedirectForm, gettext_lazy("Alihkan ke instansi lain"), False,
        lambda r, u, d, f: handling.redirect(
            report=r, actor=u, to_body=d["body"], reason=d.get("reason", ""),
            confirm_return=d.get("confirm_return", False), **_common(d)),
        gettext_lazy("Laporan dialihkan."),
    ),
    "eskalasi": Action(
        NoteActionForm, gettext_lazy("Naikkan ke instansi induk"), False,
        lambda r, u, d, f: handling.escalate(
            report=r, actor=u, note=d.get("note", ""), **_common(d)),
        gettext_lazy("Laporan dinaikkan ke instansi induk."),
    ),
    "minta-info": Action(
        NoteActionForm, gettext_lazy("Minta informasi dari pelapor"), False,
        lambda r, u, d, f: handling.request_information(
            report=r, actor=u, note=d.get("note", ""), **_common(d)),
        gettext_lazy("Permintaan informasi terkirim."),
    ),
    "catatan": Action(
        NoteActionForm, gettext_lazy("Catatan internal"), False,
        lambda r, u, d, f: handling.add_internal_note(report=r, actor=u, note=d.get("note", "")),
        gettext_lazy("Catatan disimpan (hanya untuk petugas)."),
    ),
    "selesaikan": Action(
        ResolveForm, gettext_lazy("Beri jawaban akhir"), False,
        lambda r, u, d, f: handling.resolve(
            report=r, actor=u, answer=d.get("answer", ""), uploads=f, **_common(d)),
        gettext_lazy("Jawaban akhir terkirim; pelapor dapat menerima atau membantahnya."),
    ),
}


def _original(raw: str) -> Report:
    number = normalise(raw)
    report = Report.objects.filter(tracking_number=number).first() if number else None
    if report is None:
        raise ReportError(_("Laporan asli dengan nomor itu tidak ditemukan."), field="original")
    return report


def _staff_report(request: HttpRequest, tracking_number: str) -> Report:
    report = get_object_or_404(
        Report.objects.select_related(
            "category", "holder_body", "province", "regency", "district", "reporter",
            "duplicate_of",
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
    events = list(complaint_selectors.timeline(report, staff=True))
    last_seq = events[0].seq if events else 0
    initial = {"version": report.version, "seen_seq": last_seq}
    available = _available(request.user, report)
    forms: list[tuple[str, Action, Any]] = []
    for name in available:
        action = ACTIONS[name]
        form = bound.get(name)
        if form is None:
            kwargs: dict[str, Any] = {"initial": dict(initial), "auto_id": f"id_{name}_%s"}
            if action.form is DisposeDownForm:
                kwargs["holder"] = report.holder_body
            form = action.form(**kwargs)
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
        "events": events,
        "attachments": complaint_selectors.visible_attachments(request.user, report),
        "forms": forms,
        "rule": rule,
        "path": path_rows,
        "response_templates": [
            (t, templates.render(t, report)) for t in templates.templates_for(report)
        ] if "tanggapi" in available else [],
        "reveal_form": bound.get("reveal") or RevealForm(),
        "identity": bound.get("identity"),
        "may_reveal": (not report.is_anonymous) or access.is_system_admin(request.user),
        "clocks": Clock.objects.filter(report=report).select_related("body", "policy")
        .order_by("started_at", "id"),
    }


@login_required
def report_page(request: HttpRequest, tracking_number: str) -> HttpResponse:
    report = _staff_report(request, tracking_number)
    return render(request, "routing/report.html", _context(request, report, {}))


@login_required
@require_POST
def report_action(request: HttpRequest, tracking_number: str, action: str) -> HttpResponse:
    report = _staff_report(request, tracking_number)
    if action not in ACTIONS or action not in _available(request.user, report):
        raise Http404
    spec = ACTIONS[action]
    kwargs: dict[str, Any] = {"auto_id": f"id_{action}_%s"}
    if spec.form is DisposeDownForm:
        kwargs["holder"] = report.holder_body
    form = spec.form(request.POST, request.FILES, **kwargs)
    if form.is_valid():
        files = form.cleaned_data.get("attachments") or []
        try:
            spec.run(report, request.user, form.cleaned_data, files)
        except ReportError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, str(exc))
        else:
            messages.success(request, str(spec.done))
            report.refresh_from_db()
            if not complaint_selectors.is_staff_viewer(request.user, report):
                # Sent to a body outside the user's reach: back to their queue.
                return redirect("routing:queue")
            return redirect("routing:report", tracking_number=tracking_number)
    report.refresh_from_db()
    context = _context(request, report, {action: form})
    context["open_action"] = action
    return render(request, "routing/report.html", context, status=400)


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
    except ReportError as exc:
        form.add_error(None, str(exc))
    context = _context(request, report, bound)
    return render(request, "routing/report.html", context, status=200 if "identity" in bound
                  else 400)


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    bodies = access.bodies_administered_by(request.user)
    if not bodies.exists():
        raise Http404
    form = TemplateForm(request.POST or None)
    form.fields["body"].queryset = bodies.order_by("path")
    if request.method == "POST" and form.is_valid():
        try:
            templates.create_template(
                body=form.cleaned_data["body"], title=form.cleaned_data["title"],
                text=form.cleaned_data["text"], actor=request.user,
            )
        except ReportError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Templat disimpan."))
            return redirect("routing:templates")
    items = ResponseTemplate.objects.filter(body__in=bodies.values("pk")).select_related("body")
    return render(request, "routing/templates.html", {"form": form, "items": items},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(ResponseTemplate.objects.select_related("body"), pk=pk)
    if not access.may_administer(request.user, template.body):
        raise Http404
    templates.delete_template(template=template, actor=request.user)
    messages.success(request, _("Templat dihapus."))
    return redirect("routing:templates")
