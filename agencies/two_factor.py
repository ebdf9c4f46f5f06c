"""Two-step sign-in for staff: a code from an authenticator app (TOTP, django-otp's
``TOTPDevice``) after the password, or one of ten single-use recovery codes (django-otp's
``StaticDevice``) when the phone is lost. Who must use it is ``access.requires_second_factor``;
every other staff member may turn it on from their profile.

Recovery codes are shown once, when made, and stored only as SHA-256 digests (django-otp's
static tokens would keep them readable): each has 80 random bits, so a digest cannot be turned
back into a code. Every device counts wrong codes and makes the next try wait longer
(django-otp's throttling: 1, 2, 4, 8 … seconds). A system admin can reset a member's second
factor (a lost phone); the reset is recorded (``SecondFactorReset``) and logs.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from agencies import access
from agencies.models import SecondFactorReset, User, VerifiedApiToken
from lapor.errors import Invalid, NotAllowed, TooMany

log = logging.getLogger(__name__)

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "aplikasi autentikator"
RECOVERY_DEVICE_NAME = "kode pemulihan"
_SEPARATORS = re.compile(r"[\s\-]")


def has_second_factor(user: User) -> bool:
    """Has ``user`` a confirmed authenticator app?"""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def must_verify(user: User) -> bool:
    """Must this person enter a second-factor code before working as staff? Those who are
    required to, and staff members who turned it on themselves."""
    if access.requires_second_factor(user):
        return True
    return bool(access.memberships_of(user)) and has_second_factor(user)


def is_verified(user: Any) -> bool:
    """Did this request's session (django-otp's middleware) enter a second-factor code?"""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def remaining_recovery_codes(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- Setting it up --------------------------------------------------------------------------


def pending_app(*, user: User) -> TOTPDevice:
    """The authenticator app being set up (unconfirmed until a first code proves it is in the
    app): the same one, with the same secret, each time the page is opened again."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_of(device: TOTPDevice) -> str:
    """The app's secret as people type it in: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@dataclass(frozen=True)
class SetUp:
    device: TOTPDevice
    recovery_codes: list[str]


def confirm_app(*, user: User, code: str) -> SetUp:
    """Confirm the pending app with a code it shows, replace any earlier app and recovery
    codes, and make ten new recovery codes (returned: shown once, stored as digests)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        raise Invalid(_("Buka lagi halaman pemasangan: kode QR-nya sudah tidak berlaku."))
    _check_allowed(device)
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        accepted = locked.verify_token(_digits(code))
        if accepted:
            TOTPDevice.objects.filter(user=user).exclude(pk=locked.pk).delete()
            locked.confirmed = True
            locked.save(update_fields=["confirmed"])
            codes = _new_recovery_codes(user)
    # Outside the transaction: the wrong try that django-otp counted stays counted.
    if not accepted:
        raise Invalid(_wrong_code_message(), field="code")
    log.info("second factor set up by user %s", user.pk)
    return SetUp(device=locked, recovery_codes=codes)


def new_recovery_codes(*, user: User) -> list[str]:
    """Ten new recovery codes in place of the old ones (the caller checked that this session
    entered a second-factor code)."""
    if not has_second_factor(user):
        raise Invalid(_("Pasang aplikasi autentikator terlebih dahulu."))
    with transaction.atomic():
        return _new_recovery_codes(user)


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = []
    for _i in range(RECOVERY_CODE_COUNT):
        raw = base64.b32encode(secrets.token_bytes(10)).decode().lower()  # 80 bits, 16 chars
        codes.append("-".join(raw[i:i + 4] for i in range(0, 16, 4)))
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=_digest(code)) for code in codes]
    )
    return codes


def _digest(code: str) -> str:
    """What is stored of a recovery code (16 hex characters of its SHA-256: django-otp's
    field holds 16)."""
    normal = _SEPARATORS.sub("", code).lower()
    return hashlib.sha256(normal.encode()).hexdigest()[:16]


def _digits(code: str) -> str:
    return _SEPARATORS.sub("", code)


# --- Entering a code --------------------------------------------------------------------------


