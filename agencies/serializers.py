"""API shapes of regions, bodies and memberships."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.models import Body, Membership, Region, Role, User


class RegionSerializer(serializers.ModelSerializer):
    # The metaclass takes declared fields off the class; the stubs see ``Field.parent`` here.
    # A province has no parent (null), as the schema says; ``province`` is the region's own
    # code for a province.
    parent: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="code", read_only=True, allow_null=True
    )
    province: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    time_zone_abbreviation = serializers.CharField(read_only=True)

    class Meta:
        model = Region
        fields = [
            "code",
            "name",
            "level",
            "regency_kind",
            "parent",
            "province",
            "time_zone",
            "time_zone_abbreviation",
        ]


class BodyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Body
        fields = ["id", "name", "acronym", "kind"]


class BodySerializer(serializers.ModelSerializer):
    parent_id = serializers.SerializerMethodField()
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), required=False, allow_null=True
    )
    # Central bodies (ministries, agencies) lie in no province: null.
    province: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    time_zone_abbreviation = serializers.CharField(read_only=True)
    children_count = serializers.IntegerField(source="numchild", read_only=True)

    class Meta:
        model = Body
        fields = [
            "id",
            "name",
            "acronym",
            "aliases",
            "kind",
            "parent_id",
            "depth",
            "children_count",
            "region",
            "province",
            "time_zone",
            "time_zone_abbreviation",
            "is_active",
            "address",
            "email",
            "phone",
        ]
        read_only_fields = ["kind", "depth", "time_zone", "is_active"]

    def get_parent_id(self, body: Body) -> int | None:
        # The parent is the body whose path is this path minus one step; the list view
        # annotates it in the same query (see BodyViewSet.get_queryset).
        return getattr(body, "parent_pk", None)


class BodyDetailSerializer(BodySerializer):
    ancestors = serializers.SerializerMethodField()

    class Meta(BodySerializer.Meta):
        fields = [*BodySerializer.Meta.fields, "ancestors"]

    @extend_schema_field(BodyRefSerializer(many=True))
    def get_ancestors(self, body: Body) -> list[dict[str, object]]:
        # many=True makes a ListSerializer (its data a list); the stubs type the child's data.
        return BodyRefSerializer(Body.objects.get_ancestors(body), many=True).data  # type: ignore[return-value]


class UnitCreateSerializer(serializers.Serializer):
    # The metaclass takes declared fields off the class; the stubs see ``Field.parent`` here.
    parent = serializers.PrimaryKeyRelatedField(queryset=Body.objects.all())  # type: ignore[assignment]
    name = serializers.CharField(max_length=200)
    acronym = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), required=False, allow_null=True
    )
    address = serializers.CharField(required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class MoveSerializer(serializers.Serializer):
    # The metaclass takes declared fields off the class; the stubs see ``Field.parent`` here.
    parent = serializers.PrimaryKeyRelatedField(queryset=Body.objects.all())  # type: ignore[assignment]


class ActiveSerializer(serializers.Serializer):
    is_active = serializers.BooleanField()


class MembershipSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="email", queryset=User.objects.all())
    user_name = serializers.CharField(source="user.full_name", read_only=True)
    body = serializers.PrimaryKeyRelatedField(queryset=Body.objects.all())
    body_name = serializers.CharField(source="body.name", read_only=True)
    role = serializers.ChoiceField(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ["id", "user", "user_name", "body", "body_name", "role", "created_at"]
        read_only_fields = ["created_at"]
