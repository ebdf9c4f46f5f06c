"""The public reports API: the feed with search and filters, a report with its public timeline,
and support (*dukung*). Same reads and rules as the public pages (``complaints.feed``, the
support service); no reporter identity in any answer. Anonymous clients' reads of the feed
and of a report come from the replica (``public_read_view``); support goes to the primary."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.signed_in import signed_in_user
from complaints import selectors
from complaints.feed import (
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    FeedForm,
    FeedParams,
    FeedRow,
    PublicReport,
    Sort,
    feed,
    public_detail,
    url_or_none,
)
from complaints.models import VERIFIED_STATUSES, Attachment, ReportKind
from complaints.rate_limits import hit
from complaints.services.support import support_report
from lapor.api_errors import ErrorSerializer
from lapor.db_router import public_read_view

_KIND_HELP = "Salah satu dari: " + ", ".join(ReportKind.values)
_STATUS_HELP = "Untuk laporan publik salah satu dari: " + ", ".join(
    s.value for s in VERIFIED_STATUSES
)


class PublicReportRowSerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    title = serializers.CharField()
    # Plain strings, not enums: other components already name enums "kind" and "status".
    kind = serializers.CharField(help_text=_KIND_HELP)
    kind_label = serializers.CharField()
    status = serializers.CharField(help_text=_STATUS_HELP)
    status_label = serializers.CharField()
    category = serializers.CharField(source="category_name")
    province = serializers.CharField(source="province_name")
    regency = serializers.CharField(source="regency_name")
    holder_body = serializers.CharField(source="holder_body_name")
    support_count = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()
    excerpt = serializers.CharField(help_text="Awal isi laporan (teks biasa, 200 karakter).")
    snippet = serializers.CharField(
        allow_null=True,
        help_text=(
            "Saat mencari: cuplikan isi laporan dalam HTML yang sudah di-escape, kata yang "
            "cocok diapit <mark>…</mark>. Null tanpa pencarian."
        ),
    )
    thumbnail_url = serializers.SerializerMethodField()
    is_supported = serializers.BooleanField(help_text="Pengguna yang masuk sudah mendukung.")
    may_support = serializers.BooleanField(help_text="Pengguna yang masuk dapat mendukung.")

    def get_thumbnail_url(self, row: FeedRow) -> str | None:
        if row.thumbnail_id is None:
            return None
        return url_or_none("complaints:attachment-public-thumbnail", row.thumbnail_id)


class PublicFeedSerializer(serializers.Serializer):
    results = PublicReportRowSerializer(many=True)
    next_cursor = serializers.CharField(
        allow_null=True, help_text="Berikan sebagai `cursor` untuk halaman berikutnya."
    )


class PublicEventSerializer(serializers.Serializer):
    kind = serializers.CharField(source="event.kind")
    kind_label = serializers.CharField(source="event.get_kind_display")
    created_at = serializers.DateTimeField(source="event.created_at")
    body = serializers.CharField(source="event.actor_body.name", allow_null=True, default=None)
    to_body = serializers.CharField(source="event.to_body.name", allow_null=True, default=None)
    note = serializers.CharField(help_text="Catatan, dengan data pribadi disamarkan.")


class PublicAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    is_image = serializers.BooleanField()
    state = serializers.CharField()
    url = serializers.SerializerMethodField(
        help_text="Salinan publik: wajah di foto disamarkan. Null selama belum dapat dibuka.")
    thumbnail_url = serializers.SerializerMethodField()
    faces_blurred = serializers.BooleanField(
        help_text="Apakah wajah ditemukan di foto dan disamarkan di salinan publik.")

    def get_url(self, attachment: Attachment) -> str | None:
        if not attachment.is_public_ready:
            return None
        return url_or_none("complaints:attachment-public", attachment.pk)

    def get_thumbnail_url(self, attachment: Attachment) -> str | None:
        if not (attachment.is_public_ready and attachment.is_image and attachment.thumbnail):
            return None
        return url_or_none("complaints:attachment-public-thumbnail", attachment.pk)


class PublicReportSerializer(serializers.Serializer):
    tracking_number = serializers.CharField(source="report.tracking_number")
    # The public copy: NIK, phone numbers, emails, plates and bank accounts masked.
    title = serializers.CharField()
    description = serializers.CharField()
    kind = serializers.CharField(source="report.kind", help_text=_KIND_HELP)
    kind_label = serializers.CharField(source="report.get_kind_display")
    status = serializers.CharField(source="report.status", help_text=_STATUS_HELP)
    status_label = serializers.CharField(source="report.get_status_display")
    is_public = serializers.BooleanField(source="report.is_public")
    category = serializers.CharField(source="report.category.name", allow_null=True, default=None)
    province = serializers.CharField(source="report.province.name", allow_null=True, default=None)
    regency = serializers.CharField(source="report.regency.name", allow_null=True, default=None)
    district = serializers.CharField(source="report.district.name", allow_null=True, default=None)
    holder_body = serializers.CharField(
        source="report.holder_body.name", allow_null=True, default=None
    )
    event_on = serializers.DateField(source="report.event_on", allow_null=True)
    submitted_at = serializers.DateTimeField(source="report.submitted_at", allow_null=True)
    support_count = serializers.IntegerField(source="report.support_count")
    is_supported = serializers.BooleanField()
    may_support = serializers.BooleanField()
    public_copy_edited_at = serializers.DateTimeField(
        source="report.public_copy_edited_at", allow_null=True,
        help_text="Saat verifikator menyunting judul/isi publik (null: tidak pernah). "
                  "Alasannya hanya untuk pelapor dan petugas.")
    attachments = PublicAttachmentSerializer(
        many=True, help_text="Tanpa lampiran yang disembunyikan verifikator dari publik.")
    timeline = PublicEventSerializer(source="events", many=True)


class SupportResultSerializer(serializers.Serializer):
    support_count = serializers.IntegerField()


_FEED_PARAMETERS = [
    OpenApiParameter("q", str, description='Kata pencarian (sintaks websearch: "…", or, -).'),
    OpenApiParameter("province", str, description="Kode Kemendagri provinsi, mis. 33."),
    OpenApiParameter("regency", str, description="Kode kabupaten/kota, mis. 33.74."),
    OpenApiParameter("category", str, description="Kode (slug) kategori."),
    OpenApiParameter("kind", str, enum=ReportKind.values),
    OpenApiParameter("status", str, enum=[s.value for s in VERIFIED_STATUSES]),
    OpenApiParameter(
        "body", int, description="Id instansi pemegang: instansi itu dan semua di bawahnya."
    ),
    OpenApiParameter(
        "sort",
        str,
        enum=Sort.values,
        description="Bawaan: `relevance` saat mencari, `newest` tanpa pencarian.",
    ),
    OpenApiParameter("cursor", str, description="`next_cursor` dari halaman sebelumnya."),
    OpenApiParameter(
        "page_size", int, description=f"Bawaan {PAGE_SIZE}, paling banyak {MAX_PAGE_SIZE}."
    ),
]


class PublicReportList(APIView):
    """Public reports (verified, not confidential), newest first, with full-text search."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="public_complaints_list",
        parameters=_FEED_PARAMETERS,
        responses={200: PublicFeedSerializer, 400: OpenApiTypes.OBJECT},
    )
    @method_decorator(public_read_view)
    def get(self, request: Request) -> Response:
        form = FeedForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        page = feed(FeedParams.from_form(form), viewer=request.user)
        data = {"results": page.rows, "next_cursor": page.next_cursor}
        return Response(PublicFeedSerializer(data).data)


