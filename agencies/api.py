"""The API of the body and region trees (/api/v1/bodies/, /regions/, /memberships/).

Reading the tree is public (citizens choose bodies, everyone sees who is responsible). Writing
goes through ``agencies.services``, which checks the actor's right; memberships are visible only
to their user and to those who administer the body.
"""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Left, Length
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from agencies import access, selectors, services, two_factor
from agencies.filters import BodyFilter, RegionFilter
from agencies.models import Body, Membership, Region, SecondFactorReset, User
from agencies.serializers import (
    ActiveSerializer,
    BodyDetailSerializer,
    BodySerializer,
    MembershipSerializer,
    MoveSerializer,
    RegionSerializer,
    UnitCreateSerializer,
)
from agencies.signed_in import signed_in_user
from lapor.api_errors import REFUSED
from lapor.errors import NotAllowed


def _with_parent_pk(queryset: QuerySet[Body]) -> QuerySet[Body]:
    parent = Body.objects.filter(
        path=Left(OuterRef("path"), Length(OuterRef("path")) - Body.steplen)
    )
    return queryset.annotate(parent_pk=Subquery(parent.values("pk")[:1]))


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Provinces, regencies/cities and districts with their Kemendagri codes."""

    queryset = Region.objects.select_related("parent", "province").order_by("code")
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    lookup_field = "code"
    lookup_value_regex = r"[0-9.]+"
    ordering_fields = ["code", "name"]
    search_fields = ["name", "code"]
    permission_classes = [permissions.AllowAny]


class BodyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The tree of government bodies. Units are added with POST; bodies are never deleted,
    only deactivated (``/deactivate``-style: POST ``active``)."""

    serializer_class = BodySerializer
    lookup_value_regex = r"[0-9]+"
    filterset_class = BodyFilter
    ordering_fields = ["name", "acronym", "path"]
    ordering = ["path"]
    search_fields: list[str] = []  # `q` in BodyFilter searches names, acronyms and aliases
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def get_queryset(self) -> QuerySet[Body]:
        return _with_parent_pk(selectors.bodies_for_listing())

    def get_serializer_class(self) -> type:
        if self.action == "retrieve":
            return BodyDetailSerializer
        return BodySerializer

    def _administered(self, body: Body) -> Body:
        if not access.may_administer(self.request.user, body):
            # Do not reveal more than a read would: the body exists, the right does not.
            self.permission_denied(
                self.request, message=_("Anda tidak berwenang mengelola instansi ini.")
            )
        return body

    def perform_update(self, serializer: BaseSerializer[Body]) -> None:
        assert serializer.instance is not None  # an update's serializer holds get_object()
        body = self._administered(serializer.instance)
        services.update_body(
            body=body, actor=signed_in_user(self.request), **serializer.validated_data
        )

    @extend_schema(request=UnitCreateSerializer, responses={201: BodySerializer})
    def create(self, request: Request) -> Response:
        data = UnitCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = services.create_unit(actor=signed_in_user(request), **data.validated_data)
        unit = self.get_queryset().get(pk=unit.pk)
        return Response(BodySerializer(unit).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=BodySerializer(many=True))
    @action(detail=True, methods=["get"])
    def children(self, request: Request, pk: str | None = None) -> Response:
        body = self.get_object()
        page = self.paginate_queryset(_with_parent_pk(selectors.children(body)))
        return self.get_paginated_response(BodySerializer(page, many=True).data)

    @extend_schema(request=MoveSerializer, responses=BodySerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        body = self._administered(self.get_object())
        data = MoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        moved = services.move_body(
            body=body, new_parent=data.validated_data["parent"], actor=signed_in_user(request)
        )
        return Response(BodySerializer(self.get_queryset().get(pk=moved.pk)).data)

    @extend_schema(request=ActiveSerializer, responses=BodySerializer)
    @action(detail=True, methods=["post"])
    def active(self, request: Request, pk: str | None = None) -> Response:
        body = self._administered(self.get_object())
        data = ActiveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.set_body_active(
            body=body, is_active=data.validated_data["is_active"], actor=signed_in_user(request)
        )
        return Response(BodySerializer(self.get_queryset().get(pk=body.pk)).data)


class MembershipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Roles of users in bodies. Another body's memberships answer 404."""

    queryset = Membership.objects.none()  # for the schema; get_queryset scopes every request
    serializer_class = MembershipSerializer
    lookup_value_regex = r"[0-9]+"
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["role", "body"]
    ordering_fields = ["created_at"]

    def get_queryset(self) -> QuerySet[Membership]:
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        return selectors.memberships_visible_to(signed_in_user(self.request))

    def perform_create(self, serializer: BaseSerializer[Membership]) -> None:
        data = serializer.validated_data
        if not access.may_administer(self.request.user, data["body"]):
            raise NotFound()
        serializer.instance = services.grant_membership(
            user=data["user"], body=data["body"], role=data["role"],
            actor=signed_in_user(self.request),
        )

    def perform_destroy(self, instance: Membership) -> None:
        services.revoke_membership(membership=instance, actor=signed_in_user(self.request))


class SecondFactorResetSerializer(serializers.ModelSerializer):
    class Meta:
        model = SecondFactorReset
        fields = ["user", "reset_by", "reset_at", "devices_removed", "tokens_revoked"]


class SecondFactorResetView(APIView):
    """A system admin resets a member's second factor (a lost phone): their authenticator app
    and recovery codes are removed and their API token revoked; they set up a new app at their
    next sign-in. Recorded (who, whom, when) and logged. Others: 403."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={201: SecondFactorResetSerializer, 403: REFUSED,
                                            404: REFUSED})
    def post(self, request: Request, pk: int) -> Response:
        actor = signed_in_user(request)
        if not access.is_system_admin(actor):
            raise NotAllowed(
                _("Hanya admin sistem yang dapat mengatur ulang verifikasi dua langkah.")
            )
        user = User.objects.filter(pk=pk).first()
        if user is None:
            raise NotFound
        record = two_factor.reset(user=user, actor=actor)
        return Response(SecondFactorResetSerializer(record).data, status=status.HTTP_201_CREATED)
