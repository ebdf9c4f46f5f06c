"""Every role's journey, in a real browser (issue 11's "Done when"): a citizen on a 360 × 740
phone from registration to rating; on a desktop a verifier, operators of two bodies, a
supervisor, an Ombudsman officer and the system admin; a breach of each clock. At every step
the test asserts what the person sees; every page visited passes ``check_page`` (axe-core,
no sideways scroll at 360 px); every notification's link and every email link is followed.

What a person does happens in the browser; what others do meanwhile (the background) is
made with the services, so the suite stays quick."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from agencies.models import Region, Role
from complaints.models import Report
from routing.models import Clock, ClockKind, ResponseTemplate
from routing.services import handling, verification
from routing.sweep import enforce_deadlines
from tests.browser.conftest import main_menu, screenshot
from tests.browser.steps import (
    NUMBER,
    PHONE,
    act,
    click_through,
    email_links,
    emails_to,
    filed,
    follow_email_links,
    follow_every_notice,
    fresh,
    labels_off_their_fields,
    main_text,
    message,
    screen,
    seen,
    sign_in,
    signed_in,
    unit_under,
    visit,
    with_axe,
    words,
)
from tests.complaints.images import jpeg_with_gps
from tests.conftest import body, make_user
from tests.factories import UserFactory, public_report

pytestmark = pytest.mark.browser

CITIZEN_PASSWORD = "Semarang-Hebat-2026"
VERIFIER_NOTE = "Catatan verifikator: pelapor pernah melapor hal serupa tahun lalu."
STAFF_NOTE = "Catatan internal: tunggu rekomendasi Dinas Perizinan."
UNIT_NOTE = "Catatan untuk Dinas PU: prioritaskan sebelum musim hujan."


@pytest.fixture
def site(live_server, agency_tree, settings, tmp_path):
    """The live server's address, which every email link must start with. The rate limits'
    counters (registration, look-ups per address) start afresh: every browser comes from
    127.0.0.1."""
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield live_server.url
    cache.clear()


@pytest.fixture
def staff(agency_tree):
    """The staff of the journeys: a national verifier, operators of Pemkot Semarang (A) and
    of Kemenhub (B), the supervisor of Pemprov Jawa Tengah (above A), the Ombudsman officer of
    Jawa Tengah, the system admin."""
    return {
        "verifier": make_user("verif@example.id", "Verifikator Nasional", Role.VERIFIER,
                              "kemenpanrb"),
        "operator_a": make_user("op.smg@example.id", "Operator Semarang", Role.OPERATOR,
                                "regency-33.74"),
        "operator_b": make_user("op.hub@example.id", "Operator Kemenhub", Role.OPERATOR,
                                "kemenhub"),
        "supervisor": make_user("pimpinan@example.id", "Pimpinan Jateng", Role.SUPERVISOR,
                                "province-33"),
        "ombudsman": make_user("orai.jateng@example.id", "Asisten Ombudsman",
                               Role.OMBUDSMAN_OFFICER, "ombudsman-33"),
        "admin": make_user("admin@example.id", "Admin Sistem", Role.SYSTEM_ADMIN, "kemenpanrb"),
    }


@pytest.fixture
def visitor(browser):
    """Someone who is not signed in, on a phone: the public, or whoever holds a number."""
    with screen(browser, PHONE) as page:
        yield page


def _timeline(page) -> str:
    return page.get_by_label("Riwayat laporan, terbaru di atas").inner_text()


# --- the citizen, on a phone -------------------------------------------------------------


def test_citizen_on_a_phone_files_follows_answers_accepts_and_rates(
    site, staff, phone, visitor, tmp_path
):
    """Registers, files with a photo, follows the report, answers the body, accepts and rates;
    a visitor with the number looks it up; a duplicate and a rejection as the citizen reads
    them."""
    page = with_axe(phone)
    photo = tmp_path / "jalan-berlubang.jpg"
    photo.write_bytes(jpeg_with_gps().read())

    # registers, and the confirmation link of the email leads, once signed in, to the filing
    # form (registering signs nobody in: it must not tell whether the address was taken)
    visit(page, site + "/")
    click_through(page, main_menu(page).get_by_role("link", name="Daftar"))
    page.get_by_label("Nama lengkap").fill("Siti Aminah")
    page.get_by_label("Alamat email").fill("siti@example.id")
    page.get_by_label("Kata sandi", exact=True).fill(CITIZEN_PASSWORD)
    page.get_by_label("Ulangi kata sandi").fill(CITIZEN_PASSWORD)
    click_through(page, page.locator("main").get_by_role("button", name="Daftar"))
    assert "/akun/konfirmasi/" in page.url
    [confirmation] = [link for link in email_links("siti@example.id") if "/konfirmasi/" in link]
    assert confirmation.startswith(site + "/akun/konfirmasi/")
    visit(page, confirmation)
    assert "/akun/masuk/" in page.url
    page.locator("#id_username").fill("siti@example.id")
    page.locator("#id_password").fill(CITIZEN_PASSWORD)
    click_through(page, page.locator("main").get_by_role("button", name="Masuk"))
    assert page.url.endswith("/lapor/")

    # files a report through the real form, with a photo
    page.get_by_label("Aduan").check()
    page.get_by_label("Judul").fill("Jalan berlubang di depan SD Negeri 3 Pemuda")
    page.get_by_label("Isi laporan").fill(
        "Lubang besar di depan SD Negeri 3 sejak sebulan lalu; motor sering jatuh saat malam."
    )
    page.get_by_label("Kategori").select_option(label="Infrastruktur dan Jalan")
    page.get_by_label("Provinsi").select_option(label="Jawa Tengah")
    page.wait_for_selector("#id_regency option[value='33.74']", state="attached")
    page.get_by_label("Kabupaten/kota").select_option(value="33.74")
    page.get_by_label("Tambah berkas").set_input_files(str(photo))
    seen(page)
    screenshot(page, "journey-citizen-form-phone")
    click_through(page, page.get_by_role("button", name="Kirim laporan"))

    # the receipt, with the number; the same number by email
    number = page.locator("#tracking-number").inner_text().strip()
    report = Report.objects.get(tracking_number=number)
    citizen = report.reporter
    assert report.attachments.count() == 1
    assert "Laporan Anda terkirim" in main_text(page)
    screenshot(page, "journey-citizen-receipt-phone")
    receipt = emails_to("siti@example.id")[-1]
    assert number in receipt.subject
    assert f"{site}/lacak/?nomor={number}" in receipt.body

    # anyone holding the number (the link of the email) sees it waits for verification, not
    # its content
    visit(visitor, f"{site}/lacak/?nomor={number}")
    shown = main_text(visitor)
    assert "Menunggu verifikasi" in shown
    assert number in shown
    assert "Jalan berlubang" not in shown
    screenshot(visitor, "journey-visitor-lookup-waiting-phone")

    # follows it in "Laporan saya"
    click_through(page, main_menu(page).get_by_role("link", name="Laporan saya"))
    row = page.locator(".card", has_text=number)
    assert "Menunggu verifikasi" in row.inner_text()
    click_through(page, row.get_by_role("link", name="Jalan berlubang di depan SD Negeri 3"))
    assert page.url.endswith(f"/laporan-saya/{number}/")

    # the background: verified to Pemkot Semarang with a note for the body, answered, and
    # the body asks for more information
    verification.disposition_report(report=report, to_body=body("regency-33.74"),
                                    actor=staff["verifier"], note=VERIFIER_NOTE)
    handling.respond(report=fresh(report), actor=staff["operator_a"],
                     note="Terima kasih. Petugas Dinas PU meninjau lokasi besok pagi.")
    handling.request_information(report=fresh(report), actor=staff["operator_a"],
                                 note="Mohon sebutkan patokan terdekat selain sekolah.")

    # reads the body's answers in the timeline, never the verifier's note
    visit(page, f"{site}/laporan-saya/{number}/")
    timeline = _timeline(page)
    for seen_text in ("Tanggapan pertama", "Petugas Dinas PU meninjau lokasi besok pagi",
                      "Instansi meminta informasi", "patokan terdekat",
                      "Pemerintah Kota Semarang"):
        assert seen_text in timeline, seen_text
    assert VERIFIER_NOTE not in main_text(page)
    assert "Operator Semarang" not in main_text(page)

    # answers the request for information
    page.get_by_label("Pesan").fill("Di seberang warung bakso Pak Slamet, dekat halte.")
    page.get_by_label("Ini jawaban atas pertanyaan instansi").check()
    click_through(page, page.locator("#add-title + form").get_by_role("button", name="Kirim"))
    assert "Terkirim" in message(page)
    assert "warung bakso Pak Slamet" in _timeline(page)
    assert "Pelapor menjawab" in _timeline(page)

    # the final answer; accepts it and rates it
    handling.resolve(report=fresh(report), actor=staff["operator_a"],
                     answer="Lubang sudah ditambal dan diaspal ulang pada hari Kamis.")
    visit(page, f"{site}/laporan-saya/{number}/")
    answer = page.locator("section", has=page.get_by_role(
        "heading", name="Instansi sudah memberi jawaban akhir"))
    assert "Lubang sudah ditambal dan diaspal ulang pada hari Kamis." in answer.inner_text()
    assert "diaspal ulang" in _timeline(page)
    screenshot(page, "journey-citizen-final-answer-phone")
    click_through(page, page.get_by_role("button", name="Ya, terima jawaban"))
    assert "Jawaban diterima" in message(page)
    assert "Selesai" in page.locator("dl.facts").inner_text()
    page.get_by_label("5", exact=True).check()
    page.get_by_label("Komentar (opsional)").fill("Cepat dan tuntas, terima kasih.")
    click_through(page, page.get_by_role("button", name="Kirim penilaian"))
    assert "Terima kasih atas penilaian Anda." in message(page)
    assert "Penilaian Anda: 5 dari 5." in main_text(page)
    assert "Pelapor memberi penilaian" in _timeline(page)
    screenshot(page, "journey-citizen-rated-phone")

    # a duplicate reads "Digabung dengan LPR-…", a rejection gives its reason
    original = public_report(title="Lampu jalan mati di Jalan Pandanaran")
    twin = filed(citizen, "Lampu jalan Pandanaran padam")
    verification.mark_duplicate(report=twin, original=original, actor=staff["verifier"])
    refused = filed(citizen, "Tes saja, mencoba aplikasi")
    verification.reject_report(report=refused, actor=staff["verifier"],
                               reason="not_public_service",
                               note="Laporan ini tidak menyebut layanan publik apa pun.")
    click_through(page, main_menu(page).get_by_role("link", name="Laporan saya"))
    merged = f"Digabung dengan {original.tracking_number}"
    assert merged in page.locator(".card", has_text=twin.tracking_number).inner_text()
    assert "Ditolak" in page.locator(".card", has_text=refused.tracking_number).inner_text()
    screenshot(page, "journey-citizen-my-reports-phone")
    click_through(page, page.get_by_role("link", name="Lampu jalan Pandanaran padam"))
    assert merged in page.locator("dl.facts").inner_text()
    click_through(page, page.locator("dl.facts").get_by_role("link",
                                                            name=original.tracking_number))
    assert page.url.endswith(f"/publik/{original.tracking_number}/")
    visit(page, f"{site}/laporan-saya/{refused.tracking_number}/")
    assert "Ditolak" in page.locator("dl.facts").inner_text()
    assert "Bukan masalah pelayanan publik" in _timeline(page)
    assert "tidak menyebut layanan publik" in _timeline(page)
    visit(visitor, f"{site}/lacak/?nomor={twin.tracking_number}")
    assert merged in main_text(visitor)
    visit(visitor, f"{site}/lacak/?nomor={refused.tracking_number}")
    assert "Ditolak" in main_text(visitor)
    assert "mencoba aplikasi" not in main_text(visitor)

    # every notice and every email link leads to the report
    numbers = follow_every_notice(page, site)
    assert {number, twin.tracking_number, refused.tracking_number} <= set(numbers)
    assert follow_email_links(page, site, "siti@example.id", skip=("/akun/konfirmasi/",)) == 6


# --- the verifier, on a desktop ----------------------------------------------------------


def test_verifier_dispositions_rejects_and_merges_and_the_note_stays_with_staff(
    site, staff, browser
):
    reporter = UserFactory(email="warga.verif@example.id")
    original = public_report(title="Trotoar amblas di Jalan Pandanaran")
    sent = filed(reporter, "Saluran air tersumbat di Jalan Gajahmada")
    refused = filed(reporter, "Halo admin, apa kabar semuanya?")
    twin = filed(reporter, "Trotoar Pandanaran amblas lagi")

    with screen(browser) as page:
        sign_in(page, site, staff["verifier"])
        click_through(page, main_menu(page).get_by_role("link", name="Verifikasi"))
        assert "3 laporan menunggu verifikasi." in main_text(page)
        screenshot(page, "journey-verifier-queue-desktop")

        # dispositions with a note to the body; back on the queue, told which report went
        click_through(page, page.get_by_role("link", name=sent.title))
        assert "Menunggu verifikasi" in page.locator("dl.facts").inner_text()
        act(page, "Teruskan ke instansi",
            {"to_body_query": "Pemkot Semarang", "note": VERIFIER_NOTE})
        assert page.url.endswith("/petugas/verifikasi/")
        assert f"{sent.tracking_number} diteruskan ke instansi." in message(page)
        assert "2 laporan menunggu verifikasi." in main_text(page)

        # rejects one with a reason
        click_through(page, page.get_by_role("link", name=refused.title))
        act(page, "Tolak", {"note": "Laporan berisi salam, tanpa masalah pelayanan."},
            select={"reason": {"value": "not_public_service"}})
        assert page.url.endswith("/petugas/verifikasi/")
        assert f"{refused.tracking_number} ditolak; pelapor diberi tahu alasannya." in (
            message(page))

        # marks one as the duplicate of a public report
        click_through(page, page.get_by_role("link", name=twin.title))
        act(page, "Tandai duplikat", {"original": original.tracking_number})
        assert page.url.endswith("/petugas/verifikasi/")
        assert f"{twin.tracking_number} digabung dengan laporan aslinya" in message(page)
        assert "Tidak ada laporan yang menunggu verifikasi." in main_text(page)
        screenshot(page, "journey-verifier-queue-done-desktop")

        # the verifier still opens what it verified; its breadcrumb leads to its queue
        visit(page, f"{site}/petugas/laporan/{sent.tracking_number}/")
        assert VERIFIER_NOTE in main_text(page)
        click_through(page, page.get_by_role("navigation", name="Jalur").get_by_role(
            "link", name="Verifikasi"))
        assert page.url.endswith("/petugas/verifikasi/")
        follow_every_notice(page, site)

        # the note to the body: not on the public page, not in the citizen's timeline …
        page.context.clear_cookies()
        visit(page, f"{site}/publik/{sent.tracking_number}/")
        assert "Diteruskan ke instansi" in main_text(page)
        assert VERIFIER_NOTE not in page.content()
        signed_in(page, site, reporter)
        visit(page, f"{site}/laporan-saya/{sent.tracking_number}/")
        assert "Pemerintah Kota Semarang" in _timeline(page)
        assert VERIFIER_NOTE not in page.content()
        # … but on the staff page for the body that holds the report
        signed_in(page, site, staff["operator_a"])
        visit(page, f"{site}/petugas/laporan/{sent.tracking_number}/")
        note = page.locator("li.staff-only", has_text=VERIFIER_NOTE)
        assert "hanya petugas" in note.inner_text()
        assert "Verifikator Nasional" in note.inner_text()


# --- operators of two bodies, on a desktop -----------------------------------------------


def test_operators_of_two_bodies_respond_dispose_down_redirect_and_resolve(
    site, staff, browser
):
    semarang = body("regency-33.74")
    unit = unit_under(semarang, "Dinas Pekerjaan Umum Kota Semarang")
    ResponseTemplate.objects.create(
        body=semarang, title="Diterima",
        text="Laporan {nomor} sudah kami terima pada {tanggal} dan sedang kami tindak lanjuti.")
    reporter = UserFactory(email="warga.op@example.id")
    down = filed(reporter, "Drainase meluap di Jalan Majapahit")
    across = filed(reporter, "Jalan nasional Kaligawe berlubang dalam")
    for report in (down, across):
        verification.disposition_report(report=report, to_body=semarang, actor=staff["verifier"])

    # operator A: both reports in the queue, not yet answered
    with screen(browser) as page:
        signed_in(page, site, staff["operator_a"])
        visit(page, site + "/")
        click_through(page, main_menu(page).get_by_role("link", name="Antrean", exact=True))
        for report in (down, across):
            row = page.locator(".queue-row", has_text=report.tracking_number)
            assert "Tanggapan pertama: sisa 23 jam" in row.inner_text()
            assert "Belum ditanggapi" in row.inner_text()
        screenshot(page, "journey-operator-a-queue-desktop")

        # responds with the body's template, then disposes down to its unit with a note
        click_through(page, page.get_by_role("link", name=down.title))
        respond = page.locator("details.action", has_text="Tanggapi pelapor")
        respond.locator("summary").click()
        respond.get_by_label("Templat jawaban").select_option(label="Diterima (Pemkot Semarang)")
        answer = respond.get_by_label("Pesan").input_value()
        # {tanggal} reads "2 Desember 2026"
        assert re.search(rf"Laporan {down.tracking_number} sudah kami terima pada "
                         r"\d{1,2} [A-Z][a-z]+ \d{4} dan", answer), answer
        click_through(page, respond.get_by_role("button", name="Tanggapi pelapor"))
        assert f"Tanggapan untuk {down.tracking_number} terkirim." in message(page)
        assert "Sedang ditindaklanjuti" in page.locator("dl.facts").inner_text()
        act(page, "Disposisi ke unit di bawah", {"note": UNIT_NOTE},
            select={"to_body": {"label": unit.name}})
        assert page.url.endswith("/petugas/antrean/")
        assert f"{down.tracking_number} didisposisikan ke unit." in message(page)

        # redirects the other to Kemenhub (body B), with a reason the citizen reads
        click_through(page, page.get_by_role("link", name=across.title))
        act(page, "Alihkan ke instansi lain",
            {"to_body_query": "Kemenhub", "reason": "Jalan nasional: kewenangan Kemenhub."})
        assert page.url.endswith("/petugas/antrean/")
        assert f"{across.tracking_number} dialihkan." in message(page)
        assert "Tidak ada laporan di antrean ini." in main_text(page)
        follow_every_notice(page, site)
        follow_email_links(page, site, staff["operator_a"].email)

        # operator B: the redirected report in its queue; responds and resolves
        signed_in(page, site, staff["operator_b"])
        visit(page, site + "/petugas/antrean/")
        row = page.locator(".queue-row", has_text=across.tracking_number)
        assert "Tanggapan pertama: sisa 23 jam" in row.inner_text()
        click_through(page, row.get_by_role("link"))
        path = page.locator("ol.path").inner_text()
        assert "Pemkot Semarang" in path and "Kemenhub" in path
        act(page, "Tanggapi pelapor", {"note": "Kami teruskan ke BBPJN Jawa Tengah-DIY."})
        assert f"Tanggapan untuk {across.tracking_number} terkirim." in message(page)
        act(page, "Beri jawaban akhir",
            {"answer": "BBPJN sudah menambal lubang di Kaligawe pada 20 November."})
        assert f"Jawaban akhir untuk {across.tracking_number} terkirim" in message(page)
        assert "Sudah dijawab" in page.locator("dl.facts").inner_text()
        screenshot(page, "journey-operator-b-resolved-desktop")
        follow_every_notice(page, site)
        follow_email_links(page, site, staff["operator_b"].email)

        # what the public reads: the redirect's reason, never the note to the unit
        page.context.clear_cookies()
        visit(page, f"{site}/publik/{down.tracking_number}/")
        assert "Diteruskan ke unit di bawahnya" in main_text(page)
        assert UNIT_NOTE not in page.content()
        visit(page, f"{site}/publik/{across.tracking_number}/")
        assert "Jalan nasional: kewenangan Kemenhub." in main_text(page)
        assert "Jawaban akhir" in main_text(page)


# --- deadlines: a breach of each clock, and who sees what ---------------------------------


def _due(report: Report, kind: str) -> dt.datetime:
    return Clock.objects.get(report=report, kind=kind, stopped_at__isnull=True).due_at


def _rows(page) -> list[str]:
    return [words(row) for row in page.locator(".queue-row").all()]


def test_supervisor_sees_late_reports_first_and_opens_one_from_the_breach_notice(
    site, staff, browser
):
    """First response (24 hours) and verification (3 working days) breached: the supervisor
    of Jawa Tengah sees the late report first in the subtree's queue, marked, counted, and
    is told of both breaches; each notice opens the report."""
    make_user("verif.jateng@example.id", "Verifikator Jateng", Role.VERIFIER, "province-33")
    solo = make_user("op.solo@example.id", "Operator Surakarta", Role.OPERATOR, "regency-33.72")
    reporter = UserFactory(email="warga.tenggat@example.id")
    late = filed(reporter, "Lampu lalu lintas mati di Simpang Lima")
    answered = filed(reporter, "Pohon tumbang menutup Jalan Slamet Riyadi",
                     regency=Region.objects.get(code="33.72"))
    waiting = filed(reporter, "Pungutan liar di kantor kelurahan Pedurungan")
    verification.disposition_report(report=late, to_body=body("regency-33.74"),
                                    actor=staff["verifier"])
    verification.disposition_report(report=answered, to_body=body("regency-33.72"),
                                    actor=staff["verifier"])
    handling.respond(report=fresh(answered), actor=solo, note="Petugas kami menuju lokasi.")
    breach_at = max(_due(late, ClockKind.FIRST_RESPONSE),
                    _due(waiting, ClockKind.VERIFICATION)) + dt.timedelta(hours=1)

    with time_machine.travel(breach_at, tick=True):
        result = enforce_deadlines(timezone.now())
        assert result.breached == {ClockKind.FIRST_RESPONSE: 1, ClockKind.VERIFICATION: 1}
        with screen(browser) as page:
            signed_in(page, site, staff["supervisor"])
            visit(page, site + "/")
            click_through(page, main_menu(page).get_by_role("link", name="Antrean", exact=True))
            rows = _rows(page)
            assert [NUMBER.search(row).group(0) for row in rows] == [
                late.tracking_number, answered.tracking_number]
            assert "Terlambat" in rows[0] and "Tanggapan pertama: terlambat" in rows[0]
            assert "Pemerintah Kota Semarang" in rows[0]  # the subtree: the holder is named
            # Answered: next, its 5-working-day next step (tindak lanjut berkala).
            assert "Terlambat" not in rows[1] and "Tindak lanjut berkala: sisa" in rows[1]
            assert "Terlambat: 1" in words(page.locator(".status-counts"))
            screenshot(page, "journey-supervisor-queue-desktop")

            # the notice of the breach opens the report, overdue at the top of its page
            visit(page, site + "/notifikasi/")
            click_through(page, page.locator(".notice", has_text="Tenggat terlewati: "
                                             + late.tracking_number).locator("a.notice-body"))
            assert page.url.endswith(f"/petugas/laporan/{late.tracking_number}/")
            assert "Tanggapan pertama: terlambat" in page.locator(".overdue-banner").inner_text()
            screenshot(page, "journey-supervisor-breached-report-desktop")
            numbers = follow_every_notice(page, site)
            assert {late.tracking_number, waiting.tracking_number} <= set(numbers)
            # the late verification, on its report's page (still waiting for a verifier)
            visit(page, f"{site}/petugas/laporan/{waiting.tracking_number}/")
            clock = words(page.locator("table.clocks tr", has_text="Verifikasi"))
            assert "terlewati" in clock and "belum dipenuhi" in clock

            # the holder's operator: the same report first, marked and counted
            signed_in(page, site, staff["operator_a"])
            visit(page, site + "/petugas/antrean/?overdue=1")
            [row] = _rows(page)
            assert late.tracking_number in row and "Tanggapan pertama: terlambat" in row
            assert "Terlambat: 1" in words(page.locator(".status-counts"))


def test_ombudsman_officer_takes_over_the_watch_after_60_working_days(site, staff, browser):
    """Follow-up (60 working days) breached: the report goes to the Ombudsman office of
    Jawa Tengah with its overdue mark; the officer reads its whole history, internal notes
    included once escalated; the body's queue keeps it first, with the Ombudsman mark."""
    semarang = body("regency-33.74")
    reporter = UserFactory(email="warga.ombudsman@example.id")
    slow = filed(reporter, "Izin usaha tidak kunjung terbit sejak Maret")
    verification.disposition_report(report=slow, to_body=semarang, actor=staff["verifier"],
                                    note=VERIFIER_NOTE)
    handling.respond(report=fresh(slow), actor=staff["operator_a"],
                     note="Berkas Anda sedang kami periksa.")
    handling.add_internal_note(report=fresh(slow), actor=staff["operator_a"], note=STAFF_NOTE)

    with screen(browser) as page:
        # before the escalation the officer sees the report, not the staff's notes
        signed_in(page, site, staff["ombudsman"])
        visit(page, f"{site}/petugas/laporan/{slow.tracking_number}/")
        assert STAFF_NOTE not in main_text(page) and VERIFIER_NOTE not in main_text(page)

        with time_machine.travel(_due(slow, ClockKind.FOLLOW_UP) + dt.timedelta(hours=1),
                                 tick=True):
            recent = filed(reporter, "Sampah menumpuk di depan Pasar Johar")
            verification.disposition_report(report=recent, to_body=semarang,
                                            actor=staff["verifier"])
            result = enforce_deadlines(timezone.now())
            # The 60 days, and (no sweep ran meanwhile) its 5-working-day next step long ago.
            assert result.breached == {ClockKind.FOLLOW_UP: 1, ClockKind.NEXT_STEP: 1}

            signed_in(page, site, staff["ombudsman"])
            visit(page, site + "/")
            click_through(page, main_menu(page).get_by_role("link",
                                                            name="Pengawasan Ombudsman"))
            [row] = _rows(page)
            assert slow.tracking_number in row
            # Its earliest unmet deadline is the 5-working-day next step (missed long before
            # the 60 days): that is what the row names.
            for mark in ("Terlambat", "Diawasi Ombudsman RI sejak",
                         "Tindak lanjut berkala: terlambat", "Pemerintah Kota Semarang"):
                assert mark in row, mark
            assert "(terlambat): 1" in words(page.locator(".status-counts"))
            assert labels_off_their_fields(page.get_by_role("search")) == []
            screenshot(page, "journey-ombudsman-queue-desktop")
            click_through(page, page.locator(".queue-row").get_by_role("link"))
            assert "Tindak lanjut berkala: terlambat" in (
                page.locator(".overdue-banner").inner_text())
            assert "Diawasi Ombudsman RI Perwakilan Provinsi Jawa Tengah sejak" in (
                page.locator(".overdue-banner").inner_text())
            history = page.locator("ol.timeline").inner_text()
            for seen_text in ("Diteruskan ke Ombudsman RI", "Tenggat terlewati",
                              "Berkas Anda sedang kami periksa.", STAFF_NOTE, VERIFIER_NOTE):
                assert seen_text in history, seen_text
            screenshot(page, "journey-ombudsman-report-desktop")
            click_through(page, page.get_by_role("navigation", name="Jalur").get_by_role(
                "link", name="Pengawasan Ombudsman"))
            assert page.url.endswith("/petugas/ombudsman/")
            assert slow.tracking_number in follow_every_notice(page, site)

            # the body still holds it: first in its queue, overdue, with the Ombudsman mark
            signed_in(page, site, staff["operator_a"])
            visit(page, site + "/petugas/antrean/")
            rows = _rows(page)
            assert [NUMBER.search(row).group(0) for row in rows] == [
                slow.tracking_number, recent.tracking_number]
            assert "Tindak lanjut berkala: terlambat" in rows[0]
            assert "Diawasi Ombudsman RI" in rows[0]
            assert "Tanggapan pertama: sisa" in rows[1]
            assert "Terlambat: 1" in words(page.locator(".status-counts"))
            screenshot(page, "journey-operator-escalated-queue-desktop")
            follow_every_notice(page, site)

            # the citizen is told where the report went, never the staff's notes
            signed_in(page, site, reporter)
            visit(page, f"{site}/laporan-saya/{slow.tracking_number}/")
            assert "Diteruskan ke Ombudsman RI" in _timeline(page)
            assert STAFF_NOTE not in page.content() and VERIFIER_NOTE not in page.content()
            assert slow.tracking_number in follow_every_notice(page, site)


