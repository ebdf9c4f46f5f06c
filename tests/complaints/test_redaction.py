"""Personal data never reaches the public copy: each recogniser on what it must and must not
find, their recall and precision on a corpus of real-looking reports, and a report with a NIK,
a phone number and a plate seen from every public place (pages, API, feed, search snippet,
the search index), while staff read the original."""

from __future__ import annotations

import csv
import importlib
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from complaints import redaction
from complaints.models import Category, EventKind, Report, Visibility
from tests.complaints.redaction_corpus import CORPUS, HELD_OUT, parse
from tests.factories import UserFactory, add_event, public_report

DISTRICTS_CSV = Path(__file__).parents[2] / "agencies" / "data" / "idn-area" / "districts.csv"
DISTRICTS = frozenset(
    row["code"].replace(".", "") for row in csv.DictReader(DISTRICTS_CSV.open(encoding="utf-8"))
)

NIK = "3374015705900003"  # Semarang Tengah, a woman born 17 May 1990
PHONE = "0812-3456-7890"
PLATE = "H 1234 XY"
EMAIL = "budi.santoso@gmail.com"
ACCOUNT = "1234567890"


@pytest.fixture(autouse=True)
def _own_cache(settings):
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-red-{uuid.uuid4().hex}"}
    }


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in redaction.find(text, districts=DISTRICTS)]


