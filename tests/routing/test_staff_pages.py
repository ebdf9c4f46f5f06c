"""The staff report page and its API: who sees it, actions through forms and JSON, the
reporter's identity (logged), and an anonymous reporter never shown."""

import pytest
from rest_framework.test import APIClient

from complaints.models import EventKind, ReportStatus
from routing.models import IdentityDisclosure, ResponseTemplate
from routing.services import verification
from tests.conftest import body
from tests.factories import ReportFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET_NAME = "Nama Rahasia Pelapor"


@pytest.fixture
def held(verifier_national):
    report = ReportFactory(reporter=UserFactory(full_name="Budi Santoso", phone="0811111111"))
    return verification.disposition_report(report=report, to_body=body("regency-33.74"),
                                           actor=verifier_national)


@pytest.fixture
def anonymous_held(verifier_national, mailoutbox, django_capture_on_commit_callbacks):
    report = ReportFactory(reporter=UserFactory(full_name=SECRET_NAME), is_anonymous=True)
    with django_capture_on_commit_callbacks(execute=True):
        return verification.disposition_report(report=report, to_body=body("regency-33.74"),
                                               actor=verifier_national)


def test_another_bodys_operator_gets_404_on_page_api_and_attachments(client, held, operator_b):
    client.force_login(operator_b)
    assert client.get(f"/petugas/laporan/{held.tracking_number}/").status_code == 404
    assert client.post(f"/petugas/laporan/{held.tracking_number}/tanggapi/",
                       {"note": "x", "version": held.version}).status_code == 404
    api = APIClient()
    api.force_authenticate(operator_b)
    assert api.get(f"/api/v1/staff/reports/{held.tracking_number}/").status_code == 404
    assert api.post(f"/api/v1/staff/reports/{held.tracking_number}/actions/respond/",
                    {"note": "x", "version": held.version}, format="json").status_code == 404