def _detail_or_404(request: Request, tracking_number: str) -> PublicReport:
    detail = public_detail(request.user, tracking_number)
    if detail is None:
        raise Http404
    return detail


class PublicReportDetail(APIView):
    """A report with its public timeline (newest first). A report that is not public answers
    404, except to its reporter and to staff."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="public_complaints_retrieve",
        responses={200: PublicReportSerializer, 404: ErrorSerializer},
    )
    @method_decorator(public_read_view)
    def get(self, request: Request, tracking_number: str) -> Response:
        return Response(PublicReportSerializer(_detail_or_404(request, tracking_number)).data)


class PublicReportSupport(APIView):
    """Support (*dukung*) a public report, once per account; not one's own."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="public_complaints_support",
        request=None,
        responses={
            201: SupportResultSerializer,
            400: ErrorSerializer,
            404: ErrorSerializer,
            429: OpenApiResponse(ErrorSerializer, description="Terlalu banyak percobaan."),
        },
    )
    def post(self, request: Request, tracking_number: str) -> Response:
        report = selectors.lookup_by_tracking_number(request.user, tracking_number)
        if report is None:
            raise Http404
        hit("support", request)
        count = support_report(report=report, user=signed_in_user(request))
        body: dict[str, Any] = {"support_count": count}
        return Response(SupportResultSerializer(body).data, status=status.HTTP_201_CREATED)