def test_a_citizen_silent_for_240_hours_finds_the_report_closed(site, staff, phone):
    """Citizen silence (240 hours after the final answer) breached: the report closes by
    itself, and the citizen's page says so and still asks for a rating."""
    page = with_axe(phone)
    reporter = UserFactory(email="warga.diam@example.id")
    quiet = filed(reporter, "Air PDAM keruh di Perumahan Tlogosari")
    verification.disposition_report(report=quiet, to_body=body("regency-33.74"),
                                    actor=staff["verifier"])
    handling.resolve(report=fresh(quiet), actor=staff["operator_a"],
                     answer="Pipa sudah dibersihkan; air kembali jernih sejak Senin.")

    with time_machine.travel(_due(quiet, ClockKind.CITIZEN_SILENCE) + dt.timedelta(hours=1),
                             tick=True):
        assert enforce_deadlines(timezone.now()).breached == {ClockKind.CITIZEN_SILENCE: 1}
        signed_in(page, site, reporter)
        visit(page, f"{site}/laporan-saya/{quiet.tracking_number}/")
        assert "Selesai" in page.locator("dl.facts").inner_text()
        assert "Ditutup otomatis: pelapor tidak menanggapi jawaban akhir." in _timeline(page)
        assert page.get_by_role("button", name="Ya, terima jawaban").count() == 0
        assert page.get_by_role("heading", name="Beri penilaian").is_visible()
        screenshot(page, "journey-citizen-auto-closed-phone")
        assert quiet.tracking_number in follow_every_notice(page, site)
        assert follow_email_links(page, site, reporter.email) == 2  # /lacak/, its page


