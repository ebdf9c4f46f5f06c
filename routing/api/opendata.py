"""The open data API, /api/v1/open-data/reports/: the rows of the daily open data set
(``routing.opendata``: public reports, public copy only, no reporter identity), live, with
filters and cursor pagination (newest received first, no count: it stays fast at millions of
rows). Anyone may read it; it is rate-limited per address (``open_data``)."""

from __future__ import annotations

from typing import Any

import django_filters
import django_filters.rest_framework
from django.db.models import QuerySet
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from agencies.models import Body
from complaints.models import VERIFIED_STATUSES, Report, ReportKind
from complaints.rate_limits import hit
from lapor.api_errors import ErrorSerializer
from lapor.db_router import public_read_view
from routing import opendata


@extend_schema_field(OpenApiTypes.INT)
class BodyFilter(django_filters.ModelChoiceFilter):
    """A body by its id (the schema says integer: reports name their body ``holder_body``)."""


class OpenDataFilter(django_filters.FilterSet):
    """The filters of ``opendata.open_data_reports``, validated here and applied there."""

    province = django_filters.CharFilter(label="Kode Kemendagri provinsi, mis. 33.")
    regency = django_filters.CharFilter(label="Kode kabupaten/kota, mis. 33.74.")
    district = django_filters.CharFilter(label="Kode kecamatan, mis. 33.74.01.")
    body = BodyFilter(
        queryset=Body.objects.all(),
        label="Id instansi pemegang: instansi itu dan semua di bawahnya.")
    category = django_filters.CharFilter(label="Kode (slug) kategori.")
    status = django_filters.ChoiceFilter(choices=[(s.value, s.label) for s in VERIFIED_STATUSES])
    kind = django_filters.ChoiceFilter(choices=ReportKind.choices)
    received_from = django_filters.DateFilter(label="Diterima sejak tanggal ini (WIB), YYYY-MM-DD.")
    received_to = django_filters.DateFilter(
        label="Diterima sampai tanggal ini (WIB, termasuk), YYYY-MM-DD.")

    class Meta:
        model = Report
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return opendata.open_data_reports(**self.form.cleaned_data)


_FIELD_TYPES: dict[str, Any] = {
    "string": serializers.CharField, "integer": serializers.IntegerField,
    "boolean": serializers.BooleanField, "datetime": serializers.DateTimeField,
}
# Always there on a public report; every other column may be null (a place or a body not
# given, a date not reached, no rating).
_NOT_NULL = {"tracking_number", "kind", "status", "received_at", "is_escalated",
             "support_count", "public_title", "public_description"}


def _fields() -> dict[str, serializers.Field]:
    return {
        c.name: _FIELD_TYPES[c.type](help_text=c.meaning_id, allow_null=c.name not in _NOT_NULL)
        for c in opendata.COLUMNS
    }


class _RowSerializer(serializers.Serializer):
    def to_representation(self, instance: Any) -> dict[str, Any]:
        # The row exactly as the files have it; a datetime field passes its string through.
        row = opendata.as_row(instance)
        return {name: row[name] for name in opendata.COLUMN_NAMES}


OpenDataReportSerializer = type("OpenDataReportSerializer", (_RowSerializer,), _fields())


class OpenDataPagination(CursorPagination):
    ordering = ("-submitted_at", "-id")
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class OpenDataReportList(generics.ListAPIView):
    """The open data set's rows: public reports (verified, not confidential) in their public
    copy, newest received first. The same rows as the daily files on /data-terbuka/."""

    permission_classes = [permissions.AllowAny]
    serializer_class = OpenDataReportSerializer
    pagination_class = OpenDataPagination
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    filterset_class = OpenDataFilter

    def get_queryset(self) -> QuerySet[Any]:
        return opendata.open_data_reports()

    @extend_schema(
        operation_id="open_data_reports_list",
        responses={
            200: OpenDataReportSerializer(many=True),
            404: OpenApiResponse(ErrorSerializer, description="Kursor tidak sah."),
            429: OpenApiResponse(ErrorSerializer, description="Terlalu banyak permintaan."),
        },
    )
    @method_decorator(public_read_view)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        hit("open_data", request)
        return super().get(request, *args, **kwargs)
