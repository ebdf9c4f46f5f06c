"""Open311 GeoReport v2 at /open311/v2/: services and their attributes, public requests only
(no reporter, ever), filters, posting with an admin-issued key through the one intake, tokens,
errors in the spec's shape; and a client nobody here wrote (``georeport`` from PyPI) reading
all of it against a running server, in JSON and XML."""

import datetime
import json
import xml.etree.ElementTree as ET

import pytest
import requests
from django.core.cache import cache
from django.utils import timezone
from georeport import GeoReport

from agencies.models import Body, Membership, Role
from complaints.models import (
    Category,
    CategoryQuestion,
    Channel,
    EventKind,
    Open311Client,
    Report,
    ReportStatus,
)
from complaints.open311 import keys
from complaints.services import intake
from lapor.errors import NotAllowed
from routing.services.verification import disposition_report
from tests.factories import ReportFactory, UserFactory, public_report

ROOT = "/open311/v2"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def _questions():
    category = Category.objects.get(slug="infrastruktur")
    CategoryQuestion.objects.get_or_create(
        category=category, code="road_segment",
        defaults={"label": "Ruas jalan", "is_required": True, "sort_order": 1,
                  "help_text": "Nama jalan dan patokan"})
    CategoryQuestion.objects.get_or_create(
        category=category, code="hole_count",
        defaults={"label": "Jumlah lubang", "kind": "number", "sort_order": 2})
    CategoryQuestion.objects.get_or_create(
        category=category, code="seen_on",
        defaults={"label": "Terlihat sejak", "kind": "date", "sort_order": 3})
    CategoryQuestion.objects.get_or_create(
        category=category, code="road_status",
        defaults={"label": "Status jalan", "kind": "choice", "sort_order": 4,
                  "choices": "national | Jalan nasional\nlocal | Jalan kota"})
    return category


def _client_and_key(admin, name="Aplikasi Semarang Lapor"):
    client = Open311Client.objects.create(name=name, contact_email="dev@semarang.example.id")
    return client, keys.issue_key(client=client, actor=admin)


def _spec_example(key, **overrides):
    """The spec's POST example (its fields, form-encoded with api_key), in Semarang."""
    data = {
        "api_key": key, "jurisdiction_id": "33.74", "service_code": "infrastruktur",
        "lat": "-6.966667", "long": "110.416664", "address_string": "Jl. Pemuda No. 1",
        "email": "budi.santoso@example.id", "device_id": "tt222111", "account_id": "123456",
        "first_name": "Budi", "last_name": "Santoso", "phone": "081234567890",
        "description": "Lubang besar di tengah jalan sudah sebulan; motor sering jatuh malam.",
        "media_url": "https://example.id/media/lubang.jpg",
        "attribute[road_segment]": "Jl. Pemuda depan SD 3", "attribute[hole_count]": "3",
        "attribute[road_status]": "local",
    }
    data.update(overrides)
    return data


# --- services and their attributes ---------------------------------------------------------

@pytest.mark.django_db
def test_services_are_the_active_categories_in_json_and_xml(client):
    _questions()
    Category.objects.filter(slug="lainnya").update(is_active=False)
    listed = client.get(f"{ROOT}/services.json").json()
    codes = [s["service_code"] for s in listed]
    assert set(codes) == set(Category.objects.filter(is_active=True).values_list("slug",
                                                                                  flat=True))
    roads = next(s for s in listed if s["service_code"] == "infrastruktur")
    assert roads["metadata"] is True and roads["type"] == "realtime"
    assert roads["service_name"] == "Infrastruktur dan Jalan"
    response = client.get(f"{ROOT}/services.xml")
    assert response["Content-Type"].startswith("text/xml")
    tree = ET.fromstring(response.content)
    assert tree.tag == "services"
    assert [s.findtext("service_code") for s in tree.findall("service")] == codes
    assert tree.find("service/metadata").text == "true"


