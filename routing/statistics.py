"""Reading the statistics: sums of rollup rows for a scope (national, a province, a
regency/city, a body with everything below it, a category) and a period. Never a scan of the
reports table (``routing.services.statistics`` keeps the rows). Public figures leave archived
reports out; confidential reports count in totals and nothing here ever lists a report.

Where the rows come from: the whole months of the period from the page grain (``StatCube``,
``StatCubeHistogram``: one index range of a few hundred rows for a scope and its parts), the
days of a partial month at either edge from the daily rows (``StatRollup``,
``StatHistogram``). A month counts as whole when the period covers it from its first day to
its last, or to the last day that has any rollup row (so "the last 12 months", ending today,
is twelve whole months). A scope of two things at once (a province *and* a category), or a
part a scope's pages do not use, is summed from the daily rows over the whole period.

A page's figures change only when the rollups do, so they are cached per refresh: the key
holds the last finished ``StatRefresh``'s token (a new run, new keys; nothing to delete),
in this process and in the shared cache."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models import F, Max, QuerySet, Sum
from django.db.models.functions import Substr, TruncMonth
from django.utils.translation import gettext_lazy as _

from agencies.models import Body, Region
from complaints.models import Category
from routing.models import StatCube, StatCubeHistogram, StatHistogram, StatRefresh, StatRollup
from routing.services.statistics import CUBE_SCOPES, month_of, next_month

T = TypeVar("T")

# A body is ranked only with at least this many reports received in the period.
RANKING_MINIMUM = 30
RANKING_LEVELS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "kementerian": (_("Kementerian dan lembaga"),
                    (Body.Kind.COORDINATING_MINISTRY, Body.Kind.MINISTRY, Body.Kind.AGENCY)),
    "provinsi": (_("Pemerintah provinsi"), (Body.Kind.PROVINCE,)),
    "kabupaten-kota": (_("Pemerintah kabupaten/kota"), (Body.Kind.REGENCY, Body.Kind.CITY)),
}
FIGURES = (
    "received", "confidential", "verified", "rejected", "archived", "referred_out",
    "first_responses", "first_within_24h", "final_answers", "follow_up_met",
    "follow_up_breached", "escalated", "rating_sum", "rating_count", "solved_yes",
    "solved_partly", "solved_no",
)
_SUMS = {name: Sum(name) for name in FIGURES}


@dataclass(frozen=True)
class Scope:
    """Which reports: all, or those of a province, a regency, a body's subtree, a category."""

    province: Region | None = None
    regency: Region | None = None
    body: Body | None = None
    category: Category | None = None

    def cube(self) -> tuple[str, int] | None:
        """This scope in the page grain (``StatCube.scope``, ``scope_id``), if it is one."""
        given = [(code, thing) for code, thing in (
            ("p", self.province), ("r", self.regency), ("b", self.body), ("c", self.category))
            if thing is not None]
        if not given:
            return ("n", 0)
        if len(given) == 1:
            return (given[0][0], given[0][1].pk)
        return None

    def filter(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        if self.province is not None:
            rows = rows.filter(province=self.province)
        if self.regency is not None:
            rows = rows.filter(regency=self.regency)
        if self.body is not None:
            rows = rows.filter(body__path__startswith=self.body.path)
        if self.category is not None:
            rows = rows.filter(category=self.category)
        return rows


@dataclass
class Figures:
    """One scope's figures over a period, with the shares and percentiles derived."""

    sums: dict[str, int]
    first_hist: dict[int, int] = field(default_factory=dict)
    final_hist: dict[int, int] = field(default_factory=dict)

    def __getattr__(self, name: str) -> int:
        sums = self.__dict__.get("sums", {})
        if name in sums:
            return sums[name]
        raise AttributeError(name)

    @staticmethod
    def share(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def first_within_24h_pct(self) -> float | None:
        return self.share(self.sums["first_within_24h"], self.sums["first_responses"])

    @property
    def follow_up_met_pct(self) -> float | None:
        decided = self.sums["follow_up_met"] + self.sums["follow_up_breached"]
        return self.share(self.sums["follow_up_met"], decided)

    @property
    def escalated_pct(self) -> float | None:
        return self.share(self.sums["escalated"], self.sums["verified"])

    @property
    def rating_mean(self) -> float | None:
        n = self.sums["rating_count"]
        return round(self.sums["rating_sum"] / n, 2) if n else None

    @property
    def solved_answers(self) -> int:
        return self.sums["solved_yes"] + self.sums["solved_partly"] + self.sums["solved_no"]

    @property
    def solved_pct(self) -> float | None:
        return self.share(self.sums["solved_yes"], self.solved_answers)

    @property
    def first_median(self) -> int | None:
        return percentile(self.first_hist, 0.5)

    @property
    def first_p90(self) -> int | None:
        return percentile(self.first_hist, 0.9)

    @property
    def final_median(self) -> int | None:
        return percentile(self.final_hist, 0.5)

    @property
    def final_p90(self) -> int | None:
        return percentile(self.final_hist, 0.9)

    def as_row(self) -> dict[str, Any]:
        return {
            "received": self.sums["received"], "verified": self.sums["verified"],
            "rejected": self.sums["rejected"], "referred_out": self.sums["referred_out"],
            "first_responses": self.sums["first_responses"],
            "first_within_24h_pct": self.first_within_24h_pct,
            "follow_up_met": self.sums["follow_up_met"],
            "follow_up_breached": self.sums["follow_up_breached"],
            "follow_up_met_pct": self.follow_up_met_pct,
            "first_response_median_days": self.first_median,
            "first_response_p90_days": self.first_p90,
            "final_answers": self.sums["final_answers"],
            "final_answer_median_days": self.final_median,
            "final_answer_p90_days": self.final_p90,
            "escalated": self.sums["escalated"], "escalated_pct": self.escalated_pct,
            "rating_mean": self.rating_mean, "rating_count": self.sums["rating_count"],
            "solved_answers": self.solved_answers, "solved_yes_pct": self.solved_pct,
        }


def percentile(hist: dict[int, int], q: float) -> int | None:
    """The smallest bucket (working days) at or below which a share ``q`` of the reports
    lie: the median for 0.5, the 90th percentile for 0.9."""
    total = sum(hist.values())
    if not total:
        return None
    running = 0
    for bucket in sorted(hist):
        running += hist[bucket]
        if running >= q * total:
            return bucket
    return max(hist)


def _clean(sums: dict[str, Any]) -> dict[str, int]:
    return {name: int(sums.get(name) or 0) for name in FIGURES}


def _add(into: dict[str, int], values: Any) -> None:
    for name, value in zip(FIGURES, values, strict=True):
        into[name] = into.get(name, 0) + int(value or 0)


# --- The cache (per refresh) ------------------------------------------------------------

CACHE_SECONDS = 24 * 3600
_LOCAL: OrderedDict[str, Any] = OrderedDict()
_LOCAL_MAX = 512


def forget_cached_figures() -> None:
    """Empty this process's copies (tests; the shared cache is keyed per refresh anyway)."""
    _LOCAL.clear()


def _generation() -> str | None:
    run = as_of()
    return None if run is None else f"{run.pk}.{run.token}"


def _cached(parts: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()``, cached under the last finished refresh (not at all before the first)."""
    generation = _generation()
    if generation is None:
        return compute()
    key = "stats:" + ":".join(str(p) for p in (generation, *parts))
    if key in _LOCAL:
        _LOCAL.move_to_end(key)
        return _LOCAL[key]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    _LOCAL[key] = value
    while len(_LOCAL) > _LOCAL_MAX:
        _LOCAL.popitem(last=False)
    return value


def _scope_key(scope: Scope) -> str:
    return ",".join(f"{name}={getattr(scope, name).pk}" for name in
                    ("province", "regency", "body", "category") if getattr(scope, name))


# --- Whole months and partial days ------------------------------------------------------


def split_period(first: date, last: date) -> tuple[list[date], list[tuple[date, date]]]:
    """The whole months of [first, last] (their first days) and the remaining day ranges."""
    latest = StatRollup.objects.aggregate(m=Max("day"))["m"]
    months: list[date] = []
    ranges: list[tuple[date, date]] = []
    month = month_of(first)
    while month <= last:
        month_end = next_month(month) - timedelta(days=1)
        lo, hi = max(first, month), min(last, month_end)
        if lo == month and (hi == month_end or latest is None or hi >= latest):
            months.append(month)
        elif ranges and (lo - ranges[-1][1]).days == 1:
            ranges[-1] = (ranges[-1][0], hi)
        else:
            ranges.append((lo, hi))
        month = next_month(month)
    return months, ranges


@dataclass
class Cells:
    """A scope's sums over a period: per month (the trend, and the total), per part
    (``dims``: ``reason``, ``category``, …; key → sums) and the two histograms."""

    months: dict[str, dict[str, int]] = field(default_factory=dict)
    parts: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    hist: dict[str, dict[int, int]] = field(default_factory=dict)

    def part(self, dim: str, key: str) -> dict[str, int]:
        return self.parts.setdefault(dim, {}).setdefault(key, {})

    def total(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for sums in self.months.values():
            _add(out, [sums.get(f, 0) for f in FIGURES])
        return _clean(out)


def cells(scope: Scope, first: date, last: date) -> Cells:
    return _cached(("cells", _scope_key(scope), first, last),
                   lambda: _compute_cells(scope, first, last))


def _compute_cells(scope: Scope, first: date, last: date) -> Cells:
    out = Cells()
    cube = scope.cube()
    months: list[date]
    ranges: list[tuple[date, date]]
    if cube is None:
        months, ranges = [], [(first, last)]
        dims: tuple[str, ...] = ()
    else:
        months, ranges = split_period(first, last)
        dims = CUBE_SCOPES[cube[0]][2]
    for dim in ("reason", *dims):
        out.parts[dim] = {}
    if cube is not None and months:
        code, scope_id = cube
        rows = StatCube.objects.filter(scope=code, scope_id=scope_id, month__in=months)
        for month, dim, key, *values in rows.values_list("month", "dim", "key", *FIGURES):
            if dim == "":
                _add(out.months.setdefault(month.strftime("%Y-%m"), {}), values)
            else:
                _add(out.part(dim, key), values)
        hist = StatCubeHistogram.objects.filter(scope=code, scope_id=scope_id, month__in=months)
        for measure, bucket, n in hist.values_list("measure", "bucket", "n"):
            target = out.hist.setdefault(measure, {})
            target[bucket] = target.get(bucket, 0) + n
    for lo, hi in ranges:
        _add_days(out, scope, lo, hi, dims)
    return out


def _add_days(out: Cells, scope: Scope, first: date, last: date, dims: tuple[str, ...]) -> None:
    """The daily rows of [first, last] into ``out``."""
    base = scope.filter(StatRollup.objects.filter(day__gte=first, day__lte=last))
    for r in base.annotate(m=TruncMonth("day")).values("m").annotate(**_SUMS).order_by():
        _add(out.months.setdefault(r["m"].strftime("%Y-%m"), {}), [r[f] for f in FIGURES])
    reasons = base.exclude(rejection_reason="").values("rejection_reason").annotate(**_SUMS)
    for r in reasons.order_by():
        _add(out.part("reason", r["rejection_reason"]), [r[f] for f in FIGURES])
    for dim in dims:
        if dim in ("category", "province", "regency", "body"):
            rows = (base.exclude(**{f"{dim}__isnull": True}).values(k=F(f"{dim}_id"))
                    .annotate(**_SUMS).order_by())
        elif dim == "own" and scope.body is not None:
            rows = base.filter(body=scope.body).values(k=F("body_id")).annotate(**_SUMS).order_by()
        elif dim == "child" and scope.body is not None:
            rows = (base.filter(body__depth__gt=scope.body.depth)
                    .annotate(k=_prefix(len(scope.body.path) + Body.steplen))
                    .values("k").annotate(**_SUMS).order_by())
        else:
            continue
        for r in rows:
            _add(out.part(dim, str(r["k"])), [r[f] for f in FIGURES])
    hist = (scope.filter(StatHistogram.objects.filter(day__gte=first, day__lte=last))
            .values("measure", "bucket").annotate(n=Sum("n")).order_by())
    for h in hist:
        target = out.hist.setdefault(h["measure"], {})
        target[h["bucket"]] = target.get(h["bucket"], 0) + h["n"]


# --- What the pages ask -----------------------------------------------------------------


def figures(scope: Scope, first: date, last: date) -> Figures:
    c = cells(scope, first, last)
    return Figures(sums=c.total(),
                   first_hist=dict(c.hist.get(StatHistogram.Measure.FIRST_RESPONSE, {})),
                   final_hist=dict(c.hist.get(StatHistogram.Measure.FINAL_ANSWER, {})))


def by_month(scope: Scope, first: date, last: date) -> list[dict[str, Any]]:
    """The trend: per month, reports received, final answers, first responses in 24 h."""
    c = cells(scope, first, last)
    out = []
    for month in sorted(c.months):
        r = _clean(c.months[month])
        out.append({"month": month, "received": r["received"],
                    "final_answers": r["final_answers"],
                    "first_within_24h_pct": Figures.share(r["first_within_24h"],
                                                          r["first_responses"])})
    return out


def rejected_by_reason(scope: Scope, first: date, last: date) -> dict[str, int]:
    parts = cells(scope, first, last).parts["reason"]
    return {k: parts[k]["rejected"] for k in sorted(parts) if parts[k].get("rejected")}


def breakdown(scope: Scope, first: date, last: date, by: str) -> list[dict[str, Any]]:
    """Sums per province, regency, body or category (``by``: that rollup field)."""
    parts = cells(scope, first, last).parts.get(by)
    if parts is None:  # not a part of this scope's grain: from the daily rows
        return _cached(("breakdown", _scope_key(scope), first, last, by),
                       lambda: _daily_breakdown(scope, first, last, by))
    return [{"key": int(k), **_clean(v)} for k, v in sorted(parts.items(),
                                                             key=lambda kv: int(kv[0]))]


def _daily_breakdown(scope: Scope, first: date, last: date, by: str) -> list[dict[str, Any]]:
    rows = (
        scope.filter(StatRollup.objects.filter(day__gte=first, day__lte=last))
        .exclude(**{f"{by}__isnull": True})
        .values(key=F(f"{by}_id")).annotate(**_SUMS).order_by("key")
    )
    return [{"key": r["key"], **_clean(r)} for r in rows]


def subtree_breakdown(body: Body, first: date, last: date) -> list[dict[str, Any]]:
    """Sums for the body itself and for each child of ``body`` with everything below it
    (children without reports left out)."""
    c = cells(Scope(body=body), first, last)
    out: list[dict[str, Any]] = [
        {"body": body, "own": True, **_clean(c.parts["own"].get(str(body.pk), {}))}
    ]
    children = c.parts["child"]
    for child in Body.objects.filter(path__in=list(children)).order_by("name"):
        out.append({"body": child, "own": False, **_clean(children[child.path])})
    return out


def ranking(level: str, first: date, last: date) -> tuple[list[dict[str, Any]],
                                                          list[dict[str, Any]]]:
    """Bodies of one level (``RANKING_LEVELS``), each with everything below it: the ranked
    (at least ``RANKING_MINIMUM`` reports received), by follow-up within 60 working days met
    (%), then first response within 24 hours (%), then name; and the unranked."""
    _label, kinds = RANKING_LEVELS[level]
    bodies = list(Body.objects.filter(kind__in=kinds).only("id", "name", "path", "kind"))
    if not bodies:
        return [], []
    minimum = RANKING_MINIMUM
    totals = _cached(("ranking", level, first, last),
                     lambda: _ranking_totals(bodies, first, last))
    ranked: list[dict[str, Any]] = []
    unranked: list[dict[str, Any]] = []
    for b in bodies:
        sums = totals.get(b.pk, _clean({}))
        f = Figures(sums=sums)
        row = {"body": b, **sums, "follow_up_met_pct": f.follow_up_met_pct,
               "first_within_24h_pct": f.first_within_24h_pct}
        (ranked if sums["received"] >= minimum else unranked).append(row)
    ranked.sort(key=lambda r: (-(r["follow_up_met_pct"] or 0), -(r["first_within_24h_pct"] or 0),
                               r["body"].name))
    for i, row in enumerate(ranked, 1):
        row["rank"] = i
    unranked = [r for r in unranked if r["received"]]
    unranked.sort(key=lambda r: (-r["received"], r["body"].name))
    return ranked, unranked


def _ranking_totals(bodies: list[Body], first: date, last: date) -> dict[int, dict[str, int]]:
    """Per body, its sums with everything below it: whole months from the page grain, the
    partial days from the daily rows (one grouped query per path length)."""
    totals: dict[int, dict[str, int]] = {}
    months, ranges = split_period(first, last)
    if months:
        rows = (StatCube.objects.filter(scope="b", scope_id__in=[b.pk for b in bodies], dim="",
                                        month__in=months)
                .values("scope_id").annotate(**_SUMS).order_by())
        for r in rows:
            _add(totals.setdefault(r["scope_id"], {}), [r[f] for f in FIGURES])
    paths = {b.path: b for b in bodies}
    steplen = Body.steplen
    for lo, hi in ranges:
        base = StatRollup.objects.filter(day__gte=lo, day__lte=hi, body__isnull=False)
        for depth in {len(p) for p in paths}:
            day_rows = (
                base.filter(body__depth__gte=depth // steplen)
                .annotate(top=_prefix(depth))
                .filter(top__in=[p for p in paths if len(p) == depth])
                .values("top").annotate(**_SUMS).order_by()
            )
            for r in day_rows:
                _add(totals.setdefault(paths[r["top"]].pk, {}), [r[f] for f in FIGURES])
    return {k: _clean(v) for k, v in totals.items()}


def _prefix(length: int) -> Substr:
    return Substr("body__path", 1, length)


def as_of() -> StatRefresh | None:
    return StatRefresh.objects.filter(finished_at__isnull=False).order_by("-as_of").first()


def last_twelve_months(today: date) -> tuple[date, date]:
    first = (today.replace(day=1) - timedelta(days=335)).replace(day=1)
    return first, today
