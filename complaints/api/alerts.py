"""The email alerts through the API (/api/v1/alerts/…): subscribe, confirm, stop one, list and
stop an address's alerts. The same service (``complaints.alerts``), rules and messages as the
pages under /peringatan/; the tokens are those of the mailed links (the last part of their
path). No account needed."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints import alerts
from complaints.alert_models import AlertSubscription
from complaints.rate_limits import hit
from lapor.api_errors import ErrorSerializer

_DETAIL = OpenApiResponse(ErrorSerializer, description="Pesan dalam bahasa pengguna.")


class SubscribeSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    region = serializers.CharField(
        required=False, allow_blank=True, max_length=13,
        help_text="Kode Kemendagri wilayah: kecamatan (mis. 33.74.01), kabupaten/kota atau "
                  "provinsi. Wilayah atau instansi wajib salah satu.")
    body = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                    help_text="Id instansi: instansi itu dan unit di bawahnya.")
    category = serializers.SlugField(required=False, allow_blank=True, max_length=120,
                                     help_text="Kode (slug) kategori; kosong: semua.")


class AlertTokenSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=500,
                                  help_text="Bagian terakhir tautan dari email.")


class AlertSubscriptionSerializer(serializers.Serializer):
    scope = serializers.SerializerMethodField(help_text="Yang diikuti, dalam kata-kata.")
    region = serializers.CharField(source="region.code", allow_null=True, default=None)
    body = serializers.IntegerField(source="body_id", allow_null=True)
    category = serializers.CharField(source="category.slug", allow_null=True, default=None)
    is_confirmed = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    unsubscribe_token = serializers.SerializerMethodField(
        help_text="Untuk POST /api/v1/alerts/unsubscribe/.")

    def get_scope(self, subscription: AlertSubscription) -> str:
        return alerts.scope_of(subscription).label()

    def get_unsubscribe_token(self, subscription: AlertSubscription) -> str:
        return alerts.unsubscribe_token(subscription)


def _detail(message: str, code: int = status.HTTP_200_OK) -> Response:
    return Response({"detail": message}, status=code)


class AlertSubscribeView(APIView):
    """Ask for a daily email of new public reports of a region or a body (optionally of a
    category). A confirmation link is mailed; nothing else is sent until it is opened. The
    answer is the same whether or not the address already subscribed."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=SubscribeSerializer,
        responses={202: _DETAIL, 400: OpenApiTypes.OBJECT, 429: _DETAIL},
    )
    def post(self, request: Request) -> Response:
        hit("alert_subscribe", request)
        serializer = SubscribeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        wish = alerts.wish_from(**serializer.validated_data)
        alerts.subscribe(wish=wish, language=get_language() or "id")
        return _detail(alerts.subscribed_message(wish.email), status.HTTP_202_ACCEPTED)


class AlertConfirmView(APIView):
    """Confirm a subscription with the token of the mailed confirmation link."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(request=AlertTokenSerializer,
                   responses={200: AlertSubscriptionSerializer, 400: _DETAIL, 404: _DETAIL})
    def post(self, request: Request) -> Response:
        serializer = AlertTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        subscription = alerts.confirm(token=serializer.validated_data["token"])
        return Response(AlertSubscriptionSerializer(subscription).data)


class AlertUnsubscribeView(APIView):
    """Stop one alert with the token of its "stop" link (``unsubscribe_token``)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(request=AlertTokenSerializer, responses={200: _DETAIL, 400: _DETAIL})
    def post(self, request: Request) -> Response:
        serializer = AlertTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        stopped = alerts.unsubscribe(token=serializer.validated_data["token"])
        if stopped is None:
            return _detail(_("Peringatan ini sudah berhenti sebelumnya."))
        return _detail(_("Peringatan dihentikan."))


class AlertAddressView(APIView):
    """GET: an address's alerts, with the token of its manage link (in every alert email).
    POST: stop them all."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("token", str, required=True,
                                     description="Bagian terakhir tautan “kelola” dari email.")],
        responses={200: AlertSubscriptionSerializer(many=True), 400: _DETAIL},
    )
    def get(self, request: Request) -> Response:
        email = alerts.address_of(request.query_params.get("token", ""))
        return Response(AlertSubscriptionSerializer(alerts.subscriptions_of(email),
                                                    many=True).data)

    @extend_schema(request=AlertTokenSerializer, responses={200: _DETAIL, 400: _DETAIL})
    def post(self, request: Request) -> Response:
        serializer = AlertTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        count = alerts.unsubscribe_all(token=serializer.validated_data["token"])
        return _detail(_("Semua peringatan untuk alamat ini dihentikan (%(n)d).") % {"n": count})
