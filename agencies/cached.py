"""Regions read through the per-process config cache (``agencies.config_cache``): filing
looks up its province, regency and district by code without a query once they are known."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS

from agencies.config_cache import cache
from agencies.models import Region


def region_by_code(code: str) -> Region | None:
    """The region with Kemendagri ``code``, or None. Shared: do not change it."""
    def load() -> Region | None:
        return Region.objects.using(DEFAULT_DB_ALIAS).filter(code=code).first()

    return cache.get(("region", code), load)
