"""API shapes of the staff side of a report: the report, its history, the reporter's identity,
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from complaints import selectors as report_selectors
from complaints.models import Attachment, Report, ReportEvent
from routing.actions import ACTIONS, available_actions
from routing.services import learning


class StaffEventSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    actor = serializers.SerializerMethodField()
    actor_body = serializers.CharField(source="actor_body.name", default=None, allow_null=True)
    from_body = serializers.CharField(source="from_body.name", default=None, allow_null=True)
    to_body = serializers.CharField(source="to_body.name", default=None, allow_null=True)

    class Meta:
        model = ReportEvent
        fields = [
            "seq", "kind", "kind_label", "actor", "actor_body", "from_body", "to_body", "note",
            "visibility", "created_at",
        ]

    def get_actor(self, event: ReportEvent) -> str | None:
        # The reporter's own acts are shown as "Pelapor", never with their name.
        if event.actor_id is None:
            return None
        if event.actor_id == self.context["reporter_id"]:
            return "Pelapor"
        actor = event.actor
        return actor.full_name if actor is not None else None


class StaffAttachmentSerializer(serializers.ModelSerializer):
    """A file of the report as staff see it: internal, hidden from the public (and why)."""

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "state", "is_staff_only",
                  "is_hidden", "hidden_at", "hidden_reason", "created_at"]


class SuggestedBodySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class LearnedSuggestionSerializer(serializers.Serializer):
    """One body the learned model suggests (``routing.learned``), best first."""

    rank = serializers.IntegerField()
    body = SuggestedBodySerializer()
    confidence = serializers.FloatField(help_text="The model's probability, 0-1.")
    model_version = serializers.IntegerField()


class StaffReportSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    category = serializers.CharField(source="category.name", default=None, allow_null=True)
    province = serializers.CharField(source="province.code", default=None, allow_null=True)
    regency = serializers.CharField(source="regency.code", default=None, allow_null=True)
    district = serializers.CharField(source="district.code", default=None, allow_null=True)
    holder_body = serializers.SerializerMethodField()
    assignee = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()
    last_seq = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    learned_suggestions = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "tracking_number", "status", "status_label", "version", "last_seq", "kind", "title",
            "description", "category", "province", "regency", "district", "latitude",
            "longitude", "event_on", "answers", "is_anonymous", "is_confidential", "channel",
            "holder_body", "assignee", "held_since", "due_at", "holder_responded_at",
            "submitted_at", "resolved_at", "returns_at", "available_actions",
            # The public copy (the original is title/description), and the verifier's latest
            # reason when they edited it.
            "public_title", "public_description", "public_copy_edited_at", "public_copy_reason",
            "attachments",
            "learned_suggestions",
        ]

    @extend_schema_field(StaffAttachmentSerializer(many=True))
    def get_attachments(self, report: Report) -> list[dict[str, Any]]:
        files = report_selectors.visible_attachments(self.context["request"].user, report)
        return list(StaffAttachmentSerializer(files.order_by("created_at", "id"), many=True).data)

    def get_holder_body(self, report: Report) -> dict[str, Any] | None:
        body = report.holder_body
        return {"id": body.pk, "name": body.name} if body else None

    def get_assignee(self, report: Report) -> dict[str, Any] | None:
        """The named member of the holding body's staff who handles it (staff only)."""
        assignee = report.assignee
        return {"id": assignee.pk, "name": assignee.full_name} if assignee else None

    def get_available_actions(self, report: Report) -> list[str]:
        """The API names of the actions the user may take now (…/actions/<name>/)."""
        return [ACTIONS[slug].api_name
                for slug in available_actions(self.context["request"].user, report)]

    @extend_schema_field(LearnedSuggestionSerializer(many=True))
    def get_learned_suggestions(self, report: Report) -> list[dict[str, Any]]:
        """To a verifier who may disposition it: the bodies past verifiers sent reports like
        this one to (empty otherwise, and before any model is trained). The routing rule's
        suggestion, when one applies, still comes first."""
        if "disposisi" not in available_actions(self.context["request"].user, report):
            return []
        model, suggestions = learning.safe_suggest(report)
        if model is None:
            return []
        return [{"rank": s.rank, "body": {"id": s.body.pk, "name": s.body.name},
                 "confidence": round(s.confidence, 4), "model_version": model.version}
                for s in suggestions]

    def get_last_seq(self, report: Report) -> int:
        last = report.events.order_by("-seq").values_list("seq", flat=True).first()
        return last or 0


class IdentitySerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()


class RevealSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
