"""The public statistics pages under /statistik/ (namespace "statistics"): national, a
province, a regency/city, a body with everything below it, a category, and the ranking of
bodies of one level; any period. Every table downloads as CSV and JSON (``?unduh=csv&tabel=``).
Figures are sums of rollup rows (``routing.statistics``); no report is ever listed."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agencies import access
from agencies import selectors as agency_selectors
from agencies.models import Body, Region, Role
from agencies.signed_in import AuthenticatedRequest
from complaints.models import Category
from lapor.db_router import public_read_view
from routing import statistics as stats
from routing.services.verification import REJECTION_REASONS

MONTHS_MAX = 60


def period(params: Any, today: date) -> tuple[date, date, str, str]:
    """(first, last, label, error) from ?bulan=YYYY-MM, ?kuartal=YYYY-Qn, ?tahun=YYYY or
    ?dari=&sampai= (dates); the last 12 months by default. A bad value: the default and an
    error that says so."""
    error = ""
    try:
        if params.get("bulan"):
            y, m = (int(x) for x in params["bulan"].split("-"))
            first = date(y, m, 1)
            last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            return first, last, first.strftime("%m/%Y"), ""
        if params.get("kuartal"):
            y, q = params["kuartal"].upper().split("-Q")
            first = date(int(y), 3 * (int(q) - 1) + 1, 1)
            last = (first + timedelta(days=95)).replace(day=1) - timedelta(days=1)
            return first, last, f"Q{int(q)} {int(y)}", ""
        if params.get("tahun"):
            y = int(params["tahun"])
            return date(y, 1, 1), date(y, 12, 31), str(y), ""
        if params.get("dari") or params.get("sampai"):
            first = date.fromisoformat(params.get("dari", ""))
            last = date.fromisoformat(params.get("sampai", ""))
            if last < first or (last - first).days > 31 * MONTHS_MAX:
                raise ValueError
            return first, last, f"{first:%d/%m/%Y}–{last:%d/%m/%Y}", ""
    except (ValueError, TypeError):
        error = _("Periode tidak dikenali; yang ditampilkan 12 bulan terakhir.")
    first, last = stats.last_twelve_months(today)
    return first, last, _("12 bulan terakhir"), error


def _period_query(params: Any) -> str:
    keep = {k: params[k] for k in ("bulan", "kuartal", "tahun", "dari", "sampai") if params.get(k)}
    return "&".join(f"{k}={v}" for k, v in keep.items())


def _chart(trend: list[dict[str, Any]]) -> dict[str, Any]:
    """Bars of reports received per month (and final answers), as SVG coordinates."""
    width, height, pad = 640, 220, 30
    top = max([t["received"] for t in trend] + [1])
    n = max(len(trend), 1)
    slot = (width - pad) / n
    bars = []
    for i, t in enumerate(trend):
        h = (height - 2 * pad) * t["received"] / top
        h2 = (height - 2 * pad) * t["final_answers"] / top
        x = pad + i * slot
        bars.append({"x": round(x + slot * 0.1, 1), "w": round(slot * 0.4, 1),
                     "x2": round(x + slot * 0.5, 1),
                     "y": round(height - pad - h, 1), "h": round(h, 1),
                     "y2": round(height - pad - h2, 1), "h2": round(h2, 1),
                     "label": t["month"][2:], "lx": round(x + slot * 0.5, 1), **t})
    return {"width": width, "height": height, "bars": bars, "top": top, "base": height - pad}


def _hist_chart(hist: dict[int, int]) -> dict[str, Any]:
    groups = [(_("≤ 1"), 0, 1), (_("2"), 2, 2), (_("3–5"), 3, 5), (_("6–10"), 6, 10),
              (_("11–20"), 11, 20), (_("21–60"), 21, 60), (_("> 60"), 61, 61)]
    counts = [sum(v for k, v in hist.items() if lo <= k <= hi) for _label, lo, hi in groups]
    top = max([*counts, 1])
    rows = [{"label": label, "n": n, "y": 8 + i * 26, "w": round(400 * n / top, 1)}
            for i, ((label, _lo, _hi), n) in enumerate(zip(groups, counts, strict=True))]
    return {"rows": rows, "height": 8 + len(rows) * 26}


def _download(tables: dict[str, list[dict[str, Any]]], name: str, fmt: str,
              slug: str) -> HttpResponse:
    if name not in tables:
        raise Http404
    rows = tables[name]
    filename = f"statistik-{slug}-{name}.{fmt}"
    if fmt == "json":
        response = HttpResponse(json.dumps(rows, ensure_ascii=False, indent=1, default=str),
                                content_type="application/json; charset=utf-8")
    else:
        out = io.StringIO()
        if rows:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _named_rows(rows: list[dict[str, Any]], names: dict[int, str], link: str
                ) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        f = stats.Figures(sums={k: r[k] for k in stats.FIGURES})
        row = f.as_row()
        out.append({"id": r["key"], "name": names.get(r["key"], "?"), "link": f"{link}{r['key']}/",
                    **{k: row[k] for k in ("received", "verified", "first_within_24h_pct",
                                            "follow_up_met_pct", "final_answers")}})
    return out


def _page(request: HttpRequest, *, scope: stats.Scope, title: str, slug: str,
          breadcrumbs: list[tuple[str, str]], parts: list[dict[str, Any]], parts_title: str,
          extra: dict[str, Any] | None = None) -> HttpResponse:
    today = timezone.localdate()
    first, last, label, error = period(request.GET, today)
    figs = stats.figures(scope, first, last)
    trend = stats.by_month(scope, first, last)
    reasons = stats.rejected_by_reason(scope, first, last)
    summary = figs.as_row()
    categories = dict(Category.objects.values_list("pk", "name"))
    slugs = dict(Category.objects.values_list("pk", "slug"))
    by_category = _named_rows(stats.breakdown(scope, first, last, "category"), categories, "")
    for row in by_category:
        row["link"] = f"/statistik/kategori/{slugs.get(row['id'], '')}/"
    tables: dict[str, list[dict[str, Any]]] = {
        "ringkasan": [{"figure": k, "value": v} for k, v in summary.items()],
        "tren": trend,
        "alasan-penolakan": [{"reason": k, "label": str(REJECTION_REASONS.get(k, k)), "n": v}
                             for k, v in reasons.items()],
        "rincian": [{k: v for k, v in p.items() if k != "link"} for p in parts],
        "kategori": [{k: v for k, v in p.items() if k != "link"} for p in by_category],
    }
    fmt = request.GET.get("unduh", "")
    if fmt in ("csv", "json"):
        return _download(tables, request.GET.get("tabel", ""), fmt, slug)
    context = {
        "title": title, "breadcrumbs": breadcrumbs, "period_label": label, "period_error": error,
        "first": first, "last": last, "figs": figs, "summary": summary, "trend": trend,
        "chart": _chart(trend), "first_hist": _hist_chart(figs.first_hist),
        "reasons": tables["alasan-penolakan"], "parts": parts, "parts_title": parts_title,
        "by_category": by_category, "as_of": stats.as_of(), "period_query": _period_query(
            request.GET), "minimum": stats.RANKING_MINIMUM, "levels": [
            (k, v[0]) for k, v in stats.RANKING_LEVELS.items()],
        "this_year": today.year, "this_month": today.strftime("%Y-%m"),
        "this_quarter": f"{today.year}-Q{(today.month - 1) // 3 + 1}",
    }
    context.update(extra or {})
    return render(request, "routing/statistics.html", context)


@require_GET
@public_read_view
def national(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    first, last, _label, _error = period(request.GET, today)
    provinces = {r.pk: r.name for r in Region.objects.filter(level=Region.Level.PROVINCE)}
    parts = _named_rows(stats.breakdown(stats.Scope(), first, last, "province"), provinces,
                        "/statistik/provinsi/")
    return _page(request, scope=stats.Scope(), title=_("Statistik nasional"), slug="nasional",
                 breadcrumbs=[], parts=parts, parts_title=_("Per provinsi"))


@require_GET
@public_read_view
def province(request: HttpRequest, pk: int) -> HttpResponse:
    region = get_object_or_404(Region, pk=pk, level=Region.Level.PROVINCE)
    today = timezone.localdate()
    first, last, _label, _error = period(request.GET, today)
    scope = stats.Scope(province=region)
    regencies = {r.pk: r.name for r in Region.objects.filter(parent=region)}
    parts = _named_rows(stats.breakdown(scope, first, last, "regency"), regencies,
                        "/statistik/wilayah/")
    return _page(request, scope=scope, title=region.name, slug=f"provinsi-{region.code}",
                 breadcrumbs=[(_("Nasional"), "/statistik/")], parts=parts,
                 parts_title=_("Per kabupaten/kota"))


@require_GET
@public_read_view
def regency(request: HttpRequest, pk: int) -> HttpResponse:
    region = get_object_or_404(Region.objects.select_related("parent"), pk=pk,
                               level=Region.Level.REGENCY)
    today = timezone.localdate()
    first, last, _label, _error = period(request.GET, today)
    scope = stats.Scope(regency=region)
    rows = stats.breakdown(scope, first, last, "body")
    names = dict(Body.objects.filter(pk__in=[r["key"] for r in rows]).values_list("pk", "name"))
    parts = _named_rows(rows, names, "/statistik/instansi/")
    crumbs = [(_("Nasional"), "/statistik/")]
    if region.parent is not None:
        crumbs.append((region.parent.name, f"/statistik/provinsi/{region.parent.pk}/"))
    return _page(request, scope=scope, title=region.name, slug=f"wilayah-{region.code}",
                 breadcrumbs=crumbs, parts=parts,
                 parts_title=_("Per instansi yang memegang laporan dari wilayah ini"))


@require_GET
@public_read_view
def body(request: HttpRequest, pk: int) -> HttpResponse:
    the_body = get_object_or_404(Body, pk=pk)
    today = timezone.localdate()
    first, last, _label, _error = period(request.GET, today)
    parts = []
    for r in stats.subtree_breakdown(the_body, first, last):
        f = stats.Figures(sums={k: r[k] for k in stats.FIGURES}).as_row()
        name = (_("%(name)s (langsung)") % {"name": r["body"].name}) if r["own"] else r[
            "body"].name
        parts.append({"id": r["body"].pk, "name": name,
                      "link": "" if r["own"] else f"/statistik/instansi/{r['body'].pk}/",
                      **{k: f[k] for k in ("received", "verified", "first_within_24h_pct",
                                           "follow_up_met_pct", "final_answers")}})
    crumbs = [(_("Nasional"), "/statistik/")] + [
        (a.name, f"/statistik/instansi/{a.pk}/") for a in agency_selectors.ancestors(the_body)]
    return _page(request, scope=stats.Scope(body=the_body), title=the_body.name,
                 slug=f"instansi-{the_body.pk}", breadcrumbs=crumbs, parts=parts,
                 parts_title=_("Instansi ini dan unit di bawahnya"),
                 extra={"body": the_body})


@require_GET
@public_read_view
def category(request: HttpRequest, slug: str) -> HttpResponse:
    the_category = get_object_or_404(Category, slug=slug)
    today = timezone.localdate()
    first, last, _label, _error = period(request.GET, today)
    scope = stats.Scope(category=the_category)
    provinces = {r.pk: r.name for r in Region.objects.filter(level=Region.Level.PROVINCE)}
    parts = _named_rows(stats.breakdown(scope, first, last, "province"), provinces,
                        "/statistik/provinsi/")
    return _page(request, scope=scope, title=the_category.name, slug=f"kategori-{slug}",
                 breadcrumbs=[(_("Nasional"), "/statistik/")], parts=parts,
                 parts_title=_("Per provinsi"))


@require_GET
@public_read_view
def ranking(request: HttpRequest) -> HttpResponse:
    level = request.GET.get("tingkat", "provinsi")
    if level not in stats.RANKING_LEVELS:
        level = "provinsi"
    today = timezone.localdate()
    first, last, label, error = period(request.GET, today)
    ranked, unranked = stats.ranking(level, first, last)

    def flat(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{"rank": r.get("rank", ""), "id": r["body"].pk, "name": r["body"].name,
                 "received": r["received"], "follow_up_met_pct": r["follow_up_met_pct"],
                 "first_within_24h_pct": r["first_within_24h_pct"]} for r in rows]

    tables = {"peringkat": flat(ranked), "belum-diperingkat": flat(unranked)}
    fmt = request.GET.get("unduh", "")
    if fmt in ("csv", "json"):
        return _download(tables, request.GET.get("tabel", ""), fmt, f"peringkat-{level}")
    # The rows rendered once per refresh (hundreds of regencies and cities): the figures
    # only change with a refresh, whose token is in the key; before the first, not kept.
    generation = stats.as_of()
    rows_key = (f"{generation.pk}.{generation.token}:{level}:{first}:{last}:"
                f"{stats.RANKING_MINIMUM}:{_period_query(request.GET)}:"
                f"{translation.get_language()}") if generation else ""
    return render(request, "routing/statistics_ranking.html", {
        "rows_cache_key": rows_key, "rows_cache_seconds": stats.CACHE_SECONDS if rows_key else 0,
        "level": level, "level_label": stats.RANKING_LEVELS[level][0],
        "levels": [(k, v[0]) for k, v in stats.RANKING_LEVELS.items()],
        "ranked": tables["peringkat"], "unranked": tables["belum-diperingkat"],
        "minimum": stats.RANKING_MINIMUM, "period_label": label, "period_error": error,
        "period_query": _period_query(request.GET), "as_of": stats.as_of(),
        "this_year": today.year, "this_month": today.strftime("%Y-%m"),
        "this_quarter": f"{today.year}-Q{(today.month - 1) // 3 + 1}",
    })


@login_required
@require_GET
def staff_statistics(request: AuthenticatedRequest) -> HttpResponse:
    """/petugas/statistik/: a supervisor's bodies and every body directly below them, with
    the same figures as the public pages (archived reports too, which the staff handled),
    each body's reports one click away in the queue. 404 for anyone who supervises nothing."""
    tops = [m.body for m in access.memberships_of(request.user) if m.role == Role.SUPERVISOR]
    if not tops:
        raise Http404
    today = timezone.localdate()
    first, last, label, error = period(request.GET, today)
    sections = []
    for top in tops:
        rows = []
        for r in stats.subtree_breakdown(top, first, last):
            f = stats.Figures(sums={k: r[k] for k in stats.FIGURES})
            rows.append({"body": r["body"], "own": r["own"], "row": f.as_row(),
                         "archived": r["archived"]})
        sections.append({"top": top, "rows": rows,
                         "figs": stats.figures(stats.Scope(body=top), first, last)})
    return render(request, "routing/staff_statistics.html", {
        "sections": sections, "period_label": label, "period_error": error,
        "period_query": _period_query(request.GET), "as_of": stats.as_of(),
        "this_year": today.year, "this_month": today.strftime("%Y-%m"),
        "this_quarter": f"{today.year}-Q{(today.month - 1) // 3 + 1}",
    })
