"""API shapes of accounts. Fields are parsed leniently (strings, possibly empty); the rules and
their messages come from ``complaints.accounts.services.check_*``, the same as on the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.settings import api_settings

from agencies.models import TimeZone, User
from complaints.accounts import services


def drf_errors(error: DjangoValidationError) -> serializers.ValidationError:
    """A Django ValidationError from a ``check_*`` as the API's 400 body, key for key."""
    if not hasattr(error, "error_dict"):
        return serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: error.messages})
    return serializers.ValidationError(
        {
            (api_settings.NON_FIELD_ERRORS_KEY if key == "__all__" else key): messages
            for key, messages in error.message_dict.items()
        }
    )


def _text(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, default="", **kwargs)


def _secret(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        write_only=True,
        trim_whitespace=False,
        style={"input_type": "password"},
        **kwargs,
    )


class AccountSerializer(serializers.ModelSerializer):
    time_zone_abbreviation = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "full_name",
            "phone",
            "time_zone",
            "time_zone_abbreviation",
            "is_email_confirmed",
            "date_joined",
        ]
        read_only_fields = fields

    def get_time_zone_abbreviation(self, user: User) -> str:
        return TimeZone.abbreviation(user.time_zone)


class RegisterSerializer(serializers.Serializer):
    full_name = _text()
    email = _text()
    phone = _text(help_text="Tidak wajib.")
    password = _secret()
    password_confirmation = _secret()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            registration = services.check_registration(**attrs)
        except DjangoValidationError as error:
            raise drf_errors(error) from None
        return {"registration": registration}


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.CharField()
    password = serializers.CharField(write_only=True, trim_whitespace=False)
    otp_code = serializers.CharField(
        required=False, allow_blank=True, max_length=40,
        help_text="Kode verifikasi dua langkah (enam angka dari aplikasi autentikator, atau "
        "kode pemulihan): wajib bagi admin sistem dan petugas yang dapat membuka identitas "
        "pelapor, dan bagi petugas yang mengaktifkannya.",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Kirim sebagai header `Authorization: Token <token>`.")
    user = AccountSerializer()


class ConfirmEmailSerializer(serializers.Serializer):
    uid = serializers.CharField(help_text="Bagian `uidb64` dari tautan konfirmasi.")
    token = serializers.CharField(help_text="Bagian `token` dari tautan konfirmasi.")


class EmailSerializer(serializers.Serializer):
    email = _text(help_text="Wajib bila tidak masuk; diabaikan bila masuk.")


class ProfileUpdateSerializer(serializers.Serializer):
    """PATCH: only the fields sent change. A new ``email`` needs ``current_password``."""

    full_name = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)
    time_zone = serializers.CharField(
        required=False, allow_blank=True, help_text=", ".join(TimeZone.values)
    )
    email = serializers.CharField(required=False, allow_blank=True)
    current_password = serializers.CharField(
        required=False, allow_blank=True, write_only=True, trim_whitespace=False
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            changes = services.check_profile_changes(user=self.context["user"], **attrs)
        except DjangoValidationError as error:
            raise drf_errors(error) from None
        return {"changes": changes}


class PasswordSerializer(serializers.Serializer):
    password = _secret()
