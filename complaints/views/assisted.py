"""Assisted intake: a verifier or operator records a report for a person who came in person,
phoned, wrote a letter or sent a message elsewhere, and prints the receipt."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from agencies import access
from complaints.errors import ReportError
from complaints.forms import AssistedReportForm
from complaints.models import Report
from complaints.services import intake
from complaints.services.intake import ReportValidationError
from complaints.views.filing import _region_options


def _require_assistant(request: HttpRequest) -> None:
    if not (access.roles_of(request.user) & intake.ASSISTING_ROLES):
        raise Http404


@login_required
def assisted_report(request: HttpRequest) -> HttpResponse:
    _require_assistant(request)
    form = AssistedReportForm(request.POST or None, initial={"kind": "aduan"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = intake.file_assisted_report(
                actor=request.user,
                values=form.valid_values(),
                channel=data["channel"],
                contact_name=data["contact_name"],
                contact_email=data.get("contact_email", ""),
                contact_phone=data.get("contact_phone", ""),
            )
        except ReportValidationError as exc:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
        except ReportError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            return redirect("complaints:assisted-receipt", tracking_number=report.tracking_number)
    return render(
        request,
        "complaints/assisted_form.html",
        {"form": form, **_region_options(form)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def assisted_receipt(request: HttpRequest, tracking_number: str) -> HttpResponse:
    report = get_object_or_404(
        Report.objects.select_related("category", "regency", "province"),
        tracking_number=tracking_number,
        entered_by=request.user,
    )
    return render(request, "complaints/assisted_receipt.html", {"report": report})
