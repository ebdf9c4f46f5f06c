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
from complaints import resubmission, selectors
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
    filing = intake.file_report(
        filer=request.user, values=form.valid_values(), draft=draft,
        uploads=request.FILES.getlist("attachments"),
        remove=[int(pk) for pk in request.POST.getlist("remove_attachment") if pk.isdigit()],
        # a form with a value that did not parse is not submitted; its draft keeps the rest
        submit=action == "submit" and form.is_valid(), limits=limiter(request),
    )
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
    status = filing.error.status if filing.error else 400 if action == "submit" else 200
    return _render_form(request, form, filing.report, filing.file_errors, status=status)


def _render_form(
    request: HttpRequest, form: ReportForm, draft: Report | None, file_errors: list[str],
    status: int = 200,
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
