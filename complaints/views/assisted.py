"""Assisted intake: a verifier or operator records a report for a person who came in person,
phoned, wrote a letter or sent a message elsewhere, and prints the receipt."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from agencies import access
from agencies.signed_in import AuthenticatedRequest
from complaints import selectors
from complaints.forms import AssistedReportForm
from complaints.models import Report
from complaints.services import intake
from complaints.views.filing import _region_options
from lapor.page_errors import show_on_form


def _require_assistant(request: HttpRequest) -> None:
    if not (access.roles_of(request.user) & intake.ASSISTING_ROLES):
        raise Http404


@login_required
def assisted_report(request: AuthenticatedRequest) -> HttpResponse:
    """The form; a refused submission keeps its draft (the next try continues it)."""
    _require_assistant(request)
    form = AssistedReportForm(request.POST or None, initial={"kind": "complaint"})
    draft = None
    if request.method == "POST" and request.POST.get("draft", "").isdigit():
        draft = selectors.assisted_drafts_of(request.user).filter(
            pk=int(request.POST["draft"])).first()
    status = 200
    if request.method == "POST":
        status = 400
        form.is_valid()
        data = form.cleaned_data
        if "channel" not in form.errors:
            # A draft keeps what parsed even when something else is wrong (README, "Filing").
            filing = intake.file_assisted_report(
                actor=request.user, values=form.valid_values(), channel=data["channel"],
                draft=draft, submit=form.is_valid(), contact=intake.Contact(
                    name=data.get("contact_name", ""), email=data.get("contact_email", ""),
                    phone=data.get("contact_phone", ""),
                ),
            )
            if filing.submitted:
                return redirect("complaints:assisted-receipt",
                                tracking_number=filing.report.tracking_number)
            draft = filing.report
            if filing.error is not None:
                show_on_form(form, filing.error)
                status = filing.error.status
    return render(
        request,
        "complaints/assisted_form.html",
        {"form": form, "draft": draft, **_region_options(form)},
        status=status,
    )


@login_required
def assisted_receipt(request: AuthenticatedRequest, tracking_number: str) -> HttpResponse:
    report = get_object_or_404(
        Report.objects.select_related("category", "regency", "province"),
        tracking_number=tracking_number,
        entered_by=request.user,
    )
    return render(request, "complaints/assisted_receipt.html", {"report": report})
