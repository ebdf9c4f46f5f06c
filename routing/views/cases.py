"""Cases (*kasus bersama*) on the staff pages: grouping the reports checked in the queue, a
case's page with its reports, and its one final answer. Thin: the services are
routing.services.cases."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from agencies import access
from agencies.signed_in import AuthenticatedRequest
from lapor.errors import DomainError
from lapor.page_errors import show_on_form
from routing.forms import CaseAnswerForm
from routing.models import Case
from routing.queues import QUEUE_ROLES
from routing.selectors import cases_visible_to
from routing.services import cases
from routing.views.queues import queue_back, with_picked


@login_required
@require_POST
def queue_case(request: AuthenticatedRequest) -> HttpResponse:
    """Group the reports checked in the queue into a case; to its page, or back to the
    queue with the same reports checked and the title kept, saying why not."""
    if not access.roles_of(request.user) & QUEUE_ROLES:
        raise Http404
    numbers = request.POST.getlist("reports")
    title = request.POST.get("case_title", "")
    try:
        case = cases.group_reports(numbers=numbers, title=title, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
        back = with_picked(queue_back(request), numbers)
        separator = "&" if "?" in back else "?"
        return redirect(back + separator + "case_title=" + quote(title[:150]))
    messages.success(request, ngettext(
        "Kasus bersama dibuat dengan %(n)d laporan.", "Kasus bersama dibuat dengan %(n)d laporan.",
        len(numbers)) % {"n": case.members.count()})
    return redirect("routing:case", pk=case.pk)


def _case(request: AuthenticatedRequest, pk: int) -> Case:
    case = get_object_or_404(cases_visible_to(request.user), pk=pk)
    return case


@login_required
def case_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A case: its reports with their status, and (for who may act for its body) the one
    final answer given to each report still waiting for it."""
    case = _case(request, pk)
    form = CaseAnswerForm()
    status = 200
    if request.method == "POST":
        form = CaseAnswerForm(request.POST)
        if form.is_valid():
            try:
                answered = cases.answer_case(case=case, actor=request.user,
                                             answer=form.cleaned_data["answer"])
            except DomainError as exc:
                show_on_form(form, exc)
                status = exc.status
            else:
                messages.success(request, ngettext(
                    "Jawaban akhir terkirim ke %(n)d laporan; setiap pelapor menerimanya di "
                    "laporannya sendiri.",
                    "Jawaban akhir terkirim ke %(n)d laporan; setiap pelapor menerimanya di "
                    "laporannya sendiri.", len(answered)) % {"n": len(answered)})
                return redirect("routing:case", pk=case.pk)
        else:
            status = 400
    answerable = {r.pk for r in cases.answerable(case)}
    return render(request, "routing/case.html", {
        "case": case,
        "reports": [(r, r.pk in answerable) for r in cases.case_reports(case)],
        "may_answer": cases.may_answer(request.user, case) and bool(answerable),
        "form": form,
        "title": _("Kasus bersama"),
    }, status=status)
