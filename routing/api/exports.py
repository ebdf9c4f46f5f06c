"""Exports through the API: the same service and messages as the pages. ``preview`` says what a
file would hold (the pages' confirm step) without building it. The requester alone sees an
export; anyone else's id answers 404."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from agencies.signed_in import signed_in_user
from lapor.api_errors import REFUSED, ErrorSerializer
from lapor.parsers import JSONParser
from routing import exports as export_service
from routing.models import ExportJob
from routing.queues import QueueFilters


class ExportJobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id", "format", "state", "filters", "includes_identity", "identity_reason",
            "total_rows", "done_rows", "percent", "error", "created_at", "finished_at",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, job: ExportJob) -> str | None:
        """Where to fetch the file, once the export is done."""
        if job.state != ExportJob.State.DONE:
            return None
        path = reverse("api:staff-export-download", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ExportRequestSerializer(serializers.Serializer):
    """The format and the queue's filters (the same parameters as the queue)."""

    format = serializers.ChoiceField(choices=ExportJob.Format.choices)
    status = serializers.CharField(required=False, allow_blank=True)
    kind = serializers.CharField(required=False, allow_blank=True)
    category = serializers.CharField(required=False, allow_blank=True, help_text="slug")
    province = serializers.CharField(required=False, allow_blank=True, help_text="region code")
    regency = serializers.CharField(required=False, allow_blank=True, help_text="region code")
    body = serializers.IntegerField(required=False, allow_null=True)
    overdue = serializers.BooleanField(required=False, default=False)
    due_before = serializers.CharField(required=False, allow_blank=True,
                                       help_text="ISO date or date-time")
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)
    sort = serializers.CharField(required=False, allow_blank=True)
    include_identity = serializers.BooleanField(
        required=False, default=False,
        help_text="add the reporters' name, email and phone (needs a reason); each identity "
                  "written is logged; an anonymous report's only for the system admin",
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="",
                                   max_length=export_service.REASON_MAX)

    def options(self) -> dict[str, Any]:
        """The service's arguments: the filters, the format and the identity choice."""
        data = self.validated_data
        own = ("format", "include_identity", "reason")
        return {
            "filters": QueueFilters.from_params(
                {k: v for k, v in data.items() if k not in own and v is not None}
            ),
            **{name: data[name] for name in own},
        }


class FilterInWordsSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="the parameter")
    # The metaclass takes declared fields off the class; the stubs see ``Field.label`` here.
    label = serializers.CharField()  # type: ignore[assignment]
    value = serializers.CharField()


class ExportPlanSerializer(serializers.Serializer):
    """What a file would hold: the filters in words, the rows, the columns, and the reporters'
    identities it would write (each logged as a disclosure when the file is built)."""

    format = serializers.CharField()
    filters = serializers.DictField(child=serializers.CharField())
    described = FilterInWordsSerializer(many=True)
    total_rows = serializers.IntegerField()
    columns = serializers.ListField(child=serializers.CharField())
    includes_identity = serializers.BooleanField()
    identity_rows = serializers.IntegerField(
        help_text="identities the file would hold, each logged as a disclosure"
    )
    readable_identity_rows = serializers.IntegerField(
        help_text="identities it would hold if include_identity were true"
    )
    anonymous_rows = serializers.IntegerField()
    withheld_anonymous_rows = serializers.IntegerField(
        help_text="anonymous rows whose identity stays out (written \"Anonim\")"
    )
    identities_are_logged = serializers.SerializerMethodField()

    def get_identities_are_logged(self, plan: export_service.ExportPlan) -> bool:
        """Always true: every identity an export writes is logged."""
        return True


class PassthroughRenderer(BaseRenderer):
    """Lets a file download answer whatever the client accepts."""

    media_type = "*/*"
    format = "file"

    def render(self, data: Any, accepted_media_type: str | None = None,
               renderer_context: Mapping[str, Any] | None = None) -> Any:
        return data


class ExportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The signed-in operator's or supervisor's exports of their queue."""

    serializer_class = ExportJobSerializer
    lookup_value_regex = r"[0-9]+"
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser, FormParser]
    filter_backends: list[Any] = []
    queryset = ExportJob.objects.none()

    def finalize_response(self, request: Request, response: Any, *args: Any,
                          **kwargs: Any) -> Any:
        """A refused download (401, 404) is JSON like every refusal, whatever the client said
        it accepts for the file (the file itself is a FileResponse, which no renderer
        touches)."""
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and isinstance(response.accepted_renderer,
                                                         PassthroughRenderer):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response

    def get_queryset(self) -> QuerySet[ExportJob]:
        if getattr(self, "swagger_fake_view", False):
            return ExportJob.objects.none()
        return export_service.exports_of(signed_in_user(self.request))

    @extend_schema(request=ExportRequestSerializer, responses={
        202: ExportJobSerializer, 400: REFUSED, 403: REFUSED,
        429: OpenApiResponse(ErrorSerializer, description=(
            "too many exports of this person at once or in the last hour; Retry-After says "
            "when to ask again")),
    })
    def create(self, request: Request) -> Response:
        """Start an export; poll the returned job until its state is ``done``. A person has
        at most EXPORT_LIMIT_ACTIVE exports waiting or being built, and requests at most
        EXPORT_LIMIT_PER_HOUR an hour (429 with ``Retry-After``)."""
        data = ExportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = export_service.request_export(user=signed_in_user(request), **data.options())
        serializer = self.get_serializer(job)
        return Response(serializer.data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=ExportRequestSerializer,
        responses={200: ExportPlanSerializer,
                   400: OpenApiResponse(description="the same refusals as creating it")},
    )
    @action(detail=False, methods=["post"])
    def preview(self, request: Request) -> Response:
        """What an export with these parameters would hold, without starting it; refuses
        exactly what creating it refuses."""
        data = ExportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = export_service.plan_export(user=signed_in_user(request), **data.options())
        return Response(ExportPlanSerializer(plan).data)

    @extend_schema(responses={
        (200, media_type): OpenApiResponse(response=OpenApiTypes.BINARY,
                                           description="CSV or XLSX file")
        for media_type in ("text/csv", export_service.CONTENT_TYPES[ExportJob.Format.XLSX])
    })
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PassthroughRenderer])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        job = self.get_object()
        if job.state != ExportJob.State.DONE:
            raise Http404
        return export_service.export_response(job)
