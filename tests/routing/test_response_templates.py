"""Response templates on every answer form (first response, asking for information, the final
answer), with and without JavaScript; a date in words; and a final answer that fails keeps the
files already chosen, as filing does."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine

from complaints.models import Attachment, ReportStatus
from routing.models import ResponseTemplate
from routing.services import verification
from tests.complaints.images import clean_pending, pdf
from tests.conftest import body
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(verifier_national):
    return verification.disposition_report(report=ReportFactory(), to_body=body("regency-33.74"),
                                           actor=verifier_national)


@pytest.fixture
def template(db):
    return ResponseTemplate.objects.create(
        body=body("province-33"), title="Diterima",
        text="Laporan {nomor} diterima {instansi} pada {tanggal}.")


def _form(page, action):
    start = page.index(f'/{action}/"')
    return page[start:page.index("</form>", start)]


def test_every_answer_form_offers_the_templates(client, held, template, operator_a):
    client.force_login(operator_a)
    page = client.get(f"/petugas/laporan/{held.tracking_number}/").content.decode()
    for action, field in (("tanggapi", "note"), ("minta-info", "note"),
                          ("selesaikan", "answer")):
        form = _form(page, action)
        assert f'data-fills="id_{action}_{field}"' in form
        assert f'value="{template.pk}"' in form and "Diterima" in form
    assert 'name="template"' not in _form(page, "catatan")  # an internal note is no answer


def test_without_javascript_the_template_fills_the_answer_on_the_server(
    client, held, template, operator_a
):
    client.force_login(operator_a)
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, tzinfo=ZoneInfo("Asia/Jakarta"))):
        response = client.post(f"/petugas/laporan/{held.tracking_number}/selesaikan/", {
            "version": held.version, "template": template.pk, "use_template": "1",
            "answer": "",
        })
    assert response.status_code == 200
    form = _form(response.content.decode(), "selesaikan")
    assert (f"Laporan {held.tracking_number} diterima Pemerintah Kota Semarang pada "
            "2 Desember 2026.") in form
    held.refresh_from_db()
    assert held.status == ReportStatus.DISPOSITIONED  # nothing was sent


def test_a_final_answer_that_fails_keeps_the_chosen_file(client, held, operator_a):
    client.force_login(operator_a)
    url = f"/petugas/laporan/{held.tracking_number}/selesaikan/"
    refused = client.post(url, {"version": held.version, "answer": "",
                                "attachments": [pdf("berita-acara.pdf")]})
    assert refused.status_code == 400
    kept = Attachment.objects.get(report=held)
    assert (kept.original_name, kept.is_staff_only) == ("berita-acara.pdf", True)
    form = _form(refused.content.decode(), "selesaikan")
    assert "Tuliskan jawaban akhir untuk pelapor." in form
    box = re.search(rf'<input[^>]*value="{kept.pk}"[^>]*>', form).group(0)
    assert "checked" in box and "berita-acara.pdf" in form

    sent = client.post(url, {"version": held.version, "answer": "Sudah diperbaiki.",
                             "held_attachments": [kept.pk]})
    assert sent.status_code == 302
    kept.refresh_from_db()
    assert kept.is_staff_only is False  # published with the answer
    clean_pending()
    client.force_login(held.reporter)
    page = client.get(f"/laporan-saya/{held.tracking_number}/").content.decode()
    assert f"/lampiran/{kept.pk}/" in page


def test_a_file_left_unticked_stays_internal(client, held, operator_a):
    client.force_login(operator_a)
    url = f"/petugas/laporan/{held.tracking_number}/selesaikan/"
    client.post(url, {"version": held.version, "answer": "", "attachments": [pdf()]})
    client.post(url, {"version": held.version, "answer": "Selesai."})
    assert Attachment.objects.get(report=held).is_staff_only is True