@pytest.mark.django_db
def test_a_service_definition_publishes_the_extra_questions_as_attributes(client):
    _questions()
    CategoryQuestion.objects.create(category=Category.objects.get(slug="infrastruktur"),
                                    code="retired", label="Lama", is_active=False)
    definition = client.get(f"{ROOT}/services/infrastruktur.json").json()
    assert definition["service_code"] == "infrastruktur"
    by_code = {a["code"]: a for a in definition["attributes"]}
    assert list(by_code) == ["region_code", "road_segment", "hole_count", "seen_on",
                             "road_status"]
    assert by_code["road_segment"] == {
        "variable": True, "code": "road_segment", "datatype": "string", "required": True,
        "datatype_description": "", "order": 1,
        "description": "Ruas jalan — Nama jalan dan patokan", "values": []}
    assert by_code["hole_count"]["datatype"] == "number"
    assert by_code["seen_on"]["datatype"] == "datetime"
    assert by_code["road_status"]["datatype"] == "singlevaluelist"
    assert by_code["road_status"]["values"] == [{"key": "national", "name": "Jalan nasional"},
                                                {"key": "local", "name": "Jalan kota"}]
    tree = ET.fromstring(client.get(f"{ROOT}/services/infrastruktur.xml").content)
    assert tree.tag == "service_definition"
    values = tree.findall("attributes/attribute[code='road_status']/values/value")
    assert [(v.findtext("key"), v.findtext("name")) for v in values] == [
        ("national", "Jalan nasional"), ("local", "Jalan kota")]
    missing = client.get(f"{ROOT}/services/tidak-ada.json")
    assert missing.status_code == 404
    assert missing.json() == [{"code": 404, "description": "Layanan tidak-ada tidak ada."}]


@pytest.mark.django_db
def test_discovery_names_the_endpoint_and_its_formats(client):
    found = client.get(f"{ROOT}/discovery.json").json()
    endpoint = found["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert ET.fromstring(client.get(f"{ROOT}/discovery.xml").content).find(
        "endpoints/endpoint/formats/format").text == "text/xml"


# --- requests: public only, no identity -----------------------------------------------------

@pytest.mark.django_db
def test_only_public_reports_are_requests_and_no_reporter_identity_shows(client):
    reporter = UserFactory(full_name="Sri Rahayu Wulandari", email="sri.rahayu@example.id",
                           phone="081299990000")
    shown = public_report(reporter=reporter, contact_name="Kontak Rahasia",
                          contact_email="kontak.rahasia@example.id", contact_phone="0811111",
                          latitude="-6.966667", longitude="110.416664")
    hidden = [
        public_report(is_confidential=True, title="Laporan rahasia sekali di Semarang"),
        ReportFactory(status=ReportStatus.SUBMITTED),  # not verified yet
        ReportFactory(status=ReportStatus.REJECTED),
        ReportFactory(status=ReportStatus.DRAFT, tracking_number=None, submitted_at=None),
    ]
    for fmt in ("json", "xml"):
        response = client.get(f"{ROOT}/requests.{fmt}")
        text = response.content.decode()
        assert shown.tracking_number in text
        for report in hidden:
            if report.tracking_number:
                assert report.tracking_number not in text
                assert client.get(f"{ROOT}/requests/{report.tracking_number}.{fmt}"
                                  ).status_code == 404
        for identity in ("Sri Rahayu", "sri.rahayu", "081299990000", "Kontak Rahasia",
                         "kontak.rahasia", "0811111", str(reporter.pk) + '"'):
            assert identity not in text
    [document] = client.get(f"{ROOT}/requests.json").json()
    assert document["service_request_id"] == shown.tracking_number
    assert document["status"] == "open" and document["status_notes"] == "Sedang ditindaklanjuti"
    assert document["service_code"] == "infrastruktur"
    assert document["agency_responsible"] == "Pemerintah Kota Semarang"
    assert document["address"] == "Kota Semarang, Jawa Tengah"
    assert document["address_id"] == "33.74"
    assert (document["lat"], document["long"]) == (-6.966667, 110.416664)
    assert "account_id" not in document and "email" not in document