# --- the system admin, on a desktop ------------------------------------------------------


def test_system_admin_opens_the_admin_the_body_tree_and_a_report(site, staff, browser):
    reporter = UserFactory(email="warga.admin@example.id")
    with time_machine.travel(timezone.now() - dt.timedelta(days=2), tick=False):
        late = filed(reporter, "Antrean KTP elektronik mengular di Disdukcapil")
        verification.disposition_report(report=late, to_body=body("regency-33.74"),
                                        actor=staff["verifier"])
    enforce_deadlines(timezone.now())  # its first response is late: the admin is told

    with screen(browser) as page:
        signed_in(page, site, staff["admin"])
        visit(page, site + "/")
        click_through(page, main_menu(page).get_by_role("link", name="Administrasi"))
        assert page.url.endswith("/admin/")
        screenshot(page, "journey-admin-index-desktop")
        click_through(page, page.get_by_role("link", name="Instansi", exact=True))
        tree = page.locator("#result_list").inner_text()
        assert "Kementerian Koordinator Bidang Politik dan Keamanan" in tree
        assert page.locator("#result_list .tree-indent").count() > 0  # units under their body
        screenshot(page, "journey-admin-body-tree-desktop")
        page.locator("#searchbar").fill("Semarang")
        click_through(page, page.locator("#changelist-search").get_by_role("button"))
        tree = page.locator("#result_list").inner_text()
        assert "Pemerintah Kota Semarang" in tree and "Pemerintah Kabupaten Semarang" in tree
        click_through(page, page.locator("#result_list").get_by_role(
            "link", name="Pemerintah Kota Semarang"))
        assert "Pemerintah Kota Semarang" in page.locator("#content").inner_text()

        # the report's staff page, from the breach notice; its breadcrumb leads to the admin
        assert follow_every_notice(page, site) == [late.tracking_number]
        assert "Tanggapan pertama: terlambat" in page.locator(".overdue-banner").inner_text()
        screenshot(page, "journey-admin-report-desktop")
        click_through(page, page.get_by_role("navigation", name="Jalur").get_by_role(
            "link", name="Administrasi"))
        assert page.url.endswith("/admin/")

