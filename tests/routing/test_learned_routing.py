"""The learned routing suggestion (issue 16): trained from verified dispositions, stored with
its version and date, shown to the verifier beside the rule's (page and API), a trusted rule
still wins; each verifier's disposition records which suggestion was taken; the admin sees
how often each source was right."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from complaints.models import Category, Region, ReportStatus
from complaints.services import intake
from routing import learned, tasks
from routing.models import Disposition, RoutingModel, RoutingRule, SuggestionSource
from routing.services import learning, verification
from tests.conftest import body
from tests.factories import ReportFactory, UserFactory

pytestmark = pytest.mark.django_db

# Same category, same places: only the words tell where these reports went.
WORDED = {
    "regency": ("Lampu jalan mati dan jalan berlubang di kampung",
                "Lampu penerangan jalan umum padam, aspal berlubang, got tersumbat sampah."),
    "bpjs-kesehatan": ("Kartu BPJS Kesehatan ditolak rumah sakit",
                       "Peserta BPJS Kesehatan ditolak saat rawat inap, iuran JKN sudah dibayar."),
    "polri": ("Pungli oknum polisi saat tilang di jalan raya",
              "Oknum polisi lalu lintas meminta uang damai saat razia tilang kendaraan."),
}
PLACES = (("33", "33.74", "regency-33.74"), ("35", "35.78", "regency-35.78"))


def _history(n_each: int = 6) -> None:
    """Verified reports of one category in two cities: street lights to the city, BPJS to
    BPJS Kesehatan, extortion by the police to Polri."""
    category = Category.objects.get(slug="pelayanan-publik")
    start = timezone.now() - timedelta(days=30)
    i = 0
    for k in range(n_each):
        for province, regency, city in PLACES:
            for target, (title, description) in WORDED.items():
                report = ReportFactory(
                    title=f"{title} {k}", description=description, category=category,
                    province=Region.objects.get(code=province),
                    regency=Region.objects.get(code=regency), status=ReportStatus.DISPOSITIONED,
                )
                to_body = body(city if target == "regency" else target)
                Disposition.objects.create(report=report, kind=Disposition.Kind.VERIFICATION,
                                           to_body=to_body, created_at=start + timedelta(hours=i))
                i += 1


@pytest.fixture
def trained():
    _history()
    model = learning.train(limit=1000)
    assert model is not None
    return model


def _new(title: str, description: str, **kw):
    return ReportFactory(title=title, description=description,
                         category=Category.objects.get(slug="pelayanan-publik"), **kw)


def test_a_model_trained_on_few_reports_ranks_the_right_body_first(trained):
    assert trained.version == 1 and trained.trained_at is not None
    assert trained.training_rows == 36 and trained.held_out_rows == 7
    assert trained.top1 is not None and trained.top3 is not None and trained.size_bytes > 0
    model, suggestions = learned.suggest(_new(
        "Kartu BPJS saya ditolak di rumah sakit daerah",
        "Saya peserta BPJS Kesehatan, rawat inap ditolak padahal iuran lunas."))
    assert model == trained
    assert suggestions[0].body == body("bpjs-kesehatan")
    assert [s.rank for s in suggestions] == [1, 2, 3]
    assert 0.0 < suggestions[0].confidence <= 1.0
    # Relative to the report's place: "the city's government" for a street light in Surabaya.
    _model, lights = learned.suggest(_new(
        "Lampu jalan mati di gang kami", "Penerangan jalan umum padam, jalan berlubang.",
        province=Region.objects.get(code="35"), regency=Region.objects.get(code="35.78")))
    assert lights[0].body == body("regency-35.78")


def test_a_newer_version_is_used_as_soon_as_it_is_stored(trained):
    assert learned.current_model()[0] == trained
    again = learning.train(limit=1000)
    assert again.version == 2
    assert learned.current_model()[0] == again


def test_too_few_rows_train_nothing_and_the_page_shows_nothing(client, verifier_jateng):
    assert learning.train(limit=1000) is None
    assert RoutingModel.objects.count() == 0
    report = ReportFactory()
    assert learned.suggest(report) == (None, [])
    client.force_login(verifier_jateng)
    page = client.get(f"/petugas/laporan/{report.tracking_number}/").content.decode()
    assert page.count("Saran dari riwayat disposisi") == 0
    verification.disposition_report(report=report, to_body=body("regency-33.74"),
                                    actor=verifier_jateng)
    disposition = Disposition.objects.get(report=report)
    assert (disposition.suggestion_taken, disposition.learned_model,
            disposition.learned_rank) == (SuggestionSource.NONE, None, None)


def test_the_verifier_sees_the_learned_suggestion_beside_the_rule(client, verifier_jateng,
                                                                  trained):
    RoutingRule.objects.create(category=Category.objects.get(slug="pelayanan-publik"),
                               body=body("province-33"))
    report = _new("Polisi minta uang damai saat tilang", "Oknum polisi meminta uang damai.")
    client.force_login(verifier_jateng)
    page = client.get(f"/petugas/laporan/{report.tracking_number}/").content.decode()
    assert "Saran aturan rute" in page and "Saran dari riwayat disposisi" in page
    learned_block = page[page.index("Saran dari riwayat disposisi"):]
    assert learned_block.index(body("polri").name) < learned_block.index("keyakinan")
    # The rule still fills the disposition form (the province is none of the learned three).
    assert f'name="to_body" value="{body("province-33").pk}"' in page


def test_the_suggestion_is_readable_through_the_api(verifier_jateng, operator_a, trained):
    report = _new("Kartu BPJS Kesehatan ditolak", "Peserta BPJS Kesehatan ditolak rawat inap.")
    api = APIClient()
    api.force_authenticate(verifier_jateng)
    answer = api.get(f"/api/v1/staff/reports/{report.tracking_number}/").json()
    first = answer["learned_suggestions"][0]
    assert first["rank"] == 1 and first["model_version"] == trained.version
    assert first["body"] == {"id": body("bpjs-kesehatan").pk, "name": body("bpjs-kesehatan").name}
    # Nobody but a verifier who may disposition it gets one.
    report.holder_body = body("regency-33.74")
    report.status = ReportStatus.DISPOSITIONED
    report.save(update_fields=["holder_body", "status"])
    api.force_authenticate(operator_a)
    assert api.get(f"/api/v1/staff/reports/{report.tracking_number}/").json()[
        "learned_suggestions"] == []


def test_the_schema_names_the_suggestion():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    field = components["StaffReport"]["properties"]["learned_suggestions"]
    assert field["type"] == "array"
    assert set(components["LearnedSuggestion"]["properties"]) == {
        "rank", "body", "confidence", "model_version"}


def test_a_trusted_rule_still_wins(tmp_path, settings, trained):
    settings.MEDIA_ROOT = tmp_path
    rule = RoutingRule.objects.create(category=Category.objects.get(slug="pelayanan-publik"),
                                      region=Region.objects.get(code="33.74"),
                                      body=body("regency-33.74"), is_trusted=True)
    citizen = UserFactory()
    draft = intake.save_draft(filer=citizen, values={
        "kind": "complaint", "title": "Kartu BPJS Kesehatan ditolak rumah sakit",
        "description": "Peserta BPJS Kesehatan ditolak saat rawat inap.",
        "category": Category.objects.get(slug="pelayanan-publik"),
        "province": Region.objects.get(code="33"), "regency": Region.objects.get(code="33.74"),
    })
    report = intake.submit_report(report=draft, actor=citizen)
    report.refresh_from_db()
    assert report.holder_body == rule.body  # not BPJS Kesehatan, whatever the model says
    disposition = Disposition.objects.get(report=report)
    assert (disposition.kind, disposition.suggestion_taken) == (
        Disposition.Kind.AUTOMATIC, SuggestionSource.RULE)


def test_the_page_records_which_suggestion_was_taken(client, verifier_jateng, trained):
    RoutingRule.objects.create(category=Category.objects.get(slug="pelayanan-publik"),
                               body=body("province-33"))
    client.force_login(verifier_jateng)
    cases = [
        ("province-33", SuggestionSource.RULE),
        ("bpjs-kesehatan", SuggestionSource.LEARNED_TOP1),
        ("kemenkes", SuggestionSource.NONE),
    ]
    for key, expected in cases:
        report = _new("Kartu BPJS Kesehatan ditolak", "Peserta BPJS Kesehatan ditolak rawat inap.")
        response = client.post(f"/petugas/laporan/{report.tracking_number}/disposisi/",
                               {"to_body": body(key).pk, "version": report.version})
        assert response.status_code == 302
        disposition = Disposition.objects.get(report=report)
        assert disposition.suggestion_taken == expected, key
        assert disposition.learned_model == trained
    assert Disposition.objects.get(report__title="Kartu BPJS Kesehatan ditolak",
                                   to_body=body("bpjs-kesehatan")).learned_rank == 1


def test_the_api_records_which_suggestion_was_taken(verifier_jateng, trained):
    api = APIClient()
    api.force_authenticate(verifier_jateng)
    report = _new("Kartu BPJS Kesehatan ditolak", "Peserta BPJS Kesehatan ditolak rawat inap.")
    suggestions = api.get(f"/api/v1/staff/reports/{report.tracking_number}/").json()[
        "learned_suggestions"]
    second = suggestions[1]["body"]["id"]
    response = api.post(f"/api/v1/staff/reports/{report.tracking_number}/actions/disposition/",
                        {"to_body": second, "version": report.version}, format="json")
    assert response.status_code == 200, response.content
    disposition = Disposition.objects.get(report=report)
    assert (disposition.suggestion_taken, disposition.learned_rank) == (
        SuggestionSource.LEARNED_TOP3, 2)


def test_the_admin_sees_how_often_each_source_was_right(client, system_admin, verifier_jateng,
                                                        operator_a, trained):
    RoutingRule.objects.create(category=Category.objects.get(slug="pelayanan-publik"),
                               body=body("regency-33.74"))
    words = ("Kartu BPJS Kesehatan ditolak", "Peserta BPJS Kesehatan ditolak rawat inap.")
    for key in ("regency-33.74", "bpjs-kesehatan", "bpjs-kesehatan", "kemenkes"):
        verification.disposition_report(report=_new(*words), to_body=body(key),
                                        actor=verifier_jateng)
    # The one the rule got right was redirected afterwards: right, but not kept.
    redirected = Disposition.objects.get(to_body=body("regency-33.74"),
                                         kind=Disposition.Kind.VERIFICATION,
                                         learned_model__isnull=False)
    Disposition.objects.create(report=redirected.report, kind=Disposition.Kind.REDIRECT,
                               from_body=body("regency-33.74"), to_body=body("kemenkes"))
    by_source = {s.source: s for s in learning.summary()}
    assert (by_source["rule"].suggested, by_source["rule"].right,
            by_source["rule"].kept, by_source["rule"].taken) == (4, 1, 0, 1)
    assert (by_source["learned"].suggested, by_source["learned"].right,
            by_source["learned"].kept, by_source["learned"].taken) == (4, 2, 2, 2)
    assert by_source["learned"].right_percent == "50.0%"
    assert by_source["none"].taken == 1
    client.force_login(system_admin)
    page = client.get("/admin/routing/routingmodel/").content.decode()
    assert "Ketepatan saran" in page and "50.0%" in page and "Riwayat disposisi" in page


def test_the_nightly_task_calls_the_service(monkeypatch):
    called = []

    def fake_train(**kwargs):
        called.append(kwargs)
        return RoutingModel(version=7)

    monkeypatch.setattr(learning, "train", fake_train)
    assert tasks.train_routing_model() == 7
    assert called == [{}]


def test_the_beat_trains_nightly(settings):
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values()
                 if e["task"] == "routing.train_routing_model")
    assert entry["schedule"].hour == {2}


def test_the_command_trains_on_the_newest_rows_up_to_the_cap(settings):
    from io import StringIO

    from django.core.management import call_command

    _history()
    settings.ROUTING_MODEL_MAX_ROWS = 24
    out = StringIO()
    call_command("train_routing_model", stdout=out)
    assert out.getvalue().startswith("v1: 24 rows")
    assert RoutingModel.objects.get().training_rows == 24