def test_operator_responds_and_redirects_from_the_page(client, held, operator_a):
    client.force_login(operator_a)
    page = client.get(f"/petugas/laporan/{held.tracking_number}/").content.decode()
    assert "Tanggapi pelapor" in page and "Alihkan ke instansi lain" in page
    response = client.post(f"/petugas/laporan/{held.tracking_number}/tanggapi/",
                           {"note": "Kami tinjau besok pagi.", "version": held.version})
    assert response.status_code == 302
    held.refresh_from_db()
    response = client.post(
        f"/petugas/laporan/{held.tracking_number}/alihkan/",
        {"to_body_query": "Kemenhub", "reason": "Jalan nasional.", "version": held.version},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    held.refresh_from_db()
    assert held.holder_body == body("kemenhub")


def test_redirect_by_ambiguous_name_offers_choices_and_keeps_text(client, held, operator_a):
    client.force_login(operator_a)
    response = client.post(
        f"/petugas/laporan/{held.tracking_number}/alihkan/",
        {"to_body_query": "Kota Semarang", "reason": "Alasan yang saya ketik.",
         "version": held.version},
    )
    html = response.content.decode()
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert "Alasan yang saya ketik." in html


def test_api_actions_with_same_messages(held, operator_a):
    api = APIClient()
    api.force_authenticate(operator_a)
    url = f"/api/v1/staff/reports/{held.tracking_number}/"
    detail = api.get(url).json()
    assert "respond" in detail["available_actions"]
    empty = api.post(url + "actions/redirect/", {"to_body": body("kemenhub").pk, "reason": "",
                                                "version": detail["version"]}, format="json")
    assert empty.status_code == 400
    ok = api.post(url + "actions/respond/", {"note": "Diterima.", "version": detail["version"]},
                  format="json")
    assert ok.status_code == 200 and ok.json()["holder_responded_at"]
    stale = api.post(url + "actions/respond/", {"note": "Lagi.", "version": detail["version"]},
                     format="json")
    assert stale.status_code == 409
    assert "baru saja diubah" in stale.json()["detail"]
    history = api.get(url + "history/").json()
    assert history[0]["kind"] == EventKind.FIRST_RESPONSE


def test_verifier_dispositions_from_the_page_with_the_suggestion(client, verifier_jateng):
    from complaints.models import Category
    from routing.models import RoutingRule

    RoutingRule.objects.create(category=Category.objects.get(slug="infrastruktur"),
                               body=body("regency-33.74"))
    report = ReportFactory()
    client.force_login(verifier_jateng)
    page = client.get(f"/petugas/laporan/{report.tracking_number}/").content.decode()
    assert "Saran aturan rute" in page and "Pemerintah Kota Semarang" in page
    response = client.post(f"/petugas/laporan/{report.tracking_number}/disposisi/",
                           {"to_body": body("regency-33.74").pk, "version": report.version})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.DISPOSITIONED


def test_identity_is_shown_only_on_request_and_logged(client, held, operator_a):
    client.force_login(operator_a)
    page = client.get(f"/petugas/laporan/{held.tracking_number}/").content.decode()
    assert "Budi Santoso" not in page and held.reporter.email not in page
    revealed = client.post(f"/petugas/identitas/{held.tracking_number}/").content.decode()
    assert "Budi Santoso" in revealed and "0811111111" in revealed
    assert IdentityDisclosure.objects.filter(report=held, viewer=operator_a).count() == 1


def test_anonymous_reporter_is_never_shown_to_the_body(client, operator_a, supervisor_a,
                                                       anonymous_held, mailoutbox):
    report = anonymous_held
    # emails to the body
    body_mail = [m for m in mailoutbox if operator_a.email in m.to]
    assert body_mail and all(SECRET_NAME not in m.body + m.subject for m in body_mail)
    assert all(report.reporter.email not in m.body for m in body_mail)
    # pages
    client.force_login(operator_a)
    assert SECRET_NAME not in client.get(f"/petugas/laporan/{report.tracking_number}/"
                                         ).content.decode()
    denied = client.post(f"/petugas/identitas/{report.tracking_number}/").content.decode()
    assert SECRET_NAME not in denied and "hanya dapat dibuka oleh admin sistem" in denied
    # the citizen's own act in the history is "Pelapor", not a name
    from complaints.services import citizen

    citizen.add_information(report=report, actor=report.reporter, note="Tambahan info.")
    page = client.get(f"/petugas/laporan/{report.tracking_number}/").content.decode()
    assert SECRET_NAME not in page and "Pelapor" in page
    # API
    api = APIClient()
    api.force_authenticate(supervisor_a)
    for url in (f"/api/v1/staff/reports/{report.tracking_number}/",
                f"/api/v1/staff/reports/{report.tracking_number}/history/"):
        assert SECRET_NAME not in api.get(url).content.decode()
    assert api.post(f"/api/v1/staff/reports/{report.tracking_number}/reveal-reporter/",
                    {}, format="json").status_code == 403


def test_system_admin_opens_an_anonymous_identity_with_a_reason(client, anonymous_held,
                                                                 system_admin):
    client.force_login(system_admin)
    url = f"/petugas/identitas/{anonymous_held.tracking_number}/"
    assert "Tuliskan alasan" in client.post(url).content.decode()
    html = client.post(url, {"reason": "Permintaan penyidik, surat no. 12/2026"}).content.decode()
    assert SECRET_NAME in html
    disclosure = IdentityDisclosure.objects.get(report=anonymous_held)
    assert disclosure.viewer == system_admin and "penyidik" in disclosure.reason


def test_response_templates_fill_placeholders(client, held, operator_a, supervisor_a):
    client.force_login(supervisor_a)
    response = client.post("/petugas/templat/", {
        "body": body("regency-33.74").pk, "title": "Diterima",
        "text": "Laporan {nomor} tentang {judul} diterima {instansi}.",
    })
    assert response.status_code == 302
    client.force_login(operator_a)
    page = client.get(f"/petugas/laporan/{held.tracking_number}/").content.decode()
    assert f"Laporan {held.tracking_number} tentang {held.title} diterima Pemerintah Kota" in page
    # Operators read the templates they can use; supervisors keep them.
    listing = client.get("/petugas/templat/")
    assert listing.status_code == 200
    assert "Laporan {nomor} tentang {judul}" in listing.content.decode()
    assert 'name="title"' not in listing.content.decode()
    assert client.post("/petugas/templat/", {
        "body": body("regency-33.74").pk, "title": "Lain", "text": "Teks.",
    }).status_code == 404
    assert ResponseTemplate.objects.count() == 1


def test_rules_api_shows_override_counts(system_admin, verifier_jateng, operator_a):
    from complaints.models import Category
    from routing.models import RoutingRule

    rule = RoutingRule.objects.create(category=Category.objects.get(slug="infrastruktur"),
                                      body=body("regency-33.74"))
    verification.disposition_report(report=ReportFactory(), to_body=body("regency-33.74"),
                                    actor=verifier_jateng)
    verification.disposition_report(report=ReportFactory(), to_body=body("province-33"),
                                    actor=verifier_jateng)
    api = APIClient()
    api.force_authenticate(system_admin)
    row = api.get(f"/api/v1/routing-rules/{rule.pk}/").json()
    assert (row["dispositions"], row["overridden"]) == (2, 1)
    api.force_authenticate(operator_a)
    assert api.get("/api/v1/routing-rules/").status_code == 403


def test_a_redirect_in_the_history_names_each_body_once(client, held, operator_a):
    from routing.services import handling

    handling.redirect(report=held, actor=operator_a, to_body=body("kemenhub"),
                      reason="Jalan nasional.")
    client.force_login(operator_a)
    page = client.get(f"/petugas/laporan/{held.tracking_number}/").content.decode()
    item = page[page.index('data-event="redirected"'):]
    item = item[:item.index("</li>")]
    assert item.count("Pemerintah Kota Semarang") == 1
    assert "Kementerian Perhubungan" in item
    client.force_login(held.reporter)
    mine = client.get(f"/laporan-saya/{held.tracking_number}/").content.decode()
    item = mine[mine.index('data-event="redirected"'):]
    item = item[:item.index("</li>")]
    assert item.count("Pemerintah Kota Semarang") == 1


def test_a_verifiers_reject_through_the_api_answers_with_its_result(verifier_national):
    report = ReportFactory()
    api = APIClient()
    api.force_authenticate(verifier_national)
    response = api.post(f"/api/v1/staff/reports/{report.tracking_number}/actions/reject/",
                        {"version": report.version, "reason": "spam"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["available_actions"]) == ("rejected", [])
    # ... though the verifier can no longer open it: it left the verification queue.
    assert api.get(f"/api/v1/staff/reports/{report.tracking_number}/").status_code == 404
