"""The staff side through the API: one report with its history, every action of the page
(the same forms validate, so the messages are the same), the reporter's identity (logged),
routing rules (system admin) and response templates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

from django.db.models import Count, Q, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from agencies import access
from agencies.models import Region
from agencies.signed_in import signed_in_user
from complaints import selectors as report_selectors
from complaints.models import Category, Report
from lapor.parsers import JSONParser
from routing import policies
from routing.api.serializers import (
    IdentitySerializer,
    RevealSerializer,
    StaffEventSerializer,
    StaffReportSerializer,
)
from routing.models import DayOne, DeadlinePolicy, ResponseTemplate, RoutingRule
from routing.services import identity, templates
from routing.services import rules as rule_service

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class StaffReportViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A report as staff see it. A report the user may not see answers 404."""

    serializer_class = StaffReportSerializer
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    lookup_field = "tracking_number"
    lookup_value_regex = r"LPR-[A-Z0-9-]+"
    queryset = Report.objects.none()

    def get_object(self) -> Report:
        report = (
            Report.objects.select_related("category", "holder_body", "province", "regency",
                                          "district")
            .filter(tracking_number=self.kwargs["tracking_number"]).first()
        )
        if report is None or not report_selectors.is_staff_viewer(self.request.user, report):
            raise NotFound()
        return report

    @extend_schema(responses=StaffEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # the whole history, a list
    def history(self, request: Request, tracking_number: str | None = None) -> Response:
        report = self.get_object()
        events = report_selectors.timeline_for(request.user, report)
        context = {"reporter_id": report.reporter_id}
        return Response(StaffEventSerializer(events, many=True, context=context).data)

    @extend_schema(request=RevealSerializer, responses=IdentitySerializer)
    @action(detail=True, methods=["post"], url_path="reveal-reporter")
    def reveal_reporter(self, request: Request, tracking_number: str | None = None) -> Response:
        report = self.get_object()
        data = RevealSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = identity.reveal_reporter(
            report=report, viewer=signed_in_user(request), reason=data.validated_data["reason"]
        )
        return Response(IdentitySerializer(person.__dict__).data)


class IsSystemAdmin(permissions.BasePermission):
    message = "Hanya admin sistem."

    def has_permission(self, request: Request, view: Any) -> bool:
        return access.is_system_admin(request.user)


class RoutingRuleSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(
        slug_field="slug", queryset=Category.objects.all(), required=False, allow_null=True,
    )
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), required=False, allow_null=True,
    )
    dispositions = serializers.IntegerField(read_only=True, source="disposition_count")
    overridden = serializers.IntegerField(read_only=True, source="override_count")

    class Meta:
        model = RoutingRule
        fields = [
            "id", "category", "region", "body", "is_trusted", "is_active", "note",
            "dispositions", "overridden", "created_at",
        ]
        read_only_fields = ["created_at"]


class RuleCounts(TypedDict):
    """What rules_with_override_counts annotates on each rule."""

    disposition_count: int
    override_count: int


RuleWithCounts: TypeAlias = "WithAnnotations[RoutingRule, RuleCounts]"


def rules_with_override_counts() -> QuerySet[RuleWithCounts]:
    """Each rule with how many dispositions it suggested and how many a person overrode."""
    return RoutingRule.objects.select_related("category", "region", "body").annotate(
        disposition_count=Count("dispositions"),
        override_count=Count("dispositions", filter=Q(dispositions__was_overridden=True)),
    ).order_by("category__name", "region__code")


class RoutingRuleViewSet(viewsets.ModelViewSet):
    """Routing rules with their override statistics. System admins only."""

    serializer_class = RoutingRuleSerializer
    lookup_value_regex = r"[0-9]+"
    permission_classes = [IsSystemAdmin]
    filterset_fields = ["is_active", "is_trusted", "body"]

    def get_queryset(self) -> QuerySet[RuleWithCounts]:
        return rules_with_override_counts()

    def perform_create(self, serializer: BaseSerializer[RoutingRule]) -> None:
        serializer.instance = rule_service.save_rule(
            actor=signed_in_user(self.request), values=serializer.validated_data)

    def perform_update(self, serializer: BaseSerializer[RoutingRule]) -> None:
        serializer.instance = rule_service.save_rule(
            actor=signed_in_user(self.request), values=serializer.validated_data,
            rule=serializer.instance,
        )

    def perform_destroy(self, instance: RoutingRule) -> None:
        rule_service.retire_rule(actor=signed_in_user(self.request), rule=instance)


class ResponseTemplateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResponseTemplate
        fields = ["id", "body", "title", "text", "is_active"]


class ResponseTemplateViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """A body's canned answers: read by its staff, kept by its supervisor."""

    serializer_class = ResponseTemplateSerializer
    lookup_value_regex = r"[0-9]+"
    permission_classes = [permissions.IsAuthenticated]
    queryset = ResponseTemplate.objects.none()

    def get_queryset(self) -> QuerySet[ResponseTemplate]:
        if getattr(self, "swagger_fake_view", False):
            return ResponseTemplate.objects.none()
        return templates.templates_visible_to(signed_in_user(self.request))

    def perform_create(self, serializer: BaseSerializer[ResponseTemplate]) -> None:
        data = serializer.validated_data
        serializer.instance = templates.create_template(
            body=data["body"], title=data["title"], text=data["text"],
            actor=signed_in_user(self.request),
        )

    def perform_destroy(self, instance: ResponseTemplate) -> None:
        templates.delete_template(template=instance, actor=signed_in_user(self.request))


class DeadlinePolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = DeadlinePolicy
        fields = ["id", "clock", "priority", "version", "length_hours", "working_days", "day_one",
                  "warnings_before", "pauses_for_citizen", "pauses_when_postponed", "action",
                  "closing_note", "is_current", "created_at"]
        read_only_fields = ["version", "is_current", "created_at"]
        validators: list = []  # versioning is the service's job (routing.policies.set_policy)


class DeadlinePolicyViewSet(mixins.ListModelMixin, mixins.CreateModelMixin,
                            viewsets.GenericViewSet):
    """Deadline policies. A POST is a new version of that clock's policy (clocks already
    running keep theirs). System admins only."""

    serializer_class = DeadlinePolicySerializer
    lookup_value_regex = r"[0-9]+"
    permission_classes = [IsSystemAdmin]
    filterset_fields = ["clock", "priority", "is_current"]
    queryset = DeadlinePolicy.objects.order_by("clock", "-version")

    def perform_create(self, serializer: BaseSerializer[DeadlinePolicy]) -> None:
        data = serializer.validated_data
        serializer.instance = policies.set_policy(
            clock=data["clock"], action=data["action"], actor=signed_in_user(self.request),
            length_hours=data.get("length_hours"), working_days=data.get("working_days"),
            day_one=data.get("day_one", DayOne.NEXT_WORKING_DAY),
            warnings_before=list(data.get("warnings_before") or []),
            pauses_for_citizen=data.get("pauses_for_citizen", False),
            closing_note=data.get("closing_note", ""), priority=data.get("priority", ""),
            pauses_when_postponed=data.get("pauses_when_postponed", False),
        )
