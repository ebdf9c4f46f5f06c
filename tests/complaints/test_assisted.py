"""Assisted intake: staff file for a person who came in, phoned or wrote."""

import pytest
from rest_framework.test import APIClient

from complaints.models import Category, Report, ReportStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "channel": "walk_in",
        "contact_name": "Pak Slamet",
        "contact_email": "slamet@example.id",
        "contact_phone": "081234567890",
        "kind": "complaint",
        "title": "Pungutan di loket KTP kecamatan",
        "description": "Petugas loket meminta uang Rp50.000 untuk mempercepat KTP-el saya.",
        "category": str(Category.objects.get(slug="administrasi-kependudukan").pk),
        "province": "33",
        "regency": "33.74",
    }
    data.update(overrides)
    return data


def test_operator_files_for_a_walk_in_citizen_and_prints_a_receipt(
    client, operator_a, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(operator_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/petugas/lapor/", _form())
    assert response.status_code == 302, response.content.decode()[:2000]
    report = Report.objects.get()
    assert report.status == ReportStatus.SUBMITTED
    assert report.channel == "walk_in" and report.entered_by == operator_a
    assert report.reporter is None and report.contact_name == "Pak Slamet"
    receipt = client.get(response["Location"]).content.decode()
    assert report.tracking_number in receipt and "Pak Slamet" in receipt
    assert mailoutbox[0].to == ["slamet@example.id"]
    assert report.tracking_number in mailoutbox[0].body


def test_assisted_report_follows_an_existing_account(client, verifier_jateng):
    person = UserFactory(email="slamet@example.id")
    client.force_login(verifier_jateng)
    client.post("/petugas/lapor/", _form(channel="phone"))
    report = Report.objects.get()
    assert report.reporter == person and report.channel == "phone"


def test_citizens_cannot_use_assisted_intake(client, citizen):
    client.force_login(citizen)
    assert client.get("/petugas/lapor/").status_code == 404
    api = APIClient()
    api.force_authenticate(citizen)
    response = api.post("/api/v1/assisted-intake/", {}, format="json")
    assert response.status_code == 400


def test_assisted_intake_validation_messages(client, operator_a):
    client.force_login(operator_a)
    html = client.post("/petugas/lapor/", _form(title="", contact_name="")).content.decode()
    assert "Judul laporan wajib diisi." in html


def test_assisted_intake_api(operator_a):
    api = APIClient()
    api.force_authenticate(operator_a)
    payload = _form(channel="letter", category="administrasi-kependudukan")
    response = api.post("/api/v1/assisted-intake/", payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["channel"] == "letter"


def test_system_admin_manages_categories_and_supervisors_cannot(client, system_admin, supervisor_a):
    client.force_login(system_admin)
    response = client.post(
        "/admin/complaints/category/add/",
        {"name": "Perumahan", "slug": "perumahan", "description": "", "sort_order": 5,
         "is_active": "on", "default_priority": "high"},
    )
    assert response.status_code == 302
    assert Category.objects.get(slug="perumahan").default_priority == "high"
    client.force_login(supervisor_a)
    assert client.get("/admin/complaints/category/").status_code == 403
