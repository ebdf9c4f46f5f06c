"""Exports of the operators' queue: who gets which rows, privacy of the reporter, the file
formats, progress, idempotence of the build, and who may download."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from agencies.models import Body
from lapor.errors import Invalid, NotAllowed
from routing import exports, tasks
from routing.models import ExportJob, IdentityDisclosure
from routing.queues import QueueFilters
from tests.factories import UserFactory, public_report


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _export(user, fmt: str = "csv", *, reason: str = "", **params) -> ExportJob:
    """Request and build an export; a ``reason`` asks for the reporters' identities."""
    job = exports.request_export(
        user=user, filters=QueueFilters.from_params(params), format=fmt,
        include_identity=bool(reason), reason=reason,
    )
    exports.build_export(job.pk)
    job.refresh_from_db()
    return job


def _by_number(job: ExportJob) -> dict[str, dict[str, str]]:
    _raw, rows = _csv_rows(job)
    return {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


def _csv_rows(job: ExportJob) -> tuple[bytes, list[list[str]]]:
    with job.file.open("rb") as f:
        raw = f.read()
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def _tracking_numbers(job: ExportJob) -> set[str]:
    _raw, rows = _csv_rows(job)
    return {row[0] for row in rows[1:]}


def _body_below_jateng() -> Body:
    province = Body.objects.get(source_key="province-33")
    return (
        Body.objects.filter(path__startswith=province.path, depth__gt=province.depth)
        .exclude(source_key="regency-33.74")
        .first()
    )


def test_operator_export_contains_own_bodys_reports_only(operator_a):
    mine = public_report()
    theirs = public_report(holder_body=Body.objects.get(source_key="regency-35.78"))
    job = _export(operator_a)
    assert job.state == ExportJob.State.DONE
    numbers = _tracking_numbers(job)
    assert mine.tracking_number in numbers
    assert theirs.tracking_number not in numbers


def test_supervisor_export_contains_own_body_and_below(supervisor_a):
    semarang = public_report()
    below = public_report(holder_body=_body_below_jateng())
    surabaya = public_report(holder_body=Body.objects.get(source_key="regency-35.78"))
    numbers = _tracking_numbers(_export(supervisor_a))
    assert {semarang.tracking_number, below.tracking_number} <= numbers
    assert surabaya.tracking_number not in numbers


def test_filters_are_applied(operator_a):
    overdue = public_report(title="Lampu jalan padam", kind="aspiration")
    public_report(title="Sampah menumpuk", kind="complaint")
    job = _export(operator_a, kind="aspiration")
    assert job.filters == {"kind": "aspiration", "sort": "due"}
    assert _tracking_numbers(job) == {overdue.tracking_number}


def test_citizen_is_refused_with_a_message(citizen):
    with pytest.raises(NotAllowed, match="Hanya operator atau pimpinan instansi"):
        exports.request_export(user=citizen, filters=QueueFilters(), format="csv")
    assert not ExportJob.objects.exists()


def test_unknown_format_is_refused(operator_a):
    with pytest.raises(Invalid) as error:
        exports.request_export(user=operator_a, filters=QueueFilters(), format="pdf")
    assert error.value.field == "format"


def test_csv_has_bom_and_indonesian_headers(operator_a):
    public_report()
    raw, rows = _csv_rows(_export(operator_a))
    assert raw.startswith(b"\xef\xbb\xbf")
    assert rows[0][:3] == ["Nomor pelacakan", "Judul", "Jenis"]
    assert "Instansi pemegang" in rows[0]


def test_times_are_in_the_holder_bodys_zone(operator_a):
    from datetime import UTC, datetime

    report = public_report(submitted_at=datetime(2025, 3, 3, 1, 5, tzinfo=UTC))
    _raw, rows = _csv_rows(_export(operator_a))
    row = dict(zip(rows[0], next(r for r in rows if r[0] == report.tracking_number), strict=True))
    assert row["Dikirim"] == "2025-03-03 08:05 WIB"  # Kota Semarang: UTC+7


# --- reporters' identities ---------------------------------------------------------------

IDENTITY_HEADERS = ["Nama pelapor", "Email pelapor", "Telepon pelapor"]


def _people() -> dict[str, object]:
    """A named reporter, a named one of a confidential report, an anonymous one, and a person
    without an account recorded at assisted intake, all in Kota Semarang's queue."""
    named = UserFactory(full_name="Budi Santoso", email="budi@example.id", phone="0811111")
    secret = UserFactory(full_name="Sari Rahasia", email="sari@example.id")
    hidden = UserFactory(full_name="Nama Rahasia Pelapor", email="rahasia@example.id",
                         phone="0822222")
    return {
        "named": public_report(reporter=named),
        "confidential": public_report(reporter=secret, is_confidential=True),
        "anonymous": public_report(reporter=hidden, is_anonymous=True),
        "assisted": public_report(reporter=None, channel="phone", contact_name="Ibu Tini",
                                  contact_email="tini@example.id", contact_phone="0833333"),
    }


def test_operator_export_has_no_identity_columns(operator_a):
    people = _people()
    job = _export(operator_a)
    raw, rows = _csv_rows(job)
    assert not job.includes_identity
    assert not set(IDENTITY_HEADERS) & set(rows[0])
    for text in (b"Budi Santoso", b"Sari Rahasia", b"Nama Rahasia", b"Ibu Tini", b"@example.id",
                 b"0811111", b"0833333"):
        assert text not in raw
    assert _tracking_numbers(job) == {r.tracking_number for r in people.values()}
    assert not IdentityDisclosure.objects.exists()


def test_identities_need_a_reason(operator_a):
    public_report()
    for reason in ("", "   "):
        with pytest.raises(Invalid, match="Tuliskan alasan") as error:
            exports.request_export(user=operator_a, filters=QueueFilters(), format="csv",
                                   include_identity=True, reason=reason)
        assert error.value.field == "reason"
    assert not ExportJob.objects.exists()


def test_supervisor_with_a_reason_gets_named_reporters_only_one_disclosure_each(supervisor_a):
    people = _people()
    job = _export(supervisor_a, reason="Audit Inspektorat 2025")
    raw, rows = _csv_rows(job)
    assert rows[0][-3:] == IDENTITY_HEADERS
    row = _by_number(job)
    named, confidential = row[people["named"].tracking_number], row[
        people["confidential"].tracking_number]
    assert [named[h] for h in IDENTITY_HEADERS] == ["Budi Santoso", "budi@example.id", "0811111"]
    assert confidential["Nama pelapor"] == "Sari Rahasia"  # as on the staff page: not anonymous
    assert [row[people["assisted"].tracking_number][h] for h in IDENTITY_HEADERS] == [
        "Ibu Tini", "tini@example.id", "0833333"
    ]
    anonymous = row[people["anonymous"].tracking_number]
    assert [anonymous[h] for h in IDENTITY_HEADERS] == ["Anonim", "", ""]
    assert b"Nama Rahasia Pelapor" not in raw and b"rahasia@example.id" not in raw
    assert b"0822222" not in raw
    disclosed = IdentityDisclosure.objects.filter(viewer=supervisor_a)
    assert sorted(disclosed.values_list("report_id", flat=True)) == sorted(
        people[k].pk for k in ("named", "confidential", "assisted")
    )
    assert {d.reason for d in disclosed} == {f"ekspor #{job.pk}: Audit Inspektorat 2025"}


def test_system_admin_includes_anonymous_reporters_with_a_reason(system_admin):
    people = _people()
    plain = _export(system_admin)
    assert b"Nama Rahasia Pelapor" not in _csv_rows(plain)[0]
    assert not IdentityDisclosure.objects.exists()
    job = _export(system_admin, reason="Permintaan aparat penegak hukum no. 12")
    anonymous = _by_number(job)[people["anonymous"].tracking_number]
    assert [anonymous[h] for h in IDENTITY_HEADERS] == [
        "Nama Rahasia Pelapor", "rahasia@example.id", "0822222"
    ]
    assert IdentityDisclosure.objects.filter(viewer=system_admin).count() == 4
    assert IdentityDisclosure.objects.get(report=people["anonymous"]).reason == (
        f"ekspor #{job.pk}: Permintaan aparat penegak hukum no. 12"
    )


def test_system_admin_export_covers_every_body(system_admin):
    semarang = public_report()
    surabaya = public_report(holder_body=Body.objects.get(source_key="regency-35.78"))
    assert {semarang.tracking_number, surabaya.tracking_number} <= _tracking_numbers(
        _export(system_admin)
    )
    only = _export(system_admin, body=str(surabaya.holder_body_id))
    assert _tracking_numbers(only) == {surabaya.tracking_number}


def test_disclosures_are_written_in_batches_not_per_row(operator_a, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(exports, "DISCLOSURE_BATCH", 2)
    for _ in range(5):
        public_report()
    job = exports.request_export(user=operator_a, filters=QueueFilters(), format="csv",
                                 include_identity=True, reason="Rekap bulanan")
    with CaptureQueriesContext(connection) as queries:
        exports.build_export(job.pk)
    insert = 'INSERT INTO "routing_identitydisclosure"'
    inserts = [q for q in queries if q["sql"].startswith(insert)]
    assert len(inserts) == 3  # 2 + 2 + 1
    assert IdentityDisclosure.objects.filter(viewer=operator_a).count() == 5


def test_a_demoted_system_admin_reveals_no_anonymous_reporter(system_admin, body_a):
    """Rights are re-checked when the file is built: the reason given no longer suffices."""
    from agencies.models import Membership, Role

    Membership.objects.create(user=system_admin, body=body_a, role=Role.OPERATOR)
    people = _people()
    job = exports.request_export(user=system_admin, filters=QueueFilters(), format="csv",
                                 include_identity=True, reason="Audit")
    system_admin.memberships.filter(role=Role.SYSTEM_ADMIN).update(is_active=False)
    exports.build_export(job.pk)
    job.refresh_from_db()
    raw, _rows = _csv_rows(job)
    assert b"Nama Rahasia Pelapor" not in raw
    assert not IdentityDisclosure.objects.filter(report=people["anonymous"]).exists()
    assert IdentityDisclosure.objects.filter(report=people["named"]).exists()


# --- what a file will hold, before it is built ---------------------------------------------


def test_plan_says_filters_in_words_and_counts_rows(supervisor_a, body_a):
    from datetime import timedelta

    from django.utils import timezone

    late = timezone.now() - timedelta(hours=3)
    for _ in range(2):
        public_report(kind="aspiration", due_at=late, title="Lampu jalan padam")
    public_report(kind="aspiration", due_at=late, title="Sampah menumpuk")
    public_report(kind="complaint", due_at=late, title="Lampu jalan padam")
    public_report(kind="aspiration", title="Lampu jalan padam", is_anonymous=True, due_at=late)
    filters = QueueFilters.from_params({
        "kind": "aspiration", "overdue": "1", "q": "lampu", "category": "infrastruktur",
        "province": "33", "regency": "33.74", "body": str(body_a.pk), "status": "in_progress",
    })
    plan = exports.plan_export(user=supervisor_a, filters=filters, format="xlsx")
    words = {f.name: f.value for f in plan.described}
    assert words == {
        "status": "Sedang ditindaklanjuti", "body": "Pemerintah Kota Semarang",
        "kind": "Aspirasi", "category": "Infrastruktur dan Jalan", "province": "Jawa Tengah",
        "regency": "Kota Semarang", "overdue": "Ya", "q": "“lampu”", "sort": "Paling mendesak",
    }
    assert (plan.total_rows, plan.anonymous_rows) == (3, 1)
    assert (plan.readable_identity_rows, plan.withheld_anonymous_rows) == (2, 1)
    assert plan.identity_rows == 0 and "Nama pelapor" not in plan.columns
    job = exports.request_export(user=supervisor_a, filters=filters, format="xlsx")
    assert job.total_rows == plan.total_rows


def test_plan_of_the_whole_queue_says_so(operator_a, system_admin):
    words = {f.name: f.value for f in exports.plan_export(
        user=operator_a, filters=QueueFilters()).described}
    assert words == {"status": "Semua yang terbuka", "body": "Semua instansi Anda",
                     "sort": "Paling mendesak"}
    admin = exports.plan_export(user=system_admin, filters=QueueFilters(),
                                include_identity=True, reason="Audit")
    assert admin.described[1].value == "Semua instansi"
    assert admin.reveals_anonymous and "Nama pelapor" in admin.columns


def test_a_body_outside_the_scope_is_refused(operator_a, body_b):
    with pytest.raises(Invalid, match="tidak termasuk antrean Anda") as error:
        exports.plan_export(user=operator_a, filters=QueueFilters(body=body_b.pk))
    assert error.value.field == "body"
    with pytest.raises(Invalid):
        exports.request_export(user=operator_a, filters=QueueFilters(body=body_b.pk),
                               format="csv")
    assert not ExportJob.objects.exists()


def test_formula_injection_is_neutralised(operator_a):
    report = public_report(title='=HYPERLINK("http://jahat.example/","klik")')
    _raw, rows = _csv_rows(_export(operator_a))
    row = next(r for r in rows if r[0] == report.tracking_number)
    assert row[1] == '\'=HYPERLINK("http://jahat.example/","klik")'


@pytest.mark.parametrize("value", ["+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_every_formula_prefix_gets_an_apostrophe(value):
    assert exports.neutralise(value) == "'" + value
    assert exports.neutralise("Jalan " + value) == "Jalan " + value


def test_xlsx_opens_and_has_the_rows(operator_a):
    reports = [public_report() for _ in range(3)]
    injected = public_report(title="=1+1")
    job = _export(operator_a, fmt="xlsx")
    assert job.file.name.endswith(".xlsx")
    with job.file.open("rb") as f:
        sheet = load_workbook(io.BytesIO(f.read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Nomor pelacakan"
    assert {r[0] for r in rows[1:]} == {r.tracking_number for r in [*reports, injected]}
    title = next(r[1] for r in rows if r[0] == injected.tracking_number)
    assert title == "'=1+1"
    assert sheet.column_dimensions["B"].width == 50


def test_progress_fields_reach_the_total(operator_a, monkeypatch):
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    for _ in range(5):
        public_report()
    job = exports.request_export(user=operator_a, filters=QueueFilters(), format="csv")
    assert (job.state, job.total_rows, job.done_rows, job.percent) == ("pending", 5, 0, 0)
    exports.build_export(job.pk)
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE
    assert job.done_rows == job.total_rows == 5
    assert job.percent == 100
    assert job.finished_at is not None


def test_build_twice_builds_once(operator_a):
    public_report()
    job = _export(operator_a, reason="Rekap")
    first_file = job.file.name
    exports.build_export(job.pk)
    job.refresh_from_db()
    assert job.file.name == first_file
    assert IdentityDisclosure.objects.count() == 1


def test_build_of_a_missing_job_does_nothing(operator_a, tmp_path):
    """A job purged before its worker ran: no file is written, no identity logged, no job
    comes back."""
    public_report()
    job = exports.request_export(user=operator_a, filters=QueueFilters(), format="csv",
                                 include_identity=True, reason="Rekap")
    ExportJob.objects.filter(pk=job.pk).delete()
    assert exports.build_export(job.pk) is None
    assert not ExportJob.objects.exists()
    assert not IdentityDisclosure.objects.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_failure_is_recorded(operator_a, monkeypatch):
    public_report()

    def broken(job, out):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "_write", broken)
    job = _export(operator_a)
    assert job.state == ExportJob.State.FAILED
    assert "RuntimeError" in job.error
    assert not job.file


def test_worker_rescopes_to_the_requesters_current_rights(operator_a):
    public_report()
    job = exports.request_export(user=operator_a, filters=QueueFilters(), format="csv")
    assert job.total_rows == 1
    operator_a.memberships.update(is_active=False)
    exports.build_export(job.pk)
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE
    assert job.total_rows == job.done_rows == 0


def test_request_schedules_the_task(operator_a, django_capture_on_commit_callbacks, monkeypatch):
    scheduled = []
    monkeypatch.setattr(tasks.build_export, "delay", lambda job_id: scheduled.append(job_id))
    with django_capture_on_commit_callbacks(execute=True):
        job = exports.request_export(user=operator_a, filters=QueueFilters(), format="csv")
    assert scheduled == [job.pk]


def test_task_runs_through_celery(operator_a):
    public_report()
    job = exports.request_export(user=operator_a, filters=QueueFilters(), format="csv")
    result = tasks.build_export.apply(args=[job.pk])
    assert result.successful()
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE
    assert job.done_rows == 1


# --- pages ------------------------------------------------------------------------------


def test_export_form_posts_filters_and_redirects_to_progress(client, operator_a, monkeypatch):
    monkeypatch.setattr(tasks.build_export, "delay", lambda job_id: None)
    client.force_login(operator_a)
    response = client.post(reverse("routing:export-create"),
                           {"format": "xlsx", "kind": "complaint"})
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("routing:export-detail", args=[job.pk])
    assert (job.format, job.filters["kind"]) == ("xlsx", "complaint")
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "<progress" in text
    assert "js/export-progress.js" in text
    assert 'http-equiv="refresh"' in text
    assert reverse("api:staff-export-detail", args=[job.pk]) in text


def test_queue_export_form_opens_the_confirm_step_which_creates_nothing(client, operator_a):
    public_report(kind="complaint")
    public_report(kind="aspiration", reporter=UserFactory(full_name="Budi Santoso"))
    client.force_login(operator_a)
    queue = client.get(reverse("routing:queue"), {"kind": "aspiration"}).content.decode()
    assert f'action="{reverse("routing:export-create")}"' in queue
    assert 'class="export-form"' in queue and 'method="get"' in queue
    page = client.get(reverse("routing:export-create"), {"kind": "aspiration", "format": "xlsx"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "<dt>Jenis</dt><dd>Aspirasi</dd>" in text
    assert "<dt>Status</dt><dd>Semua yang terbuka</dd>" in text
    assert 'data-export-rows="1"' in text and "1 laporan" in text
    assert 'data-export-identity="no"' in text and "Tidak disertakan." in text
    assert "dicatat atas nama Anda" in text
    assert "Buat berkas" in text and 'method="post"' in text
    assert '<input type="hidden" name="kind" value="aspiration">' in text
    assert '<option value="xlsx" selected>' in text
    assert 'name="include_identity"' in text and 'name="reason"' in text
    assert "Budi Santoso" not in text
    assert not ExportJob.objects.exists()


def test_confirm_post_with_identity_starts_the_job(client, supervisor_a, monkeypatch):
    monkeypatch.setattr(tasks.build_export, "delay", lambda job_id: None)
    public_report()
    client.force_login(supervisor_a)
    response = client.post(reverse("routing:export-create"), {
        "format": "csv", "kind": "complaint", "include_identity": "1", "reason": "Audit internal",
    })
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert (job.includes_identity, job.identity_reason, job.filters["kind"]) == (
        True, "Audit internal", "complaint"
    )
    detail = client.get(response["Location"]).content.decode()
    assert 'data-export-identity="yes"' in detail and "“Audit internal”" in detail
    assert "<dt>Jenis</dt><dd>Aduan</dd>" in detail


def test_confirm_post_without_a_reason_keeps_what_was_typed(client, operator_a):
    public_report()
    client.force_login(operator_a)
    response = client.post(reverse("routing:export-create"), {
        "format": "xlsx", "q": "jalan", "include_identity": "1", "reason": "  ",
    })
    assert response.status_code == 400
    text = response.content.decode()
    assert "Tuliskan alasan menyertakan identitas pelapor." in text
    assert 'id="identity-reason-error"' in text
    assert 'name="include_identity" value="1" checked' in text
    assert '<option value="xlsx" selected>' in text
    assert '<input type="hidden" name="q" value="jalan">' in text
    assert not ExportJob.objects.exists()


def test_system_admin_confirm_page_counts_anonymous_reporters(client, system_admin):
    _people()
    client.force_login(system_admin)
    assert client.get(reverse("routing:exports")).status_code == 200
    text = client.get(reverse("routing:export-create")).content.decode()
    assert "Termasuk 1 laporan anonim" in text
    assert 'data-export-rows="4"' in text


def test_confirm_page_is_404_for_who_cannot_export(client, citizen, verifier_jateng):
    for person in (citizen, verifier_jateng):
        client.force_login(person)
        assert client.get(reverse("routing:export-create")).status_code == 404


def test_export_form_partial_renders_filters_as_hidden_inputs(rf):
    from django.template.loader import render_to_string

    html = render_to_string(
        "routing/_export_form.html", {"filters": {"kind": "complaint", "q": "jalan"}}
    )
    assert '<input type="hidden" name="kind" value="complaint">' in html
    assert '<input type="hidden" name="q" value="jalan">' in html
    assert 'name="format"' in html
    assert "Ekspor" in html


def test_citizen_post_shows_the_message(client, citizen):
    client.force_login(citizen)
    response = client.post(reverse("routing:export-create"), {"format": "csv"})
    assert response.status_code == 403  # the refusal's own status (lapor.errors.NotAllowed)
    assert "Hanya operator atau pimpinan instansi" in response.content.decode()
    assert client.get(reverse("routing:exports")).status_code == 404


def test_done_page_shows_count_and_download_link(client, operator_a):
    for _ in range(2):
        public_report()
    job = _export(operator_a)
    client.force_login(operator_a)
    text = client.get(reverse("routing:export-detail", args=[job.pk])).content.decode()
    assert "2 dari 2 baris" in text
    assert reverse("routing:export-download", args=[job.pk]) in text
    assert 'http-equiv="refresh"' not in text
    listing = client.get(reverse("routing:exports")).content.decode()
    assert reverse("routing:export-detail", args=[job.pk]) in listing


def test_download_only_for_the_requester(client, operator_a, operator_b, supervisor_a):
    public_report()
    job = _export(operator_a)
    url = reverse("routing:export-download", args=[job.pk])
    client.force_login(operator_a)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbf")
    assert "attachment" in response["Content-Disposition"]
    for other in (operator_b, supervisor_a):
        client.force_login(other)
        assert client.get(url).status_code == 404
        assert client.get(reverse("routing:export-detail", args=[job.pk])).status_code == 404


# --- API --------------------------------------------------------------------------------


def test_api_create_list_detail_and_download(operator_a, monkeypatch):
    monkeypatch.setattr(tasks.build_export, "delay", lambda job_id: None)
    public_report()
    api = APIClient()
    api.force_authenticate(operator_a)
    response = api.post(
        reverse("api:staff-export-list"), {"format": "csv", "status": "in_progress"}, format="json"
    )
    assert response.status_code == 202
    job_id = response.data["id"]
    assert response.data["state"] == "pending"
    assert response.data["total_rows"] == 1
    assert response.data["download_url"] is None
    exports.build_export(job_id)
    detail = api.get(reverse("api:staff-export-detail", args=[job_id]))
    assert (detail.data["state"], detail.data["percent"], detail.data["done_rows"]) == (
        "done", 100, 1
    )
    assert detail.data["download_url"].endswith(
        reverse("api:staff-export-download", args=[job_id])
    )
    listing = api.get(reverse("api:staff-export-list"))
    assert [j["id"] for j in listing.data["results"]] == [job_id]
    download = api.get(detail.data["download_url"], HTTP_ACCEPT="text/csv")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"\xef\xbb\xbf")


def test_api_refuses_citizen_with_the_message(citizen):
    api = APIClient()
    api.force_authenticate(citizen)
    response = api.post(reverse("api:staff-export-list"), {"format": "csv"}, format="json")
    assert response.status_code == 403
    assert "Hanya operator atau pimpinan instansi" in str(response.data)


def test_api_others_jobs_are_404(operator_a, operator_b):
    public_report()
    job = _export(operator_a)
    api = APIClient()
    api.force_authenticate(operator_b)
    assert api.get(reverse("api:staff-export-detail", args=[job.pk])).status_code == 404
    assert api.get(reverse("api:staff-export-download", args=[job.pk])).status_code == 404
    assert api.get(reverse("api:staff-export-list")).data["results"] == []


@pytest.mark.django_db(transaction=True)
def test_build_in_autocommit_like_a_worker(agency_tree, monkeypatch, tmp_path, settings):
    """The worker runs without an outer transaction: the server-side cursor must survive the
    progress updates and disclosure inserts committed between its fetches."""
    from complaints.models import Category
    from tests.conftest import make_user

    # Another transactional test may have flushed the categories seeded by migration.
    Category.objects.get_or_create(
        slug="infrastruktur", defaults={"name": "Infrastruktur dan Jalan"}
    )
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)
    monkeypatch.setattr(exports, "DISCLOSURE_BATCH", 2)
    operator = make_user("op.auto@example.id", "Operator", "operator", "regency-33.74")
    reports = [public_report() for _ in range(5)]
    job = exports.request_export(user=operator, filters=QueueFilters(), format="csv",
                                 include_identity=True, reason="Rekap")
    exports.build_export(job.pk)
    job.refresh_from_db()
    assert (job.state, job.done_rows, job.total_rows) == ("done", 5, 5)
    assert _tracking_numbers(job) == {r.tracking_number for r in reports}
    assert IdentityDisclosure.objects.filter(reason=f"ekspor #{job.pk}: Rekap").count() == 5



def test_running_page_shows_progress_with_indonesian_grouping(client, operator_a):
    job = ExportJob.objects.create(
        requested_by=operator_a, state=ExportJob.State.RUNNING, total_rows=10_000, done_rows=1_234
    )
    client.force_login(operator_a)
    text = client.get(reverse("routing:export-detail", args=[job.pk])).content.decode()
    assert "1.234 dari 10.000 baris" in text
    assert 'max="10000" value="1234"' in text
    assert 'data-template="__done__ dari __total__ baris"' in text
    assert reverse("routing:export-download", args=[job.pk]) not in text
    assert client.get(reverse("routing:export-download", args=[job.pk])).status_code == 404


def test_old_export_files_are_purged(operator_a, tmp_path, settings):
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from routing.exports import purge_old_exports
    from routing.models import ExportJob

    settings.MEDIA_ROOT = tmp_path
    old = ExportJob.objects.create(requested_by=operator_a, state="done")
    old.file.save("lama.csv", ContentFile(b"x"))
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    fresh = ExportJob.objects.create(requested_by=operator_a, state="done")
    path = old.file.path
    assert purge_old_exports() == 1
    assert not ExportJob.objects.filter(pk=old.pk).exists()
    assert ExportJob.objects.filter(pk=fresh.pk).exists()
    import os

    assert not os.path.exists(path)


def test_api_preview_says_what_the_file_would_hold_and_starts_nothing(supervisor_a):
    _people()
    api = APIClient()
    api.force_authenticate(supervisor_a)
    url = reverse("api:staff-export-preview")
    plain = api.post(url, {"format": "csv", "status": "in_progress"}, format="json")
    assert plain.status_code == 200
    assert plain.data["total_rows"] == 4
    assert {"name": "status", "label": "Status", "value": "Sedang ditindaklanjuti"} in [
        dict(f) for f in plain.data["described"]
    ]
    assert (plain.data["includes_identity"], plain.data["identity_rows"]) == (False, 0)
    assert (plain.data["readable_identity_rows"], plain.data["withheld_anonymous_rows"]) == (3, 1)
    assert "Nama pelapor" not in plain.data["columns"]
    assert plain.data["identities_are_logged"] is True
    asked = api.post(url, {"format": "csv", "include_identity": True, "reason": "Audit"},
                     format="json")
    assert (asked.data["includes_identity"], asked.data["identity_rows"]) == (True, 3)
    assert asked.data["columns"][-3:] == IDENTITY_HEADERS
    refused = api.post(url, {"format": "csv", "include_identity": True}, format="json")
    assert refused.status_code == 400
    assert "Tuliskan alasan" in str(refused.data["reason"])
    assert not ExportJob.objects.exists()


def test_api_create_with_identity_has_the_same_rules(supervisor_a, monkeypatch):
    monkeypatch.setattr(tasks.build_export, "delay", lambda job_id: None)
    people = _people()
    api = APIClient()
    api.force_authenticate(supervisor_a)
    url = reverse("api:staff-export-list")
    refused = api.post(url, {"format": "csv", "include_identity": True, "reason": ""},
                       format="json")
    assert refused.status_code == 400 and "reason" in refused.data
    response = api.post(url, {"format": "csv", "include_identity": True, "reason": "Audit"},
                        format="json")
    assert response.status_code == 202
    assert (response.data["includes_identity"], response.data["identity_reason"]) == (
        True, "Audit"
    )
    exports.build_export(response.data["id"])
    job = ExportJob.objects.get(pk=response.data["id"])
    assert _by_number(job)[people["anonymous"].tracking_number]["Nama pelapor"] == "Anonim"
    assert IdentityDisclosure.objects.filter(viewer=supervisor_a).count() == 3
