"""No dead ends: after every action, each role lands on a page it may see, where its work
continues (its own queue when the report left its hands), with the success message shown.
Each case posts the action as the page's form would and follows the redirect."""

import pytest
from django.urls import reverse

from agencies.models import Body
from complaints.models import ReportStatus
from routing.models import ResponseTemplate
from routing.services import handling, verification
from tests.conftest import body
from tests.factories import ReportFactory, public_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(body_a):
    return Body.objects.add_child(body_a, create_kwargs={
        "name": "Dinas PU Kota Semarang", "kind": "unit", "region": body_a.region})


def _held(verifier_national):
    return verification.disposition_report(report=ReportFactory(), to_body=body("regency-33.74"),
                                           actor=verifier_national)


def _follow(client, url, data):
    response = client.post(url, data, follow=True)
    assert response.redirect_chain, f"{url} answered {response.status_code}, not a redirect"
    assert response.status_code == 200, (url, response.redirect_chain)
    return response.redirect_chain[-1][0], response.content.decode()


VERIFIER_ACTIONS = {
    # action: (form data, where the verifier lands)
    "disposisi": (lambda r: {"to_body": body("regency-33.74").pk}, "routing:verification"),
    "tolak": (lambda r: {"reason": "spam"}, "routing:verification"),
    "duplikat": (lambda r: {"original": ReportFactory().tracking_number},
                 "routing:verification"),
    "minta-lengkapi": (lambda r: {"note": "Lampirkan foto."}, "routing:verification"),
}


@pytest.mark.parametrize("action", VERIFIER_ACTIONS)
def test_a_verifier_lands_on_the_verification_queue(client, verifier_national, action):
    report = ReportFactory()
    data, landing = VERIFIER_ACTIONS[action]
    client.force_login(verifier_national)
    url, page = _follow(client, f"/petugas/laporan/{report.tracking_number}/{action}/",
                        {"version": report.version, **data(report)})
    assert url == reverse(landing)
    assert report.tracking_number in page  # the message names the report


OPERATOR_ACTIONS = {
    "tanggapi": (lambda u: {"note": "Kami tinjau."}, "report"),
    "minta-info": (lambda u: {"note": "Di RT berapa?"}, "report"),
    "catatan": (lambda u: {"note": "Cek anggaran."}, "report"),
    "selesaikan": (lambda u: {"answer": "Sudah diperbaiki."}, "report"),
    "alihkan": (lambda u: {"to_body": body("kemenhub").pk, "reason": "Jalan nasional."},
                "routing:queue"),
    "disposisi-bawah": (lambda u: {"to_body": u.pk, "note": "Mohon ditangani."},
                        "routing:queue"),
    "eskalasi": (lambda u: {"note": "Di luar kemampuan kami."}, "routing:queue"),
}


@pytest.mark.parametrize("action", OPERATOR_ACTIONS)
def test_an_operator_lands_on_the_report_or_on_the_queue_when_it_left_their_hands(
    client, verifier_national, operator_a, unit, action
):
    report = _held(verifier_national)
    data, landing = OPERATOR_ACTIONS[action]
    client.force_login(operator_a)
    url, page = _follow(client, f"/petugas/laporan/{report.tracking_number}/{action}/",
                        {"version": report.version, **data(unit)})
    expected = (f"/petugas/laporan/{report.tracking_number}/" if landing == "report"
                else reverse(landing))
    assert url == expected
    assert report.tracking_number in page


@pytest.mark.parametrize("action", ["disposisi-bawah", "eskalasi"])
def test_a_supervisor_keeps_the_report_it_still_oversees(
    client, verifier_national, supervisor_a, unit, action
):
    report = _held(verifier_national)
    data, _landing = OPERATOR_ACTIONS[action]
    client.force_login(supervisor_a)
    url, _page = _follow(client, f"/petugas/laporan/{report.tracking_number}/{action}/",
                         {"version": report.version, **data(unit)})
    assert url == f"/petugas/laporan/{report.tracking_number}/"


def _resolved(verifier_national, operator_a):
    report = _held(verifier_national)
    return handling.resolve(report=report, actor=operator_a, answer="Sudah diperbaiki.")


CITIZEN_ACTIONS = {
    "tambah": (lambda: {"note": "Tambahan: di depan sekolah."}, "open"),
    "terima": (dict, "resolved"),
    "bantah": (lambda: {"note": "Belum selesai."}, "resolved"),
    "nilai": (lambda: {"rating": "5", "comment": "Cepat."}, "closed"),
}


@pytest.mark.parametrize("action", CITIZEN_ACTIONS)
def test_a_citizen_lands_on_their_report(client, verifier_national, operator_a, action):
    data, state = CITIZEN_ACTIONS[action]
    report = _held(verifier_national) if state == "open" else _resolved(
        verifier_national, operator_a)
    if state == "closed":
        from complaints.services import citizen

        citizen.accept_resolution(report=report, actor=report.reporter)
    client.force_login(report.reporter)
    url, _page = _follow(client, f"/laporan-saya/{report.tracking_number}/{action}/", data())
    assert url == f"/laporan-saya/{report.tracking_number}/"


def test_a_citizen_who_supports_a_report_lands_back_on_it(client, citizen):
    report = public_report()
    client.force_login(citizen)
    url, page = _follow(client, f"/publik/{report.tracking_number}/dukung/", {})
    assert url == f"/publik/{report.tracking_number}/"
    assert "dukungan Anda sudah tercatat" in page


def test_marking_notifications_read_lands_on_the_notifications(client, citizen):
    client.force_login(citizen)
    url, _page = _follow(client, "/notifikasi/dibaca/", {})
    assert url == "/notifikasi/"


def test_a_supervisor_keeping_templates_lands_on_the_templates(client, supervisor_a):
    client.force_login(supervisor_a)
    url, _page = _follow(client, "/petugas/templat/", {
        "body": body("province-33").pk, "title": "Terima kasih", "text": "Terima kasih."})
    assert url == "/petugas/templat/"
    template = ResponseTemplate.objects.get()
    url, _page = _follow(client, f"/petugas/templat/{template.pk}/hapus/", {})
    assert url == "/petugas/templat/"


@pytest.mark.parametrize("role", ["verifier_national", "ombudsman_jateng", "operator_a",
                                  "system_admin"])
def test_the_staff_report_pages_way_back_is_a_page_the_role_may_open(
    client, request, verifier_national, role
):
    report = _held(verifier_national) if role != "verifier_national" else ReportFactory()
    user = request.getfixturevalue(role)
    client.force_login(user)
    page = client.get(f"/petugas/laporan/{report.tracking_number}/").content.decode()
    crumb = page[page.index('class="breadcrumb"'):]
    href = crumb[crumb.index('href="') + 6:]
    href = href[:href.index('"')]
    assert client.get(href).status_code == 200, href
    assert report.status != ReportStatus.DRAFT
