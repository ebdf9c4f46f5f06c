"""One error path from the domain to HTTP: each kind of domain error has its status, the API
answers it in one shape (``detail``, or the field with its messages), a page shows it on the
form that caused it or as an error page; a 429 says when to try again."""

import pytest
from django import forms
from django.test import RequestFactory
from rest_framework.test import APIClient

from lapor.api_errors import exception_handler
from lapor.errors import Absent, Invalid, NotAllowed, Stale, TooMany, Unavailable
from lapor.page_errors import DomainErrorMiddleware, show_on_form

CASES = [
    (Invalid("Judul wajib diisi.", field="title"), 400, {"title": ["Judul wajib diisi."]}),
    (Invalid.of_fields({"title": "Terlalu pendek.", "regency": "Pilih kota."}), 400,
     {"title": ["Terlalu pendek."], "regency": ["Pilih kota."]}),
    (NotAllowed("Laporan ini tidak dipegang oleh instansi Anda."), 403,
     {"detail": "Laporan ini tidak dipegang oleh instansi Anda."}),
    (Absent("Laporan asli tidak ditemukan."), 404, {"detail": "Laporan asli tidak ditemukan."}),
    (Stale("Laporan ini baru saja diubah oleh orang lain."), 409,
     {"detail": "Laporan ini baru saja diubah oleh orang lain."}),
    (TooMany("Terlalu banyak percobaan.", retry_after=90), 429,
     {"detail": "Terlalu banyak percobaan."}),
    (Unavailable("Coba lagi sebentar lagi.", retry_after=30), 503,
     {"detail": "Coba lagi sebentar lagi."}),
]


@pytest.mark.parametrize(("error", "status", "body"), CASES)
def test_the_api_answers_each_kind_with_its_status_and_one_shape(error, status, body):
    response = exception_handler(error, {})
    assert (response.status_code, response.data) == (status, body)
    assert response.get("Retry-After") == (
        str(error.retry_after) if isinstance(error, TooMany | Unavailable) else None)


def test_what_the_api_carries_besides_the_message():
    error = Invalid("Pilih kabupaten/kota.", field="regency")
    error.details["draft"] = 41
    assert exception_handler(error, {}).data == {"regency": ["Pilih kabupaten/kota."],
                                                 "draft": 41}


class _Form(forms.Form):
    title = forms.CharField(required=False)


def test_a_page_shows_each_message_on_its_field_and_the_rest_on_the_form():
    form = _Form({"title": "x"})
    form.is_valid()
    show_on_form(form, Invalid.of_fields({"title": "Terlalu pendek.", "place": "Pilih."}))
    assert form.errors == {"title": ["Terlalu pendek."], "__all__": ["Pilih."]}


@pytest.mark.django_db
@pytest.mark.parametrize(("error", "status", "body"), CASES)
def test_an_error_no_view_showed_becomes_a_page_with_its_status(error, status, body):
    request = RequestFactory().get("/petugas/laporan/LPR-2222-2222/")
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage

    request.user = AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)
    response = DomainErrorMiddleware(lambda r: None).process_exception(request, error)
    assert response.status_code == status
    assert str(error) in response.content.decode()
    api_request = RequestFactory().get("/api/v1/reports/")
    assert DomainErrorMiddleware(lambda r: None).process_exception(api_request, error) is None


@pytest.mark.django_db
def test_every_429_of_the_api_says_when_to_try_again(settings):
    settings.RATE_LIMITS = {"track": {"ip": (0, 600)}}
    response = APIClient().get("/api/v1/track/LPR-2222-2222/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
