"""Pages of the email alerts: subscribe (for a region or a body, optionally a category),
confirm, stop one alert (the one-click link of every alert email), manage an address's alerts.
Thin: parse, call ``complaints.alerts``, render. A bad or expired link raises the service's
domain error, which ``lapor.page_errors`` shows as a page with its sentence.

The links of an email are opened by people and fetched by mail scanners: a GET only shows a
button, the act is the POST. Stopping accepts a POST without a CSRF token: a mail client's
one-click unsubscribe (RFC 8058) posts ``List-Unsubscribe=One-Click`` from no page at all; the
signed token in the URL is the authority, not the browser's session."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from complaints import alerts, selectors
from complaints.feeds import feed_urls
from complaints.rate_limits import hit
from lapor.errors import DomainError
from lapor.page_errors import show_on_form


class AlertForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Alamat email Anda"), max_length=254)
    region = forms.CharField(required=False, max_length=13, widget=forms.HiddenInput)
    body = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    category = forms.ChoiceField(label=gettext_lazy("Kategori (tidak wajib)"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Semua kategori"))] + [
            (c.slug, c.name) for c in selectors.active_categories()]


def _wish(data: Mapping[str, Any], email: str = "") -> alerts.Wish | None:
    try:
        return alerts.wish_from(
            email=email, region=str(data.get("region") or ""),
            body=data.get("body") or None,
            category=str(data.get("category") or ""),
        )
    except DomainError:
        return None


@require_http_methods(["GET", "POST"])
def subscribe_page(request: HttpRequest) -> HttpResponse:
    """``?wilayah=<kode>`` or ``?instansi=<id>`` (and ``&kategori=<slug>``): what to follow,
    then the address."""
    if request.method == "POST":
        form = AlertForm(request.POST)
        if form.is_valid():
            try:
                hit("alert_subscribe", request)
                wish = alerts.wish_from(**form.cleaned_data)
                alerts.subscribe(wish=wish, language=get_language() or "id")
            except DomainError as error:
                show_on_form(form, error)
            else:
                messages.success(request, alerts.subscribed_message(wish.email))
                return redirect("alerts:sent")
    else:
        body = request.GET.get("instansi", "")
        form = AlertForm(initial={
            "region": request.GET.get("wilayah", ""),
            "body": int(body) if body.isdigit() else None,
            "category": request.GET.get("kategori", ""),
        })
    data = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else form.initial
    # What the form is for, named on the page (the address plays no part in it).
    wanted = _wish(data, "x@example.invalid")
    return render(request, "complaints/alerts/subscribe.html", {
        "form": form,
        "scope": wanted.scope if wanted else None,
        "feeds": feed_urls(wanted.scope) if wanted else None,
    }, status=400 if form.is_bound and form.errors else 200)


@require_GET
def sent_page(request: HttpRequest) -> HttpResponse:
    return render(request, "complaints/alerts/sent.html")


@require_http_methods(["GET", "POST"])
def confirm_page(request: HttpRequest, token: str) -> HttpResponse:
    """GET: what the link confirms, and the button; POST: confirm."""
    if request.method == "POST":
        subscription = alerts.confirm(token=token)
        messages.success(request, _("Peringatan email aktif. Ringkasan laporan publik baru "
                                    "dikirim sekali sehari bila ada yang baru."))
        return redirect("alerts:manage", alerts.manage_token(subscription.email))
    subscription = alerts.confirm_preview(token=token)
    return render(request, "complaints/alerts/confirm.html", {
        "subscription": subscription, "scope": alerts.scope_of(subscription),
    })


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_page(request: HttpRequest, token: str) -> HttpResponse:
    """GET: which alert, and the button; POST (the button, or a mail client's one-click):
    stop it."""
    if request.method == "POST":
        stopped = alerts.unsubscribe(token=token)
        return render(request, "complaints/alerts/stopped.html", {
            "already": stopped is None,
            "scope": alerts.scope_of(stopped) if stopped else None,
            "manage_token": alerts.manage_token(stopped.email) if stopped else None,
        })
    subscription = alerts.subscription_for_unsubscribe(token)
    if subscription is None:
        return render(request, "complaints/alerts/stopped.html", {"already": True})
    return render(request, "complaints/alerts/unsubscribe.html", {
        "subscription": subscription, "scope": alerts.scope_of(subscription),
    })


@csrf_exempt
@require_http_methods(["GET", "POST"])
def manage_page(request: HttpRequest, token: str) -> HttpResponse:
    """An address's alerts, each with its own stop button, and "stop all". A POST (the
    button, or the one-click ``List-Unsubscribe=One-Click`` of a digest) stops all."""
    email = alerts.address_of(token)
    if request.method == "POST":
        count = alerts.unsubscribe_all(token=token)
        return render(request, "complaints/alerts/stopped.html", {
            "all": True, "already": count == 0, "manage_token": token,
        })
    subscriptions = [
        {"subscription": s, "scope": alerts.scope_of(s),
         "unsubscribe_token": alerts.unsubscribe_token(s)}
        for s in alerts.subscriptions_of(email)
    ]
    return render(request, "complaints/alerts/manage.html", {
        "email": email, "subscriptions": subscriptions,
    })
