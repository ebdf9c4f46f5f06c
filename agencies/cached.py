"""Regions read through the per-process config cache (``agencies.config_cache``): filing
looks up its province, regency and district by code without a query once they are known."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q

from agencies.config_cache import cache
from agencies.models import Region


def _regions_of_province(prefix: str) -> dict[str, Region]:
    """The province with code ``prefix`` and its regencies and districts, by code (one query
    of a few hundred rows). Loaded a province at a time: a filing names one district of
    7,285, so a cache filled one code at a time missed on most filings for hours (a query
    each, a twentieth of a filing's CPU at 1M reports), and loading all 7,837 regions at once
    makes one request of each process wait a fifth of a second."""
    def load() -> dict[str, Region]:
        rows = Region.objects.using(DEFAULT_DB_ALIAS).filter(
            Q(code=prefix) | Q(code__startswith=f"{prefix}."))
        return {region.code: region for region in rows}

    return cache.get(("regions_of_province", prefix), load)


def region_by_code(code: str) -> Region | None:
    """The region with Kemendagri ``code``, or None. Shared: do not change it."""
    return _regions_of_province(code.split(".", 1)[0]).get(code)
