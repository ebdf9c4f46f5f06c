"""Looking a report up by its number (/lacak/ and /api/v1/track/<number>/): a report waiting
for verification, or rejected, shows its status and dates to anyone holding the number but
never its content; a confidential one answers exactly like a number that does not exist."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from complaints.models import Attachment, ReportStatus
from complaints.tracking_numbers import new_tracking_number
from tests.factories import ReportFactory, UserFactory, public_report

pytestmark = pytest.mark.django_db

TITLE = "Pungutan liar di loket kelurahan Pedurungan"
DESCRIPTION = "Petugas loket meminta uang tambahan Rp50.000 untuk surat pengantar."
SUBMITTED = datetime(2025, 3, 3, 1, 5, tzinfo=UTC)  # 3 Maret 2025, 08.05 WIB


@pytest.fixture(autouse=True)
def _no_rate_limits():
    cache.clear()  # the look-up counts requests per address in Redis
    yield
    cache.clear()


def _fresh(**kwargs: object):
    """A report just filed: submitted, not verified, with a file attached."""
    report = ReportFactory(title=TITLE, description=DESCRIPTION, submitted_at=SUBMITTED,
                           **kwargs)
    Attachment.objects.create(report=report, file="lampiran/bukti.jpg",
                              original_name="bukti-pungli.jpg", content_type="image/jpeg",
                              size=1000)
    return report


def _track(client, number: str):
    return client.get("/lacak/", {"nomor": number})


def test_visitor_with_the_number_of_a_new_report_sees_status_and_date_not_content(client):
    report = _fresh()
    response = _track(client, report.tracking_number)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Menunggu verifikasi" in html
    assert "3 Maret 2025" in html
    assert report.tracking_number in html
    for content in (TITLE, DESCRIPTION, "bukti-pungli", "Kota Semarang", "Infrastruktur",
                    "/lampiran/"):
        assert content not in html
    assert "tidak ditemukan" not in html
    assert "data-track-status-only" in html


def test_api_gives_a_new_report_status_and_dates_and_null_content():
    report = _fresh()
    response = APIClient().get(f"/api/v1/track/{report.tracking_number}/")
    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["status_label"], data["shows_content"]) == (
        "submitted", "Menunggu verifikasi", False
    )
    assert data["submitted_at"].startswith("2025-03-03T")
    assert data["verified_at"] is None and data["closed_at"] is None
    assert [data[k] for k in ("kind", "title", "category", "regency", "holder_body")] == [
        None
    ] * 5
    assert TITLE not in response.content.decode()
    assert DESCRIPTION not in response.content.decode()


def _same_page(a, b, number_a: str, number_b: str) -> bool:
    """The two answers are the same page but for the number typed (and the CSRF token)."""

    def page(response, number: str) -> str:
        html = response.content.decode().replace(number, "#")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    return page(a, number_a) == page(b, number_b)


def test_confidential_new_report_answers_like_a_number_that_does_not_exist(client):
    secret = _fresh(is_confidential=True)
    missing = new_tracking_number()
    hidden, absent = _track(client, secret.tracking_number), _track(client, missing)
    assert hidden.status_code == absent.status_code == 404
    assert "tidak ditemukan, atau bersifat rahasia" in hidden.content.decode()
    assert "Menunggu verifikasi" not in hidden.content.decode()
    assert _same_page(hidden, absent, secret.tracking_number, missing)
    api = APIClient()
    api_hidden = api.get(f"/api/v1/track/{secret.tracking_number}/")
    api_absent = api.get(f"/api/v1/track/{missing}/")
    assert api_hidden.status_code == api_absent.status_code == 404
    assert api_hidden.json() == api_absent.json()


def test_confidential_verified_report_is_still_hidden_from_visitors(client):
    secret = public_report(is_confidential=True, title=TITLE)
    assert _track(client, secret.tracking_number).status_code == 404
    assert APIClient().get(f"/api/v1/track/{secret.tracking_number}/").status_code == 404


def test_verified_report_shows_as_before(client):
    report = public_report(title=TITLE, verified_at=SUBMITTED)
    html = _track(client, report.tracking_number).content.decode()
    assert TITLE in html
    assert "Sedang ditindaklanjuti" in html
    assert "Pemerintah Kota Semarang" in html
    assert "Riwayat" in html
    assert "data-track-status-only" not in html
    data = APIClient().get(f"/api/v1/track/{report.tracking_number}/").json()
    assert (data["title"], data["shows_content"], data["holder_body"]) == (
        TITLE, True, "Pemerintah Kota Semarang"
    )
    assert data["verified_at"].startswith("2025-03-03T")


def test_rejected_report_shows_status_and_dates_only(client):
    report = _fresh(status=ReportStatus.REJECTED, rejection_reason="spam",
                    closed_at=datetime(2025, 3, 5, 3, 0, tzinfo=UTC))
    html = _track(client, report.tracking_number).content.decode()
    assert "Ditolak" in html and "5 Maret 2025" in html
    assert TITLE not in html and DESCRIPTION not in html
    data = APIClient().get(f"/api/v1/track/{report.tracking_number}/").json()
    assert (data["status_label"], data["shows_content"], data["title"]) == (
        "Ditolak", False, None
    )
    assert data["closed_at"].startswith("2025-03-05T")


def test_reporter_and_verifier_see_a_new_report_in_full(client, verifier_jateng):
    report = _fresh()
    client.force_login(report.reporter)
    mine = _track(client, report.tracking_number)
    assert mine.status_code == 302
    assert mine["Location"] == f"/laporan-saya/{report.tracking_number}/"
    client.force_login(verifier_jateng)
    assert TITLE in _track(client, report.tracking_number).content.decode()
    api = APIClient()
    api.force_authenticate(verifier_jateng)
    assert api.get(f"/api/v1/track/{report.tracking_number}/").json()["title"] == TITLE


def test_an_unrelated_citizen_sees_only_the_status(client):
    report = _fresh()
    client.force_login(UserFactory())
    html = _track(client, report.tracking_number).content.decode()
    assert "Menunggu verifikasi" in html and TITLE not in html


def test_the_rate_limit_still_applies(client, settings):
    settings.RATE_LIMITS = {"track": {"ip": (1, 600)}}
    report = _fresh()
    assert _track(client, report.tracking_number).status_code == 200
    limited = _track(client, report.tracking_number)
    assert limited.status_code == 429
    assert "Menunggu verifikasi" not in limited.content.decode()
    cache.clear()
    api = APIClient()
    assert api.get(f"/api/v1/track/{report.tracking_number}/").status_code == 200
    assert api.get(f"/api/v1/track/{report.tracking_number}/").status_code == 429


def test_the_schema_documents_the_track_answers(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/track/{tracking_number}/"]["get"]
    # 401: a token that does not work; 503: the look-ups are counted in Redis, which may be down.
    assert set(operation["responses"]) == {"200", "401", "404", "429", "503"}
    shape = schema["components"]["schemas"]["Track"]["properties"]
    assert {"shows_content", "status_label", "merged_into", "verified_at", "closed_at"} <= set(
        shape
    )
    assert shape["title"].get("nullable") is True
