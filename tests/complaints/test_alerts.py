"""Email alerts (complaints.alerts): subscribe → confirm → a daily digest through the outbox,
only to confirmed addresses, with only the public copy of public reports; one-click
unsubscribe (GET shows a button, POST stops; a mail client's RFC 8058 POST without a CSRF
token); bad and expired links say so; rate limits; the digest's queries do not grow with the
number of subscribers; the same acts through the API."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from agencies.models import Body, Region
from complaints import alerts, outbox
from complaints.alert_models import AlertSubscription
from complaints.models import Category, OutgoingEmail
from tests.conftest import body, make_user
from tests.factories import public_report

pytestmark = pytest.mark.django_db

NIK, PHONE = "3374015705900003", "0812-3456-7890"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def _link(row: OutgoingEmail, kind: str) -> str:
    match = re.search(rf"http://[^\s]+/peringatan/{kind}/([^/\s]+)/", row.text)
    assert match, row.text
    return match.group(1)


def _subscribe(client: Client, email: str, **fields: object):
    return client.post("/peringatan/", {"email": email, **fields})


def _confirmed(email: str, **kwargs: object) -> AlertSubscription:
    now = timezone.now()
    return AlertSubscription.objects.create(email=email, confirmed_at=now, sent_up_to=now,
                                            **kwargs)


def test_subscribe_then_confirm_then_the_digest_goes_to_confirmed_addresses_only(
        client, mailoutbox):
    district = Region.objects.get(code="33.74.01")
    response = _subscribe(client, "Ani@Contoh.id", region="33.74.01")
    assert response.status_code == 302 and response["Location"] == "/peringatan/terkirim/"
    _subscribe(client, "budi@contoh.id", region="33.74.01")  # never confirms
    assert mailoutbox == []  # nothing leaves during the request: rows in the outbox
    confirmation = OutgoingEmail.objects.get(address="ani@contoh.id")
    assert "Semarang Tengah" in confirmation.text
    token = _link(confirmation, "konfirmasi")
    page = client.get(f"/peringatan/konfirmasi/{token}/")
    assert page.status_code == 200 and "Ya, mulai peringatan" in page.content.decode()
    assert not AlertSubscription.objects.get(email="ani@contoh.id").is_confirmed  # GET only asks
    assert client.post(f"/peringatan/konfirmasi/{token}/").status_code == 302
    assert AlertSubscription.objects.get(email="ani@contoh.id").is_confirmed

    soon = timezone.now() + timedelta(minutes=1)
    reporter = make_user("siti.pelapor@example.id", "Siti Rahayu Pelapor")
    shown = public_report(title="Lampu jalan mati", description=f"NIK {NIK}, hubungi {PHONE}",
                          district=district, verified_at=soon, reporter=reporter)
    public_report(title=f"Pungli rahasia {PHONE}", district=district, verified_at=soon,
                  is_confidential=True, reporter=reporter)
    public_report(title="Kecamatan lain", district=Region.objects.get(code="33.74.02"),
                  verified_at=soon)
    OutgoingEmail.objects.all().delete()

    outcome = alerts.send_digests(now=soon + timedelta(hours=1))
    assert outcome["emails"] == 1
    digest = OutgoingEmail.objects.get()
    assert digest.address == "ani@contoh.id"
    assert shown.tracking_number in digest.text and "Lampu jalan mati" in digest.text
    for secret in (NIK, PHONE, "rahasia", "Kecamatan lain", "Siti Rahayu", "siti.pelapor"):
        assert secret not in digest.text, secret
    assert digest.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<http://[^>]+/peringatan/kelola/[^/]+/>",
                        digest.headers["List-Unsubscribe"])
    assert "/peringatan/berhenti/" in digest.text  # one-click for this alert, in the text too

    assert outbox.deliver(ids=[digest.pk])["sent"] == 1
    (message,) = mailoutbox
    assert message.to == ["ani@contoh.id"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"] == digest.headers["List-Unsubscribe"]

    # Run again (a second worker, a retry): nothing new, nothing sent twice.
    assert alerts.send_digests(now=soon + timedelta(hours=2))["emails"] == 0
    assert OutgoingEmail.objects.count() == 1


def test_a_body_alert_covers_the_units_below_and_its_category(db):
    pemkot = body("regency-33.74")
    unit = Body.objects.add_child(pemkot, create_kwargs={
        "name": "Dinas Jalan Kota Semarang", "kind": "unit", "region": pemkot.region})
    roads = Category.objects.get(slug="infrastruktur")
    other = Category.objects.exclude(pk=roads.pk).first()
    _confirmed("ani@contoh.id", body=pemkot, category=roads)
    soon = timezone.now() + timedelta(minutes=1)
    public_report(title="Jalan unit", holder_body=unit, category=roads, verified_at=soon)
    public_report(title="Kategori lain", holder_body=pemkot, category=other, verified_at=soon)
    public_report(title="Surabaya", holder_body=body("regency-35.78"), category=roads,
                  verified_at=soon)
    alerts.send_digests(now=soon + timedelta(hours=1))
    text = OutgoingEmail.objects.get().text
    assert "Jalan unit" in text and "Kategori lain" not in text and "Surabaya" not in text


def test_one_address_gets_one_email_with_each_report_once(db):
    district = Region.objects.get(code="33.74.01")
    _confirmed("ani@contoh.id", region=district)
    _confirmed("ani@contoh.id", body=body("regency-33.74"))
    soon = timezone.now() + timedelta(minutes=1)
    report = public_report(title="Di keduanya", district=district, verified_at=soon)
    alerts.send_digests(now=soon + timedelta(hours=1))
    (digest,) = OutgoingEmail.objects.all()
    assert digest.text.count(f"* {report.tracking_number}:") == 1


def test_unsubscribe_link_get_asks_post_stops(db):
    subscription = _confirmed("ani@contoh.id", region=Region.objects.get(code="33.74.01"))
    token = alerts.unsubscribe_token(subscription)
    client = Client(enforce_csrf_checks=True)  # as a mail client: no session, no CSRF token
    page = client.get(f"/peringatan/berhenti/{token}/")
    assert page.status_code == 200 and "Ya, hentikan" in page.content.decode()
    assert AlertSubscription.objects.filter(pk=subscription.pk).exists()
    stopped = client.post(f"/peringatan/berhenti/{token}/",
                          {"List-Unsubscribe": "One-Click"})
    assert stopped.status_code == 200 and "dihentikan" in stopped.content.decode()
    assert not AlertSubscription.objects.filter(pk=subscription.pk).exists()
    again = client.post(f"/peringatan/berhenti/{token}/")
    assert again.status_code == 200 and "sudah berhenti" in again.content.decode()


def test_the_one_click_post_of_a_digest_stops_every_alert_of_the_address(db):
    _confirmed("ani@contoh.id", region=Region.objects.get(code="33.74.01"))
    _confirmed("ani@contoh.id", body=body("regency-33.74"))
    keep = _confirmed("budi@contoh.id", body=body("regency-33.74"))
    token = alerts.manage_token("ani@contoh.id")
    client = Client(enforce_csrf_checks=True)
    page = client.get(f"/peringatan/kelola/{token}/").content.decode()
    assert "Semarang Tengah" in page and "Hentikan semua" in page
    response = client.post(f"/peringatan/kelola/{token}/", "List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert list(AlertSubscription.objects.all()) == [keep]


@pytest.mark.parametrize("kind", ["konfirmasi", "berhenti", "kelola"])
def test_a_bad_link_says_so(client, kind):
    response = client.get(f"/peringatan/{kind}/bukan-token-kami/")
    assert response.status_code == 400
    assert "tidak sah atau sudah tidak berlaku" in response.content.decode()


def test_an_expired_confirmation_link_says_so_and_the_subscription_is_purged(client):
    _subscribe(client, "ani@contoh.id", region="33.74.01")
    token = _link(OutgoingEmail.objects.get(), "konfirmasi")
    with time_machine.travel(timezone.now() + timedelta(days=alerts.CONFIRM_DAYS, hours=1)):
        response = client.post(f"/peringatan/konfirmasi/{token}/")
        assert response.status_code == 400
        assert "kedaluwarsa" in response.content.decode()
        assert alerts.send_digests()["purged"] == 1
    assert not AlertSubscription.objects.exists()


def test_an_unconfirmed_subscription_sends_no_digest(db):
    AlertSubscription.objects.create(email="ani@contoh.id",
                                     region=Region.objects.get(code="33.74.01"))
    public_report(district=Region.objects.get(code="33.74.01"),
                  verified_at=timezone.now() + timedelta(minutes=1))
    assert alerts.send_digests(now=timezone.now() + timedelta(hours=1))["emails"] == 0
    assert not OutgoingEmail.objects.exists()


def test_asking_again_tells_nothing_about_the_address(client):
    _confirmed("ani@contoh.id", region=Region.objects.get(code="33.74.01"))
    first = _subscribe(client, "ani@contoh.id", region="33.74.01")
    second = _subscribe(client, "baru@contoh.id", region="33.74.01")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    note = OutgoingEmail.objects.get(address="ani@contoh.id")
    assert "sudah aktif" in note.subject and "/peringatan/kelola/" in note.text
    assert AlertSubscription.objects.filter(email="ani@contoh.id").count() == 1


def test_subscription_requests_are_rate_limited(client, settings):
    settings.RATE_LIMITS = {"alert_subscribe": {"ip": (2, 3600)}}
    assert _subscribe(client, "a@contoh.id", region="33.74.01").status_code == 302
    assert _subscribe(client, "b@contoh.id", region="33.74.01").status_code == 302
    refused = _subscribe(client, "c@contoh.id", region="33.74.01")
    assert refused.status_code == 400  # the form again, with the sentence
    assert "Terlalu banyak percobaan" in refused.content.decode()
    api = APIClient().post("/api/v1/alerts/subscribe/",
                           {"email": "d@contoh.id", "region": "33.74.01"}, format="json")
    assert api.status_code == 429 and "Retry-After" in api


def test_one_address_is_not_sent_a_new_link_every_minute(client):
    _subscribe(client, "ani@contoh.id", region="33.74.01")
    again = _subscribe(client, "ani@contoh.id", region="33.74.01")
    assert "baru saja dikirim" in again.content.decode()
    assert OutgoingEmail.objects.count() == 1


def test_a_request_must_name_a_region_or_a_body(client):
    response = _subscribe(client, "ani@contoh.id")
    assert response.status_code == 400
    assert "Pilih wilayah" in response.content.decode()
    assert not AlertSubscription.objects.exists()


def _subscribers(n: int, start: int) -> None:
    districts = list(Region.objects.filter(level="district", parent__code="33.74")
                     .order_by("code"))
    for i in range(start, start + n):
        _confirmed(f"warga{i}@contoh.id", region=districts[i % len(districts)])
        if i % 2:
            _confirmed(f"warga{i}@contoh.id", body=body("regency-33.74"),
                       category=Category.objects.get(slug="infrastruktur"))


def test_the_digest_costs_the_same_queries_for_few_or_many_subscribers(db):
    districts = list(Region.objects.filter(level="district", parent__code="33.74"))
    soon = timezone.now() + timedelta(minutes=1)
    for district in districts:
        public_report(district=district, verified_at=soon)

    def run(n: int, start: int, hours: int) -> tuple[int, int]:
        _subscribers(n, start)
        with CaptureQueriesContext(connection) as queries:
            outcome = alerts.send_digests(now=soon + timedelta(hours=hours))
        return len(queries), outcome["emails"]

    few_queries, few_emails = run(2, 0, 1)
    AlertSubscription.objects.all().delete()
    many_queries, many_emails = run(12, 100, 2)
    assert (few_emails, many_emails) == (2, 12)
    assert few_queries == many_queries


def test_the_same_acts_through_the_api(db):
    api = APIClient()
    answer = api.post("/api/v1/alerts/subscribe/",
                      {"email": "ani@contoh.id", "body": body("regency-33.74").pk,
                       "category": "infrastruktur"}, format="json")
    assert answer.status_code == 202 and "ani@contoh.id" in answer.json()["detail"]
    token = _link(OutgoingEmail.objects.get(), "konfirmasi")
    confirmed = api.post("/api/v1/alerts/confirm/", {"token": token}, format="json")
    assert confirmed.status_code == 200 and confirmed.json()["is_confirmed"] is True
    listed = api.get("/api/v1/alerts/address/",
                     {"token": alerts.manage_token("ani@contoh.id")}).json()
    assert [s["category"] for s in listed] == ["infrastruktur"]
    stop = api.post("/api/v1/alerts/unsubscribe/", {"token": listed[0]["unsubscribe_token"]},
                    format="json")
    assert stop.status_code == 200 and not AlertSubscription.objects.exists()
    bad = api.post("/api/v1/alerts/confirm/", {"token": "bukan"}, format="json")
    assert bad.status_code == 400
    assert api.post("/api/v1/alerts/address/", {"token": alerts.manage_token("ani@contoh.id")},
                    format="json").status_code == 200
