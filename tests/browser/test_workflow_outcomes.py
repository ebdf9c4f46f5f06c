"""The workflow of issue 14 in a real browser, each from the staff's and the citizen's side: a
supervisor assigns reports from the queue's checkboxes and the operator finds them under
"Milik saya"; a report copied to another body shows in its "Tembusan" queue; a verifier
postpones a report (Tunda) and another one is no matter for any body (Bukan wewenang), and
each citizen reads what that means on their report's page and in their notification.

Every page visited passes the checks of ``steps.seen`` (axe-core, no sideways scroll at
360 px); screenshots at 360 and 1280 px go to the folder named by LAPOR_SCREENSHOTS, else to
test-results/."""

from __future__ import annotations

import datetime as dt

import pytest

from agencies.models import Role
from complaints.models import ReportCopy, ReportStatus
from routing.models import ExternalChannel
from routing.services import outcomes, verification
from tests.browser.conftest import screenshot
from tests.browser.steps import (
    PHONE,
    act,
    click_through,
    filed,
    follow_every_notice,
    fresh,
    main_text,
    message,
    screen,
    signed_in,
    visit,
    words,
)
from tests.conftest import body, make_user
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

@pytest.fixture
def people(agency_tree):
    return {
        "verifier": make_user("verif@example.id", "Verifikator Nasional", Role.VERIFIER,
                              "kemenpanrb"),
        "operator": make_user("op.smg@example.id", "Sari Operator", Role.OPERATOR,
                              "regency-33.74"),
        "colleague": make_user("op2.smg@example.id", "Budi Operator", Role.OPERATOR,
                               "regency-33.74"),
        "supervisor": make_user("pimpinan@example.id", "Pimpinan Jateng", Role.SUPERVISOR,
                                "province-33"),
        "copied": make_user("op.jatim@example.id", "Operator Jatim", Role.OPERATOR,
                            "province-35"),
        "citizen": UserFactory(full_name="Ani Pelapor", email="ani@example.id"),
    }


def _held(people, title):
    report = filed(people["citizen"], title)
    verification.disposition_report(report=report, to_body=body("regency-33.74"),
                                    actor=people["verifier"])
    return fresh(report)


def test_a_supervisor_assigns_from_the_queue_and_the_operator_finds_it_under_milik_saya(
    site, browser, people
):
    first = _held(people, "Lampu jalan padam di Jalan Pemuda")
    second = _held(people, "Saluran air tersumbat di Tlogosari")
    third = _held(people, "Trotoar rusak di Simpang Lima")

    with screen(browser) as page:
        signed_in(page, site, people["supervisor"])
        visit(page, site + "/petugas/antrean/")
        for report in (first, second):
            page.locator(f"#pick-{report.tracking_number}").check()
        page.locator("#bulk_assignee").select_option(label="Sari Operator")
        screenshot(page, "queue-bulk-assign-1280")
        click_through(page, page.get_by_role("button", name="Tugaskan", exact=True))
        assert "2 laporan ditugaskan ke Sari Operator." in message(page)
    for report in (first, second):
        assert fresh(report).assignee == people["operator"]
    assert fresh(third).assignee is None

    with screen(browser, PHONE) as page:
        signed_in(page, site, people["operator"])
        numbers = follow_every_notice(page, site)
        assert {first.tracking_number, second.tracking_number} <= set(numbers)
        visit(page, site + "/petugas/antrean/")
        click_through(page, page.get_by_role("link", name="Milik saya"))
        listed = main_text(page)
        assert first.tracking_number in listed and second.tracking_number in listed
        assert third.tracking_number not in listed
        screenshot(page, "queue-milik-saya-360")
        visit(page, site + "/petugas/antrean/?assignee=none")
        click_through(page, page.get_by_role("link", name=third.title))
        act(page, "Ambil")
        assert f"Anda kini memegang {third.tracking_number}." in message(page)
        assert "Sari Operator (Anda)" in main_text(page)
        screenshot(page, "report-taken-360")
    assert fresh(third).assignee == people["operator"]

    # The citizen still sees the body only: no one's name, no assignment in the history.
    with screen(browser, PHONE) as page:
        signed_in(page, site, people["citizen"])
        visit(page, site + f"/laporan-saya/{third.tracking_number}/")
        text = main_text(page)
        assert "Pemerintah Kota Semarang" in text
        assert "Sari Operator" not in text and "Petugas pemegang" not in text


