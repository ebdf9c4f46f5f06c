"""The account pages' forms. They only parse what was posted: every rule lives in
``complaints.accounts.services`` (``check_*``), which the API serializers call too, so a page
and the API give the same message in the same words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agencies.models import TimeZone, User
from complaints.accounts import services

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


def _text(label: str | StrPromise, autocomplete: str, **kwargs: Any) -> forms.CharField:
    attrs = {"autocomplete": autocomplete, **kwargs.pop("attrs", {})}
    widget_class = kwargs.pop("widget_class", forms.TextInput)
    return forms.CharField(label=label, required=False, widget=widget_class(attrs=attrs), **kwargs)


def _password(label: str | StrPromise, autocomplete: str, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        **kwargs,
    )


class _PlainLabels:
    """Labels without Django's trailing colon, as on the rest of the site."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class LoginForm(_PlainLabels, AuthenticationForm):
    """Email and password. The address is compared in lower case, so the brute-force lockout
    counts ``Warga@…`` and ``warga@…`` as one account."""

    error_messages = {
        "invalid_login": _(
            "Alamat email atau kata sandi salah. Periksa lagi, atau atur ulang kata sandi."
        ),
        "inactive": _("Akun ini tidak aktif."),
    }

    def clean_username(self) -> str:
        return (self.cleaned_data.get("username") or "").strip().lower()


class RegistrationForm(_PlainLabels, forms.Form):
    full_name = _text(_("Nama lengkap"), "name")
    email = _text(_("Alamat email"), "email", widget_class=forms.EmailInput)
    phone = _text(
        _("Nomor telepon (tidak wajib)"),
        "tel",
        widget_class=forms.TextInput,
        attrs={"inputmode": "tel"},
        help_text=_("Hanya untuk dihubungi tentang laporan Anda; tidak pernah ditampilkan."),
    )
    password = _password(
        _("Kata sandi"),
        "new-password",
        help_text=password_validation.password_validators_help_text_html(),
    )
    password_confirmation = _password(_("Ulangi kata sandi"), "new-password")

    def __init__(self, *args: Any, refusal: str | None = None, **kwargs: Any) -> None:
        """``refusal``: a sentence that stops this attempt before any check (rate limit)."""
        super().__init__(*args, **kwargs)
        self.refusal = refusal
        self.registration: services.Registration | None = None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.refusal:
            raise ValidationError(self.refusal)
        try:
            self.registration = services.check_registration(
                full_name=data.get("full_name", ""),
                email=data.get("email", ""),
                phone=data.get("phone", ""),
                password=data.get("password", ""),
                password_confirmation=data.get("password_confirmation", ""),
            )
        except ValidationError as error:
            self.add_error(None, error)
        return data


class ResendConfirmationForm(_PlainLabels, forms.Form):
    """Asks for the address only when nobody is signed in."""

    email = _text(_("Alamat email"), "email", widget_class=forms.EmailInput)

    def __init__(self, *args: Any, user: User | AnonymousUser | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            del self.fields["email"]


class ProfileForm(_PlainLabels, forms.Form):
    full_name = _text(_("Nama lengkap"), "name")
    phone = _text(_("Nomor telepon (tidak wajib)"), "tel", attrs={"inputmode": "tel"})
    time_zone = forms.CharField(
        label=_("Zona waktu"),
        required=False,
        widget=forms.Select(choices=TimeZone.choices),
        help_text=_("Waktu di linimasa laporan Anda ditampilkan dalam zona ini."),
    )
    email = _text(
        _("Alamat email"),
        "email",
        widget_class=forms.EmailInput,
        help_text=_(
            "Jika Anda menggantinya, kami mengirim tautan konfirmasi ke alamat baru; sampai "
            "dikonfirmasi Anda belum dapat mengirim laporan."
        ),
    )
    current_password = _password(
        _("Kata sandi saat ini (hanya untuk mengganti email)"), "current-password"
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "full_name": user.full_name,
                "phone": user.phone,
                "time_zone": user.time_zone,
                "email": user.email,
            },
        )
        super().__init__(*args, **kwargs)
        self.user = user
        self.changes: services.ProfileChanges | None = None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        try:
            self.changes = services.check_profile_changes(
                user=self.user,
                full_name=data.get("full_name", ""),
                phone=data.get("phone", ""),
                time_zone=data.get("time_zone", ""),
                email=data.get("email", ""),
                current_password=data.get("current_password", ""),
            )
        except ValidationError as error:
            self.add_error(None, error)
        return data


class EraseAccountForm(_PlainLabels, forms.Form):
    password = _password(_("Kata sandi"), "current-password")
    confirm = forms.BooleanField(
        label=_(
            "Saya mengerti: akun dan data pribadi saya dihapus dan tidak dapat dipulihkan; "
            "laporan saya tetap ada tanpa nama saya."
        ),
        required=False,
    )

    def clean_confirm(self) -> bool:
        if not self.cleaned_data.get("confirm"):
            raise ValidationError(
                _("Centang kotak ini untuk memastikan Anda ingin menghapus akun.")
            )
        return True


class PasswordResetRequestForm(_PlainLabels, PasswordResetForm):
    """Django's reset form, but the mail goes out through our service (one place that decides
    who gets a link, shared with the API)."""

    email = forms.EmailField(
        label=_("Alamat email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def save(self, *args: Any, **kwargs: Any) -> None:
        services.request_password_reset(email=self.cleaned_data["email"])


class NewPasswordForm(_PlainLabels, SetPasswordForm):
    """Choosing a new password after a reset link, with our labels."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=commit)
        services.password_was_reset(user=user)
        return user


class ChangePasswordForm(_PlainLabels, PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Kata sandi saat ini")
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")


class SecondFactorCodeForm(_PlainLabels, forms.Form):
    """The code of the second step: six digits from the authenticator app, or (when verifying)
    a recovery code."""

    code = _text(
        _("Kode verifikasi"), "one-time-code",
        attrs={"inputmode": "text", "autocapitalize": "off", "spellcheck": "false"},
        max_length=40,
    )
