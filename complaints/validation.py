"""The rules a report's fields obey, shared by the filing form, the API serializer and the
submit service, so that every entry point gives the same message in the same words."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Region

TITLE_MIN, TITLE_MAX = 10, 150
DESCRIPTION_MIN, DESCRIPTION_MAX = 30, 5000
REQUIRED_ON_SUBMIT = ("kind", "title", "description", "category", "province", "regency")
# Indonesia lies within these bounds (with a margin for its sea territory).
LATITUDE_RANGE = (Decimal("-11.5"), Decimal("6.5"))
LONGITUDE_RANGE = (Decimal("94.5"), Decimal("141.5"))


def required_messages() -> dict[str, str]:
    return {
        "kind": _("Pilih jenis laporan."),
        "title": _("Judul laporan wajib diisi."),
        "description": _("Isi laporan wajib diisi."),
        "category": _("Pilih kategori laporan."),
        "province": _("Pilih provinsi tempat kejadian."),
        "regency": _("Pilih kabupaten/kota tempat kejadian."),
    }


def field_errors(values: dict[str, Any], *, for_submit: bool) -> dict[str, str]:
    """Problems with ``values`` (already parsed: Region objects, dates, decimals), by field.
    A draft may be incomplete; ``for_submit`` also demands the required fields."""
    errors: dict[str, str] = {}
    if for_submit:
        for name, message in required_messages().items():
            if not values.get(name):
                errors[name] = message
    title = (values.get("title") or "").strip()
    if title and not TITLE_MIN <= len(title) <= TITLE_MAX:
        errors["title"] = _("Judul terdiri dari %(min)d sampai %(max)d karakter.") % {
            "min": TITLE_MIN, "max": TITLE_MAX,
        }
    description = (values.get("description") or "").strip()
    if description and len(description) < DESCRIPTION_MIN:
        errors["description"] = _(
            "Ceritakan lebih rinci: paling sedikit %(min)d karakter (apa, di mana, kapan)."
        ) % {"min": DESCRIPTION_MIN}
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = _("Isi laporan paling banyak %(max)d karakter.") % {
            "max": DESCRIPTION_MAX
        }
    province: Region | None = values.get("province")
    regency: Region | None = values.get("regency")
    district: Region | None = values.get("district")
    if province is not None and province.level != Region.Level.PROVINCE:
        errors["province"] = _("Provinsi tidak dikenal.")
    if regency is not None and (province is None or regency.parent_id != province.pk):
        errors["regency"] = _("Kabupaten/kota ini tidak berada di provinsi yang dipilih.")
    if district is not None and (regency is None or district.parent_id != regency.pk):
        errors["district"] = _("Kecamatan ini tidak berada di kabupaten/kota yang dipilih.")
    latitude, longitude = values.get("latitude"), values.get("longitude")
    if (latitude is None) != (longitude is None):
        errors["latitude"] = _("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya.")
    elif latitude is not None and longitude is not None:
        if not (LATITUDE_RANGE[0] <= latitude <= LATITUDE_RANGE[1]) or not (
            LONGITUDE_RANGE[0] <= longitude <= LONGITUDE_RANGE[1]
        ):
            errors["latitude"] = _("Titik lokasi berada di luar wilayah Indonesia.")
    event_on: datetime.date | None = values.get("event_on")
    if event_on is not None and event_on > timezone.localdate():
        errors["event_on"] = _("Tanggal kejadian tidak boleh di masa depan.")
    return errors