def test_a_copied_body_follows_the_report_in_its_tembusan_queue(site, browser, people):
    report = _held(people, "Jalan provinsi berlubang di perbatasan Jatim")

    with screen(browser) as page:
        signed_in(page, site, people["operator"])
        visit(page, site + f"/petugas/laporan/{report.tracking_number}/")
        act(page, "Tembuskan ke instansi lain",
            {"to_body_query": "Pemerintah Provinsi Jawa Timur",
             "note": "Untuk diketahui: ruas di perbatasan."})
        assert "ditembuskan" in message(page)
        facts = page.locator("dl.facts").inner_text()
        assert "Tembusan ke" in facts and "Pemerintah Provinsi Jawa Timur" in facts
        screenshot(page, "report-copied-1280")
    assert ReportCopy.objects.filter(report=report, body=body("province-35")).exists()

    for size, suffix in ((PHONE, "360"), ({"viewport": {"width": 1280, "height": 800},
                                           "locale": "id-ID"}, "1280")):
        with screen(browser, size) as page:
            signed_in(page, site, people["copied"])
            visit(page, site + "/petugas/antrean/")
            click_through(page, page.get_by_role("link", name="Tembusan", exact=True))
            assert report.tracking_number in main_text(page)
            assert "Pemerintah Kota Semarang" in main_text(page)
            screenshot(page, f"tembusan-queue-{suffix}")
    with screen(browser, PHONE) as page:
        signed_in(page, site, people["copied"])
        visit(page, site + "/petugas/tembusan/")
        click_through(page, page.get_by_role("link", name=report.title))
        text = main_text(page)
        assert "Menerima tembusan" in text and "Untuk diketahui: ruas di perbatasan." in text
        assert page.locator("details.action summary").all_inner_texts() == ["Catatan internal"]
        act(page, "Catatan internal", {"note": "Jatim: ruas ini milik provinsi Jateng."})
        assert "Jatim: ruas ini milik provinsi Jateng." in main_text(page)
        screenshot(page, "report-as-copied-body-360")

    # The citizen sees neither the copy nor the notes.
    with screen(browser, PHONE) as page:
        signed_in(page, site, people["citizen"])
        visit(page, site + f"/laporan-saya/{report.tracking_number}/")
        text = main_text(page)
        assert "Jawa Timur" not in text and "Untuk diketahui" not in text


def test_a_verifier_postpones_a_report_and_the_citizen_reads_until_when(site, browser, people):
    report = filed(people["citizen"], "Pungutan liar di kantor kelurahan")
    returns_on = dt.date.today() + dt.timedelta(days=10)

    with screen(browser) as page:
        signed_in(page, site, people["verifier"])
        visit(page, site + f"/petugas/laporan/{report.tracking_number}/")
        act(page, "Tunda", {"reason": "Menunggu klarifikasi."}, status=400)  # no date
        assert "Pilih tanggal laporan kembali ke antrean." in main_text(page)
        form = page.locator("details[open] form")
        assert form.locator("[name=reason]").input_value() == "Menunggu klarifikasi."
        form.locator("[name=returns_on]").fill(returns_on.isoformat())
        click_through(page, form.get_by_role("button", name="Tunda", exact=True))
        assert "ditunda" in message(page)
        assert "0 laporan menunggu verifikasi" in main_text(page)  # out of the queue
        screenshot(page, "verification-after-tunda-1280")
    assert fresh(report).status == ReportStatus.POSTPONED

    with screen(browser, PHONE) as page:
        signed_in(page, site, people["citizen"])
        follow_every_notice(page, site)
        visit(page, site + f"/laporan-saya/{report.tracking_number}/")
        text = main_text(page)
        assert "Verifikasi laporan Anda ditunda" in text
        assert outcomes.date_label(returns_on) in text and "Menunggu klarifikasi." in text
        assert "Ditunda" in words(page.locator("dl.facts"))
        screenshot(page, "citizen-tunda-360")

    # On its date it is back in the verifier's queue.
    outcomes.return_due(fresh(report).returns_at)
    with screen(browser, PHONE) as page:
        signed_in(page, site, people["verifier"])
        visit(page, site + "/petugas/verifikasi/")
        assert report.tracking_number in main_text(page)
        screenshot(page, "verification-returned-360")


def test_bukan_wewenang_sends_the_citizen_to_the_right_channel(site, browser, people):
    ExternalChannel.objects.create(
        name="Pengadilan Negeri Semarang", description="Sengketa waris dan perdata.",
        url="https://pn-semarang.go.id/", contact="(024) 8311522")
    report = filed(people["citizen"], "Sengketa warisan tanah keluarga")

    with screen(browser, PHONE) as page:
        signed_in(page, site, people["verifier"])
        visit(page, site + f"/petugas/laporan/{report.tracking_number}/")
        act(page, "Bukan wewenang", {"note": "Sengketa waris diputus pengadilan."},
            select={"channel": {"label": "Pengadilan Negeri Semarang"}})
        assert "bukan wewenang" in message(page)
        screenshot(page, "verification-after-bukan-wewenang-360")
    assert fresh(report).status == ReportStatus.REFERRED_OUT

    for size, suffix in ((PHONE, "360"), ({"viewport": {"width": 1280, "height": 800},
                                           "locale": "id-ID"}, "1280")):
        with screen(browser, size) as page:
            signed_in(page, site, people["citizen"])
            visit(page, site + "/notifikasi/")
            assert "Pengadilan Negeri Semarang" in main_text(page)
            visit(page, site + f"/laporan-saya/{report.tracking_number}/")
            panel = page.locator("section.referral")
            assert "Pengadilan Negeri Semarang" in panel.inner_text()
            assert panel.get_by_role("link", name="https://pn-semarang.go.id/").is_visible()
            assert "Sengketa waris diputus pengadilan." in panel.inner_text()
            screenshot(page, f"citizen-bukan-wewenang-{suffix}")
