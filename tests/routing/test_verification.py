"""Verification: disposition with the rule's suggestion, trusted rules, reject, duplicate,
asking the citizen to complete."""

import pytest

from complaints.models import Category, EventKind, Region, ReportStatus
from complaints.services import intake
from lapor.errors import Invalid, NotAllowed
from routing.models import Disposition, RoutingRule
from routing.rules import suggest
from routing.services import verification
from tests.conftest import body
from tests.factories import ReportFactory, UserFactory

pytestmark = pytest.mark.django_db


def _rule(region_code=None, category_slug="infrastruktur", body_key="regency-33.74", **kw):
    return RoutingRule.objects.create(
        category=Category.objects.get(slug=category_slug) if category_slug else None,
        region=Region.objects.get(code=region_code) if region_code else None,
        body=body(body_key),
        **kw,
    )


def test_the_most_specific_rule_wins():
    national = _rule(None, body_key="kemenpu")
    province = _rule("33", body_key="province-33")
    report = ReportFactory(district=Region.objects.get(code="33.74.01"))
    assert suggest(report) == province
    regency = _rule("33.74", body_key="regency-33.74")
    assert suggest(report) == regency
    district = _rule("33.74.01", body_key="kemenhub")
    assert suggest(report) == district
    elsewhere = ReportFactory(province=Region.objects.get(code="35"),
                              regency=Region.objects.get(code="35.78"))
    assert suggest(elsewhere) == national


def test_category_specific_rule_beats_any_category_at_the_same_place():
    any_category = _rule("33.74", category_slug=None, body_key="province-33")
    specific = _rule("33.74", body_key="regency-33.74")
    assert suggest(ReportFactory()) == specific
    health = ReportFactory(category=Category.objects.get(slug="kesehatan"))
    assert suggest(health) == any_category


def test_disposition_records_suggestion_and_override(verifier_jateng, mailoutbox, operator_a,
                                                    django_capture_on_commit_callbacks):
    _rule("33.74", body_key="regency-33.74")
    followed = ReportFactory()
    with django_capture_on_commit_callbacks(execute=True):
        verification.disposition_report(report=followed, to_body=body("regency-33.74"),
                                        actor=verifier_jateng)
    overridden = ReportFactory()
    verification.disposition_report(report=overridden, to_body=body("province-33"),
                                    actor=verifier_jateng)
    first, second = Disposition.objects.order_by("id")
    assert (first.rule is not None, first.was_overridden) == (True, False)
    assert (second.suggested_body, second.was_overridden) == (body("regency-33.74"), True)
    followed.refresh_from_db()
    assert followed.status == ReportStatus.DISPOSITIONED
    assert followed.holder_body == body("regency-33.74")
    assert followed.first_dispositioned_at and followed.due_at and followed.verified_at
    assert followed.events.filter(kind=EventKind.DISPOSITIONED).exists()
    # the body's operator is told, the reporter too
    recipients = {address for message in mailoutbox for address in message.to}
    assert operator_a.email in recipients and followed.reporter.email in recipients


def test_verifier_outside_the_province_cannot_verify(verifier_jateng, verifier_national):
    surabaya = ReportFactory(province=Region.objects.get(code="35"),
                             regency=Region.objects.get(code="35.78"))
    with pytest.raises(NotAllowed, match="bukan verifikator"):
        verification.disposition_report(report=surabaya, to_body=body("regency-35.78"),
                                        actor=verifier_jateng)
    verification.disposition_report(report=surabaya, to_body=body("regency-35.78"),
                                    actor=verifier_national)


def test_trusted_rule_dispositions_without_a_verifier(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    rule = _rule("33.74", is_trusted=True)
    citizen = UserFactory()
    draft = intake.save_draft(filer=citizen, values={
        "kind": "complaint", "title": "Lampu jalan mati sebulan penuh",
        "description": "Lampu jalan di Jalan Pandanaran mati sejak awal bulan, rawan kejahatan.",
        "category": Category.objects.get(slug="infrastruktur"),
        "province": Region.objects.get(code="33"), "regency": Region.objects.get(code="33.74"),
    })
    report = intake.submit_report(report=draft, actor=citizen)
    report.refresh_from_db()
    assert report.status == ReportStatus.DISPOSITIONED
    assert report.holder_body == rule.body
    disposition = Disposition.objects.get(report=report)
    assert disposition.kind == Disposition.Kind.AUTOMATIC and disposition.actor is None


def test_reject_with_reason_the_citizen_sees(verifier_jateng, client):
    report = ReportFactory()
    with pytest.raises(Invalid, match="Pilih alasan"):
        verification.reject_report(report=report, actor=verifier_jateng, reason="nonsense")
    with pytest.raises(Invalid, match="Jelaskan"):
        verification.reject_report(report=report, actor=verifier_jateng, reason="other")
    verification.reject_report(report=report, actor=verifier_jateng, reason="not_public_service",
                               note="Ini sengketa antarwarga.")
    report.refresh_from_db()
    assert report.status == ReportStatus.REJECTED
    client.force_login(report.reporter)
    html = client.get(f"/laporan-saya/{report.tracking_number}/").content.decode()
    assert "Ini sengketa antarwarga." in html and "Laporan ditolak" in html


def test_duplicate_links_both_and_tells_the_citizen(verifier_jateng, client):
    original = ReportFactory()
    verification.disposition_report(report=original, to_body=body("regency-33.74"),
                                    actor=verifier_jateng)
    copy = ReportFactory()
    verification.mark_duplicate(report=copy, original=original, actor=verifier_jateng)
    copy.refresh_from_db()
    assert copy.duplicate_of == original and copy.status == ReportStatus.REJECTED
    assert original.events.filter(kind=EventKind.DUPLICATE, visibility="staff").exists()
    client.force_login(copy.reporter)
    assert original.tracking_number in client.get(
        f"/laporan-saya/{copy.tracking_number}/").content.decode() or copy.events.filter(
        kind=EventKind.DUPLICATE).exists()
    third = ReportFactory()
    verification.mark_duplicate(report=third, original=copy, actor=verifier_jateng)
    third.refresh_from_db()
    assert third.duplicate_of == original  # chains collapse onto the report that carries on


def test_request_completion_keeps_it_in_verification(verifier_jateng):
    report = ReportFactory()
    verification.request_completion(report=report, actor=verifier_jateng,
                                    note="Sebutkan alamat lengkapnya.")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.events.filter(kind=EventKind.COMPLETION_REQUESTED).exists()


def test_seed_routing_rules_is_idempotent():
    from django.core.management import call_command

    call_command("seed_routing_rules")
    count = RoutingRule.objects.count()
    assert count == 12
    call_command("seed_routing_rules")
    assert RoutingRule.objects.count() == count
    assert suggest(ReportFactory()).body == body("regency-33.74")
