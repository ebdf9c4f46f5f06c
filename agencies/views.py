"""Pages to browse the tree of bodies and the regions. Public: who is responsible is open.
Anonymous visitors read them from the replica when there is one (``public_read_view``)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from agencies import access, selectors
from agencies.filters import BodyFilter, RegionFilter
from agencies.models import Body, Region
from lapor.db_router import public_read_view

PAGE_SIZE = 30


@require_GET
@public_read_view
def body_list(request: HttpRequest) -> HttpResponse:
    """The tree from the top with no filter; a flat, paginated search result with one."""
    filterset = BodyFilter(request.GET or None, queryset=selectors.bodies_for_listing())
    searching = bool(request.GET) and any(
        request.GET.get(key) for key in ("q", "kind", "province", "region", "is_active")
    )
    if searching and filterset.is_valid():
        bodies = filterset.qs.order_by("name")
    else:
        roots = list(selectors.roots())
        bodies = selectors.children(roots[0]) if roots else Body.objects.none()
    page = Paginator(bodies, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "agencies/body_list.html",
        {
            "filter": filterset,
            "page": page,
            "searching": searching,
            "roots": selectors.roots(),
            "provinces": Region.objects.filter(level=Region.Level.PROVINCE).order_by("name"),
            "kinds": Body.Kind.choices,
        },
    )


@require_GET
@public_read_view
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    body = get_object_or_404(Body.objects.select_related("region", "province"), pk=pk)
    page = Paginator(selectors.children(body), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "agencies/body_detail.html",
        {
            "body": body,
            "ancestors": selectors.ancestors(body),
            "page": page,
            "may_administer": access.may_administer(request.user, body),
        },
    )


@require_GET
@public_read_view
def region_list(request: HttpRequest) -> HttpResponse:
    """Provinces, or the children of one region (?parent=33), or a search (?q=)."""
    params = request.GET.copy()
    if not params.get("q") and not params.get("parent"):
        params["level"] = Region.Level.PROVINCE
    filterset = RegionFilter(params, queryset=Region.objects.select_related("parent"))
    regions = filterset.qs.order_by("code") if filterset.is_valid() else Region.objects.none()
    parent = None
    if params.get("parent"):
        parent = Region.objects.filter(code=params["parent"]).select_related("parent").first()
    page = Paginator(regions, 60).get_page(request.GET.get("page"))
    return render(
        request,
        "agencies/region_list.html",
        {"page": page, "parent": parent, "q": request.GET.get("q", "")},
    )
