"""The time zone of each province, by Kemendagri province code.

WIB (UTC+7): Sumatra, Java, West and Central Kalimantan. WITA (UTC+8): Bali, Nusa Tenggara,
South, East and North Kalimantan, all of Sulawesi. WIT (UTC+9): Maluku and every Papua province.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import formats, timezone, translation

from agencies.models import TimeZone

_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96"}


def province_time_zone(province_code: str) -> str:
    if province_code in _WIT:
        return TimeZone.WIT
    if province_code in _WITA:
        return TimeZone.WITA
    return TimeZone.WIB


def local_text(value: datetime, zone: str, *, language: str | None = None) -> str:
    """``value`` as people read it in ``zone``: "16 Nov 2026 23.59 WIB" (the language's short
    date-time format and the zone's abbreviation). ``language`` fixes the language, as for
    text kept in a report's history, which is Indonesian whoever reads it."""
    at = timezone.localtime(value, ZoneInfo(zone))
    if language is None:
        return f"{formats.date_format(at, 'SHORT_DATETIME_FORMAT')} {TimeZone.abbreviation(zone)}"
    with translation.override(language):
        return f"{formats.date_format(at, 'SHORT_DATETIME_FORMAT')} {TimeZone.abbreviation(zone)}"
