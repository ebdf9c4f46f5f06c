"""Citizen accounts: registering, confirming an address, the profile, the export of everything
the portal holds about a person, and erasing an account.

The ``check_*`` functions hold every rule about the fields and raise a Django
``ValidationError`` keyed by field, in Indonesian; the page forms and the API serializers both
call them, so both say the same thing. The acts that follow assume checked input.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict
from zoneinfo import ZoneInfo

from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from agencies import two_factor
from agencies.access import forget_memberships
from agencies.models import Membership, TimeZone, User
from complaints.accounts import emails
from complaints.accounts.tokens import email_confirmation_token
from complaints.models import Attachment, Notification, Report, ReportEvent, Support, Visibility
from lapor.errors import Invalid, NotAllowed

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django_stubs_ext import WithAnnotations

FULL_NAME_MAX = 150
EMAIL_MAX = 254
# Digits only once spaces, dots, dashes and brackets are dropped; an optional leading +.
PHONE_PATTERN = re.compile(r"^\+?[0-9]{8,15}$")
PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
# Erased accounts get an address in this domain; nobody may register one.
ERASED_DOMAIN = "invalid.lapor"


# --- Messages shared by several checks --------------------------------------------------------


def duplicate_email_message() -> str:
    return _(
        "Alamat email ini sudah terdaftar. Silakan masuk, atau atur ulang kata sandi jika Anda "
        "lupa."
    )


def lockout_minutes() -> int:
    """How long a locked-out login stays locked (settings.AXES_COOLOFF_TIME), in minutes."""
    cool_off = get_cool_off()
    return round(cool_off.total_seconds() / 60) if cool_off else 0


def lockout_message() -> str:
    """The sentence of the lockout page (templates/accounts/locked_out.html), for the API."""
    return _(
        "Terlalu banyak percobaan masuk yang gagal. Demi keamanan, masuk ke akun ini dari "
        "alamat internet Anda dikunci selama %(minutes)s menit."
    ) % {"minutes": lockout_minutes()}


def bad_confirmation_link_message() -> str:
    return _(
        "Tautan konfirmasi tidak berlaku: mungkin sudah dipakai, sudah kedaluwarsa (berlaku "
        "satu hari) atau tidak lengkap tersalin. Minta tautan konfirmasi yang baru."
    )


def sent_to_you_message(email: str) -> str:
    return _("Tautan konfirmasi yang baru sudah dikirim ke %(email)s.") % {"email": email}


def sent_if_registered_message() -> str:
    return _(
        "Jika alamat itu terdaftar dan belum dikonfirmasi, tautan konfirmasi yang baru sudah "
        "dikirim ke sana."
    )


def password_reset_sent_message() -> str:
    return _(
        "Jika alamat itu terdaftar, kami sudah mengirim tautan untuk mengatur ulang kata sandi. "
        "Periksa kotak masuk (dan folder spam) Anda."
    )


# --- Field rules --------------------------------------------------------------------------------


def _clean_full_name(value: str, errors: dict[str, Any]) -> str:
    name = " ".join(value.split())
    if not name:
        errors["full_name"] = _("Nama lengkap wajib diisi.")
    elif len(name) > FULL_NAME_MAX:
        errors["full_name"] = _("Nama lengkap paling panjang %(max)d karakter.") % {
            "max": FULL_NAME_MAX
        }
    return name


def _clean_email(
    value: str, errors: dict[str, Any], *, owner: User | None = None, unique: bool = True
) -> str:
    """A valid address that no other account uses (``owner`` may keep their own). With
    ``unique=False`` (registration) whether an account uses it is not checked here: a
    registration never tells (see ``register``)."""
    email = value.strip().lower()
    if not email:
        errors["email"] = _("Alamat email wajib diisi.")
        return email
    try:
        validate_email(email)
    except ValidationError:
        valid = False
    else:
        valid = len(email) <= EMAIL_MAX and not email.endswith("@" + ERASED_DOMAIN)
    if not valid:
        errors["email"] = _("Alamat email tidak valid. Tulis lengkap, misalnya nama@contoh.id.")
        return email
    if not unique:
        return email
    taken = User.objects.filter(email__iexact=email)
    if owner is not None:
        taken = taken.exclude(pk=owner.pk)
    if taken.exists():
        errors["email"] = duplicate_email_message()
    return email


def _clean_phone(value: str, errors: dict[str, Any]) -> str:
    phone = PHONE_SEPARATORS.sub("", value)
    if phone and not PHONE_PATTERN.match(phone):
        errors["phone"] = _(
            "Nomor telepon tidak valid: tulis 8 sampai 15 angka, boleh diawali +, misalnya "
            "081234567890."
        )
    return phone


def _check_new_password(
    password: str, confirmation: str, user: User, errors: dict[str, Any]
) -> None:
    if not password:
        errors["password"] = _("Kata sandi wajib diisi.")
        return
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        errors["password"] = error.messages
    if confirmation != password:
        errors["password_confirmation"] = _("Kedua kata sandi tidak sama.")


def _send_on_commit(send: Callable[..., None], user: User, **options: str) -> None:
    """Mail after the transaction commits, in the language of the page that asked for it."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(partial(send, user.pk, language, **options))


