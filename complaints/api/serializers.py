"""API shapes of a citizen's reports. Validation messages come from complaints.validation,
the same sentences the pages show."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.models import Region
from complaints import cached, questions
from complaints.attachments import MAX_FILES_PER_REPORT
from complaints.models import Attachment, Category, Channel, Notification, Report, ReportEvent
from complaints.selectors import CitizenStatus, citizen_status
from complaints.validation import DESCRIPTION_MAX, TITLE_MAX, field_errors


class FieldsBuiltOnce:
    """A ModelSerializer builds its fields from the model again for every instance (field
    mapping, labels, validators: several ms of each filing's answer); this builds them once
    per class and gives every instance copies. The fields depend on the class alone (Meta and
    declarations), never on the instance.

    DRF deep-copies a field by calling its constructor again with the same arguments (a tenth
    of a filing's CPU for the report's forty fields). A field without fields of its own is
    copied as it is instead: the copy gets its own attributes, and binding it to this
    serializer (its name, parent, source) sets them on the copy alone; what the copies share
    (validators, messages, choices) is never changed after construction. A field that holds
    others (a list, a dict, a nested serializer) is deep-copied, so each child's parent is
    its own copy."""

    def get_fields(self) -> dict[str, serializers.Field]:
        cls = type(self)
        prototype = cls.__dict__.get("_fields_built_once")
        if prototype is None:
            prototype = super().get_fields()  # type: ignore[misc]
            for field in prototype.values():
                field.validators  # noqa: B018 - built once here, the copies share them
            cls._fields_built_once = prototype  # type: ignore[attr-defined]
        return {name: copy.deepcopy(field) if _holds_fields(field) else copy.copy(field)
                for name, field in prototype.items()}

    def get_validators(self) -> list[Any]:
        """The serializer's own validators (unique together, unique for date), made from the
        model once per class too (DRF reads the model's fields again for each instance)."""
        cls = type(self)
        built = cls.__dict__.get("_validators_built_once")
        if built is None:
            built = list(super().get_validators())  # type: ignore[misc]
            cls._validators_built_once = built  # type: ignore[attr-defined]
        return list(built)


def _holds_fields(field: serializers.Field) -> bool:
    return isinstance(field, serializers.BaseSerializer) or hasattr(field, "child") or hasattr(
        field, "child_relation")


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "slug", "name", "description"]


class AttachmentSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    file_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id", "original_name", "content_type", "size", "width", "height", "created_at",
            "state", "failure", "file_url", "thumbnail_url", "is_hidden", "hidden_reason",
        ]
        # is_hidden/hidden_reason: a verifier hid the file from the public (its reporter and
        # staff still see it; nobody else is served it).

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


class CachedCategoryField(serializers.SlugRelatedField):
    """An active category by slug, read from the per-process cache (no query once known)."""

    def to_internal_value(self, data: Any) -> Category:
        if not isinstance(data, str):
            self.fail("invalid")
        category = cached.active_category(slug=data)
        if category is None:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return category