@pytest.mark.django_db
def test_request_filters_and_status_mapping(client):
    now = timezone.now()
    open_one = public_report(submitted_at=now - datetime.timedelta(days=2))
    answered = public_report(status=ReportStatus.RESOLVED,
                             submitted_at=now - datetime.timedelta(days=5))
    closed = public_report(status=ReportStatus.CLOSED,
                           category=Category.objects.exclude(slug="infrastruktur").first(),
                           submitted_at=now - datetime.timedelta(days=10))
    old = public_report(submitted_at=now - datetime.timedelta(days=120))

    def ids(**query):
        response = client.get(f"{ROOT}/requests.json", query)
        assert response.status_code == 200, response.content
        return [r["service_request_id"] for r in response.json()]

    assert ids() == [open_one.tracking_number, answered.tracking_number,
                     closed.tracking_number]  # the last 90 days, newest first
    assert ids(status="open") == [open_one.tracking_number]
    assert ids(status="closed") == [answered.tracking_number, closed.tracking_number]
    assert ids(service_code="infrastruktur") == [open_one.tracking_number,
                                                 answered.tracking_number]
    assert ids(start_date=(now - datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ"),
               end_date=(now - datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
               ) == [answered.tracking_number]
    assert ids(start_date=(now - datetime.timedelta(days=130)).strftime("%Y-%m-%dT%H:%M:%SZ")
               ) == [old.tracking_number]
    # service_request_id overrides the other filters
    assert ids(service_request_id=f"{old.tracking_number},{closed.tracking_number}",
               status="open") == [closed.tracking_number, old.tracking_number]
    assert ids(jurisdiction_id="33.74") == ids()
    assert ids(jurisdiction_id="31") == []
    for bad, field in ((dict(status="pending"), "status"),
                       (dict(start_date="kemarin"), "start_date"),
                       (dict(start_date="2025-01-01T00:00:00Z",
                             end_date="2025-06-01T00:00:00Z"), "start_date")):
        response = client.get(f"{ROOT}/requests.json", bad)
        assert response.status_code == 400
        [error] = response.json()
        assert error["code"] == 400 and error["description"].startswith(field)
    response = client.get(f"{ROOT}/requests.xml", {"jurisdiction_id": "99.99"})
    assert response.status_code == 404
    tree = ET.fromstring(response.content)
    assert tree.tag == "errors" and tree.findtext("error/code") == "404"


# --- posting ---------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_specs_example_post_enters_the_one_intake_on_the_open311_channel(
    client, system_admin, mailoutbox, django_capture_on_commit_callbacks
):
    _questions()
    app, key = _client_and_key(system_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{ROOT}/requests.json", _spec_example(key))
    assert response.status_code == 201, response.content
    [answer] = response.json()
    report = Report.objects.get(tracking_number=answer["service_request_id"])
    assert answer["token"] == str(report.open311_token) and answer["account_id"] == ""
    assert report.status == ReportStatus.SUBMITTED
    assert report.channel == Channel.OPEN311 and report.open311_client == app
    assert report.entered_by == app.account and report.reporter is None
    assert (report.province.code, report.regency.code, report.district) == ("33", "33.74",
                                                                            None)
    assert (str(report.latitude), str(report.longitude)) == ("-6.966667", "110.416664")
    assert report.answers == {"road_segment": "Jl. Pemuda depan SD 3", "hole_count": "3",
                              "road_status": "local"}
    assert report.contact_name == "Budi Santoso"
    assert report.contact_email == "budi.santoso@example.id"
    assert report.contact_phone == "081234567890"
    assert report.title == "Infrastruktur dan Jalan: Jl. Pemuda No. 1"
    assert report.description.endswith("Alamat: Jl. Pemuda No. 1")
    assert report.events.get().kind == EventKind.SUBMITTED
    # The person gets the tracking number, as after assisted intake.
    assert [m.to for m in mailoutbox] == [["budi.santoso@example.id"]]
    assert report.tracking_number in mailoutbox[0].body
    app.refresh_from_db()
    assert app.last_used_at is not None
    # The staff see the channel and which application it came through.
    staff = UserFactory()
    Membership.objects.create(user=staff, body=Body.objects.get(source_key="province-33"),
                              role=Role.VERIFIER)
    client.force_login(staff)
    page = client.get(f"/petugas/laporan/{report.tracking_number}/").content.decode()
    assert "Open311 (aplikasi mitra) · Aplikasi Semarang Lapor" in page
    assert "Jl. Pemuda depan SD 3" in page  # its answers
    client.logout()
    # tokens/{token} leads to the request
    found = client.get(f"{ROOT}/tokens/{answer['token']}.json").json()
    assert found == [{"service_request_id": report.tracking_number, "token": answer["token"]}]
    assert client.get(f"{ROOT}/tokens/00000000-0000-0000-0000-000000000000.json"
                      ).status_code == 404
    assert client.get(f"{ROOT}/tokens/bukan-token.xml").status_code == 404


@pytest.mark.django_db
def test_the_place_may_come_from_the_region_attribute(client, system_admin):
    _questions()
    _app, key = _client_and_key(system_admin)
    data = _spec_example(key, **{"attribute[region_code]": "33.74.01"})
    del data["jurisdiction_id"]
    response = client.post(f"{ROOT}/requests.xml", data)
    assert response.status_code == 201, response.content
    number = ET.fromstring(response.content).findtext("request/service_request_id")
    report = Report.objects.get(tracking_number=number)
    assert (report.province.code, report.regency.code, report.district.code) == (
        "33", "33.74", "33.74.01")
    assert "region_code" not in report.answers


@pytest.mark.django_db
def test_a_confirmed_account_of_the_address_follows_the_report_an_unconfirmed_one_not(
    client, system_admin
):
    _questions()
    _app, key = _client_and_key(system_admin)
    confirmed = UserFactory(email="budi.santoso@example.id")
    UserFactory(email="belum@example.id", is_email_confirmed=False)
    first = client.post(f"{ROOT}/requests.json", _spec_example(key)).json()[0]
    second = client.post(f"{ROOT}/requests.json",
                         _spec_example(key, email="belum@example.id")).json()[0]
    assert Report.objects.get(tracking_number=first["service_request_id"]).reporter == confirmed
    assert Report.objects.get(tracking_number=second["service_request_id"]).reporter is None
    assert Open311Client.objects.get().account.reports.count() == 0


@pytest.mark.django_db
def test_posting_needs_a_key_the_system_admin_issued(client, system_admin, operator_a):
    _questions()
    app, key = _client_and_key(system_admin)
    assert key not in json.dumps(list(Open311Client.objects.values()), default=str)
    assert app.key_digest and app.key_digest != key
    for data in (_spec_example(""), _spec_example("0000abcd.salah"), _spec_example(key + "x")):
        response = client.post(f"{ROOT}/requests.json", data)
        assert response.status_code == 403
        assert response.json()[0]["code"] == 403
    new_key = keys.issue_key(client=app, actor=system_admin)
    assert client.post(f"{ROOT}/requests.json", _spec_example(key)).status_code == 403
    assert client.post(f"{ROOT}/requests.json", _spec_example(new_key)).status_code == 201
    Open311Client.objects.filter(pk=app.pk).update(is_active=False)
    assert client.post(f"{ROOT}/requests.json", _spec_example(new_key)).status_code == 403
    with pytest.raises(NotAllowed):
        keys.issue_key(client=app, actor=operator_a)
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_a_refused_post_says_each_field_as_the_client_named_it_and_leaves_nothing(
    client, system_admin
):
    _questions()
    _app, key = _client_and_key(system_admin)
    data = _spec_example(key, lat="48.8566", long="2.3522", description="pendek",
                         address_string="", email="bukan-email",
                         **{"attribute[hole_count]": "banyak"})
    del data["attribute[road_segment]"]
    response = client.post(f"{ROOT}/requests.json", data)
    assert response.status_code == 400
    described = {e["description"] for e in response.json()}
    assert all(e["code"] == 400 for e in response.json())
    assert described == {
        "lat: Titik lokasi berada di luar wilayah Indonesia.",
        "description: Ceritakan lebih rinci: paling sedikit 30 karakter (apa, di mana, kapan).",
        "attribute[road_segment]: Pertanyaan ini wajib dijawab.",
        "attribute[hole_count]: Isi dengan angka, mis. 12 atau 3,5.",
        "email: Alamat email tidak valid.",
    }
    data = _spec_example(key)
    del data["jurisdiction_id"]
    response = client.post(f"{ROOT}/requests.xml", data)
    assert response.status_code == 400
    assert "jurisdiction_id" in ET.fromstring(response.content).findtext("error/description")
    assert client.post(f"{ROOT}/requests.json",
                       _spec_example(key, service_code="tidak-ada")).status_code == 404
    assert not Report.objects.exists()  # no draft left behind


@pytest.mark.django_db
def test_assisted_intake_cannot_pick_the_open311_channel(client, operator_a):
    client.force_login(operator_a)
    page = client.get("/petugas/lapor/").content.decode()
    assert 'value="walk_in"' in page and 'value="open311"' not in page
    with pytest.raises(NotAllowed):
        intake.file_report(filer=operator_a, values={}, channel=Channel.OPEN311,
                           contact=intake.Contact(name="Siapa"), submit=False)


# --- a client nobody here wrote, against a running server ----------------------------------

def test_the_georeport_client_reads_services_definitions_and_requests_in_json_and_xml(
    live_server, agency_tree, system_admin, verifier_jateng
):
    _questions()
    app, key = _client_and_key(system_admin)
    root = live_server.url + ROOT
    # The spec's example POST, form-encoded with its api_key (georeport only reads).
    posted = requests.post(f"{root}/requests.json", data=_spec_example(key), timeout=30)
    assert posted.status_code == 201, posted.text
    number = posted.json()[0]["service_request_id"]
    report = Report.objects.get(tracking_number=number)
    disposition_report(report=report, to_body=Body.objects.get(source_key="regency-33.74"),
                       actor=verifier_jateng)
    confidential = public_report(is_confidential=True)

    for fmt in ("json", "xml"):
        georeport = GeoReport(root, jurisdiction="33.74", output_format=fmt)
        services = georeport.get_service_list()
        assert "infrastruktur" in [s["service_code"] for s in services]
        definition = georeport.get_service_definition("infrastruktur")
        attributes = definition["attributes"]
        if fmt == "xml":  # xmltodict: <attributes><attribute>…
            attributes = attributes["attribute"]
        by_code = {a["code"]: a for a in attributes}
        assert by_code["road_segment"]["datatype"] == "string"
        assert str(by_code["road_segment"]["required"]).lower() == "true"
        values = by_code["road_status"]["values"]
        values = values["value"] if fmt == "xml" else values
        assert [v["key"] for v in values] == ["national", "local"]

        listed = georeport.get_service_requests(service_code="infrastruktur", status="open")
        if isinstance(listed, dict):  # xmltodict gives one <request> as a dict
            listed = [listed]
        assert [r["service_request_id"] for r in listed] == [number]
        one = georeport.get_service_request(number)
        assert one["service_request_id"] == number
        assert one["status"] == "open"
        assert one["agency_responsible"] == "Pemerintah Kota Semarang"
        assert str(one["lat"]) == "-6.966667" and str(one["long"]) == "110.416664"
        assert "Budi" not in json.dumps(one) and "budi.santoso" not in json.dumps(one)
        with pytest.raises(requests.HTTPError) as refused:
            georeport.get_service_request(confidential.tracking_number)
        assert refused.value.response.status_code == 404


@pytest.mark.django_db
def test_the_system_admin_adds_a_client_in_the_admin_and_sees_its_key_once(
    client, system_admin, supervisor_a
):
    _questions()
    client.force_login(supervisor_a)
    assert client.get("/admin/complaints/open311client/add/").status_code == 403
    client.force_login(system_admin)
    response = client.post("/admin/complaints/open311client/add/", {
        "name": "Aplikasi Jaga Jalan", "contact_email": "dev@jagajalan.example.id",
        "is_active": "on"}, follow=True)
    assert response.status_code == 200
    [notice] = [str(m) for m in response.context["messages"] if "Kunci API" in str(m)]
    key = notice.split(": ")[1].split(" — ")[0]
    app = Open311Client.objects.get(name="Aplikasi Jaga Jalan")
    assert app.key_prefix == key.split(".")[0] and app.account is not None
    assert not app.account.has_usable_password()
    assert key not in client.get(f"/admin/complaints/open311client/{app.pk}/change/"
                                 ).content.decode()
    client.logout()
    assert client.post(f"{ROOT}/requests.json", _spec_example(key)).status_code == 201


@pytest.mark.django_db
def test_posts_are_counted_per_client_not_by_the_citizens_limit(client, system_admin,
                                                                settings):
    _questions()
    settings.RATE_LIMITS = {"open311_request": {"user": (2, 3600)},
                            "file_report": {"user": (1, 3600), "ip": (1, 3600)}}
    _app, key = _client_and_key(system_admin)
    other, other_key = _client_and_key(system_admin, name="Aplikasi Lain")
    assert [client.post(f"{ROOT}/requests.json", _spec_example(key)).status_code
            for _ in range(3)] == [201, 201, 429]
    refused = client.post(f"{ROOT}/requests.json", _spec_example(key))
    assert refused.json()[0]["code"] == 429 and refused["Retry-After"]
    assert client.post(f"{ROOT}/requests.json", _spec_example(other_key)).status_code == 201
    assert Report.objects.count() == 3