# --- Registration and confirmation --------------------------------------------------------------


@dataclass(frozen=True)
class Registration:
    """Registration data that passed ``check_registration``."""

    full_name: str
    email: str
    phone: str
    password: str = field(repr=False)


def check_registration(
    *, full_name: str, email: str, phone: str, password: str, password_confirmation: str
) -> Registration:
    """Validate a registration; raise ``ValidationError`` with a message per field."""
    errors: dict[str, Any] = {}
    full_name = _clean_full_name(full_name, errors)
    email = _clean_email(email, errors, unique=False)
    phone = _clean_phone(phone, errors)
    _check_new_password(
        password, password_confirmation, User(email=email, full_name=full_name), errors
    )
    if errors:
        raise ValidationError(errors)
    return Registration(full_name=full_name, email=email, phone=phone, password=password)


def registration_sent_message(email: str) -> str:
    """What every registration that passed the checks is told, whether or not the address
    already had an account."""
    return _(
        "Kami mengirim email ke %(email)s. Buka tautan di dalamnya untuk melanjutkan; "
        "tautan berlaku satu hari."
    ) % {"email": email}


def register(*, registration: Registration, return_to: str = "") -> None:
    """Create a citizen account (may file once the address is confirmed) and mail the
    confirmation link, which leads on to ``return_to`` (a page of this site that the caller
    checked; empty: the filing form). Assumes ``check_registration`` passed.

    Whether the address already has an account is never told, by the answer or by the time
    it takes: the caller answers the same either way, and the work is the same. A new address
    gets an account (its password hashed) and a confirmation link; an address in use gets
    the same hashing, for nothing, and its owner a notice that someone tried to register with
    it (sign in, or reset the password), one mail either way. A concurrent registration of
    the same address ends in that notice too."""
    existing = User.objects.filter(email__iexact=registration.email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=registration.email,
                    password=registration.password,
                    full_name=registration.full_name,
                    phone=registration.phone,
                    is_active=True,
                    is_email_confirmed=False,
                )
                _send_on_commit(emails.send_confirmation_email, user, return_to=return_to)
        except IntegrityError:
            existing = User.objects.filter(email__iexact=registration.email).first()
        else:
            return
    # The cost of the account that is not made (Argon2 in production): the same time.
    make_password(registration.password)
    if existing is not None:
        _send_on_commit(emails.send_already_registered_email, existing)


def resend_confirmation(
    *, user: User | None = None, email: str = "", return_to: str = ""
) -> None:
    """Mail a new confirmation link (leading on to ``return_to``, as in ``register``) to a
    signed-in ``user``, or to the account of ``email``.

    For an address, tells nothing about whether such an account exists, by the answer (the
    caller shows the same sentence either way) or by the work: an address with no account
    waiting for confirmation is mailed a notice instead of a link (sign in, reset the
    password or register), one mail and the same queries either way. For a signed-in user
    whose address is already confirmed, raises Invalid."""
    if user is not None:
        if user.is_email_confirmed:
            raise Invalid(_("Alamat email Anda sudah terkonfirmasi."))
        _send_on_commit(emails.send_confirmation_email, user, return_to=return_to)
        return
    address = _address_to_mail(email)
    account = User.objects.filter(
        email=address, is_active=True, is_email_confirmed=False, erased_at__isnull=True
    ).first()
    if account is not None:
        _send_on_commit(emails.send_confirmation_email, account, return_to=return_to)
    else:
        language = translation.get_language() or settings.LANGUAGE_CODE
        transaction.on_commit(partial(emails.send_nothing_to_confirm_email, address, language))


