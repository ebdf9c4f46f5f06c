"""Which body a rule suggests for a report: the most specific active rule for its category
and place (district, then regency/city, then province, then national)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q

from agencies.config_cache import cache as config_cache
from complaints.models import Report
from routing.models import RoutingRule


def _places(report: Report) -> list[int | None]:
    """The report's regions from the most specific to none (national)."""
    return [
        *(r for r in (report.district_id, report.regency_id, report.province_id) if r),
        None,
    ]


def _rank(rule: RoutingRule, places: list[int | None]) -> tuple[int, int]:
    # Place first (district beats regency beats province beats national), then a rule for
    # the report's own category beats a rule for any category.
    return (places.index(rule.region_id), 0 if rule.category_id else 1)


def suggest(report: Report) -> RoutingRule | None:
    """The rule that applies to ``report``, or None, from the per-process copy of the active
    rules (no query once loaded; any write to rules, bodies, regions or categories bumps the
    config version, see ``agencies.config_cache``). Shared: do not change the rule."""
    places = _places(report)
    by_place = config_cache.get("active_rules", _active_rules)
    matching = [
        rule
        for place in places
        for category in ((report.category_id, None) if report.category_id else (None,))
        for rule in by_place.get((place, category), ())
    ]
    return min(matching, key=lambda rule: _rank(rule, places)) if matching else None


def _active_rules() -> dict[tuple[int | None, int | None], list[RoutingRule]]:
    """Every active rule of an active body, by (region, category)."""
    by_place: dict[tuple[int | None, int | None], list[RoutingRule]] = {}
    rules = (
        RoutingRule.objects.using(DEFAULT_DB_ALIAS)
        .filter(is_active=True, body__is_active=True)
        .select_related("body", "region", "category")
        .order_by("pk")
    )
    for rule in rules:
        by_place.setdefault((rule.region_id, rule.category_id), []).append(rule)
    return by_place


def suggest_many(reports: Iterable[Report]) -> dict[int, RoutingRule]:
    """The applying rule of each report, for a whole queue page in one query."""
    reports = list(reports)
    if not reports:
        return {}
    categories = {r.category_id for r in reports if r.category_id}
    regions = {p for r in reports for p in _places(r) if p}
    rules = list(
        RoutingRule.objects.filter(is_active=True, body__is_active=True)
        .filter(Q(category__isnull=True) | Q(category_id__in=categories))
        .filter(Q(region__isnull=True) | Q(region_id__in=regions))
        .select_related("body", "region", "category")
    )
    chosen: dict[int, RoutingRule] = {}
    for report in reports:
        places = _places(report)
        matching = [
            rule for rule in rules
            if rule.region_id in places
            and (rule.category_id is None or rule.category_id == report.category_id)
        ]
        if matching:
            chosen[report.pk] = min(matching, key=lambda rule: _rank(rule, places))
    return chosen
