"""The second step of signing in (/akun/dua-langkah/…): entering a code, setting up an
authenticator app (with the recovery codes, shown once), sending on a form that was kept while
the code was missing, and turning the second factor off. The rules and every write are in
``agencies.two_factor``; the staff pages ask for the code through
``agencies.two_factor_gate``."""

from __future__ import annotations

from typing import Any

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from agencies import access, two_factor
from agencies.signed_in import AuthenticatedRequest
from agencies.two_factor_gate import discard_kept, kept_submission, step_url
from complaints.accounts.forms import SecondFactorCodeForm
from lapor.errors import Invalid, NotAllowed, TooMany
from lapor.page_errors import show_on_form


def _next(request: HttpRequest) -> str:
    """The page to land on afterwards: a page of this site, or the home page."""
    value = request.POST.get("next") or request.GET.get("next")
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse("home")


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


class SignInView(auth_views.LoginView):
    """Email and password; then, for whoever must use a second factor (or turned one on), the
    code, or, with no app yet, setting one up. Both steps lead on to ``next``."""

    def get_success_url(self) -> str:
        url = super().get_success_url()
        user: Any = self.request.user
        if two_factor.must_verify(user) and not two_factor.is_verified(user):
            return step_url(self.request, url)
        return url


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request: AuthenticatedRequest) -> HttpResponse:
    next_url = _next(request)
    user = request.user
    if not two_factor.has_second_factor(user):
        if two_factor.must_verify(user):
            return redirect(_with_next("two_factor_setup", next_url))
        return redirect(next_url)
    form = SecondFactorCodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.verify(user=user, code=form.cleaned_data["code"])
        except (Invalid, TooMany) as error:
            show_on_form(form, error)
            status = error.status
        else:
            django_otp.login(request, device)
            request.session.cycle_key()  # a new session id for the stronger sign-in
            if device.name == two_factor.RECOVERY_DEVICE_NAME:
                left = two_factor.remaining_recovery_codes(user)
                messages.warning(request, ngettext(
                    "Anda memakai kode pemulihan; tersisa %(count)d. Pasang ulang aplikasi "
                    "autentikator di profil untuk mendapat kode baru.",
                    "Anda memakai kode pemulihan; tersisa %(count)d. Pasang ulang aplikasi "
                    "autentikator di profil untuk mendapat kode baru.",
                    left,
                ) % {"count": left})
            return redirect(next_url)
    return render(request, "accounts/two_factor_verify.html",
                  {"form": form, "next": next_url}, status=status)


def _qr_svg(device: Any) -> str:
    """The app's set-up link as an inline SVG QR code, drawn here (nothing leaves the site)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", omitsize=False
    )
    return mark_safe(svg)  # noqa: S308 - drawn by segno from our own link, no input in it


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def setup(request: AuthenticatedRequest) -> HttpResponse:
    """Show the QR code and the secret of a new app, confirm it with a first code, then show
    the recovery codes once."""
    next_url = _next(request)
    user = request.user
    if not (access.memberships_of(user) or access.is_system_admin(user)):
        raise NotAllowed(_("Verifikasi dua langkah disediakan untuk akun petugas."))
    if two_factor.has_second_factor(user) and not two_factor.is_verified(user):
        # Replacing an app needs the code of the current one first.
        return redirect(_with_next("two_factor_verify", _with_next("two_factor_setup", next_url)))
    form = SecondFactorCodeForm(request.POST if request.method == "POST" else None)
    form.fields["code"].widget.attrs["inputmode"] = "numeric"  # the app's six digits only
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            done = two_factor.confirm_app(user=user, code=form.cleaned_data["code"])
        except (Invalid, TooMany) as error:
            show_on_form(form, error)
            status = error.status
        else:
            django_otp.login(request, done.device)
            request.session.cycle_key()
            return render(request, "accounts/two_factor_codes.html", {
                "codes": done.recovery_codes, "next": next_url,
            })
    device = two_factor.pending_app(user=user)
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "next": next_url, "qr": _qr_svg(device),
        "secret": two_factor.secret_of(device), "replacing": two_factor.has_second_factor(user),
        "required": access.requires_second_factor(user),
    }, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def continue_kept(request: AuthenticatedRequest) -> HttpResponse:
    """What was being sent when the code was asked for, to send on (or throw away)."""
    kept = kept_submission(request)
    if request.method == "POST":  # "Buang isian ini"
        discard_kept(request)
        messages.info(request, _("Isian yang tersimpan sudah dibuang."))
        return redirect("home")
    if kept is None:
        return redirect("home")
    if two_factor.must_verify(request.user) and not two_factor.is_verified(request.user):
        return redirect(step_url(request, reverse("two_factor_continue")))
    # What the person typed, to recognise it (ids, versions and choices are left out).
    typed = [value for _field, values in kept["fields"] for value in values
             if any(c.isalpha() for c in value)]
    return render(request, "accounts/two_factor_continue.html", {
        "kept": kept, "typed": typed, "file_names": [f["name"] for f in kept["files"]],
    })


@login_required
@require_POST
def turn_off(request: AuthenticatedRequest) -> HttpResponse:
    if not two_factor.is_verified(request.user):
        return redirect(step_url(request, reverse("profile")))
    two_factor.turn_off(user=request.user)
    messages.success(request, _("Verifikasi dua langkah sudah dimatikan."))
    return redirect("profile")