def _user_from_uid(uidb64: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    if not 0 < pk < 2**63:
        return None
    return User.objects.filter(pk=pk, is_active=True, erased_at__isnull=True).first()


def confirm_email(*, uidb64: str, token: str) -> User:
    """Mark the address confirmed if the link is good; a used, expired or broken link (or one
    sent to an address the account no longer has) raises Invalid."""
    user = _user_from_uid(uidb64)
    if user is None or not email_confirmation_token.check_token(user, token):
        raise Invalid(bad_confirmation_link_message())
    # Conditional on the state the token was checked against: of two clicks, one confirms.
    confirmed = User.objects.filter(pk=user.pk, email=user.email, is_email_confirmed=False).update(
        is_email_confirmed=True
    )
    if confirmed != 1:
        raise Invalid(bad_confirmation_link_message())
    user.is_email_confirmed = True
    return user


def _address_to_mail(value: str) -> str:
    """An address typed by anyone to be mailed a link or a notice: refused (on its field) when
    it is not an address mail can go to, before anything is looked up, so the refusal says
    nothing about accounts."""
    address = value.strip().lower()
    if not address:
        raise Invalid(_("Alamat email wajib diisi."), field="email")
    try:
        validate_email(address)
    except ValidationError:
        raise Invalid(_("Alamat email tidak valid. Tulis lengkap, misalnya nama@contoh.id."),
                      field="email") from None
    return address


def request_password_reset(*, email: str) -> None:
    """Mail a reset link to the account of ``email`` if there is one that may sign in with a
    password; otherwise mail the address a notice that no such account uses it (sign up, or
    try another address). One mail and the same queries either way, so neither the answer
    (the caller's sentence is the same) nor the time it takes tells who is registered."""
    address = email.strip().lower()
    if not address:
        return
    address = _address_to_mail(address)
    accounts = [
        user
        for user in User.objects.filter(
            email__iexact=address, is_active=True, erased_at__isnull=True
        )
        if user.has_usable_password()
    ]
    for user in accounts:
        _send_on_commit(emails.send_password_reset_email, user)
    if not accounts:
        language = translation.get_language() or settings.LANGUAGE_CODE
        transaction.on_commit(partial(emails.send_no_account_email, address, language))


def password_was_reset(*, user: User) -> None:
    """After a new password was chosen through a mailed link: whoever did it holds the mailbox,
    so a lockout from earlier failed sign-ins no longer protects anything; lift it."""
    axes_reset(username=user.email)


# --- Profile ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileChanges:
    """Checked changes: plain fields to write, and a new address (None: unchanged)."""

    fields: dict[str, str]
    new_email: str | None


def check_profile_changes(
    *,
    user: User,
    full_name: str | None = None,
    phone: str | None = None,
    time_zone: str | None = None,
    email: str | None = None,
    current_password: str | None = None,
) -> ProfileChanges:
    """Validate changes to ``user``'s profile; None leaves a field as it is. A new email
    address needs the current password."""
    errors: dict[str, Any] = {}
    fields: dict[str, str] = {}
    if full_name is not None:
        fields["full_name"] = _clean_full_name(full_name, errors)
    if phone is not None:
        fields["phone"] = _clean_phone(phone, errors)
    if time_zone is not None:
        if time_zone in TimeZone.values:
            fields["time_zone"] = time_zone
        else:
            errors["time_zone"] = _("Pilih zona waktu: WIB, WITA atau WIT.")
    new_email = None
    if email is not None and email.strip().lower() != user.email.lower():
        new_email = _clean_email(email, errors, owner=user)
        if not current_password:
            errors["current_password"] = _(
                "Untuk mengganti alamat email, masukkan kata sandi Anda saat ini."
            )
        elif not user.check_password(current_password):
            errors["current_password"] = _("Kata sandi saat ini salah.")
    if errors:
        raise ValidationError(errors)
    return ProfileChanges(fields=fields, new_email=new_email)


def update_profile(*, user: User, changes: ProfileChanges) -> User:
    """Write checked changes. A new address must be confirmed again: the account may not file
    reports until it is, and a link goes to the new address."""
    update_fields = list(changes.fields)
    for name, value in changes.fields.items():
        setattr(user, name, value)
    if changes.new_email is not None:
        user.email = changes.new_email
        user.is_email_confirmed = False
        update_fields += ["email", "is_email_confirmed"]
    if not update_fields:
        return user
    try:
        with transaction.atomic():
            user.save(update_fields=update_fields)
            if changes.new_email is not None:
                _send_on_commit(emails.send_confirmation_email, user)
    except IntegrityError:
        user.refresh_from_db()
        raise Invalid(duplicate_email_message(), field="email") from None
    return user


# --- Export and erasure ---------------------------------------------------------------------


def export_personal_data(user: User) -> dict[str, Any]:
    """Everything the portal holds about ``user``, as JSON-ready values (times in the user's
    zone). Of each report only what the citizen may see: public history (no staff names, no
    internal notes), their own attachments. A fixed number of queries however many reports."""
    zone = ZoneInfo(user.time_zone)

    def when(value: datetime | None) -> str | None:
        return timezone.localtime(value, zone).isoformat() if value else None

    memberships = Membership.objects.filter(user=user).select_related("body").order_by("pk")
    reports: QuerySet[ExportedReport] = (
        Report.objects.filter(reporter=user)
        .select_related("category", "province", "regency", "district")
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=Attachment.objects.filter(is_staff_only=False).order_by("pk"),
                to_attr="citizen_attachments",
            ),
            Prefetch(
                "events",
                queryset=ReportEvent.objects.filter(
                    visibility__in=(Visibility.PUBLIC, Visibility.REPORTER))
                .select_related("actor_body")
                .order_by("seq"),
                to_attr="public_events",
            ),
        )
        .order_by("created_at", "pk")
    )
    supports = Support.objects.filter(user=user).select_related("report").order_by("pk")
    notifications = Notification.objects.filter(user=user).select_related("report").order_by("pk")
    token_created = Token.objects.filter(user=user).values_list("created", flat=True).first()
    # Sign-ins recorded by django-axes (login forms store the address in lower case).
    sign_ins = AccessLog.objects.filter(username=user.email).order_by("pk")

    return {
        "generated_at": when(timezone.now()),
        "profile": {
            "email": user.email,
            "full_name": user.full_name,
            "phone": user.phone,
            "time_zone": user.time_zone,
            "is_email_confirmed": user.is_email_confirmed,
            "date_joined": when(user.date_joined),
            "last_login": when(user.last_login),
        },
        "memberships": [
            {
                "role": m.role,
                "role_label": m.get_role_display(),
                "body": m.body.name,
                "is_active": m.is_active,
                "created_at": when(m.created_at),
            }
            for m in memberships
        ],
        "reports": [_exported_report(report, when) for report in reports],
        "supports": [
            {"tracking_number": s.report.tracking_number, "created_at": when(s.created_at)}
            for s in supports
        ],
        "notifications": [
            {
                "title": n.title,
                "message": n.message,
                # the file is read away from the site: the link in full
                "url": settings.SITE_URL + n.url if n.url else None,
                "tracking_number": n.report.tracking_number if n.report else None,
                "created_at": when(n.created_at),
                "read_at": when(n.read_at),
            }
            for n in notifications
        ],
        "api_token_created_at": when(token_created),
        "sign_ins": [
            {
                "at": when(log.attempt_time),
                "ip_address": log.ip_address,
                "user_agent": log.user_agent,
            }
            for log in sign_ins
        ],
    }