def verify(*, user: User, code: str, field: str = "code") -> Device:
    """The device that accepts ``code``: six digits from the app, or a recovery code (used up).
    A wrong code raises Invalid and makes the next try wait (TooMany until then); the errors
    name ``field``, the input that held the code."""
    typed = _digits(code)
    if not typed:
        raise Invalid(_("Masukkan kode dari aplikasi autentikator Anda."), field=field)
    model: type[TOTPDevice] | type[StaticDevice]
    if typed.isdigit():
        model, token = TOTPDevice, typed
    else:
        model, token = StaticDevice, _digest(typed)
    device = model.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        if model is StaticDevice and has_second_factor(user):
            raise Invalid(_wrong_code_message(), field=field)
        raise Invalid(_("Anda belum memasang verifikasi dua langkah."), field=field)
    _check_allowed(device, field)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=device.pk)
        accepted = locked.verify_token(token)
    if not accepted:
        raise Invalid(_wrong_code_message(), field=field)
    return locked


def _check_allowed(device: TOTPDevice | StaticDevice, field: str = "code") -> None:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return
    locked_until = (info or {}).get("locked_until")
    seconds = 1
    if locked_until:
        seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1)
    raise TooMany(
        ngettext(
            "Terlalu banyak kode yang salah. Coba lagi dalam %(seconds)d detik.",
            "Terlalu banyak kode yang salah. Coba lagi dalam %(seconds)d detik.",
            seconds,
        ) % {"seconds": seconds},
        retry_after=seconds,
        field=field,
    )


def _wrong_code_message() -> str:
    return _(
        "Kode salah atau sudah kedaluwarsa. Masukkan kode yang sedang tampil di aplikasi, atau "
        "salah satu kode pemulihan Anda."
    )


# --- Turning it off, resetting it ---------------------------------------------------------------


def turn_off(*, user: User) -> None:
    """Remove one's own second factor: only for those not required to have one (the caller
    checked that this session entered a code)."""
    if access.requires_second_factor(user):
        raise NotAllowed(
            _("Peran Anda mewajibkan verifikasi dua langkah; verifikasi ini tidak dapat dimatikan.")
        )
    with transaction.atomic():
        remove_devices(user)


def reset(*, user: User, actor: User) -> SecondFactorReset:
    """A system admin removes ``user``'s authenticator app and recovery codes (a lost phone)
    and revokes their API token; they set up a new app at their next sign-in. Recorded: who,
    whom, when."""
    if not access.is_system_admin(actor):
        raise NotAllowed(_("Hanya admin sistem yang dapat mengatur ulang verifikasi dua langkah."))
    if user.pk == actor.pk:
        raise Invalid(_("Atur ulang verifikasi dua langkah Anda sendiri lewat admin sistem lain."))
    with transaction.atomic():
        devices = remove_devices(user)
        tokens, _by_model = Token.objects.filter(user=user).delete()
        record = SecondFactorReset.objects.create(
            user=user, reset_by=actor, devices_removed=devices, tokens_revoked=min(tokens, 1)
        )
    log.warning(
        "second factor of user %s reset by system admin %s (%d devices removed, token revoked: %s)",
        user.pk, actor.pk, devices, bool(tokens),
    )
    return record


def remove_devices(user: User) -> int:
    """Delete ``user``'s authenticator apps and recovery codes (turned off, reset, or the
    account erased); returns how many devices went."""
    removed, _by_model = TOTPDevice.objects.filter(user=user).delete()
    statics = StaticDevice.objects.filter(user=user).count()
    StaticDevice.objects.filter(user=user).delete()
    return removed + statics


# --- API tokens -----------------------------------------------------------------------------------


def mark_token_verified(*, token: Token) -> None:
    """Record that ``token`` was issued with a second-factor code (see two_factor_api)."""
    VerifiedApiToken.objects.update_or_create(token=token, defaults={"verified_at": timezone.now()})


def token_is_enough(user: User, token: Token) -> bool:
    """May ``token`` act for ``user`` on its own? Not if they must verify and it was issued
    without a code. ``token.second_factor`` is read with the token (select_related)."""
    if not must_verify(user):
        return True
    try:
        token.second_factor  # noqa: B018 - the reverse one-to-one raises when absent
    except VerifiedApiToken.DoesNotExist:
        return False
    return True


def token_refused_message() -> str:
    return _(
        "Akun Anda wajib memakai verifikasi dua langkah, dan token API ini dibuat tanpa kode "
        "verifikasi. Minta token baru dengan email, kata sandi dan kode dari aplikasi "
        "autentikator (otp_code)."
    )


def session_refused_message() -> str:
    return _(
        "Masukkan dulu kode verifikasi dua langkah Anda di situs (Akun → Verifikasi dua "
        "langkah) sebelum memakai API dengan sesi ini."
    )
