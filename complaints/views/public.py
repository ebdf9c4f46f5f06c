"""Public pages of reports: the feed with its search and filters, a report's page, and
support (*dukung*). Thin: parse, call ``complaints.feed`` or the support service, render.
The two pages read from the replica for anonymous visitors (``public_read_view``); support is a
write and is not wrapped."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agencies.models import Region, TimeZone
from complaints import selectors
from complaints.alerts import subscribe_path
from complaints.feed import (
    RELEVANCE_CANDIDATES,
    FeedForm,
    FeedParams,
    Sort,
    feed,
    public_detail,
    url_or_none,
)
from complaints.feeds import feed_urls, scope_filters
from complaints.models import VERIFIED_STATUSES, ReportKind
from complaints.rate_limits import hit
from complaints.services.support import support_report
from lapor.db_router import public_read_view
from lapor.errors import DomainError


def _time_zone(request: HttpRequest) -> str:
    user = request.user
    if user.is_authenticated and user.time_zone:
        return user.time_zone
    return TimeZone.WIB


@require_GET
@public_read_view
def feed_page(request: HttpRequest) -> HttpResponse:
    """Newest public reports; a search (``q``), filters, another order, the next page."""
    form = FeedForm(request.GET or None)
    params = FeedParams.from_form(form)
    page = feed(params, viewer=request.user)
    next_url = None
    if page.next_cursor:
        query = request.GET.copy()
        query["cursor"] = page.next_cursor
        next_url = "?" + query.urlencode()
    first_url = None
    if params.cursor:
        query = request.GET.copy()
        query.pop("cursor", None)
        first_url = "?" + query.urlencode()
    regencies = Region.objects.none()
    if params.province:
        regencies = Region.objects.filter(
            level=Region.Level.REGENCY, parent__code=params.province
        ).order_by("name")
    time_zone = _time_zone(request)
    scope = scope_filters(province=params.province, regency=params.regency, body=params.body,
                          category=params.category)
    return render(
        request,
        "complaints/public/feed.html",
        {
            "feeds": feed_urls(scope),
            "feed_title": scope.label(),
            "alert_url": subscribe_path(scope),
            "page": page,
            "params": params,
            "next_url": next_url,
            "first_url": first_url,
            "provinces": Region.objects.filter(level=Region.Level.PROVINCE).order_by("name"),
            "regencies": regencies,
            "categories": selectors.active_categories(),
            "kinds": ReportKind.choices,
            "statuses": [(s.value, s.label) for s in VERIFIED_STATUSES],
            "sorts": Sort.choices,
            "relevance_candidates": RELEVANCE_CANDIDATES,
            "time_zone": time_zone,
            "time_zone_label": TimeZone.abbreviation(time_zone),
        },
    )


@require_GET
@public_read_view
def detail_page(request: HttpRequest, tracking_number: str) -> HttpResponse:
    """A public report; a report that is not public only for its reporter and staff (404 for
    everyone else, the same answer as for a number that does not exist)."""
    detail = public_detail(request.user, tracking_number)
    if detail is None:
        raise Http404
    report = detail.report
    if tracking_number != report.tracking_number:
        return redirect("public:detail", report.tracking_number, permanent=True)
    attachments = [
        {
            "attachment": a,
            # The public copy for everyone here, staff and reporter included: this page is
            # what the public sees (their own pages link the photo as it was sent).
            "url": url_or_none("complaints:attachment-public", a.pk)
            if a.is_public_ready else None,
            "thumbnail_url": (
                url_or_none("complaints:attachment-public-thumbnail", a.pk)
                if a.is_public_ready and a.is_image and a.thumbnail
                else None
            ),
        }
        for a in detail.attachments
    ]
    time_zone = _time_zone(request)
    return render(
        request,
        "complaints/public/detail.html",
        {
            "detail": detail,
            "report": report,
            "attachments": attachments,
            "is_reporter": selectors.is_reporter(request.user, report),
            "time_zone": time_zone,
            "time_zone_label": TimeZone.abbreviation(time_zone),
        },
    )


@require_POST
def support(request: HttpRequest, tracking_number: str) -> HttpResponse:
    """Support a public report, then go back where the button was."""
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("public:detail", args=[tracking_number])
    if not request.user.is_authenticated:
        return redirect_to_login(next_url)
    report = selectors.lookup_by_tracking_number(request.user, tracking_number)
    if report is None:
        raise Http404
    try:
        hit("support", request)
        support_report(report=report, user=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Terima kasih, dukungan Anda sudah tercatat."))
    return redirect(next_url)
