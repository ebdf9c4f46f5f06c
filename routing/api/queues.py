"""The staff queues through the API: the same reads, filters, sorts and keyset cursors as the
pages (``routing.queues``). Verifiers read the verification queue, operators and supervisors
their bodies' queue; anyone else is refused (403) with a sentence in Indonesian."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies import access
from agencies.models import Role, User
from agencies.signed_in import signed_in_user
from complaints.models import ReportKind, ReportStatus
from lapor.api_errors import ErrorSerializer
from routing import permissions as routing_permissions
from routing import queues
from routing import selectors as routing_selectors
from routing.api.queue_serializers import (
    BulkAssignRequestSerializer,
    BulkAssignResultSerializer,
    StaffCopyPageSerializer,
    StaffQueuePageSerializer,
    StaffVerificationPageSerializer,
)
from routing.queues import QUEUE_ROLES, with_attachment_count
from routing.rules import suggest_many
from routing.services import assignments

MAX_PAGE_SIZE = 100


@dataclass
class _Query:
    filters: queues.QueueFilters
    cursor: str
    size: int


def _parse(request: Request) -> _Query:
    """Filters, cursor and page size; a value that is not understood answers 400."""
    params = request.query_params
    filters = queues.QueueFilters.from_params(params)
    errors = {
        name: [_("Nilai “%(value)s” tidak dikenal.") % {"value": value}]
        for name, value in filters.errors.items()
    }
    size = queues.PAGE_SIZE
    raw_size = params.get("page_size")
    if raw_size:
        try:
            size = int(raw_size)
        except ValueError:
            size = 0
        if not 1 <= size <= MAX_PAGE_SIZE:
            errors["page_size"] = [
                _("Ukuran halaman harus antara 1 dan %(max)d.") % {"max": MAX_PAGE_SIZE}
            ]
    if errors:
        raise ValidationError(errors)
    return _Query(filters=filters, cursor=params.get("cursor", ""), size=size)


_FILTERS = [
    OpenApiParameter("q", str, description='Kata pencarian (sintaks websearch: "…", or, -).'),
    OpenApiParameter("kind", str, enum=ReportKind.values),
    OpenApiParameter("category", str, description="Kode (slug) kategori."),
    OpenApiParameter("province", str, description="Kode Kemendagri provinsi, mis. 33."),
    OpenApiParameter("regency", str, description="Kode kabupaten/kota, mis. 33.74."),
]
_PAGING = [
    OpenApiParameter("cursor", str, description="`next_cursor` dari halaman sebelumnya."),
    OpenApiParameter(
        "page_size", int,
        description=f"Bawaan {queues.PAGE_SIZE}, paling banyak {MAX_PAGE_SIZE}.",
    ),
]
_REFUSED = {
    400: OpenApiTypes.OBJECT,
    401: ErrorSerializer,
    403: OpenApiResponse(ErrorSerializer, description="Bukan petugas antrean ini."),
}


class VerificationQueueView(APIView):
    """New reports waiting for verification in the verifier's provinces (a national verifier:
    all), oldest first, each with the body the most specific routing rule suggests."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="staff_verification_list",
        parameters=[
            *_FILTERS,
            OpenApiParameter(
                "sort", str, enum=["age", "newest"],
                description="`age` (bawaan): terlama dikirim dulu; `newest`: terbaru dulu.",
            ),
            *_PAGING,
        ],
        responses={200: StaffVerificationPageSerializer, **_REFUSED},
    )
    def get(self, request: Request) -> Response:
        if not routing_permissions.is_verifier(request.user):
            raise PermissionDenied(_("Hanya verifikator yang dapat membuka antrean verifikasi."))
        query = _parse(request)
        sort = query.filters.sort if query.filters.sort in ("age", "newest") else "age"
        waiting = queues.verification_reports(signed_in_user(request), query.filters)
        rows, next_cursor = queues.page(
            with_attachment_count(queues.for_listing(waiting)),
            sort=sort, cursor=query.cursor, size=query.size, age_field="submitted_at",
        )
        context = {"now": timezone.now(), "suggestions": suggest_many(rows)}
        data = {"results": rows, "next_cursor": next_cursor, "count": waiting.count()}
        return Response(StaffVerificationPageSerializer(data, context=context).data)


