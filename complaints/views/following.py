"""The citizen's side after filing: "my reports", one report with its timeline and actions,
looking a report up by tracking number, and notifications."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.signed_in import AuthenticatedRequest
from complaints import selectors, workflow_hooks
from complaints.attachments import photo_limits
from complaints.forms import NoteForm, RatingForm, SolvedForm
from complaints.models import Attachment, Report, ReportStatus
from complaints.rate_limits import hit
from complaints.services import citizen, intake, solved
from complaints.services import notifications as notices
from complaints.tracking_numbers import normalise
from lapor.errors import DomainError, TooMany
from lapor.page_errors import show_on_form, with_retry_after

PAGE_SIZE = 20


@login_required
def my_reports(request: AuthenticatedRequest) -> HttpResponse:
    reports = selectors.reports_of(request.user)
    status = request.GET.get("status", "")
    if status in ReportStatus.values:
        reports = reports.filter(status=status)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "complaints/my_reports.html",
        {"page": page, "status": status, "statuses": ReportStatus.choices},
    )


def _own_report(request: AuthenticatedRequest, tracking_number: str) -> Report:
    report = selectors.reports_of(request.user).filter(tracking_number=tracking_number).first()
    if report is None:
        raise Http404
    return report


@login_required
def my_report(request: AuthenticatedRequest, tracking_number: str) -> HttpResponse:
    report = _own_report(request, tracking_number)
    return render(request, "complaints/my_report.html", _detail_context(request, report))


def _attachment_groups(request: AuthenticatedRequest, report: Report) -> list[dict[str, object]]:
    """The files the citizen may see, under who attached them: the citizen (or the staff
    member who typed the report for them, as intake counts them) and the bodies."""
    own: list[Attachment] = []
    from_bodies: list[Attachment] = []
    citizens = {report.reporter_id, report.entered_by_id} - {None}
    for attachment in selectors.visible_attachments(request.user, report):
        (own if attachment.uploaded_by_id in citizens else from_bodies).append(attachment)
    groups: list[dict[str, object]] = [
        {"id": "own", "title": _("Lampiran Anda"), "items": own},
        {"id": "bodies", "title": _("Lampiran dari instansi"), "items": from_bodies},
    ]
    return [group for group in groups if group["items"]]


def _detail_context(request: AuthenticatedRequest, report: Report) -> dict[str, object]:
    return {
        "report": report,
        "events": selectors.reporter_timeline(report),
        "attachment_groups": _attachment_groups(request, report),
        **photo_limits(),
        "note_form": NoteForm(),
        "rating_form": RatingForm(),
        "solved_form": SolvedForm(),
        "viewer_time_zone": getattr(request.user, "time_zone", "Asia/Jakarta"),
        "expected_response": workflow_hooks.hooks().expected_response(report),
        "clocks": report.clocks.exclude(kind="citizen_silence").select_related("body", "policy")
        .order_by("started_at", "id"),
    }


def _act(
    request: AuthenticatedRequest, tracking_number: str, act: Callable[[Report], object], done: str
) -> HttpResponse:
    report = _own_report(request, tracking_number)
    try:
        act(report)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("complaints:my-report", tracking_number=tracking_number)


@login_required
@require_POST
def add_information(request: AuthenticatedRequest, tracking_number: str) -> HttpResponse:
    """Add information (and files) or answer the body; the text typed is kept on an error."""
    report = _own_report(request, tracking_number)
    form = NoteForm(request.POST, request.FILES)
    is_reply = request.POST.get("as_reply") == "1"
    if form.is_valid():
        try:
            uploads = form.cleaned_data["attachments"]
            for upload in uploads:
                hit("upload", request)
                intake.add_attachment(report=report, upload=upload, actor=request.user)
            act = citizen.reply_to_body if is_reply else citizen.add_information
            act(report=report, actor=request.user, note=form.cleaned_data["note"])
        except DomainError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Terkirim. Instansi akan melihatnya di riwayat laporan."))
            return redirect("complaints:my-report", tracking_number=tracking_number)
    context = _detail_context(request, report)
    context["note_form"] = form
    return render(request, "complaints/my_report.html", context, status=400)


@login_required
@require_POST
def accept(request: AuthenticatedRequest, tracking_number: str) -> HttpResponse:
    return _act(
        request, tracking_number,
        lambda r: citizen.accept_resolution(report=r, actor=request.user),
        _("Jawaban diterima; laporan selesai. Terima kasih."),
    )


def _form_act(
    request: AuthenticatedRequest,
    tracking_number: str,
    form: NoteForm | RatingForm | SolvedForm,
    context_name: str,
    act: Callable[[Report, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """Validate ``form``, call the service; on any error show the page again with the form
    (and what was typed) and the message."""
    report = _own_report(request, tracking_number)
    if form.is_valid():
        try:
            act(report, form.cleaned_data)
        except DomainError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, done)
            return redirect("complaints:my-report", tracking_number=tracking_number)
    context = _detail_context(request, report)
    context[context_name] = form
    return render(request, "complaints/my_report.html", context, status=400)


@login_required
@require_POST
def dispute(request: AuthenticatedRequest, tracking_number: str) -> HttpResponse:
    return _form_act(
        request, tracking_number, NoteForm(request.POST), "dispute_form",
        lambda report, data: citizen.dispute_resolution(
            report=report, actor=request.user, reason=data["note"]
        ),
        _("Laporan dibuka kembali dan dikembalikan ke instansi."),
    )


@login_required
@require_POST
def rate(request: AuthenticatedRequest, tracking_number: str) -> HttpResponse:
    return _form_act(
        request, tracking_number, RatingForm(request.POST), "rating_form",
        lambda report, data: citizen.rate_report(
            report=report, actor=request.user, rating=data["rating"], comment=data["comment"]
        ),
        _("Terima kasih atas penilaian Anda."),
    )


@login_required
@require_POST
def answer_solved(request: AuthenticatedRequest, tracking_number: str) -> HttpResponse:
    """ "Sudah tuntas?": yes / partly / no; "no" on a report still awaiting the verdict
    leads to the dispute form on the same page."""
    return _form_act(
        request, tracking_number, SolvedForm(request.POST), "solved_form",
        lambda report, data: solved.answer_solved(
            report=report, actor=request.user, answer=data["answer"], comment=data["comment"]
        ),
        _("Terima kasih. Jawaban Anda masuk ke statistik kinerja instansi."),
    )


def track(request: HttpRequest) -> HttpResponse:
    """Anyone looks a report up by its number: a report not yet verified (or rejected) shows
    its status and dates only; a confidential one shows only to its reporter and staff."""
    raw = request.GET.get("nomor", "").strip()
    context: dict[str, object] = {
        "raw": raw, "viewer_time_zone": getattr(request.user, "time_zone", "") or "Asia/Jakarta",
    }
    if raw:
        try:
            hit("track", request)
        except TooMany as exc:
            context["error"] = str(exc)
            return with_retry_after(
                render(request, "complaints/track.html", context, status=429), exc
            )
        if normalise(raw) is None:
            context["error"] = _(
                "Nomor pelacakan tidak valid. Periksa kembali: formatnya seperti LPR-7K3M-9QXR."
            )
        else:
            tracked = selectors.track_by_tracking_number(request.user, raw)
            report = tracked.report if tracked else None
            if tracked is None:
                context["error"] = _(
                    "Laporan dengan nomor itu tidak ditemukan, atau bersifat rahasia. Pelapornya "
                    "dapat melihatnya setelah masuk."
                )
            elif report is not None and selectors.is_reporter(request.user, report):
                return redirect("complaints:my-report", tracking_number=report.tracking_number)
            else:
                context["tracked"] = tracked
                if report is not None:
                    context["report"] = report
                    context["events"] = selectors.public_timeline(report)
    status = 404 if "error" in context else 200
    return render(request, "complaints/track.html", context, status=status)


@login_required
def notifications(request: AuthenticatedRequest) -> HttpResponse:
    items = selectors.notifications_of(request.user)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "complaints/notifications.html", {"page": page})


@login_required
def open_notification(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Follow a notification's link: it counts as read."""
    notification = get_object_or_404(selectors.notifications_of(request.user), pk=pk)
    notification = notices.mark_read(notification=notification, actor=request.user)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect("complaints:notifications")
    return redirect(target)


@login_required
@require_POST
def mark_notification_read(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(selectors.notifications_of(request.user), pk=pk)
    notices.mark_read(notification=notification, actor=request.user)
    return _back_to_notifications(request)


@login_required
@require_POST
def mark_notifications_read(request: AuthenticatedRequest) -> HttpResponse:
    notices.mark_all_read(actor=request.user)
    return _back_to_notifications(request)


def _back_to_notifications(request: HttpRequest) -> HttpResponse:
    """The list again, on the page the person was reading."""
    url = reverse("complaints:notifications")
    page = request.POST.get("page", "")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)
