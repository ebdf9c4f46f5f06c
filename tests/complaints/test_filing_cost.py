"""What one filing costs in SQL statements, pinned so that it cannot creep back, and the
per-process config cache it reads (agencies.config_cache): correct when another process (here
a second cache, and writes that fire no signal) changes a rule, a policy or a category, and
after a write that was rolled back.

Inside a test every transaction is a savepoint: the counts below include the SAVEPOINT and
RELEASE of the filing's transaction, which production runs as BEGIN/COMMIT (not statements
Django counts)."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from agencies import config_cache
from agencies.config_cache import ConfigCache, read_version
from agencies.models import Region
from complaints import tracking_numbers
from complaints.history import broken_histories
from complaints.models import (
    Category,
    CategoryQuestion,
    EventKind,
    Notification,
    OutgoingEmail,
    Report,
    ReportEvent,
    ReportStatus,
)
from complaints.services import intake
from routing import clocks, policies
from routing.models import Clock, ClockKind, DeadlinePolicy, RoutingRule
from tests.conftest import body, verified_api_token
from tests.factories import ReportFactory, UserFactory

pytestmark = pytest.mark.django_db

# token and user (with whether they have memberships), the config version, SAVEPOINT,
# INSERT report, INSERT event, INSERT notification, INSERT email, INSERT clock, RELEASE
# (was 27)
API_FILING_STATEMENTS = 9
# session, user, the config version, the similar-reports lookup before submitting (one
# statement when it finds none: complaints.similar), then as above (was 26)
WEB_FILING_STATEMENTS = 11


@pytest.fixture(autouse=True)
def _fresh(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    config_cache.cache.clear()


def _payload(**overrides):
    payload = {
        "kind": "complaint", "title": "Lampu jalan mati sebulan",
        "description": "Lampu jalan di Jalan Pandanaran mati sejak awal bulan, rawan kejahatan.",
        "category": "infrastruktur", "province": "33", "regency": "33.74",
        "district": "33.74.01", "submit": True,
    }
    payload.update(overrides)
    return payload


def _form(**overrides):
    data = {
        "action": "submit", "kind": "complaint", "title": "Jalan berlubang di Jalan Pemuda",
        "description": "Lubang besar di depan SD Negeri 3 sudah sebulan, motor sering jatuh.",
        "category": str(Category.objects.get(slug="infrastruktur").pk), "province": "33",
        "regency": "33.74", "district": "33.74.01", "latitude": "", "longitude": "",
        "event_on": "2026-11-20",
    }
    data.update(overrides)
    return data


def _assert_filed_in_full(report: Report, user):
    """What the suite proves of every submission holds for the lean path too."""
    assert report.status == ReportStatus.SUBMITTED and report.version == 2
    assert tracking_numbers.normalise(report.tracking_number)
    event = ReportEvent.objects.get(report=report)
    assert (event.seq, event.kind, event.prev_hash, event.actor_id) == (
        1, EventKind.SUBMITTED, "", user.pk)
    assert list(broken_histories(Report.objects.filter(pk=report.pk))) == []
    clock = Clock.objects.get(report=report)
    assert clock.kind == ClockKind.VERIFICATION and clock.state == Clock.State.RUNNING
    assert clock.policy == clocks.current_policy(ClockKind.VERIFICATION)
    assert clock.due_at > report.submitted_at
    assert Notification.objects.filter(user=user, report=report).count() == 1
    assert OutgoingEmail.objects.filter(address=user.email,
                                        subject__contains=report.tracking_number).count() == 1


def test_api_filing_costs_few_statements(api_citizen, django_assert_max_num_queries,
                                         django_capture_on_commit_callbacks):
    api_citizen.post("/api/v1/reports/", _payload(), format="json")  # warms the cache
    with django_capture_on_commit_callbacks() as callbacks:
        with django_assert_max_num_queries(API_FILING_STATEMENTS):
            response = api_citizen.post("/api/v1/reports/", _payload(title="Lampu jalan mati"
                                                                      " lagi"), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["attachments"] == [] and response.json()["status"] == "submitted"
    assert len(callbacks) == 1  # the email is handed to a worker after commit
    _assert_filed_in_full(Report.objects.get(pk=response.json()["id"]), api_citizen.user)


def test_web_filing_costs_few_statements(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)
    client.post("/lapor/", _form())
    data = _form(title="Jalan berlubang di Jalan Pemuda lagi")
    with django_assert_max_num_queries(WEB_FILING_STATEMENTS):
        response = client.post("/lapor/", data)
    assert response.status_code == 302
    report = Report.objects.filter(reporter=user).latest("pk")
    assert report.tracking_number in response.url
    _assert_filed_in_full(report, user)


def test_the_lean_path_writes_what_draft_then_submit_writes(api_citizen):
    lean = api_citizen.post("/api/v1/reports/", _payload(), format="json").json()
    draft = api_citizen.post("/api/v1/reports/", _payload(submit=False), format="json").json()
    long = api_citizen.post(f"/api/v1/reports/{draft['id']}/submit/").json()
    skip = {"id", "tracking_number", "created_at", "submitted_at"}
    assert {k: v for k, v in lean.items() if k not in skip} == {
        k: v for k, v in long.items() if k not in skip}
    a, b = Report.objects.get(pk=lean["id"]), Report.objects.get(pk=long["id"])
    fields = ("status", "version", "channel", "reporter_id", "category_id", "district_id",
              "holder_body_id", "due_at", "due_clock_kind")
    assert [getattr(a, f) for f in fields] == [getattr(b, f) for f in fields]
    event_fields = ("seq", "kind", "actor_id", "data", "visibility", "prev_hash")
    assert list(ReportEvent.objects.filter(report=a).values_list(*event_fields)) == list(
        ReportEvent.objects.filter(report=b).values_list(*event_fields))
    assert list(Clock.objects.filter(report=a).values_list("kind", "state", "policy_id")) == (
        list(Clock.objects.filter(report=b).values_list("kind", "state", "policy_id")))
    assert list(broken_histories()) == []


def test_a_trusted_rule_sends_a_lean_filing_on_at_once(api_citizen):
    rule = RoutingRule.objects.create(
        category=Category.objects.get(slug="infrastruktur"),
        region=Region.objects.get(code="33.74"), body=body("regency-33.74"), is_trusted=True)
    response = api_citizen.post("/api/v1/reports/", _payload(), format="json")
    report = Report.objects.get(pk=response.json()["id"])
    assert report.status == ReportStatus.DISPOSITIONED and report.holder_body == rule.body
    assert list(ReportEvent.objects.filter(report=report).values_list("seq", "kind")) == [
        (1, EventKind.SUBMITTED), (2, EventKind.DISPOSITIONED)]
    assert list(broken_histories(Report.objects.filter(pk=report.pk))) == []
    assert Clock.objects.get(report=report, kind=ClockKind.VERIFICATION).stopped_at


def test_a_taken_tracking_number_is_drawn_again_and_then_keeps_the_draft(
    monkeypatch, api_citizen, mailoutbox
):
    taken = ReportFactory().tracking_number
    fresh = tracking_numbers.new_tracking_number()
    draws = iter([taken, fresh])
    monkeypatch.setattr(intake, "new_tracking_number", lambda: next(draws))
    ok = api_citizen.post("/api/v1/reports/", _payload(), format="json")
    assert ok.status_code == 201 and ok.json()["tracking_number"] == fresh
    _assert_filed_in_full(Report.objects.get(pk=ok.json()["id"]), api_citizen.user)

    monkeypatch.setattr(intake, "new_tracking_number", lambda: taken)
    refused = api_citizen.post("/api/v1/reports/", _payload(title="Lampu taman mati juga"),
                               format="json")
    assert refused.status_code == 503
    assert "Nomor pelacakan belum dapat dibuat" in str(refused.json())
    draft = Report.objects.get(pk=refused.json()["draft"])
    assert (draft.status, draft.tracking_number, draft.title) == (
        ReportStatus.DRAFT, None, "Lampu taman mati juga")
    assert not ReportEvent.objects.filter(report=draft).exists()
    assert not Clock.objects.filter(report=draft).exists()


def test_a_refused_lean_submission_keeps_its_draft_and_counts_once(api_citizen, settings):
    settings.RATE_LIMITS = {"file_report": {"user": (1, 3600)}}
    assert api_citizen.post("/api/v1/reports/", _payload(), format="json").status_code == 201
    refused = api_citizen.post("/api/v1/reports/", _payload(title="Laporan kedua hari ini"),
                               format="json")
    assert refused.status_code == 429
    draft = Report.objects.get(pk=refused.json()["draft"])
    assert (draft.status, draft.title) == (ReportStatus.DRAFT, "Laporan kedua hari ini")


# --- the config cache -------------------------------------------------------------------


def _rule_body_of(cache_: ConfigCache):
    return cache_.get("rule", lambda: RoutingRule.objects.get(note="uji").body_id)


def test_a_change_made_elsewhere_reaches_every_process_cache():
    """Two caches stand for two processes; the write goes through ``update()`` (no signal,
    as another process's write would be invisible to this one's signals)."""
    rule = RoutingRule.objects.create(region=Region.objects.get(code="33"),
                                      body=body("province-33"), note="uji")
    first, second = ConfigCache(read_version), ConfigCache(read_version)
    assert _rule_body_of(first) == _rule_body_of(second) == rule.body_id
    assert _rule_body_of(first) == rule.body_id and first.loads == 1  # kept
    RoutingRule.objects.filter(pk=rule.pk).update(body=body("regency-33.74"))
    assert _rule_body_of(first) == _rule_body_of(second) == body("regency-33.74").pk
    assert (first.loads, second.loads) == (2, 2)


@pytest.mark.parametrize("change", [
    lambda: Region.objects.filter(code="33").update(name="Jawa Tengah (uji)"),
    lambda: Category.objects.filter(slug="kesehatan").update(is_active=False),
    lambda: DeadlinePolicy.objects.filter(is_current=True).update(action="notify"),
    lambda: body("province-33").__class__.objects.filter(pk=body("province-33").pk).update(
        is_active=False),
    lambda: CategoryQuestion.objects.create(
        category=Category.objects.get(slug="kesehatan"), code="puskesmas",
        label="Puskesmas", kind="text"),
], ids=["region", "category", "policy", "body", "question"])
def test_every_cached_table_bumps_the_version(change):
    before = read_version()
    change()
    assert read_version() > before


def test_a_rolled_back_change_is_never_taken_for_the_current_data():
    rule = RoutingRule.objects.create(region=Region.objects.get(code="33"),
                                      body=body("province-33"), note="uji")
    process = ConfigCache(read_version)
    with pytest.raises(RuntimeError), transaction.atomic():
        RoutingRule.objects.filter(pk=rule.pk).update(body=body("regency-33.74"))
        assert _rule_body_of(process) == body("regency-33.74").pk  # its own, uncommitted
        raise RuntimeError
    assert _rule_body_of(process) == rule.body_id
    # the next change gets a version never seen before, so the copy of the rolled-back one
    # is not served for it
    RoutingRule.objects.filter(pk=rule.pk).update(body=body("kemenpu"))
    assert _rule_body_of(process) == body("kemenpu").pk


def test_the_version_is_read_once_per_request_and_again_after_a_write_in_it(
    api_citizen, django_assert_max_num_queries
):
    api_citizen.post("/api/v1/reports/", _payload(), format="json")
    with CaptureQueriesContext(connection) as queries:
        api_citizen.post("/api/v1/reports/", _payload(), format="json")
    assert sum("lapor_config_version" in q["sql"] for q in queries.captured_queries) == 1
    config_cache._request_starts()
    try:
        version = config_cache.current_version()
        RoutingRule.objects.create(body=body("kemenpu"), note="uji")  # post_save: forgotten
        assert config_cache.current_version() > version
    finally:
        config_cache._request_ends()


def test_filings_follow_rules_policies_and_categories_changed_elsewhere(api_citizen, system_admin):
    """The same process filed before the changes (its cache is warm); the changes fire no
    signal in it."""
    api_citizen.post("/api/v1/reports/", _payload(), format="json")
    rule = RoutingRule.objects.create(region=Region.objects.get(code="33.74"),
                                      body=body("regency-33.74"))
    RoutingRule.objects.filter(pk=rule.pk).update(is_trusted=True)
    routed = api_citizen.post("/api/v1/reports/", _payload(), format="json").json()
    assert routed["status"] == "dispositioned"

    policy = policies.set_policy(clock=ClockKind.VERIFICATION, action="notify",
                                 actor=system_admin,
                                 length_hours=7)
    filed = api_citizen.post("/api/v1/reports/", _payload(category="kesehatan"),
                             format="json").json()
    assert Clock.objects.get(report_id=filed["id"], kind=ClockKind.VERIFICATION).policy == policy

    Category.objects.filter(slug="kesehatan").update(is_active=False)
    refused = api_citizen.post("/api/v1/reports/", _payload(category="kesehatan"),
                               format="json")
    assert refused.status_code == 400 and "category" in refused.json()


def test_report_serializers_build_their_fields_once_and_share_none():
    from complaints.api.serializers import AssistedReportSerializer, ReportSerializer

    first, second = ReportSerializer().fields, ReportSerializer().fields
    assert list(first) == list(second) and first["title"] is not second["title"]
    assert first["title"].parent is not second["title"].parent
    assert "contact_name" in AssistedReportSerializer().fields
    assert "contact_name" not in ReportSerializer().fields and "submit" in first


def test_a_citizens_token_reads_no_memberships_a_staff_token_still_does(
    api_citizen, verifier_national
):
    with CaptureQueriesContext(connection) as queries:
        assert api_citizen.get("/api/v1/reports/").status_code == 200
    assert not any("agencies_membership\".\"id" in q["sql"] for q in queries.captured_queries)
    staff = APIClient()
    staff.credentials(HTTP_AUTHORIZATION=f"Token {verified_api_token(verifier_national).key}")
    with CaptureQueriesContext(connection) as queries:
        staff.get("/api/v1/reports/")
    assert any("agencies_membership\".\"id" in q["sql"] for q in queries.captured_queries)


# token and user, the draft and its attachments (the viewset's object), SAVEPOINT, the draft
# locked with its last event, SAVEPOINT, UPDATE (tracking number and status), INSERT event,
# RELEASE, INSERT notification, INSERT email, the config version, INSERT clock, RELEASE
DRAFT_SUBMIT_STATEMENTS = 14


def test_submitting_a_draft_costs_few_statements(api_citizen, django_assert_max_num_queries):
    api_citizen.post("/api/v1/reports/", _payload(), format="json")
    draft = api_citizen.post("/api/v1/reports/", _payload(submit=False), format="json").json()
    with django_assert_max_num_queries(DRAFT_SUBMIT_STATEMENTS):
        response = api_citizen.post(f"/api/v1/reports/{draft['id']}/submit/")
    assert response.status_code == 200, response.content
    _assert_filed_in_full(Report.objects.get(pk=draft["id"]), api_citizen.user)


def test_a_drafts_taken_tracking_number_is_drawn_again(monkeypatch, api_citizen):
    taken = ReportFactory().tracking_number
    fresh = tracking_numbers.new_tracking_number()
    draft = api_citizen.post("/api/v1/reports/", _payload(submit=False), format="json").json()
    draws = iter([taken, fresh])
    monkeypatch.setattr(intake, "new_tracking_number", lambda: next(draws))
    response = api_citizen.post(f"/api/v1/reports/{draft['id']}/submit/")
    assert response.status_code == 200 and response.json()["tracking_number"] == fresh
    _assert_filed_in_full(Report.objects.get(pk=draft["id"]), api_citizen.user)


def test_a_lean_submission_refused_on_the_way_writes_nothing_of_it_and_keeps_a_draft(
    monkeypatch, api_citizen
):
    from complaints import workflow_hooks
    from lapor.errors import Invalid

    def refuse(report, *, at):
        raise Invalid("Ditolak di tengah jalan.")

    monkeypatch.setattr(workflow_hooks.hooks(), "submitted", refuse)
    response = api_citizen.post("/api/v1/reports/", _payload(title="Laporan yang tertahan"),
                                format="json")
    assert response.status_code == 400
    draft = Report.objects.get(pk=response.json()["draft"])
    assert (draft.status, draft.tracking_number, draft.title) == (
        ReportStatus.DRAFT, None, "Laporan yang tertahan")
    assert Report.objects.filter(reporter=api_citizen.user).count() == 1
    assert not ReportEvent.objects.filter(report__reporter=api_citizen.user).exists()
    assert not Notification.objects.filter(user=api_citizen.user).exists()