# --- each recogniser ---------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("NIK 3374015705900003 mohon dicek", [("nik", "3374015705900003")]),
    ("NIK 3374011705900003 (a man, day 17)", [("nik", "3374011705900003")]),
    ("NIK 3374 0157 0590 0003", [("nik", "3374 0157 0590 0003")]),
    ("NIK 337401-570590-0003", [("nik", "337401-570590-0003")]),
    ("No KK 3374012010150007", [("kk", "3374012010150007")]),
    ("kartu keluarga kami 6371021504120003", [("kk", "6371021504120003")]),
    ("NIK 3374012902000001 (29 Feb 2000)", [("nik", "3374012902000001")]),
])
def test_nik_and_kk_are_found(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize("text", [
    "invoice 9912345678901234",  # no province 99
    "tagihan 1234567890123456",  # 12.34.56 is no district
    "referensi 3374013213900001",  # day 32, month 13
    "referensi 3374017213900001",  # a woman's day 72 - 40 = 32
    "kontrak 3374013102900001",  # 31 February
    "meter 3374010101900000",  # serial 0000
    "transaksi 33740157059000031",  # 17 digits
    "nomor 337401570590000",  # 15 digits
    "sertifikat 3374.0157.0590-0003",  # two kinds of separators
])
def test_sixteen_digits_that_are_not_a_nik_stay(text):
    assert kinds(text) == []


def test_is_nik_checks_the_region_the_date_and_the_serial():
    assert redaction.is_nik(NIK, DISTRICTS)
    assert not redaction.is_nik(NIK, frozenset({"317101"}))
    assert not redaction.is_nik("3374012902010001", DISTRICTS)  # 29 Feb 1901/2001
    assert redaction.is_nik("3374016902010001", DISTRICTS) is False  # woman, 29 Feb 01


@pytest.mark.parametrize("text", [
    "081234567890", "0812-3456-7890", "0857 1122 3344", "+62 813 2233 4455", "6281398765432",
    "+6282112345678", "0811.2345.678", "(021) 555 1234", "0274-512345", "+62-21-7654321",
])
def test_phone_numbers_are_found(text):
    assert kinds(f"hubungi {text} segera") == [("phone", text)]


@pytest.mark.parametrize("text", [
    "tanggal 08-12-2023 pukul 08.30", "antrean nomor 0812", "62.000 orang", "Rp 1.500.000",
    "kode pos 50132", "08/09/2024 di km 62", "jam 08.00-16.00",
])
def test_dates_prices_and_counts_are_not_phone_numbers(text):
    assert kinds(text) == []


@pytest.mark.parametrize("text", [
    "budi.santoso@gmail.com", "siti_rahma88@yahoo.co.id", "kepsek@sdn3-makassar.sch.id",
    "andi [at] gmail.com",
])
def test_email_addresses_are_found(text):
    assert kinds(f"kirim ke {text}, terima kasih") == [("email", text)]


@pytest.mark.parametrize("text", ["www.lapor.go.id", "akun @lapor1708", "Instagram @dishub.smg"])
def test_handles_and_sites_are_not_emails(text):
    assert kinds(text) == []


@pytest.mark.parametrize("prefix", redaction.PLATE_PREFIXES)
def test_every_regional_plate_prefix_is_found(prefix):
    plate = f"{prefix} 1234 XY"
    assert kinds(f"mobil {plate} parkir di trotoar") == [("plate", plate)]


@pytest.mark.parametrize("text, plate", [
    ("taksi B1234ZZZ menolak argo", "B1234ZZZ"),
    ("dinas KB 1 A di tempat hiburan", "KB 1 A"),
    ("nopol b 1234 xyz membuang limbah", "b 1234 xyz"),
])
def test_plates_written_otherwise_are_found(text, plate):
    assert kinds(text) == [("plate", plate)]


@pytest.mark.parametrize("text", [
    "Blok B 12 A RT 03 RW 07", "km 12 arah Bandung", "vitamin B 12 untuk posyandu",
    "Gang 5 No 12", "pukul 14.30 WIB", "batas 5 T", "Lampu tipe A 250 W", "zona B 3",
    "kelas X IPA 2",
])
def test_addresses_units_and_times_are_not_plates(text):
    assert kinds(text) == []


@pytest.mark.parametrize("text, number", [
    ("transfer ke rekening BCA 1234567890 sebagai", "1234567890"),
    ("ke BRI 0123-01-012345-50-1 tapi", "0123-01-012345-50-1"),
    ("norek 0123456789012 bukan", "0123456789012"),
    ("ke 5430 1234 56 (BCA) katanya", "5430 1234 56"),
    ("rekening Bank Jateng 2012345678 tapi", "2012345678"),
    ("CIMB Niaga 707012345678.", "707012345678"),
])
def test_bank_accounts_next_to_a_bank_are_found(text, number):
    assert kinds(text) == [("bank_account", number)]


@pytest.mark.parametrize("text", [
    "diminta Rp 15.000.000 lewat BRI", "Kantor cabang BCA di Jalan Pemuda 12 tutup sejak 2021",
    "Program Mandiri Sejahtera 2024", "KUR BRI sebesar Rp 50.000.000 ditolak",
    "nomor 1234567890 tanpa nama bank",
])
def test_prices_and_numbers_without_a_bank_are_not_accounts(text):
    assert kinds(text) == []


def test_public_copy_masks_each_kind_and_keeps_the_rest():
    text = (f"NIK {NIK}, HP {PHONE}, email {EMAIL}, mobil {PLATE}, BCA {ACCOUNT}; "
            "RT 02/RW 05, Rp 1.500.000, km 12, tahun 2024")
    assert redaction.public_copy(text, districts=DISTRICTS) == (
        "NIK [NIK disamarkan], HP [nomor telepon disamarkan], email [email disamarkan], "
        "mobil [pelat nomor disamarkan], BCA [nomor rekening disamarkan]; "
        "RT 02/RW 05, Rp 1.500.000, km 12, tahun 2024"
    )


# --- the corpus ------------------------------------------------------------------------------

# What the recognisers must reach on the corpus, per kind.
MIN_RECALL = 0.9
MIN_PRECISION = 0.95


def measure(lines: list[str]) -> dict[str, tuple[int, int, int]]:
    """Per kind: (found right, found wrongly, missed). Right: the kind's finding covers the
    whole labelled span."""
    hits, false, missed = Counter(), Counter(), Counter()
    for line in lines:
        text, gold = parse(line)
        found = redaction.find(text, districts=DISTRICTS)
        matched: set[redaction.Finding] = set()
        for kind, start, end in gold:
            cover = [f for f in found if f.kind == kind and f.start <= start and f.end >= end]
            if cover:
                hits[kind] += 1
                matched.add(cover[0])
            else:
                missed[kind] += 1
        false.update(f.kind for f in found if f not in matched)
    return {kind: (hits[kind], false[kind], missed[kind]) for kind in redaction.KINDS}


def figures(name: str, lines: list[str], counts: dict[str, tuple[int, int, int]]) -> str:
    out = [f"{name}: {len(lines)} sentences"]
    for kind, (hit, false, missed) in counts.items():
        out.append(f"  {kind:13} spans {hit + missed:3}  recall {hit / (hit + missed):.3f}  "
                   f"precision {hit / max(hit + false, 1):.3f}")
    return "\n".join(out)


def test_recall_and_precision_per_kind_on_the_corpus(capsys):
    counts = measure(CORPUS)
    held_out = measure(HELD_OUT)
    with capsys.disabled():
        print("\n" + figures("corpus", CORPUS, counts))
        print(figures("held out", HELD_OUT, held_out))
    assert len(CORPUS) >= 150
    for kind, (hit, false, missed) in counts.items():
        assert hit / (hit + missed) >= MIN_RECALL, kind
        assert hit / (hit + false) >= MIN_PRECISION, kind
    # The held-out sentences, all kinds together (a few spans per kind).
    hit, false, missed = (sum(c[i] for c in held_out.values()) for i in range(3))
    assert hit / (hit + missed) >= 0.9
    assert hit / (hit + false) >= 0.9


# --- the region tree ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_district_codes_come_from_the_region_tree():
    redaction.forget_district_codes()
    codes = redaction.district_codes()
    assert "337401" in codes and len(codes) > 7000
    assert redaction.public_copy(f"NIK {NIK}") == "NIK [NIK disamarkan]"


# --- the public copy of a report --------------------------------------------------------------


@pytest.mark.django_db
def test_saving_a_report_keeps_its_public_copy():
    report = public_report(title=f"Mobil {PLATE} parkir", description=f"Hubungi {PHONE}.")
    report.refresh_from_db()
    assert report.public_title == "Mobil [pelat nomor disamarkan] parkir"
    assert report.public_description == "Hubungi [nomor telepon disamarkan]."
    report.description = f"NIK {NIK}"
    report.save(update_fields=["description"])
    report.refresh_from_db()
    assert report.public_description == "NIK [NIK disamarkan]"
    assert report.description == f"NIK {NIK}"


@pytest.mark.django_db
def test_the_backfill_fills_the_copy_of_reports_written_before_it():
    old = public_report(title=f"Truk {PLATE}", description=f"NIK {NIK} dan {PHONE}")
    untouched = public_report(title="Jalan rusak", description="Lubang besar")
    Report.objects.filter(pk__in=[old.pk, untouched.pk]).update(
        public_title="", public_description="")
    migration = importlib.import_module(
        "complaints.migrations.0018_backfill_report_public_copy")
    migration.backfill(apps, None)
    old.refresh_from_db()
    untouched.refresh_from_db()
    assert old.public_title == "Truk [pelat nomor disamarkan]"
    assert old.public_description == "NIK [NIK disamarkan] dan [nomor telepon disamarkan]"
    assert (untouched.public_title, untouched.public_description) == ("Jalan rusak",
                                                                      "Lubang besar")


@pytest.fixture
def exposed(db):
    """A public report with a NIK, a phone number and a plate in its title and text, and a
    public answer that repeats the phone number and adds an email and an account."""
    report = public_report(
        title=f"Mobil {PLATE} parkir liar di trotoar",
        description=f"Saya warga Semarang, NIK {NIK}, HP {PHONE}. Mobil {PLATE} parkir liar "
                    "di trotoar depan sekolah setiap pagi.",
    )
    add_event(report, EventKind.RESPONSE, visibility=Visibility.PUBLIC,
              note=f"Kami hubungi pelapor di {PHONE} atau {EMAIL}; denda ke BCA {ACCOUNT}.")
    return report


SECRETS = (NIK, PHONE, PLATE, EMAIL, ACCOUNT, "3456-7890", "1234 XY")


def assert_nothing_personal(content: str) -> None:
    for secret in SECRETS:
        assert secret not in content, secret


@pytest.mark.django_db
def test_no_public_place_shows_the_nik_phone_or_plate(client, exposed):
    api = APIClient()
    pages = {
        "detail": client.get(reverse("public:detail", args=[exposed.tracking_number])),
        "feed": client.get(reverse("public:feed")),
        "search": client.get(reverse("public:feed"), {"q": "trotoar"}),
        "track": client.get(reverse("complaints:track"), {"nomor": exposed.tracking_number}),
        "api detail": api.get(reverse("api:public-report-detail",
                                      args=[exposed.tracking_number])),
        "api feed": api.get(reverse("api:public-report-list")),
        "api search": api.get(reverse("api:public-report-list"), {"q": "trotoar sekolah"}),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        content = response.content.decode()
        assert exposed.tracking_number in content, name
        assert_nothing_personal(content)
        assert "pelat nomor disamarkan" in content, name
    detail = pages["detail"].content.decode()
    for mask in ("[NIK disamarkan]", "[nomor telepon disamarkan]", "[email disamarkan]",
                 "[nomor rekening disamarkan]"):
        assert mask in detail
    snippet = pages["api search"].json()["results"][0]["snippet"]
    assert "<mark>" in snippet and "[pelat nomor disamarkan]" in snippet


@pytest.mark.django_db
@pytest.mark.parametrize("words", [NIK, "3374015705900003", PHONE, "081234567890", "XY"])
def test_searching_the_personal_data_finds_nothing_publicly(client, exposed, words):
    page = client.get(reverse("public:feed"), {"q": words}).content.decode()
    assert exposed.tracking_number not in page
    api = APIClient().get(reverse("api:public-report-list"), {"q": words}).json()
    assert api["results"] == []
    assert not Report.objects.filter(public_search_vector=words).exists()


@pytest.mark.django_db
def test_staff_who_may_see_the_report_read_the_original(client, exposed, operator_a):
    client.force_login(operator_a)
    page = client.get(reverse("routing:report", args=[exposed.tracking_number]))
    assert page.status_code == 200
    content = page.content.decode()
    assert NIK in content and PHONE in content and PLATE in content
    # ... and the staff search still finds it by the original
    assert Report.objects.filter(search_vector=NIK).exists()


@pytest.mark.django_db
def test_the_reporter_reads_the_original_on_their_own_page(client, exposed):
    client.force_login(exposed.reporter)
    page = client.get(reverse("complaints:my-report", args=[exposed.tracking_number]))
    assert NIK in page.content.decode()


@pytest.fixture
def english_masks(settings, tmp_path):
    """This branch's English (locale/en/LC_MESSAGES/pending-redact.po, merged into django.po
    later) compiled into a catalog of its own, found first."""
    import polib

    pending = Path(__file__).parents[2] / "locale/en/LC_MESSAGES/pending-redact.po"
    folder = tmp_path / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    polib.pofile(str(pending)).save_as_mofile(str(folder / "django.mo"))
    settings.LOCALE_PATHS = [tmp_path, *settings.LOCALE_PATHS]  # resets the cached catalogs


def test_masks_are_shown_in_the_readers_language(english_masks):
    stored = "NIK [NIK disamarkan], HP [nomor telepon disamarkan]"
    with translation.override("id"):
        assert redaction.localised(stored) == stored
    with translation.override("en"):
        assert redaction.localised(stored) == "NIK [NIK masked], HP [phone number masked]"
    assert redaction.localised("tanpa data pribadi") == "tanpa data pribadi"


@pytest.mark.django_db
def test_an_english_reader_sees_english_masks(client, exposed, english_masks):
    page = client.get(reverse("public:detail", args=[exposed.tracking_number]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "[licence plate masked]" in page and "[NIK masked]" in page
    assert "[email masked]" in page  # in the answer's note
    assert "disamarkan]" not in page
    assert_nothing_personal(page)
    api = APIClient().get(reverse("api:public-report-detail", args=[exposed.tracking_number]),
                          HTTP_ACCEPT_LANGUAGE="en").json()
    assert api["title"] == "Mobil [licence plate masked] parkir liar di trotoar"


# --- the filing form shows what will be masked before the report is sent -----------------------


@pytest.fixture
def filer(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory(full_name="Siti Aminah")
    client.force_login(user)
    client.user = user
    return client


def filing_form(**overrides: str) -> dict[str, str]:
    data = {
        "action": "submit", "kind": "complaint",
        "title": f"Mobil {PLATE} parkir di trotoar",
        "description": f"Saya Siti, NIK {NIK}, HP {PHONE}. Mobil itu parkir setiap pagi di "
                       "depan SD Negeri 3 sehingga anak-anak berjalan di jalan raya.",
        "category": str(Category.objects.get(slug="infrastruktur").pk),
        "province": "33", "regency": "33.74", "district": "33.74.01", "event_on": "2026-11-20",
    }
    data.update(overrides)
    return data


def preview_section(html: str) -> str:
    start = html.index("data-public-preview")
    return html[start:html.index("</section>", start)]


@pytest.mark.django_db
def test_sending_a_report_with_personal_data_first_shows_what_will_be_masked(filer):
    response = filer.post("/lapor/", filing_form())
    assert response.status_code == 200
    assert not Report.objects.filter(reporter=filer.user).exclude(status="draft").exists()
    draft = Report.objects.get(reporter=filer.user, status="draft")  # nothing typed is lost
    assert draft.description.startswith("Saya Siti, NIK")
    panel = preview_section(response.content.decode())
    for label, value, mask in (("NIK", NIK, "[NIK disamarkan]"),
                               ("Nomor telepon", PHONE, "[nomor telepon disamarkan]"),
                               ("Pelat nomor kendaraan", PLATE, "[pelat nomor disamarkan]")):
        assert f"<strong>{label}</strong>: <span class=\"original\">{value}</span>" in panel
        assert mask in panel
    assert "Mobil [pelat nomor disamarkan] parkir di trotoar" in panel
    digest = redaction.preview_digest(filing_form()["title"], filing_form()["description"])
    assert f'name="previewed" value="{digest}"' in panel

    sent = filer.post(f"/lapor/draf/{draft.pk}/", {**filing_form(), "previewed": digest})
    assert sent.status_code == 302 and "/terkirim/" in sent["Location"]
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert draft.public_description.startswith(
        "Saya Siti, NIK [NIK disamarkan], HP [nomor telepon disamarkan].")
    assert draft.description.startswith(f"Saya Siti, NIK {NIK}")


@pytest.mark.django_db
def test_a_text_changed_after_its_preview_is_previewed_again(filer):
    first = filer.post("/lapor/", filing_form())
    draft = Report.objects.get(reporter=filer.user, status="draft")
    digest = preview_section(first.content.decode()).split('name="previewed" value="')[1][:32]
    changed = filing_form(description=filing_form()["description"] + f" Email {EMAIL}.")
    again = filer.post(f"/lapor/draf/{draft.pk}/", {**changed, "previewed": digest})
    assert again.status_code == 200
    assert "[email disamarkan]" in preview_section(again.content.decode())
    draft.refresh_from_db()
    assert draft.status == "draft"


@pytest.mark.django_db
def test_a_report_without_personal_data_or_a_confidential_one_is_sent_at_once(filer):
    plain = filing_form(title="Jalan berlubang di Jalan Pemuda",
                        description="Lubang besar di depan SD Negeri 3 sudah sebulan, motor "
                                    "sering jatuh pada malam hari.")
    assert filer.post("/lapor/", plain).status_code == 302
    assert filer.post("/lapor/", filing_form(is_confidential="on")).status_code == 302


@pytest.mark.django_db
def test_the_preview_button_shows_the_public_copy_even_with_nothing_to_mask(filer):
    plain = filing_form(action="preview", title="Jalan berlubang di Jalan Pemuda",
                        description="Lubang besar di depan SD Negeri 3 sudah sebulan.")
    response = filer.post("/lapor/", plain)
    assert response.status_code == 200
    panel = preview_section(response.content.decode())
    assert "Kami tidak menemukan NIK" in panel and "Jalan berlubang di Jalan Pemuda" in panel
    assert Report.objects.get(reporter=filer.user).status == "draft"


@pytest.mark.django_db
def test_the_api_draft_answers_with_its_public_copy_before_it_is_sent():
    api = APIClient()
    api.force_authenticate(UserFactory())
    draft = api.post("/api/v1/reports/", {
        "kind": "complaint", "title": f"Mobil {PLATE} parkir di trotoar",
        "description": f"Hubungi saya di {PHONE}, NIK {NIK}.", "submit": False,
    }, format="json")
    assert draft.status_code == 201, draft.content
    body = draft.json()
    assert body["status"] == "draft" and body["title"] == f"Mobil {PLATE} parkir di trotoar"
    assert body["public_title"] == "Mobil [pelat nomor disamarkan] parkir di trotoar"
    assert body["public_description"] == (
        "Hubungi saya di [nomor telepon disamarkan], NIK [NIK disamarkan].")
