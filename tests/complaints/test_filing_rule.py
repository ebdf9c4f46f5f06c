"""One filing service, one rule on every channel (README, "Filing"): what parsed is kept in a
draft, with every valid file, before the submission is checked; a refused submission leaves
that draft and says why. And a tracking number that cannot be drawn submits nothing."""

import pytest
from django.core import mail
from django.core.cache import cache
from rest_framework.test import APIClient

from agencies.models import Region
from complaints import tracking_numbers
from complaints.models import Category, EventKind, Report, ReportEvent, ReportStatus
from complaints.services import intake
from lapor.errors import Unavailable
from tests.complaints.images import jpeg_with_gps
from tests.factories import ReportFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()


def _values(**overrides):
    values = {
        "kind": "complaint", "title": "Lampu jalan mati sebulan penuh",
        "description": "Lampu jalan di Jalan Pandanaran mati sejak awal bulan, rawan.",
        "category": Category.objects.get(slug="infrastruktur").slug,
        "province": "33", "regency": "33.74", "submit": True,
    }
    values.update(overrides)
    return values


def test_the_api_keeps_a_refused_submission_as_a_draft_and_names_it():
    citizen = UserFactory()
    api = APIClient()
    api.force_authenticate(citizen)
    refused = api.post("/api/v1/reports/", _values(regency=""), format="json")
    assert refused.status_code == 400
    body = refused.json()
    assert "regency" in body and isinstance(body["draft"], int)
    draft = Report.objects.get(pk=body["draft"])
    assert (draft.status, draft.title, draft.reporter) == (
        ReportStatus.DRAFT, "Lampu jalan mati sebulan penuh", citizen)
    done = api.patch(f"/api/v1/reports/{draft.pk}/", {"regency": "33.74", "submit": True},
                     format="json")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "submitted"
    assert Report.objects.filter(reporter=citizen).count() == 1  # no second draft


def test_the_page_keeps_fields_and_files_when_the_rate_limit_refuses(client, settings):
    settings.RATE_LIMITS = {"file_report": {"user": (0, 3600)}}
    citizen = UserFactory()
    client.force_login(citizen)
    response = client.post("/lapor/", {
        "action": "submit", "kind": "complaint", "title": "Jalan berlubang di Jalan Pemuda",
        "description": "Lubang besar di depan SD Negeri 3 sudah sebulan, motor sering jatuh.",
        "category": Category.objects.get(slug="infrastruktur").pk, "province": "33",
        "regency": "33.74", "attachments": [jpeg_with_gps()],
    })
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.content.decode()
    draft = Report.objects.get(reporter=citizen)
    assert draft.status == ReportStatus.DRAFT and draft.attachments.count() == 1


def test_assisted_intake_keeps_its_draft_and_the_retry_continues_it(client, verifier_national):
    client.force_login(verifier_national)
    data = {
        "channel": "phone", "contact_name": "Pak Darmo", "kind": "complaint",
        "title": "Air PDAM keruh tiga hari", "description": "Air keruh dan berbau sejak Senin.",
        "category": Category.objects.get(slug="infrastruktur").pk, "province": "33",
        "regency": "",
    }
    refused = client.post("/petugas/lapor/", data)
    assert refused.status_code == 400
    draft = Report.objects.get(entered_by=verifier_national)
    assert draft.status == ReportStatus.DRAFT and draft.reporter is None
    assert f'name="draft" value="{draft.pk}"' in refused.content.decode()
    done = client.post("/petugas/lapor/", {**data, "regency": "33.74", "draft": draft.pk})
    assert done.status_code == 302
    assert Report.objects.filter(entered_by=verifier_national).count() == 1
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED and draft.contact_name == "Pak Darmo"


def test_a_tracking_number_that_cannot_be_drawn_submits_nothing(monkeypatch, citizen):
    taken = ReportFactory().tracking_number
    monkeypatch.setattr(tracking_numbers, "new_tracking_number", lambda: taken)
    monkeypatch.setattr(intake, "new_tracking_number", lambda: taken)
    citizen.is_email_confirmed = True
    citizen.save()
    values = _values()
    values.pop("submit")
    values["category"] = Category.objects.get(slug=values["category"])
    values["province"] = Region.objects.get(code="33")
    values["regency"] = Region.objects.get(code="33.74")
    draft = intake.save_draft(filer=citizen, values=values)
    mail.outbox.clear()
    with pytest.raises(Unavailable, match="Nomor pelacakan belum dapat dibuat"):
        intake.submit_report(report=draft, actor=citizen)
    draft.refresh_from_db()
    assert (draft.status, draft.tracking_number) == (ReportStatus.DRAFT, None)
    assert not ReportEvent.objects.filter(report=draft, kind=EventKind.SUBMITTED).exists()
    assert mail.outbox == []