class CachedCategoryPkField(serializers.PrimaryKeyRelatedField):
    """An active category by id, read from the per-process cache."""

    def to_internal_value(self, data: Any) -> Category:
        if isinstance(data, bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            pk = int(data)
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        category = cached.active_category(pk=pk)
        if category is None:
            self.fail("does_not_exist", pk_value=data)
        return category


class CachedRegionField(serializers.SlugRelatedField):
    """A region of one level by code, read from the per-process cache."""

    def __init__(self, level: str, **kwargs: Any) -> None:
        self.level = level
        super().__init__(queryset=Region.objects.filter(level=level), **kwargs)

    def to_internal_value(self, data: Any) -> Region:
        if not isinstance(data, str | int) or isinstance(data, bool):
            self.fail("invalid")
        region = cached.region_at(str(data), self.level)
        if region is None:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return region


class ReportSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    """A report as its reporter sees it; also the shape to create and edit drafts."""

    category = CachedCategoryField(
        slug_field="slug", queryset=Category.objects.filter(is_active=True), required=False,
        allow_null=True,
    )
    province = CachedRegionField(Region.Level.PROVINCE, **_REGION)
    regency = CachedRegionField(Region.Level.REGENCY, **_REGION)
    district = CachedRegionField(Region.Level.DISTRICT, **_REGION)
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
    answers = serializers.DictField(
        child=serializers.JSONField(), required=False,
        help_text="answers to the category's extra questions, by code (GET "
                  "/open311/v2/services/{slug}.json lists them): text, a number, a date "
                  "YYYY-MM-DD, or a choice's code; \"\" clears one. An error is keyed "
                  "\"answers.<code>\".",
    )
    submit = serializers.BooleanField(
        write_only=True, required=False, default=False,
        help_text="true: send the report now (all required fields must be present)",
    )
    similar_seen = serializers.ListField(
        child=serializers.CharField(max_length=400, allow_blank=True), write_only=True,
        required=False, max_length=50,
        help_text="with submit: the tracking numbers of the similar reports the client showed "
                  "(GET /api/v1/public/similar-reports/; [] if none). The lookup then runs "
                  "within the submission, as the filing page's step before submitting: when a "
                  "similar public report was not among them, the report is kept as a draft "
                  "and the answer is 409 with \"similar\" (the reports to show) and "
                  "\"draft\"; sending again with their numbers submits it. Left out: no "
                  "lookup.",
    )
    files = serializers.ListField(
        child=serializers.FileField(), write_only=True, required=False,
        max_length=MAX_FILES_PER_REPORT,
        error_messages={"max_length": _("Paling banyak {max_length} lampiran per laporan.")},
        help_text="multipart/form-data only: photos (JPEG, PNG, WebP) or PDFs to attach, sent "
                  "in the same request as the report (one request on a slow link). Each is "
                  "stored privately and cleaned by a worker (state \"processing\" until "
                  "then). A refused file keeps the draft and is named under \"files\".",
    )

    class Meta:
        model = Report
        fields = [
            "id", "tracking_number", "status", "status_label", "merged_into", "merged_into_url",
            "kind", "title", "description", "public_title", "public_description",
            "category", "province", "regency", "district", "latitude", "longitude", "event_on",
            "is_anonymous", "is_confidential", "channel", "holder_body", "support_count",
            "rating", "rating_comment", "created_at", "submitted_at", "resolved_at",
            "closed_at", "answers", "attachments", "submit", "similar_seen", "files",
            "public_copy_edited_at", "public_copy_reason",
        ]
        # public_title/public_description: the public copy, personal data masked; a client
        # shows it before sending a draft (submit: true), as the filing page does.
        read_only_fields = [
            "public_title", "public_description", "public_copy_edited_at", "public_copy_reason",
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
        errors = {**field_errors(values, for_submit=False),
                  **_parse_answers(attrs, values.get("category"))}
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


def _parse_answers(attrs: dict[str, Any], category: Category | None) -> dict[str, str]:
    """Parse ``attrs["answers"]`` in place against ``category``'s questions; their errors."""
    if "answers" not in attrs:
        return {}
    attrs["answers"], errors = questions.parse_answers(questions.questions_of(category),
                                                       attrs["answers"])
    return errors


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000)


class RatingSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class AssistedReportSerializer(ReportSerializer):
    channel = serializers.ChoiceField(
        choices=[(c.value, c.label) for c in Channel
                 if c not in (Channel.WEB, Channel.API, Channel.OPEN311)]
    )
    contact_name = serializers.CharField(max_length=150)
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )

    class Meta(ReportSerializer.Meta):
        fields = [f for f in ReportSerializer.Meta.fields
                  if f not in ("submit", "similar_seen")] + [
            "contact_name", "contact_email", "contact_phone",
        ]
        read_only_fields = [f for f in ReportSerializer.Meta.read_only_fields if f != "channel"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = {**field_errors(attrs, for_submit=True),
                  **_parse_answers(attrs, attrs.get("category"))}
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
