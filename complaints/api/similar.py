"""The similar public reports near a report being filed (the same lookup as the filing
page's step before submitting, ``complaints.similar``): asked by the page's script as the
citizen types, and by apps."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.models import Region
from agencies.signed_in import signed_in_user
from complaints import similar
from complaints.api.serializers import (
    CachedCategoryPkField,
    CachedRegionField,
    FieldsBuiltOnce,
)
from complaints.models import Category
from complaints.rate_limits import hit
from complaints.validation import DESCRIPTION_MAX, TITLE_MAX
from lapor.api_errors import ErrorSerializer


class SimilarQuerySerializer(FieldsBuiltOnce, serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=TITLE_MAX)
    description = serializers.CharField(required=False, allow_blank=True,
                                        max_length=DESCRIPTION_MAX)
    # Read from the per-process cache, as filing reads them: no query once known.
    category = CachedCategoryPkField(
        queryset=Category.objects.filter(is_active=True), required=False, allow_null=True)
    regency = CachedRegionField(
        Region.Level.REGENCY, slug_field="code", required=False, allow_null=True,
        help_text=_("Kode wilayah kabupaten/kota."))
    district = CachedRegionField(
        Region.Level.DISTRICT, slug_field="code", required=False, allow_null=True,
        help_text=_("Kode wilayah kecamatan."))
    # A report being edited (a draft) is not similar to itself.
    exclude = serializers.CharField(required=False, allow_blank=True, max_length=16)


class SimilarReportSerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    district = serializers.CharField(source="district_name")
    regency = serializers.CharField(source="regency_name")
    support_count = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()
    score = serializers.FloatField(help_text="0–1: kemiripan judul, kata, dan lokasi.")
    is_supported = serializers.BooleanField()
    may_support = serializers.BooleanField()


class SimilarResultSerializer(serializers.Serializer):
    results = SimilarReportSerializer(many=True)


class SimilarHeldSerializer(serializers.Serializer):
    """A 409 of a filing: the Error's ``detail``; when the submission was held back by the
    step before submitting, also the draft kept and the similar reports to show (on an edit
    of a draft, a 409 may be the Error alone: someone changed it meanwhile)."""

    detail = serializers.CharField(help_text="Pesan dalam bahasa pengguna.")
    draft = serializers.IntegerField(required=False,
                                     help_text="the draft that keeps the report")
    similar = SimilarReportSerializer(
        many=True, required=False,
        help_text="the similar public reports to show (all of them, best first)")


class SimilarReportsView(APIView):
    """Up to five public, open reports of the same regency and category whose words are
    like the ones given (empty until the category, the regency and a word are given)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="public_similar_reports",
        parameters=[SimilarQuerySerializer],
        responses={200: SimilarResultSerializer, 400: ErrorSerializer,
                   429: OpenApiResponse(ErrorSerializer, description="Terlalu banyak.")},
    )
    def get(self, request: Request) -> Response:
        hit("similar", request)
        query = SimilarQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        user = signed_in_user(request)
        found = similar.similar_public_reports(similar.typed_from(query.validated_data),
                                               viewer=user)
        exclude = query.validated_data.get("exclude")
        found = [r for r in found if r.tracking_number != exclude]
        return Response({"results": [as_json(r) for r in found]})


_WHEN = serializers.DateTimeField()  # DRF's format and time zone, as the serializer has them


def as_json(found: similar.SimilarReport) -> dict[str, Any]:
    """What ``SimilarReportSerializer`` gives for ``found`` (the schema's shape; a test holds
    the two together), written out: a lookup is asked at every pause in typing, and building
    the serializer's fields for five rows cost more than the rows."""
    return {
        "tracking_number": found.tracking_number, "title": found.title,
        "status": found.status, "status_label": found.status_label,
        "district": found.district_name, "regency": found.regency_name,
        "support_count": found.support_count,
        "submitted_at": _WHEN.to_representation(found.submitted_at),
        "score": found.score, "is_supported": found.is_supported,
        "may_support": found.may_support,
    }
