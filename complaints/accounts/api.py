"""Accounts through the API (/api/v1/auth/…, /api/v1/me/…): the same services and the same
Indonesian messages as the pages under /akun/.

A token is obtained through ``django.contrib.auth.authenticate`` with the request, so
django-axes counts failures and locks out exactly as on the login page.
"""

from __future__ import annotations

from django.contrib.auth import authenticate, logout
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.signed_in import signed_in_user
from complaints.accounts import services
from complaints.accounts.forms import LoginForm
from complaints.accounts.serializers import (
    AccountSerializer,
    ConfirmEmailSerializer,
    EmailSerializer,
    PasswordSerializer,
    ProfileUpdateSerializer,
    RegisterSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from complaints.rate_limits import hit
from lapor.api_errors import ErrorSerializer
from lapor.errors import Invalid

_DETAIL = OpenApiResponse(ErrorSerializer, description="Pesan dalam bahasa pengguna.")


def _detail(message: str, code: int = status.HTTP_200_OK) -> Response:
    return Response({"detail": message}, status=code)


class RegisterView(APIView):
    """Create a citizen account and mail the confirmation link to its address. The answer (202
    with a sentence) is the same whether or not the address already has an account: its
    owner is mailed a notice instead. Then confirm the address and obtain a token."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=RegisterSerializer,
        responses={202: _DETAIL, 400: OpenApiTypes.OBJECT, 429: _DETAIL},
    )
    def post(self, request: Request) -> Response:
        hit("register", request)
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = serializer.validated_data["registration"]
        services.register(registration=registration)
        return _detail(
            services.registration_sent_message(registration.email), status.HTTP_202_ACCEPTED
        )


class TokenView(APIView):
    """POST: exchange an email address and password for an API token (the same token on every
    call until DELETE). Whoever must sign in with a second factor also sends ``otp_code``
    (without it: 400 on ``otp_code``; with no app set up yet: 403). Five failures for one
    account from one address lock it for a while: 403 with a sentence saying so. DELETE: sign
    out, the token stops working."""

    def get_permissions(self) -> list[permissions.BasePermission]:
        if self.request.method == "DELETE":
            return [permissions.IsAuthenticated()]
        return [permissions.AllowAny()]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 400: OpenApiTypes.OBJECT, 403: _DETAIL, 429: _DETAIL},
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The DRF request, not the Django one: axes marks it when locked out, and we answer
        # with JSON here instead of AxesMiddleware's HTML page.
        user = authenticate(
            request=request,
            username=serializer.validated_data["email"].strip().lower(),
            password=serializer.validated_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            return _detail(services.lockout_message(), status.HTTP_403_FORBIDDEN)
        if user is None:
            raise Invalid(str(LoginForm.error_messages["invalid_login"]))
        token = services.issue_api_token(
            user=user, second_factor_code=serializer.validated_data.get("otp_code", "")
        )
        return Response(TokenSerializer({"token": token.key, "user": user}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        services.revoke_api_tokens(user=signed_in_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ConfirmEmailView(APIView):
    """Confirm an address with the ``uid`` and ``token`` of the mailed link."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(request=ConfirmEmailSerializer, responses={200: _DETAIL, 400: _DETAIL})
    def post(self, request: Request) -> Response:
        serializer = ConfirmEmailSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.confirm_email(
            uidb64=serializer.validated_data["uid"], token=serializer.validated_data["token"]
        )
        return _detail(_("Terima kasih, alamat email Anda sudah terkonfirmasi."))


class ResendConfirmationView(APIView):
    """Mail a new confirmation link: to the signed-in user, or to ``email`` (the answer is the
    same whether or not that address is registered)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(request=EmailSerializer, responses={200: _DETAIL, 400: _DETAIL, 429: _DETAIL})
    def post(self, request: Request) -> Response:
        hit("register", request)
        if request.user.is_authenticated:
            services.resend_confirmation(user=request.user)
            return _detail(services.sent_to_you_message(request.user.email))
        serializer = EmailSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.resend_confirmation(email=serializer.validated_data["email"])
        return _detail(services.sent_if_registered_message())


class PasswordResetView(APIView):
    """Mail a link to choose a new password. The answer never says whether the address is
    registered."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(request=EmailSerializer, responses={200: _DETAIL, 429: _DETAIL})
    def post(self, request: Request) -> Response:
        serializer = EmailSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        hit("password_reset", request)
        services.request_password_reset(email=serializer.validated_data["email"])
        return _detail(services.password_reset_sent_message())


class MeView(APIView):
    """The signed-in user's profile. PATCH changes only the fields sent; a new ``email`` needs
    ``current_password`` and must be confirmed again."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=AccountSerializer)
    def get(self, request: Request) -> Response:
        return Response(AccountSerializer(request.user).data)

    @extend_schema(
        request=ProfileUpdateSerializer,
        responses={200: AccountSerializer, 400: OpenApiTypes.OBJECT},
    )
    def patch(self, request: Request) -> Response:
        serializer = ProfileUpdateSerializer(data=request.data, context={"user": request.user})
        serializer.is_valid(raise_exception=True)
        user = services.update_profile(
            user=signed_in_user(request), changes=serializer.validated_data["changes"]
        )
        return Response(AccountSerializer(user).data)


class MeExportView(APIView):
    """Everything the portal holds about the signed-in user (as on /akun/data-saya/)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        return Response(services.export_personal_data(signed_in_user(request)))


class MeEraseView(APIView):
    """Delete the signed-in user's account and personal data (the reports stay, without a
    name). Needs the password."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=PasswordSerializer, responses={204: None, 400: _DETAIL})
    def post(self, request: Request) -> Response:
        serializer = PasswordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.erase_account(
            user=signed_in_user(request), password=serializer.validated_data["password"]
        )
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)
