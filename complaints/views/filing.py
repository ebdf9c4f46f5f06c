"""Filing a report on the web: one form for new reports and drafts, the receipt page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.models import Region
from agencies.signed_in import AuthenticatedRequest
from complaints import redaction, resubmission, selectors, similar
from complaints.attachments import photo_limits
from complaints.forms import ReportForm
from complaints.models import Report, ReportStatus
from complaints.rate_limits import limiter
from complaints.services import intake
from complaints.services.intake import DRAFT_FIELDS
from lapor.page_errors import show_on_form


def _initial(report: Report | None) -> dict[str, object]:
    if report is None:
        return {"kind": "complaint"}
    initial: dict[str, object] = {name: getattr(report, name) for name in DRAFT_FIELDS}
    for name in ("province", "regency", "district"):
        region = getattr(report, name)
        initial[name] = region.code if region else None
    for code, value in report.answers.items():
        initial[f"answers.{code}"] = value
    return initial


def _region_options(form: ReportForm) -> dict[str, object]:
    """Regencies of the chosen province and districts of the chosen regency, so the form
    works without JavaScript too (the script fills them as the citizen chooses)."""
    def chosen(name: str) -> str:
        value = form.data.get(name) if form.is_bound else form.initial.get(name)
        return str(value or "")

    province, regency = chosen("province"), chosen("regency")
    return {
        "provinces": Region.objects.filter(level=Region.Level.PROVINCE).order_by("name"),
        "regencies": Region.objects.filter(parent__code=province).order_by("name")
        if province else [],
        "districts": Region.objects.filter(parent__code=regency).order_by("name")
        if regency else [],
        "chosen": {"province": province, "regency": regency, "district": chosen("district")},
    }


@login_required
def file_report(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    draft = None
    if pk is not None:
        draft = get_object_or_404(selectors.drafts_of(request.user), pk=pk)
    if not request.user.is_email_confirmed:
        return render(request, "complaints/confirm_first.html", status=403)

    if request.method != "POST":
        form = ReportForm(initial=_initial(draft))
        return _render_form(request, form, draft, [])

    key = request.POST.get(resubmission.FIELD, "")
    earlier = resubmission.claim(user_id=request.user.pk, key=key)
    if earlier is not None:  # the same form again, its first answer lost on the way
        return redirect(earlier)
    action = request.POST.get("action", "submit")
    form = ReportForm(request.POST, request.FILES, for_submit=action == "submit")
    form.is_valid()
    public = _public_preview(form) if action in ("submit", "preview") else None
    # Before a report with personal data in it is sent, the citizen sees what its public
    # copy masks: "Kirim laporan" shows that first, and sends once that text was previewed.
    previewing = public is not None and (
        action == "preview"
        or (bool(public.findings) and request.POST.get("previewed") != public.digest)
    )
    submitting = action == "submit" and form.is_valid() and not previewing
    filing = intake.file_report(
        filer=request.user, values=form.valid_values(), draft=draft,
        uploads=request.FILES.getlist("attachments"),
        remove=[int(pk) for pk in request.POST.getlist("remove_attachment") if pk.isdigit()],
        # a form with a value that did not parse is not submitted; its draft keeps the rest
        submit=submitting, limits=limiter(request),
        # the step before submitting: similar reports not yet shown (by the script as the
        # citizen typed, or by this step) keep everything in a draft and are shown first;
        # "Tetap kirim laporan saya" then submits it as it is
        similar_seen=request.POST.get("similar_seen", "").split() if submitting else None,
    )
    if filing.unseen_similar:
        # the masks already seen stay seen (their digest goes on with the form)
        kept = public if public is not None and public.findings else None
        if not filing.file_errors:
            return _render_form(request, form, filing.report, [],
                                similar_step=filing.unseen_similar, public=kept)
        return _render_form(request, form, filing.report, filing.file_errors, status=400,
                            public=kept)
    led_to = (reverse("complaints:receipt", args=[filing.report.tracking_number])
              if filing.submitted else reverse("complaints:draft", args=[filing.report.pk]))
    resubmission.remember(user_id=request.user.pk, key=key, url=led_to)
    if filing.submitted:
        return redirect(led_to)
    if filing.error is not None:
        show_on_form(form, filing.error)
    if action == "save" and not filing.file_errors:
        messages.success(request, _("Draf tersimpan. Anda dapat melanjutkannya kapan saja."))
        return redirect("complaints:draft", pk=filing.report.pk)
    if previewing and filing.error is None:
        status = 400 if form.errors or filing.file_errors else 200
        return _render_form(request, form, filing.report, filing.file_errors, status=status,
                            public=public)
    status = filing.error.status if filing.error else 400 if action == "submit" else 200
    return _render_form(request, form, filing.report, filing.file_errors, status=status)


def _public_preview(form: ReportForm) -> redaction.Preview | None:
    """What the public copy of the typed title and text masks; None for a confidential
    report (it has no public copy to show)."""
    if form.data.get("is_confidential"):
        return None
    return redaction.preview(str(form.data.get("title", "")).strip(),
                             str(form.data.get("description", "")).strip())


def _render_form(
    request: HttpRequest, form: ReportForm, draft: Report | None, file_errors: list[str],
    status: int = 200, public: redaction.Preview | None = None,
    similar_step: list[similar.SimilarReport] | None = None,
) -> HttpResponse:
    action = (
        reverse("complaints:draft", args=[draft.pk]) if draft else reverse("complaints:new")
    )
    context = {
        "form": form,
        "draft": draft,
        "attachments": list(draft.attachments.all()) if draft else [],
        "file_errors": file_errors,
        "form_action": action,
        "public": public,
        "similar_step": similar_step or [],
        "similar_seen": " ".join(r.tracking_number for r in similar_step or []),
        "submission_key": resubmission.new_key(),
        **photo_limits(),
        **_region_options(form),
    }
    return render(request, "complaints/report_form.html", context, status=status)


@login_required
def receipt(request: AuthenticatedRequest, tracking_number: str) -> HttpResponse:
    report = get_object_or_404(
        Report.objects.select_related("category", "regency"),
        tracking_number=tracking_number,
        status__in=[s for s in ReportStatus.values if s != ReportStatus.DRAFT],
    )
    if report.reporter_id != request.user.pk and report.entered_by_id != request.user.pk:
        raise Http404
    return render(request, "complaints/receipt.html", {"report": report})
