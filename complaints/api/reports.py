"""The citizen's reports through the API: the same services and messages as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from agencies.signed_in import signed_in_user
from complaints import selectors
from complaints.api.serializers import (
    AssistedReportSerializer,
    AttachmentSerializer,
    CategorySerializer,
    EventSerializer,
    NoteSerializer,
    NotificationSerializer,
    RatingSerializer,
    ReadAllSerializer,
    ReportSerializer,
    TrackSerializer,
    UploadSerializer,
)
from complaints.api.similar import SimilarHeldSerializer, as_json
from complaints.attachments import attachment_response
from complaints.models import Attachment, Category, Channel, Notification, Report
from complaints.rate_limits import hit, limiter
from complaints.services import citizen, intake
from complaints.services import notifications as notices
from complaints.services.intake import DRAFT_FIELDS
from complaints.similar import SimilarFirst
from lapor.db_router import public_read_view
from lapor.errors import DomainError, Invalid
from lapor.parsers import JSONParser


def _refusal(filing: intake.Filing) -> DomainError | None:
    """Why a filing was not done as asked: its error, or the files refused (each named with
    its reason, under ``files``); the draft keeps everything else."""
    if filing.error is not None:
        return filing.error
    if filing.file_errors:
        return Invalid.of_fields({"files": " ".join(filing.file_errors)})
    if filing.unseen_similar:
        first = SimilarFirst(_("Ada laporan serupa yang belum Anda lihat. Dukung salah satunya, "
                               "atau kirim lagi dengan nomornya di similar_seen untuk tetap "
                               "mengirim laporan Anda."))
        first.details["similar"] = [as_json(r) for r in filing.unseen_similar]
        return first
    return None


@method_decorator(public_read_view, name="list")
@method_decorator(public_read_view, name="retrieve")
class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Public-service categories a report can be filed under (anonymous clients read them from
    the replica when there is one)."""

    queryset = Category.objects.filter(is_active=True)
    serializer_class = CategorySerializer
    lookup_value_regex = r"[0-9]+"
    permission_classes = [permissions.AllowAny]
    pagination_class = None
    filter_backends: list[Any] = []


_HELD = ("Belum dikirim: ada laporan serupa yang tidak ada di similar_seen; drafnya "
         "disimpan (draft) dan laporan serupa itu disertakan (similar).")
_HELD_NEW = OpenApiResponse(SimilarHeldSerializer, description=_HELD)
_HELD_OR_STALE = OpenApiResponse(SimilarHeldSerializer, description=(
    "Sudah diubah orang lain sejak dibaca (detail saja); atau " + _HELD[0].lower() + _HELD[1:]))