class QueueView(APIView):
    """The reports held by the bodies the user acts for (an operator: their body; a
    supervisor: their body and every body below it), most urgent first by default."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="staff_queue_list",
        parameters=[
            OpenApiParameter(
                "status", str, enum=[s for s in ReportStatus.values if s != ReportStatus.DRAFT],
                description="Bawaan: yang masih terbuka (diteruskan, ditindaklanjuti, dijawab).",
            ),
            *_FILTERS,
            OpenApiParameter(
                "body", int,
                description="Id satu instansi dalam cakupan pengguna (pimpinan).",
            ),
            OpenApiParameter("overdue", bool, description="Hanya yang tenggatnya sudah lewat."),
            OpenApiParameter("due_soon", bool, description=(
                "Hanya yang segera jatuh tempo: peringatan pertama tenggatnya sudah tiba, "
                "tenggatnya belum lewat.")),
            OpenApiParameter(
                "assignee", str, enum=list(queues.ASSIGNEE_FILTERS),
                description="`me`: milik saya; `none`: belum ada yang memegang.",
            ),
            OpenApiParameter(
                "due_before", str,
                description="Tenggat sebelum tanggal (YYYY-MM-DD, WIB) atau waktu ISO 8601.",
            ),
            OpenApiParameter(
                "sort", str, enum=list(queues.SORTS),
                description=(
                    "`due` (bawaan): paling mendesak dulu, tanpa tenggat terakhir; "
                    "`age`: terlama dipegang dulu; `newest`: terbaru diterima dulu."
                ),
            ),
            *_PAGING,
        ],
        responses={200: StaffQueuePageSerializer, **_REFUSED},
    )
    def get(self, request: Request) -> Response:
        if not access.roles_of(request.user) & QUEUE_ROLES:
            raise PermissionDenied(
                _("Hanya operator dan pimpinan instansi yang dapat membuka antrean laporan.")
            )
        query = _parse(request)
        rows, next_cursor = queues.held_page(
            signed_in_user(request), query.filters, cursor=query.cursor, size=query.size
        )
        found = queues.status_counts(signed_in_user(request), query.filters)
        counts = {
            status: found.get(status, 0)
            for status in ReportStatus.values
            if status != ReportStatus.DRAFT
        }
        overdue, due_soon = queues.deadline_counts(signed_in_user(request), query.filters)
        data = {"results": rows, "next_cursor": next_cursor, "counts": counts,
                "overdue_count": overdue, "due_soon_count": due_soon}
        return Response(
            StaffQueuePageSerializer(data, context={"now": timezone.now()}).data
        )


class CopyQueueView(APIView):
    """Tembusan: the reports other bodies copied to the user's bodies, newest first. Their
    full history is at /api/v1/staff/reports/…/; acting on them stays the holder's."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(operation_id="staff_copies_list", parameters=_PAGING,
                   responses={200: StaffCopyPageSerializer, **_REFUSED})
    def get(self, request: Request) -> Response:
        if not access.roles_of(request.user) & QUEUE_ROLES:
            raise PermissionDenied(
                _("Hanya operator dan pimpinan instansi yang dapat membuka tembusan.")
            )
        query = _parse(request)
        rows, next_cursor = routing_selectors.copies_page(
            signed_in_user(request), cursor=query.cursor, size=query.size)
        return Response(StaffCopyPageSerializer(
            {"results": rows, "next_cursor": next_cursor}).data)


class BulkAssignView(APIView):
    """Assign several reports to one member of staff (a supervisor of their holding bodies).
    Each report is assigned or refused on its own: the answer names both."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="staff_assignments_create",
        request=BulkAssignRequestSerializer,
        responses={200: BulkAssignResultSerializer, **_REFUSED},
    )
    def post(self, request: Request) -> Response:
        user = signed_in_user(request)
        if Role.SUPERVISOR not in access.roles_of(user):
            raise PermissionDenied(_("Hanya pimpinan instansi yang dapat menugaskan laporan."))
        shape = BulkAssignRequestSerializer(data=request.data)
        shape.is_valid(raise_exception=True)
        assignee = User.objects.filter(pk=shape.validated_data["assignee"]).first()
        if assignee is None:
            raise ValidationError({"assignee": [_("Pengguna itu tidak ada.")]})
        result = assignments.assign_many(numbers=shape.validated_data["reports"], actor=user,
                                         assignee=assignee)
        return Response(BulkAssignResultSerializer(
            {"assigned": result.assigned, "refused": result.refused}).data)


class OmbudsmanQueueView(APIView):
    """Reports escalated to the Ombudsman offices the user works at (Ombudsman RI: all): the
    most overdue first (``sort=due``, the default: a report the body has still not followed
    up stays overdue), or the newest escalation first (``sort=newest``); each report's full
    history is at /api/v1/staff/reports/…/."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="staff_ombudsman_list",
        parameters=[
            *_FILTERS, *_PAGING,
            OpenApiParameter("sort", str, enum=list(queues.OMBUDSMAN_SORTS)),
            OpenApiParameter("overdue", bool, description="Hanya yang tenggatnya terlewati."),
        ],
        responses={200: StaffQueuePageSerializer, **_REFUSED},
    )
    def get(self, request: Request) -> Response:
        if "ombudsman_officer" not in access.roles_of(request.user):
            raise PermissionDenied(_("Hanya asisten Ombudsman yang dapat membuka antrean ini."))
        query = _parse(request)
        reports = queues.ombudsman_reports(signed_in_user(request), query.filters)
        rows, next_cursor = queues.page(
            queues.for_listing(reports), sort=queues.ombudsman_sort(query.filters),
            cursor=query.cursor, size=query.size, age_field="escalated_at", emergency_first=True,
        )
        overdue, due_soon = queues.deadline_counts_among(reports)
        data: dict[str, Any] = {"results": rows, "next_cursor": next_cursor, "counts": {},
                                "overdue_count": overdue, "due_soon_count": due_soon}
        return Response(StaffQueuePageSerializer(data, context={"now": timezone.now()}).data)
