"""Reading the statistics: sums of rollup rows (``StatRollup``, ``StatHistogram``) for a
scope (national, a province, a regency/city, a body with everything below it, a category)
and a period. Never a scan of the reports table (``routing.services.statistics`` keeps the
rows). Public figures leave archived reports out; confidential reports count in totals and
nothing here ever lists a report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import F, QuerySet, Sum
from django.db.models.functions import Substr, TruncMonth
from django.utils.translation import gettext_lazy as _

from agencies.models import Body, Region
from complaints.models import Category
from routing.models import StatHistogram, StatRefresh, StatRollup

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


def figures(scope: Scope, first: date, last: date) -> Figures:
    rows = scope.filter(StatRollup.objects.filter(day__gte=first, day__lte=last))
    hist_rows = (
        scope.filter(StatHistogram.objects.filter(day__gte=first, day__lte=last))
        .values("measure", "bucket").annotate(n=Sum("n")).order_by()
    )
    result = Figures(sums=_clean(rows.aggregate(**_SUMS)))
    for h in hist_rows:
        target = (result.first_hist if h["measure"] == StatHistogram.Measure.FIRST_RESPONSE
                  else result.final_hist)
        target[h["bucket"]] = h["n"]
    return result


def by_month(scope: Scope, first: date, last: date) -> list[dict[str, Any]]:
    """The trend: per month, reports received, final answers, first responses in 24 h."""
    rows = (
        scope.filter(StatRollup.objects.filter(day__gte=first, day__lte=last))
        .annotate(month=TruncMonth("day")).values("month")
        .annotate(received=Sum("received"), final_answers=Sum("final_answers"),
                  first_responses=Sum("first_responses"),
                  first_within_24h=Sum("first_within_24h"))
        .order_by("month")
    )
    return [
        {"month": r["month"].strftime("%Y-%m"), "received": r["received"],
         "final_answers": r["final_answers"],
         "first_within_24h_pct": Figures.share(r["first_within_24h"], r["first_responses"])}
        for r in rows
    ]


def rejected_by_reason(scope: Scope, first: date, last: date) -> dict[str, int]:
    rows = (
        scope.filter(StatRollup.objects.filter(day__gte=first, day__lte=last, rejected__gt=0))
        .values("rejection_reason").annotate(n=Sum("rejected")).order_by("rejection_reason")
    )
    return {r["rejection_reason"]: r["n"] for r in rows}


def breakdown(scope: Scope, first: date, last: date, by: str) -> list[dict[str, Any]]:
    """Sums per province, regency, body or category (``by``: that rollup field)."""
    rows = (
        scope.filter(StatRollup.objects.filter(day__gte=first, day__lte=last))
        .exclude(**{f"{by}__isnull": True})
        .values(key=F(f"{by}_id")).annotate(**_SUMS).order_by("key")
    )
    return [{"key": r["key"], **_clean(r)} for r in rows]


def subtree_breakdown(body: Body, first: date, last: date) -> list[dict[str, Any]]:
    """Sums for the body itself and for each child of ``body`` with everything below it
    (children without reports left out): two grouped queries, however many children."""
    base = StatRollup.objects.filter(day__gte=first, day__lte=last)
    out: list[dict[str, Any]] = [
        {"body": body, "own": True, **_clean(base.filter(body=body).aggregate(**_SUMS))}
    ]
    child_len = len(body.path) + Body.steplen
    rows = (
        base.filter(body__path__startswith=body.path, body__depth__gt=body.depth)
        .annotate(top=_prefix(child_len)).values("top").annotate(**_SUMS).order_by()
    )
    sums = {r["top"]: _clean(r) for r in rows}
    children = Body.objects.filter(path__in=list(sums)).order_by("name")
    out.extend({"body": child, "own": False, **sums[child.path]} for child in children)
    return out


def ranking(level: str, first: date, last: date) -> tuple[list[dict[str, Any]],
                                                          list[dict[str, Any]]]:
    """Bodies of one level (``RANKING_LEVELS``), each with everything below it: the ranked
    (at least ``RANKING_MINIMUM`` reports received), by follow-up within 60 working days met
    (%), then first response within 24 hours (%), then name; and the unranked."""
    _label, kinds = RANKING_LEVELS[level]
    bodies = Body.objects.filter(kind__in=kinds).only("id", "name", "path", "kind")
    paths = {b.path: b for b in bodies}
    if not paths:
        return [], []
    steplen = Body.steplen
    depths = {len(p) for p in paths}
    totals: dict[int, dict[str, int]] = {}
    base = StatRollup.objects.filter(day__gte=first, day__lte=last, body__isnull=False)
    for depth in depths:
        rows = (
            base.filter(body__depth__gte=depth // steplen)
            .annotate(top=_prefix(depth)).filter(top__in=[p for p in paths if len(p) == depth])
            .values("top").annotate(**_SUMS).order_by()
        )
        for r in rows:
            totals[paths[r["top"]].pk] = _clean(r)
    ranked: list[dict[str, Any]] = []
    unranked: list[dict[str, Any]] = []
    for b in paths.values():
        sums = totals.get(b.pk, _clean({}))
        f = Figures(sums=sums)
        row = {"body": b, **sums, "follow_up_met_pct": f.follow_up_met_pct,
               "first_within_24h_pct": f.first_within_24h_pct}
        (ranked if sums["received"] >= RANKING_MINIMUM else unranked).append(row)
    ranked.sort(key=lambda r: (-(r["follow_up_met_pct"] or 0), -(r["first_within_24h_pct"] or 0),
                               r["body"].name))
    for i, row in enumerate(ranked, 1):
        row["rank"] = i
    unranked = [r for r in unranked if r["received"]]
    unranked.sort(key=lambda r: (-r["received"], r["body"].name))
    return ranked, unranked


def _prefix(length: int) -> Substr:
    return Substr("body__path", 1, length)


def as_of() -> StatRefresh | None:
    return StatRefresh.objects.filter(finished_at__isnull=False).order_by("-as_of").first()


def last_twelve_months(today: date) -> tuple[date, date]:
    first = (today.replace(day=1) - timedelta(days=335)).replace(day=1)
    return first, today