class _ExportedParts(TypedDict):
    """What export_personal_data's Prefetch(to_attr=…) puts on each report."""

    citizen_attachments: list[Attachment]
    public_events: list[ReportEvent]


ExportedReport: TypeAlias = "WithAnnotations[Report, _ExportedParts]"


def _exported_report(
    report: ExportedReport, when: Callable[[datetime | None], str | None]
) -> dict[str, Any]:
    return {
        "tracking_number": report.tracking_number,
        "kind": report.kind,
        "title": report.title,
        "description": report.description,
        "category": report.category.name if report.category else None,
        "status": report.status,
        "status_label": report.get_status_display(),
        "channel": report.channel,
        "is_anonymous": report.is_anonymous,
        "is_confidential": report.is_confidential,
        "location": {
            "province": report.province.code if report.province else None,
            "regency": report.regency.code if report.regency else None,
            "district": report.district.code if report.district else None,
            "latitude": str(report.latitude) if report.latitude is not None else None,
            "longitude": str(report.longitude) if report.longitude is not None else None,
        },
        "event_on": report.event_on.isoformat() if report.event_on else None,
        "contact": {
            "name": report.contact_name,
            "email": report.contact_email,
            "phone": report.contact_phone,
        },
        "rating": report.rating,
        "rating_comment": report.rating_comment,
        "created_at": when(report.created_at),
        "submitted_at": when(report.submitted_at),
        "attachments": [a.original_name for a in report.citizen_attachments],
        "events": [
            {
                "kind": event.kind,
                "label": event.get_kind_display(),
                "at": when(event.created_at),
                "note": event.note,
                "body": event.actor_body.name if event.actor_body else None,
            }
            for event in report.public_events
        ],
    }


