"""The working-day calendar through the API, read-only and public: each date of a range with
whether it is a working day (nationally, or in one province) and why, as ``routing.calendar``
counts deadlines."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.models import Region
from routing import calendar

MAX_DAYS = 400

_SOURCE_HELP = (
    "Dasar penetapan: `province_override` (ketetapan admin untuk provinsi), "
    "`national_override` (ketetapan admin nasional), `holiday` (libur nasional atau cuti "
    "bersama), `weekend` (Sabtu/Minggu), `working_day` (hari kerja biasa)."
)


class WorkingDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    is_working_day = serializers.BooleanField()
    # A plain string, not an enum: other components already name enums "source".
    # The metaclass takes declared fields off the class; the stubs see ``Field.source`` here.
    source = serializers.CharField(help_text=_SOURCE_HELP)  # type: ignore[assignment]
    reason = serializers.CharField(
        help_text="Keterangan ketetapan admin, nama hari libur, nama hari (Sabtu/Minggu), "
        "atau “Hari kerja”."
    )


class WorkingDaysProvinceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class WorkingDaysSerializer(serializers.Serializer):
    from_ = serializers.DateField(help_text="Tanggal awal (termasuk).")
    to = serializers.DateField(help_text="Tanggal akhir (termasuk).")
    province = WorkingDaysProvinceSerializer(
        allow_null=True, help_text="Provinsi yang ketetapannya ikut dihitung; null: nasional."
    )
    working_day_count = serializers.IntegerField(help_text="Banyaknya hari kerja dalam rentang.")
    days = WorkingDaySerializer(many=True)

    def get_fields(self) -> dict[str, serializers.Field]:
        # "from" is a Python keyword: declared as from_, shown as from.
        fields = super().get_fields()
        return {("from" if name == "from_" else name): field for name, field in fields.items()}


def _parse_date(params: Any, name: str, errors: dict[str, list[str]]) -> date | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        errors[name] = [_("Wajib diisi (format YYYY-MM-DD).")]
        return None
    try:
        return datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        errors[name] = [
            _("Tanggal “%(value)s” tidak valid; gunakan format YYYY-MM-DD.") % {"value": raw}
        ]
        return None


def _parse(request: Request) -> tuple[date, date, Region | None]:
    """The range and the province; anything not understood answers 400 in Indonesian."""
    params = request.query_params
    errors: dict[str, list[str]] = {}
    first = _parse_date(params, "from", errors)
    last = _parse_date(params, "to", errors)
    if first and last:
        if last < first:
            errors["to"] = [_("Tanggal akhir tidak boleh sebelum tanggal awal.")]
        elif (last - first).days + 1 > MAX_DAYS:
            errors["to"] = [
                _("Rentang paling panjang %(max)d hari per permintaan.") % {"max": MAX_DAYS}
            ]
    province = None
    code = (params.get("province") or "").strip()
    if code:
        province = Region.objects.filter(code=code, level=Region.Level.PROVINCE).first()
        if province is None:
            errors["province"] = [
                _("Provinsi dengan kode “%(code)s” tidak ditemukan.") % {"code": code}
            ]
    if errors:
        raise ValidationError(errors)
    assert first is not None and last is not None  # noqa: S101 - guaranteed by the errors check
    return first, last, province


class WorkingDaysView(APIView):
    """Each date from `from` to `to` (both included, at most 400 days): whether it is a
    working day and why. Without `province`: the national calendar (public holidays, cuti
    bersama and the admin's national overrides); with it, that province's overrides too."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="calendar_working_days",
        parameters=[
            OpenApiParameter(
                "from", OpenApiTypes.DATE, required=True,
                description="Tanggal awal, YYYY-MM-DD (termasuk).",
            ),
            OpenApiParameter(
                "to", OpenApiTypes.DATE, required=True,
                description=f"Tanggal akhir, YYYY-MM-DD (termasuk); paling banyak {MAX_DAYS} "
                "hari sejak tanggal awal.",
            ),
            OpenApiParameter(
                "province", str,
                description="Kode Kemendagri provinsi, mis. 33 (Jawa Tengah). Kosong: nasional.",
            ),
        ],
        responses={200: WorkingDaysSerializer, 400: OpenApiTypes.OBJECT},
        examples=[
            OpenApiExample(
                "Tidak valid",
                value={"to": ["Tanggal akhir tidak boleh sebelum tanggal awal."]},
                response_only=True, status_codes=["400"],
            ),
        ],
    )
    def get(self, request: Request) -> Response:
        first, last, province = _parse(request)
        days = calendar.days_between(
            first, last, province_id=province.pk if province else None
        )
        data = {
            "from": first,
            "to": last,
            "province": {"code": province.code, "name": province.name} if province else None,
            "working_day_count": sum(day.is_working_day for day in days),
            "days": days,
        }
        return Response(WorkingDaysSerializer(data).data)
