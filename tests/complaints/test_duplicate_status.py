"""A report merged into another (a duplicate) reads "Digabung dengan LPR-…" to its citizen,
with a link to the report that carries on where they may open it, on every page and in the
citizen API; its stored status stays "rejected"."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from rest_framework.test import APIClient

from complaints import selectors
from complaints.models import ReportStatus
from routing.services.verification import mark_duplicate, reject_report
from tests.factories import ReportFactory, UserFactory, public_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _merged_link(original) -> str:
    return f'Digabung dengan <a class="tracking" href="/publik/{original.tracking_number}/">'


def _duplicate_of(original, verifier, reporter=None):
    report = ReportFactory(reporter=reporter or UserFactory())
    return mark_duplicate(report=report, original=original, actor=verifier)


def test_duplicate_keeps_its_stored_status_but_reads_as_merged(verifier_jateng):
    original = public_report()
    report = _duplicate_of(original, verifier_jateng)
    assert report.status == ReportStatus.REJECTED  # stored as before
    status = selectors.citizen_status(report, report.reporter)
    assert status.label == f"Digabung dengan {original.tracking_number}"
    assert status.merged_into == original.tracking_number
    assert status.merged_into_url == f"/publik/{original.tracking_number}/"


def test_plain_rejection_still_reads_ditolak(verifier_jateng):
    report = reject_report(report=ReportFactory(), actor=verifier_jateng, reason="spam")
    status = selectors.citizen_status(report, report.reporter)
    assert (status.label, status.merged_into, status.merged_into_url) == ("Ditolak", None, None)


def test_link_goes_to_the_citizens_own_page_when_the_original_is_theirs(verifier_jateng):
    citizen = UserFactory()
    original = public_report(reporter=citizen)
    report = _duplicate_of(original, verifier_jateng, reporter=citizen)
    status = selectors.citizen_status(report, citizen)
    assert status.merged_into_url == f"/laporan-saya/{original.tracking_number}/"


def test_no_link_to_an_original_the_citizen_may_not_open(verifier_jateng):
    original = ReportFactory(is_confidential=True)  # someone else's, confidential
    report = _duplicate_of(original, verifier_jateng)
    status = selectors.citizen_status(report, report.reporter)
    assert status.merged_into == original.tracking_number
    assert status.merged_into_url is None


def test_my_report_and_my_reports_pages_say_merged_with_a_link(client, verifier_jateng):
    original = public_report()
    report = _duplicate_of(original, verifier_jateng)
    client.force_login(report.reporter)
    link = (f'<a class="tracking" href="/publik/{original.tracking_number}/">'
            f"{original.tracking_number}</a>")
    for url in (f"/laporan-saya/{report.tracking_number}/", "/laporan-saya/"):
        html = client.get(url).content.decode()
        assert f"Digabung dengan {link}" in html, url
        assert '<span class="status status-rejected">Ditolak' not in html, url


def test_public_page_of_the_duplicate_for_its_reporter_says_merged(client, verifier_jateng):
    original = public_report()
    report = _duplicate_of(original, verifier_jateng)
    client.force_login(report.reporter)
    html = client.get(f"/publik/{report.tracking_number}/").content.decode()
    assert _merged_link(original) in html


def test_track_page_of_a_duplicate_names_the_original_to_a_visitor(client, verifier_jateng):
    original = public_report()
    report = _duplicate_of(original, verifier_jateng)
    html = client.get("/lacak/", {"nomor": report.tracking_number}).content.decode()
    assert _merged_link(original) in html
    assert report.title not in html
    hidden = ReportFactory(is_confidential=True)
    merged_into_secret = _duplicate_of(hidden, verifier_jateng)
    html = client.get("/lacak/", {"nomor": merged_into_secret.tracking_number}).content.decode()
    assert f'Digabung dengan <span class="tracking">{hidden.tracking_number}</span>' in html


def test_citizen_api_says_merged(verifier_jateng):
    original = public_report()
    report = _duplicate_of(original, verifier_jateng)
    api = APIClient()
    api.force_authenticate(report.reporter)
    detail = api.get(f"/api/v1/reports/{report.pk}/").json()
    assert detail["status"] == "rejected"
    assert detail["status_label"] == f"Digabung dengan {original.tracking_number}"
    assert detail["merged_into"] == original.tracking_number
    assert detail["merged_into_url"] == f"/publik/{original.tracking_number}/"
    listed = api.get("/api/v1/reports/").json()["results"][0]
    assert listed["status_label"] == detail["status_label"]
    tracked = APIClient().get(f"/api/v1/track/{report.tracking_number}/").json()
    assert (tracked["status_label"], tracked["merged_into"], tracked["shows_content"]) == (
        detail["status_label"], original.tracking_number, False
    )


def test_anonymous_viewer_is_handled(verifier_jateng):
    original = public_report()
    report = _duplicate_of(original, verifier_jateng)
    status = selectors.citizen_status(report, AnonymousUser())
    assert status.merged_into_url == f"/publik/{original.tracking_number}/"