def erase_account(*, user: User, password: str) -> None:
    """Delete the person, keep the record: their reports stay (detached from the account),
    notifications, API tokens, second-factor devices and sign-in records go, roles end, and
    the user row keeps only its id (history rows point at it and may not change). The caller
    signs the session out; every other session dies with the password."""
    if not password or not user.check_password(password):
        raise Invalid(_("Kata sandi salah."), field="password")
    old_email = user.email
    with transaction.atomic():
        Report.objects.filter(reporter=user).update(reporter=None)
        Notification.objects.filter(user=user).delete()
        Token.objects.filter(user=user).delete()
        two_factor.remove_devices(user)
        Membership.objects.filter(user=user, is_active=True).update(is_active=False)
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username=old_email).delete()
        user.email = f"dihapus-{user.pk}@{ERASED_DOMAIN}"
        user.full_name = ""
        user.phone = ""
        user.set_unusable_password()
        user.is_active = False
        user.is_email_confirmed = False
        user.erased_at = timezone.now()
        user.save(
            update_fields=[
                "email",
                "full_name",
                "phone",
                "password",
                "is_active",
                "is_email_confirmed",
                "erased_at",
            ]
        )
    forget_memberships(user)


def issue_api_token(*, user: User, second_factor_code: str = "") -> Token:
    """The person's API token (the same one until it is revoked). Someone who must sign in
    with a second factor gets it only with a good code, and the token records that it was
    (``VerifiedApiToken``): without that record it is refused (agencies.two_factor_api)."""
    if not two_factor.must_verify(user):
        token, _created = Token.objects.get_or_create(user=user)
        return token
    if not two_factor.has_second_factor(user):
        raise NotAllowed(
            _(
                "Akun Anda wajib memakai verifikasi dua langkah, yang belum dipasang. Masuk di "
                "situs dan pasang aplikasi autentikator dulu, lalu minta token dengan kodenya."
            )
        )
    if not second_factor_code.strip():
        raise Invalid(
            _("Masukkan kode verifikasi dua langkah dari aplikasi autentikator Anda."),
            field="otp_code",
        )
    two_factor.verify(user=user, code=second_factor_code, field="otp_code")
    with transaction.atomic():
        token, _created = Token.objects.get_or_create(user=user)
        two_factor.mark_token_verified(token=token)
    return token


def revoke_api_tokens(*, user: User) -> int:
    """Sign the person out of the API: their token stops working."""
    deleted, _by_model = Token.objects.filter(user=user).delete()
    return deleted
