"""The staff page of one report: its facts, path, full history, and the actions the viewer
may take (verification or handling), each a small form calling one service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies import access
from agencies.models import User
from agencies.signed_in import AuthenticatedRequest
from complaints import redaction, similar
from complaints import selectors as report_selectors
from complaints.models import Report, ReportStatus
from lapor.errors import DomainError
from lapor.page_errors import show_on_form
from routing import permissions
from routing.actions import ACTIONS, Action, available_actions
from routing.clocks import HOLDER_CLOCKS
from routing.forms import (
    AssignForm,
    DisposeDownForm,
    ResolveForm,
    RevealForm,
    TemplateForm,
)
from routing.models import Clock, ClockKind, ResponseTemplate
from routing.queues import QUEUE_ROLES
from routing.rules import suggest
from routing.selectors import case_of
from routing.services import handling, identity, learning, templates
from routing.services.moves import holder_path
from routing.views.queues import deadline_text, staff_home


def _staff_report(request: AuthenticatedRequest, tracking_number: str) -> Report:
    report = get_object_or_404(
        Report.objects.select_related(
            "category", "holder_body", "province", "regency", "district", "reporter",
            "duplicate_of", "ombudsman_office", "assignee",
        ),
        tracking_number=tracking_number,
    )
    if not report_selectors.is_staff_viewer(request.user, report):
        raise Http404  # another body's report does not exist for this user
    return report


def _context(
    request: AuthenticatedRequest, report: Report, bound: dict[str, Any]
) -> dict[str, Any]:
    events = list(report_selectors.timeline_for(request.user, report))
    last_seq = events[0].seq if events else 0
    initial = {"version": report.version, "seen_seq": last_seq}
    available = available_actions(request.user, report)
    forms: list[tuple[str, Action, Any]] = []
    for name in available:
        action = ACTIONS[name]
        form = bound.get(name)
        if form is None:
            form = action.form(initial=dict(initial),
                               **_form_kwargs(name, action, report, request.user))
        forms.append((name, action, form))
    file_form = bound.get("sembunyikan-lampiran") or bound.get("tampilkan-lampiran")
    for name, _action, form in forms:
        if name == "salinan-publik" and not form.is_bound:
            # The form starts from the public copy as it is now (masks included).
            form.initial.update({"title": report.public_title,
                                 "description": report.public_description})
    rule = suggest(report) if report.status == ReportStatus.SUBMITTED else None
    if rule is not None:
        for name, _action, form in forms:
            if name == "disposisi" and not form.is_bound:
                form.initial.update({"to_body": rule.body.pk, "to_body_query": rule.body.name})
    # Beside the rule: the bodies past verifiers sent reports like this to (the rule still
    # fills the form), each one click away.
    _model, learned = (learning.safe_suggest(report) if "disposisi" in available
                       else (None, []))
    # The verifier's likely duplicates, each merged in one click ("duplikat" with its number).
    duplicates = similar.likely_duplicates(report) if "duplikat" in available else []
    followed_copy = (None if permissions.may_handle(request.user, report)
                     else report_selectors.copy_followed_by(request.user, report))
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
        "attachments": report_selectors.visible_attachments(request.user, report),
        "forms": [f for f in forms if not f[1].per_attachment],
        # The per-file moderation forms, by the file they were sent for (errors kept).
        "file_actions": {name: action for name, action, _form in forms
                         if action.per_attachment},
        "file_form": file_form,
        "file_form_for": str(file_form.data.get("attachment", "")) if file_form else "",
        "public_copy_preview": bound.get("public_copy_preview"),
        "rule": rule,
        "learned": learned,
        "duplicates": duplicates,
        "action_version": initial,
        "case": case_of(report),
        "path": path_rows,
        "response_templates": [
            (t, templates.render(t, report)) for t in templates.templates_for(report)
        ] if any(ACTIONS[n].template_field for n in available) else [],
        "reveal_form": bound.get("reveal") or RevealForm(),
        "identity": bound.get("identity"),
        "copied_bodies": report_selectors.copied_bodies(report),
        "followed_copy": followed_copy,
        # A copied body follows the report; its reporter's identity is not theirs to open.
        "may_reveal": followed_copy is None and (
            not report.is_anonymous or access.is_system_admin(request.user)),
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
def report_page(request: AuthenticatedRequest, tracking_number: str) -> HttpResponse:
    report = _staff_report(request, tracking_number)
    return render(request, "routing/report.html", _context(request, report, {}))


def _form_kwargs(name: str, action: Action, report: Report, user: User) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"auto_id": f"id_{name}_%s"}
    if action.form in (DisposeDownForm, AssignForm):
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
def report_action(request: AuthenticatedRequest, tracking_number: str, action: str) -> HttpResponse:
    report = _staff_report(request, tracking_number)
    if action not in ACTIONS or action not in available_actions(request.user, report):
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
    if "preview" in request.POST and action == "salinan-publik":
        # What the public would read, masks applied; nothing is saved.
        form.is_valid()
        form.errors.clear()
        data = getattr(form, "cleaned_data", {})
        preview = redaction.preview(data.get("title", ""), data.get("description", ""))
        return _render_action_form(request, report, action, form, status=200,
                                   extra={"public_copy_preview": preview})
    if form.is_valid():
        try:
            spec.run(report, request.user, form.cleaned_data, [])
        except DomainError as exc:
            show_on_form(form, exc)
            return _render_action_form(request, report, action, form, status=exc.status)
        else:
            messages.success(request, str(spec.done) % {"number": report.tracking_number})
            report.refresh_from_db()
            # A copied body's note: its staff stay on the report they follow.
            follows = action == "catatan" and report_selectors.copy_followed_by(
                request.user, report) is not None
            if spec.stays_on_report:
                return redirect("routing:report", tracking_number=tracking_number)
            if spec.verification or not (permissions.may_handle(request.user, report)
                                         or follows):
                # Verified, rejected, merged, or sent to a body outside the actor's reach:
                # their work continues with the next report of their queue.
                return redirect(staff_home(request.user).url)
            return redirect("routing:report", tracking_number=tracking_number)
    return _render_action_form(request, report, action, form)


def _render_action_form(request: AuthenticatedRequest, report: Report, action: str, form: Any, *,
                        status: int = 400, extra: dict[str, Any] | None = None
                        ) -> HttpResponse:
    report.refresh_from_db()
    context = _context(request, report, {action: form, **(extra or {})})
    context["open_action"] = action
    return render(request, "routing/report.html", context, status=status)


@login_required
@require_POST
def reveal_reporter(request: AuthenticatedRequest, tracking_number: str) -> HttpResponse:
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
def template_list(request: AuthenticatedRequest) -> HttpResponse:
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
        body_field = form.fields["body"]
        assert isinstance(body_field, forms.ModelChoiceField)  # as TemplateForm declares it
        body_field.queryset = administered.order_by("path")
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
def template_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(ResponseTemplate.objects.select_related("body"), pk=pk)
    if not access.may_administer(request.user, template.body):
        raise Http404
    templates.delete_template(template=template, actor=request.user)
    messages.success(request, _("Templat dihapus."))
    return redirect("routing:templates")
