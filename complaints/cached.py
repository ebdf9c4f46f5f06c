"""Categories and regions as filing reads them: through the per-process config cache
(``agencies.config_cache``), so parsing a report's category and places costs no query once
they are known. Shared values: do not change them."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS

from agencies.cached import region_by_code
from agencies.config_cache import cache
from agencies.models import Region
from complaints.models import Category


def _active_categories() -> dict[str, dict[object, Category]]:
    def load() -> dict[str, dict[object, Category]]:
        rows = list(Category.objects.using(DEFAULT_DB_ALIAS).filter(is_active=True))
        return {"slug": {c.slug: c for c in rows}, "pk": {c.pk: c for c in rows}}

    return cache.get("active_categories", load)


def active_category(*, slug: str | None = None, pk: int | None = None) -> Category | None:
    """The active category with ``slug`` (or ``pk``), or None."""
    if slug is not None:
        return _active_categories()["slug"].get(slug)
    return _active_categories()["pk"].get(pk)


def region_at(code: str, level: str) -> Region | None:
    """The region of ``level`` with ``code``, or None."""
    region = region_by_code(code)
    return region if region is not None and region.level == level else None
