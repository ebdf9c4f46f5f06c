"""Citizen account pages under /akun/: register, confirm the address, profile, the download of
one's own data and deleting the account. Signing in, out and the password pages are Django's
views with our forms and templates (see urls.py). Every write goes through
``complaints.accounts.services``."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from agencies import access, two_factor
from agencies.signed_in import AuthenticatedRequest
from complaints.accounts import services
from complaints.accounts.forms import (
    EraseAccountForm,
    ProfileForm,
    RegistrationForm,
    ResendConfirmationForm,
)
from complaints.rate_limits import hit
from lapor.errors import Invalid, TooMany, Unavailable
from lapor.page_errors import show_on_form, with_retry_after


def _posted(request: HttpRequest) -> QueryDict | None:
    """The posted data, or None on GET (an empty POST still binds the form)."""
    return request.POST if request.method == "POST" else None


def _safe_next(request: HttpRequest, value: str | None) -> str:
    """``value`` if it is a page of this site (a ``next`` to return to after signing up,
    carried through the confirmation link), otherwise ""."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


# The address of the last registration, for the page that says to check the mailbox.
_REGISTERED_EMAIL = "registered_email"


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Sign up. A ``next`` (say, the public report the visitor wanted to support) travels on
    to the confirmation link, which leads back to it (after signing in).

    A registration that passed the checks is answered the same whether or not the address
    already has an account (services.register mails the owner instead): nobody is signed in,
    the same redirect, the same page."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url or "profile")
    status = 200
    refused: TooMany | Unavailable | None = None
    if request.method == "POST":
        refusal: str | None = None
        try:
            hit("register", request)
        except (TooMany, Unavailable) as error:
            refusal, status, refused = str(error), error.status, error
        form = RegistrationForm(request.POST, refusal=refusal)
        if form.is_valid():
            assert form.registration is not None  # a valid form's clean() set it
            services.register(registration=form.registration, return_to=next_url)
            request.session[_REGISTERED_EMAIL] = form.registration.email
            return redirect(_with_next(reverse("confirmation_pending"), next_url))
    else:
        form = RegistrationForm()
    return with_retry_after(render(
        request, "accounts/register.html", {"form": form, "next": next_url}, status=status
    ), refused)


@require_GET
def confirmation_pending(request: HttpRequest) -> HttpResponse:
    """The page that says to check the mailbox, with a button to send the link again: for a
    signed-in account not yet confirmed, or after registering (the address the visitor gave,
    kept in the session; the same page whether or not it had an account already)."""
    next_url = _safe_next(request, request.GET.get("next"))
    address = "" if request.user.is_authenticated else request.session.get(_REGISTERED_EMAIL, "")
    if not request.user.is_authenticated and not address:
        return redirect_to_login(request.get_full_path())
    return render(
        request, "accounts/confirmation_pending.html", {"next": next_url, "address": address}
    )


@require_http_methods(["GET", "POST"])
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    form = ResendConfirmationForm(_posted(request), user=request.user)
    next_url = _safe_next(request, request.POST.get("next"))
    status = 200
    refused: TooMany | Unavailable | None = None
    if request.method == "POST":
        try:
            hit("register", request)
        except (TooMany, Unavailable) as error:
            form.add_error(None, str(error))
            status, refused = error.status, error
        if form.is_valid():
            try:
                if request.user.is_authenticated:
                    services.resend_confirmation(user=request.user, return_to=next_url)
                else:
                    services.resend_confirmation(
                        email=form.cleaned_data["email"], return_to=next_url
                    )
            except Invalid as error:
                if request.user.is_authenticated:
                    messages.info(request, str(error))
                    return redirect("profile")
                show_on_form(form, error)
            else:
                if request.user.is_authenticated:
                    messages.success(request, services.sent_to_you_message(request.user.email))
                    return redirect(_with_next(reverse("confirmation_pending"), next_url))
                messages.success(request, services.sent_if_registered_message())
                return redirect(_with_next(reverse("login"), next_url))
    response = render(request, "accounts/resend_confirmation.html", {"form": form}, status=status)
    return with_retry_after(response, refused)


@require_GET
def confirm_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Confirm the address, then go on to the filing form, or to the page the person signed up
    from (the link's ``next``); someone not signed in signs in first."""
    next_url = _safe_next(request, request.GET.get("next")) or reverse("complaints:new")
    try:
        services.confirm_email(uidb64=uidb64, token=token)
    except Invalid as error:
        if request.user.is_authenticated and request.user.is_email_confirmed:
            messages.info(request, _("Alamat email Anda sudah terkonfirmasi."))
            return redirect(next_url)
        return render(
            request,
            "accounts/confirm_email_failed.html",
            {"message": str(error), "form": ResendConfirmationForm(user=request.user)},
            status=400,
        )
    messages.success(
        request,
        _(
            "Terima kasih, alamat email Anda sudah terkonfirmasi. Sekarang Anda dapat mengirim "
            "laporan."
        ),
    )
    if request.user.is_authenticated:
        return redirect(next_url)
    return redirect_to_login(next_url)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedRequest) -> HttpResponse:
    form = ProfileForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        assert form.changes is not None  # a valid form's clean() set them
        try:
            services.update_profile(user=request.user, changes=form.changes)
        except Invalid as error:
            show_on_form(form, error)
        else:
            if form.changes.new_email:
                messages.success(
                    request,
                    _(
                        "Profil disimpan. Kami mengirim tautan konfirmasi ke %(email)s; buka "
                        "tautan itu agar Anda dapat mengirim laporan lagi."
                    )
                    % {"email": form.changes.new_email},
                )
            else:
                messages.success(request, _("Profil Anda sudah disimpan."))
            return redirect("profile")
    user = request.user
    staff = bool(access.memberships_of(user)) or access.is_system_admin(user)
    return render(request, "accounts/profile.html", {
        "form": form,
        "second_factor": staff and {
            "active": two_factor.has_second_factor(user),
            "required": access.requires_second_factor(user),
            "recovery_left": two_factor.remaining_recovery_codes(user),
        },
    })


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def my_data(request: AuthenticatedRequest) -> HttpResponse:
    """GET: what the download holds; POST (the button): the JSON file itself."""
    if request.method == "GET":
        return render(request, "accounts/my_data.html")
    data = services.export_personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="lapor-data-saya.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def erase_account(request: AuthenticatedRequest) -> HttpResponse:
    form = EraseAccountForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.erase_account(user=request.user, password=form.cleaned_data["password"])
        except Invalid as error:
            show_on_form(form, error)
        else:
            logout(request)
            messages.success(
                request,
                _(
                    "Akun Anda sudah dihapus beserta data pribadinya. Laporan Anda tetap ada "
                    "tanpa nama Anda. Terima kasih telah menggunakan LAPOR!"
                ),
            )
            return redirect("home")
    return render(request, "accounts/erase_account.html", {"form": form})


class RateLimitedPasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, limited per address so it cannot be used to flood a mailbox."""

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            hit("password_reset", self.request)
        except (TooMany, Unavailable) as error:
            form.add_error(None, str(error))
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = error.status
            return with_retry_after(response, error)
        return super().form_valid(form)