@extend_schema_view(
    create=extend_schema(responses={201: ReportSerializer, 409: _HELD_NEW}),
    update=extend_schema(responses={200: ReportSerializer, 409: _HELD_OR_STALE}),
    partial_update=extend_schema(responses={200: ReportSerializer, 409: _HELD_OR_STALE}),
)
class ReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in citizen's own reports and drafts. Another person's report answers 404."""

    serializer_class = ReportSerializer
    lookup_value_regex = r"[0-9]+"
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = ["status", "kind"]
    ordering_fields = ["created_at", "submitted_at"]
    queryset = Report.objects.none()

    def get_queryset(self) -> QuerySet[Report]:
        if getattr(self, "swagger_fake_view", False):
            return Report.objects.none()
        return selectors.reports_of(signed_in_user(self.request)).prefetch_related("attachments")

    def _values(self, data: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in data.items() if k in DRAFT_FIELDS or k == intake.ANSWERS}

    def _file(self, serializer: BaseSerializer[Report], *, draft: Report | None = None,
              submit: bool) -> None:
        """``intake.file_report``, the rule every channel shares: a refused submission keeps
        its draft, and the 400 names it (``draft``: its id) so the client can fix and resend
        it (PATCH with ``submit``, or POST …/submit/)."""
        seen = serializer.validated_data.get("similar_seen")
        filing = intake.file_report(
            filer=signed_in_user(self.request), values=self._values(serializer.validated_data),
            uploads=serializer.validated_data.get("files", ()), draft=draft, submit=submit,
            channel=Channel.API, limits=limiter(self.request),
            similar_seen=None if seen is None else [n for item in seen for n in item.split()],
        )
        refusal = _refusal(filing)
        if refusal is not None:
            refusal.details["draft"] = filing.report.pk
            raise refusal
        serializer.instance = filing.report

    def perform_create(self, serializer: BaseSerializer[Report]) -> None:
        self._file(serializer, submit=bool(serializer.validated_data.get("submit")))

    def perform_update(self, serializer: BaseSerializer[Report]) -> None:
        self._file(serializer, draft=serializer.instance,
                   submit=bool(serializer.validated_data.get("submit")))

    @extend_schema(request=None, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        filing = intake.file_report(filer=signed_in_user(request), values={}, draft=report,
                                    channel=Channel.API, limits=limiter(request))
        if filing.error is not None:
            raise filing.error
        # a submission changes no attachment: the answer lists those already read
        filing.report._prefetched_objects_cache = (  # type: ignore[attr-defined]
            report._prefetched_objects_cache)
        return Response(ReportSerializer(filing.report).data)

    @extend_schema(
        methods=["post"], request={"multipart/form-data": UploadSerializer},
        responses={201: AttachmentSerializer},
    )
    @extend_schema(methods=["get"], responses=AttachmentSerializer(many=True))
    # A report's few files in one list, not a page (no pagination, as the schema then says).
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def attachments(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        if request.method == "GET":
            files = selectors.visible_attachments(request.user, report)
            return Response(AttachmentSerializer(files, many=True).data)
        upload = UploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        hit("upload", request)
        attachment = intake.add_attachment(
            report=report, upload=upload.validated_data["file"], actor=signed_in_user(request)
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=EventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def timeline(self, request: Request, pk: str | None = None) -> Response:
        events = selectors.reporter_timeline(self.get_object())
        return Response(EventSerializer(events, many=True).data)

    def _note_action(self, request: Request, act: Any, argument: str = "note") -> Response:
        report = self.get_object()
        data = NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        act(report=report, actor=request.user, **{argument: data.validated_data["note"]})
        return Response(ReportSerializer(self.get_queryset().get(pk=report.pk)).data)

    @extend_schema(request=NoteSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"], url_path="add-info")
    def add_info(self, request: Request, pk: str | None = None) -> Response:
        return self._note_action(request, citizen.add_information)

    @extend_schema(request=NoteSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str | None = None) -> Response:
        return self._note_action(request, citizen.reply_to_body)

    @extend_schema(request=NoteSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def dispute(self, request: Request, pk: str | None = None) -> Response:
        return self._note_action(request, citizen.dispute_resolution, "reason")

    @extend_schema(request=None, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        citizen.accept_resolution(report=report, actor=signed_in_user(request))
        return Response(ReportSerializer(self.get_queryset().get(pk=report.pk)).data)

    @extend_schema(request=RatingSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        data = RatingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        citizen.rate_report(report=report, actor=signed_in_user(request), **data.validated_data)
        return Response(ReportSerializer(self.get_queryset().get(pk=report.pk)).data)


class AttachmentViewSet(mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                        viewsets.GenericViewSet):
    """One attachment: its metadata, its bytes (``file``, ``thumbnail``), and removal from a
    draft. The same visibility rules as the report it belongs to."""

    serializer_class = AttachmentSerializer
    lookup_value_regex = r"[0-9]+"
    permission_classes = [permissions.AllowAny]
    queryset = Attachment.objects.none()

    def get_object(self) -> Attachment:
        attachment = selectors.attachment_for(self.request.user, int(self.kwargs["pk"]))
        if attachment is None:
            raise NotFound()
        return attachment

    def perform_destroy(self, instance: Attachment) -> None:
        if not self.request.user.is_authenticated:
            raise NotFound()
        intake.remove_attachment(attachment=instance, actor=self.request.user)

    @extend_schema(responses={
        (200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description="the file's bytes")
        for media_type in ("image/jpeg", "image/png", "image/webp", "application/pdf")
    })
    @action(detail=True, methods=["get"])
    def file(self, request: Request, pk: str | None = None) -> FileResponse:
        return self._for_reader(thumbnail=False)

    @extend_schema(responses={
        (200, "image/webp"): OpenApiResponse(OpenApiTypes.BINARY, description="thumbnail")
    })
    @action(detail=True, methods=["get"])
    def thumbnail(self, request: Request, pk: str | None = None) -> FileResponse:
        return self._for_reader(thumbnail=True)

    def _for_reader(self, *, thumbnail: bool) -> FileResponse:
        """The photo as sent to its reporter and the report's staff; the public copy (faces
        blurred) to everyone else."""
        attachment = self.get_object()
        public = not selectors.sees_original_photos(self.request.user, attachment.report)
        response = attachment_response(attachment, thumbnail=thumbnail, public=public)
        patch_vary_headers(response, ["Cookie", "Authorization"])
        return response


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):
    """The signed-in user's notifications, unread first: a title, one sentence and ``url``,
    the path of the report's page for this user on this site."""

    serializer_class = NotificationSerializer
    lookup_value_regex = r"[0-9]+"
    permission_classes = [permissions.IsAuthenticated]
    queryset = Notification.objects.none()
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return selectors.notifications_of(signed_in_user(self.request))

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        """Mark this notification read."""
        notification = notices.mark_read(
            notification=self.get_object(), actor=signed_in_user(request)
        )
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=ReadAllSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        """Mark every unread notification read."""
        return Response({"marked": notices.mark_all_read(actor=signed_in_user(request))})


class TrackView(APIView):
    """Look a report up by tracking number. A report not yet verified, or rejected, answers
    its status and dates only (``shows_content`` false); a confidential report is found only by
    its reporter (and staff): for anyone else the answer is 404, exactly as for a number that
    does not exist, so numbers cannot be probed."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={
        200: TrackSerializer,
        404: OpenApiResponse(description="no such number, or a confidential report the "
                                         "viewer may not see (the same answer)"),
        429: OpenApiResponse(description="too many look-ups from this address; try later"),
    })
    def get(self, request: Request, tracking_number: str) -> Response:
        hit("track", request)
        tracked = selectors.track_by_tracking_number(request.user, tracking_number)
        if tracked is None:
            raise NotFound()
        return Response(TrackSerializer(tracked).data)


class AssistedIntakeView(APIView):
    """A verifier or operator records a report for a person (walk-in, phone, letter, …)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=AssistedReportSerializer, responses={201: ReportSerializer})
    def post(self, request: Request) -> Response:
        data = AssistedReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in data.validated_data.items()
                  if k in DRAFT_FIELDS or k == intake.ANSWERS}
        filing = intake.file_assisted_report(
            actor=signed_in_user(request), values=values, channel=data.validated_data["channel"],
            contact=intake.Contact(
                name=data.validated_data["contact_name"],
                email=data.validated_data.get("contact_email", ""),
                phone=data.validated_data.get("contact_phone", ""),
            ),
            uploads=data.validated_data.get("files", ()),
        )
        refusal = _refusal(filing)
        if refusal is not None:
            refusal.details["draft"] = filing.report.pk
            raise refusal
        return Response(ReportSerializer(filing.report).data, status=status.HTTP_201_CREATED)

