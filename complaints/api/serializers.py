"""API shapes of a citizen's reports. Validation messages come from complaints.validation,
the same sentences the pages show."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.models import Region
from complaints.models import Attachment, Category, Channel, Notification, Report, ReportEvent
from complaints.selectors import CitizenStatus, citizen_status
from complaints.validation import DESCRIPTION_MAX, TITLE_MAX, field_errors


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "slug", "name", "description"]


class AttachmentSerializer(serializers.ModelSerializer):
    file_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id", "original_name", "content_type", "size", "width", "height", "created_at",
            "state", "failure", "file_url", "thumbnail_url",
        ]

    def get_file_url(self, attachment: Attachment) -> str | None:
        # None until the file is clean: the bytes are served to nobody before that.
        if not attachment.is_clean:
            return None
        return reverse("api:attachment-file", args=[attachment.pk])

    def get_thumbnail_url(self, attachment: Attachment) -> str | None:
        if not (attachment.is_clean and attachment.thumbnail):
            return None
        return reverse("api:attachment-thumbnail", args=[attachment.pk])


class EventSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    body = serializers.SerializerMethodField()
    to_body = serializers.CharField(source="to_body.name", default=None, allow_null=True,
                                    read_only=True)
    from_body = serializers.CharField(source="from_body.name", default=None, allow_null=True,
                                      read_only=True)

    class Meta:
        model = ReportEvent
        fields = ["seq", "kind", "kind_label", "body", "from_body", "to_body", "note", "created_at"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_body(self, event: ReportEvent) -> str | None:
        # The body speaks, never the staff member (domain.md, Privacy).
        return event.actor_body.name if event.actor_body else None


_REGION: dict[str, Any] = {"slug_field": "code", "required": False, "allow_null": True}


class ReportSerializer(serializers.ModelSerializer):
    """A report as its reporter sees it; also the shape to create and edit drafts."""

    category = serializers.SlugRelatedField(
        slug_field="slug", queryset=Category.objects.filter(is_active=True), required=False,
        allow_null=True,
    )
    province = serializers.SlugRelatedField(
        queryset=Region.objects.filter(level=Region.Level.PROVINCE), **_REGION
    )
    regency = serializers.SlugRelatedField(
        queryset=Region.objects.filter(level=Region.Level.REGENCY), **_REGION
    )
    district = serializers.SlugRelatedField(
        queryset=Region.objects.filter(level=Region.Level.DISTRICT), **_REGION
    )
    title = serializers.CharField(max_length=TITLE_MAX, required=False, allow_blank=True)
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX, required=False, allow_blank=True
    )
    status_label = serializers.SerializerMethodField(
        help_text="as citizens read it: a duplicate reads \"Digabung dengan LPR-…\""
    )
    merged_into = serializers.SerializerMethodField(
        help_text="a duplicate: the tracking number of the report that carries on"
    )
    merged_into_url = serializers.SerializerMethodField(
        help_text="the page of that report, when the reporter may open it"
    )
    holder_body = serializers.CharField(source="holder_body.name", default=None,
                                        allow_null=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    submit = serializers.BooleanField(
        write_only=True, required=False, default=False,
        help_text="true: send the report now (all required fields must be present)",
    )

    class Meta:
        model = Report
        fields = [
            "id", "tracking_number", "status", "status_label", "merged_into", "merged_into_url",
            "kind", "title", "description",
            "category", "province", "regency", "district", "latitude", "longitude", "event_on",
            "is_anonymous", "is_confidential", "channel", "holder_body", "support_count",
            "rating", "rating_comment", "created_at", "submitted_at", "resolved_at",
            "closed_at", "attachments", "submit",
        ]
        read_only_fields = [
            "tracking_number", "status", "channel", "support_count", "rating",
            "rating_comment", "created_at", "submitted_at", "resolved_at", "closed_at",
        ]

    def _status(self, report: Report) -> CitizenStatus:
        # The reporter reads this shape; without a request (an action's answer) it is theirs.
        request = self.context.get("request")
        viewer = getattr(request, "user", None) or report.reporter or AnonymousUser()
        return citizen_status(report, viewer)

    def get_status_label(self, report: Report) -> str:
        return self._status(report).label

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_merged_into(self, report: Report) -> str | None:
        return self._status(report).merged_into

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_merged_into_url(self, report: Report) -> str | None:
        return self._status(report).merged_into_url

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        values = dict(attrs)
        if self.instance is not None:
            for name in ("province", "regency", "district", "title", "description", "kind",
                         "category", "latitude", "longitude", "event_on"):
                values.setdefault(name, getattr(self.instance, name))
        # Values that contradict each other are refused here (nothing is saved; the client
        # still holds its payload); what a submission also needs (the required fields) is the
        # filing service's to check, which keeps the draft when it refuses.
        errors = field_errors(values, for_submit=False)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000)


class RatingSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class AssistedReportSerializer(ReportSerializer):
    channel = serializers.ChoiceField(
        choices=[(c.value, c.label) for c in Channel if c not in (Channel.WEB, Channel.API)]
    )
    contact_name = serializers.CharField(max_length=150)
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )

    class Meta(ReportSerializer.Meta):
        fields = [f for f in ReportSerializer.Meta.fields if f != "submit"] + [
            "contact_name", "contact_email", "contact_phone",
        ]
        read_only_fields = [f for f in ReportSerializer.Meta.read_only_fields if f != "channel"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = field_errors(attrs, for_submit=True)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class TrackSerializer(serializers.Serializer):
    """What a look-up by number shows: no reporter, ever. Anyone holding the number of a report
    that is not confidential gets its status and dates; the content fields (``kind``,
    ``title``, ``category``, ``regency``, ``holder_body``) are null until the viewer may see
    the report (``shows_content``): once it is verified, or to its reporter and staff."""

    tracking_number = serializers.CharField()
    status = serializers.CharField(source="status.value", help_text="the stored status")
    status_label = serializers.CharField(
        source="status.label", help_text="as citizens read it: a duplicate reads "
                                         "\"Digabung dengan LPR-…\""
    )
    merged_into = serializers.CharField(
        source="status.merged_into", allow_null=True,
        help_text="a duplicate: the tracking number of the report that carries on",
    )
    merged_into_url = serializers.CharField(
        source="status.merged_into_url", allow_null=True,
        help_text="the page of that report, when the viewer may open it",
    )
    submitted_at = serializers.DateTimeField(allow_null=True)
    verified_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    shows_content = serializers.BooleanField(
        help_text="false: status and dates only (not verified yet, or rejected)"
    )
    kind = serializers.CharField(source="report.kind", default=None, allow_null=True)
    title = serializers.CharField(source="report.title", default=None, allow_null=True)
    category = serializers.CharField(source="report.category.name", default=None,
                                     allow_null=True)
    regency = serializers.CharField(source="report.regency.name", default=None, allow_null=True)
    holder_body = serializers.CharField(source="report.holder_body.name", default=None,
                                        allow_null=True)


class NotificationSerializer(serializers.ModelSerializer):
    """``url`` is a path on this site (the report's page for this user), not an absolute URL."""

    tracking_number = serializers.CharField(
        source="report.tracking_number", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = Notification
        fields = ["id", "title", "message", "url", "tracking_number", "created_at", "read_at"]


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="how many notifications were unread")
