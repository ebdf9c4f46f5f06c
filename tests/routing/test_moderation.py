"""Moderation: a verifier edits a report's public title and text and hides single files from
the public, each with a reason (routing.services.moderation; the staff actions
"salinan-publik", "sembunyikan-lampiran", "tampilkan-lampiran"; ``edit-public-copy``,
``hide-attachment``, ``unhide-attachment`` in the API). The original stays for staff and the
reporter; the public pages, API, search, feed, Open311 and similar reports read only the
edited copy and never serve a hidden file; the reporter reads what changed and why."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from complaints import similar
from complaints.models import (
    EventKind,
    Notification,
    OutgoingEmail,
    Report,
    ReportEvent,
    ReportStatus,
    Visibility,
)
from complaints.services import intake
from lapor.errors import Invalid, NotAllowed
from routing.services import moderation
from tests.complaints.images import cleaned, png
from tests.factories import public_report

pytestmark = pytest.mark.django_db

ORIGINAL_TITLE = "Pungli di loket Samsat oleh petugas Bambang"
ORIGINAL_TEXT = ("Petugas Bambang Sutejo meminta uang tambahan Rp200.000 di loket 3 setiap "
                 "kali warga memperpanjang STNK.")
EDITED_TITLE = "Pungli di loket Samsat"
EDITED_TEXT = "Petugas di loket 3 meminta uang tambahan setiap kali warga memperpanjang STNK."
REASON = "Nama orang dihapus dari tampilan publik."


@pytest.fixture
def report():
    return public_report(title=ORIGINAL_TITLE, description=ORIGINAL_TEXT)


@pytest.fixture
def photo(report, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return cleaned(intake.add_attachment(report=report, upload=png(), actor=report.reporter))


def _api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _edit(report, actor, **kwargs):
    values = {"title": EDITED_TITLE, "description": EDITED_TEXT, "reason": REASON, **kwargs}
    return moderation.edit_public_copy(report=report, actor=actor, **values)


# --- the service ----------------------------------------------------------------------------


def test_an_edit_changes_the_public_copy_not_the_original_and_is_recorded(
        report, verifier_jateng):
    _edit(report, verifier_jateng)
    report.refresh_from_db()
    assert (report.title, report.description) == (ORIGINAL_TITLE, ORIGINAL_TEXT)
    assert (report.public_title, report.public_description) == (EDITED_TITLE, EDITED_TEXT)
    assert report.public_copy_edited_by == verifier_jateng
    assert report.public_copy_reason == REASON
    event = ReportEvent.objects.get(report=report, kind=EventKind.PUBLIC_COPY_EDITED)
    assert event.visibility == Visibility.REPORTER
    assert event.note == REASON and event.actor == verifier_jateng
    # The staff keep what the public read before the edit.
    assert event.data["previous_title"] == ORIGINAL_TITLE
    assert event.data["fields"] == ["title", "description"]


def test_the_reporter_is_told_what_changed_and_why(report, verifier_jateng):
    _edit(report, verifier_jateng)
    notice = Notification.objects.get(user=report.reporter)
    assert REASON in notice.message
    assert notice.url == f"/laporan-saya/{report.tracking_number}/"
    # The email waits in the outbox (sent once the transaction commits).
    email = OutgoingEmail.objects.get(address=report.reporter.email)
    assert REASON in email.text and "tampilan publik" in email.subject


def test_an_edit_masks_personal_data_the_verifier_left_in(report, verifier_jateng):
    _edit(report, verifier_jateng, description="Hubungi 0812-3456-7890 untuk keterangan.")
    report.refresh_from_db()
    assert "0812" not in report.public_description
    assert "[nomor telepon disamarkan]" in report.public_description


@pytest.mark.parametrize("field, values, message", [
    ("reason", {"reason": "  "}, "alasan"),
    ("title", {"title": ""}, "Judul publik"),
    ("description", {"description": ""}, "Isi publik"),
    ("description", {"title": ORIGINAL_TITLE, "description": ORIGINAL_TEXT}, "tidak berubah"),
])
def test_an_edit_needs_a_reason_a_title_a_text_and_a_change(report, verifier_jateng, field,
                                                            values, message):
    with pytest.raises(Invalid, match=message) as refused:
        _edit(report, verifier_jateng, **values)
    assert refused.value.field == field
    assert not ReportEvent.objects.filter(kind=EventKind.PUBLIC_COPY_EDITED).exists()


def test_only_verifiers_of_the_province_and_the_system_admin_may_moderate(
        report, photo, verifier_jateng, verifier_national, system_admin, operator_a,
        supervisor_a, operator_b, citizen):
    # The body that holds the report, and its supervisor, may not edit what the public reads
    # about it; nor another body, nor a citizen, nor the reporter.
    for outsider in (operator_a, supervisor_a, operator_b, citizen, report.reporter):
        with pytest.raises(NotAllowed):
            _edit(report, outsider)
        with pytest.raises(NotAllowed):
            moderation.hide_attachment(attachment=photo, actor=outsider, reason="x")
    _edit(report, verifier_jateng)
    _edit(report, verifier_national, title="Pungli di Samsat")
    _edit(report, system_admin, title="Pungli di Samsat Semarang")


def test_a_report_that_cannot_be_public_is_not_moderated(verifier_jateng):
    confidential = public_report(is_confidential=True)
    rejected = public_report(status=ReportStatus.REJECTED)
    for report in (confidential, rejected):
        with pytest.raises(NotAllowed):
            _edit(report, verifier_jateng)


def test_a_verifier_of_another_province_may_not_moderate(report, db):
    from agencies.models import Role
    from tests.conftest import make_user

    verifier_jatim = make_user("verif.jatim@example.id", "Verifikator Jatim", Role.VERIFIER,
                               "province-35")
    with pytest.raises(NotAllowed):
        _edit(report, verifier_jatim)


# --- Report.save and the edited copy --------------------------------------------------------


def test_a_later_save_of_the_original_keeps_the_verifiers_public_copy(report, verifier_jateng):
    _edit(report, verifier_jateng)
    report.refresh_from_db()
    report.title = ORIGINAL_TITLE + " (diperbaiki)"
    report.save(update_fields=["title"])
    report.save()
    report.refresh_from_db()
    assert (report.public_title, report.public_description) == (EDITED_TITLE, EDITED_TEXT)


def test_without_an_edit_the_public_copy_still_follows_the_original(report):
    report.description = "Hubungi saya di 0812-3456-7890."
    report.save(update_fields=["description"])
    report.refresh_from_db()
    assert report.public_description == "Hubungi saya di [nomor telepon disamarkan]."


def test_a_citizen_cannot_change_a_sent_report_so_nothing_overwrites_the_edit(
        report, verifier_jateng):
    _edit(report, verifier_jateng)
    with pytest.raises(Invalid):
        intake.save_draft(filer=report.reporter, report=report,
                          values={"title": "Judul baru dari pelapor"})
    report.refresh_from_db()
    assert report.public_title == EDITED_TITLE


# --- who reads what after an edit -----------------------------------------------------------


def test_the_public_reads_only_the_edited_copy_everywhere(client, report, verifier_jateng):
    _edit(report, verifier_jateng)
    number = report.tracking_number
    page = client.get(f"/publik/{number}/").content.decode()
    assert EDITED_TITLE in page and "Bambang" not in page
    assert "disunting verifikator" in page and REASON not in page
    api = _api().get(f"/api/v1/public/reports/{number}/").json()
    assert api["title"] == EDITED_TITLE and api["description"] == EDITED_TEXT
    assert api["public_copy_edited_at"] is not None
    assert REASON not in str(api) and "Bambang" not in str(api)
    assert [e["kind"] for e in api["timeline"]
            if e["kind"] == EventKind.PUBLIC_COPY_EDITED] == []
    open311 = client.get(f"/open311/v2/requests/{number}.json").content.decode()
    assert "Bambang" not in open311 and "loket 3" in open311


def test_a_word_only_in_the_original_finds_nothing_publicly(client, report, verifier_jateng):
    assert report.tracking_number in client.get("/publik/?q=Bambang").content.decode()
    _edit(report, verifier_jateng)
    assert report.tracking_number not in client.get("/publik/?q=Bambang").content.decode()
    assert _api().get("/api/v1/public/reports/?q=Bambang").json()["results"] == []
    found = _api().get("/api/v1/public/reports/?q=loket").json()["results"]
    assert [r["tracking_number"] for r in found] == [report.tracking_number]
    assert found[0]["title"] == EDITED_TITLE
    # Staff queues still search the original.
    assert Report.objects.filter(search_vector="Bambang", pk=report.pk).exists()


def test_similar_reports_show_and_match_only_the_public_copy(report, verifier_jateng):
    typed = similar.Typed(title="Bambang Sutejo", description="Bambang Sutejo",
                          category_id=report.category_id, regency_id=report.regency_id,
                          district_id=None)
    assert [r.tracking_number for r in similar.similar_public_reports(typed)] == [
        report.tracking_number]
    _edit(report, verifier_jateng)
    assert similar.similar_public_reports(typed) == []
    by_public_words = similar.Typed(
        title="Pungli di loket Samsat", description="uang tambahan STNK",
        category_id=report.category_id, regency_id=report.regency_id, district_id=None)
    [found] = similar.similar_public_reports(by_public_words)
    assert found.title == EDITED_TITLE


def test_the_reporter_reads_the_original_the_public_version_and_why(client, report,
                                                                     verifier_jateng):
    _edit(report, verifier_jateng)
    client.force_login(report.reporter)
    page = client.get(f"/laporan-saya/{report.tracking_number}/").content.decode()
    assert ORIGINAL_TITLE in page and "Bambang Sutejo" in page  # their own words
    assert EDITED_TEXT in page and REASON in page
    assert 'data-event="public_copy_edited"' in page
    api = _api(report.reporter)
    mine = api.get(f"/api/v1/reports/{report.pk}/").json()
    assert mine["title"] == ORIGINAL_TITLE and mine["public_title"] == EDITED_TITLE
    assert mine["public_copy_reason"] == REASON
    timeline = api.get(f"/api/v1/reports/{report.pk}/timeline/").json()
    assert [e["note"] for e in timeline if e["kind"] == "public_copy_edited"] == [REASON]


def test_staff_read_the_original_and_the_edited_copy(client, report, verifier_jateng,
                                                     operator_a):
    _edit(report, verifier_jateng)
    client.force_login(operator_a)
    page = client.get(f"/petugas/laporan/{report.tracking_number}/").content.decode()
    assert "Bambang Sutejo" in page and EDITED_TEXT in page and REASON in page
    data = _api(operator_a).get(f"/api/v1/staff/reports/{report.tracking_number}/").json()
    assert data["description"] == ORIGINAL_TEXT and data["public_description"] == EDITED_TEXT
    assert data["public_copy_reason"] == REASON
    # The holding body sees the edit but is not offered it.
    assert "edit-public-copy" not in data["available_actions"]
    assert "Ubah salinan publik" not in page


# --- hidden files ---------------------------------------------------------------------------


def test_a_hidden_photo_is_not_served_publicly_but_is_to_staff_and_the_reporter(
        client, report, photo, verifier_jateng, operator_a, operator_b):
    url, thumb = f"/lampiran/{photo.pk}/", f"/lampiran/{photo.pk}/kecil/"
    assert client.get(url).status_code == 200
    moderation.hide_attachment(attachment=photo, actor=verifier_jateng, reason="Wajah warga.")
    assert client.get(url).status_code == 404 and client.get(thumb).status_code == 404
    assert _api().get(f"/api/v1/attachments/{photo.pk}/file/").status_code == 404
    public = _api().get(f"/api/v1/public/reports/{report.tracking_number}/").json()
    assert public["attachments"] == []
    page = client.get(f"/publik/{report.tracking_number}/").content.decode()
    assert f"/lampiran/{photo.pk}/" not in page
    feed = _api().get("/api/v1/public/reports/").json()["results"]
    assert [r["thumbnail_url"] for r in feed if r["tracking_number"] == report.tracking_number
            ] == [None]
    client.force_login(operator_b)
    assert client.get(url).status_code == 404
    for insider in (operator_a, report.reporter, verifier_jateng):
        client.force_login(insider)
        assert client.get(url).status_code == 200, insider
    page = client.get(f"/petugas/laporan/{report.tracking_number}/").content.decode()
    assert "Disembunyikan dari publik" in page and "Wajah warga." in page
    client.force_login(report.reporter)
    mine = client.get(f"/laporan-saya/{report.tracking_number}/").content.decode()
    assert "Tidak tampil untuk publik" in mine and "Wajah warga." in mine
    files = _api(report.reporter).get(f"/api/v1/reports/{report.pk}/attachments/").json()
    assert [(f["is_hidden"], f["hidden_reason"]) for f in files] == [(True, "Wajah warga.")]


def test_unhide_restores_the_photo_to_the_public(client, report, photo, verifier_jateng):
    moderation.hide_attachment(attachment=photo, actor=verifier_jateng, reason="Wajah warga.")
    with pytest.raises(Invalid, match="sudah disembunyikan"):
        moderation.hide_attachment(attachment=photo, actor=verifier_jateng, reason="lagi")
    moderation.unhide_attachment(attachment=photo, actor=verifier_jateng,
                                 reason="Wajah sudah disamarkan pelapor.")
    photo.refresh_from_db()
    assert not photo.is_hidden and photo.hidden_reason == ""
    assert client.get(f"/lampiran/{photo.pk}/").status_code == 200
    kinds = list(ReportEvent.objects.filter(report=report).order_by("seq").values_list(
        "kind", "visibility"))
    assert kinds[-2:] == [(EventKind.ATTACHMENT_HIDDEN, Visibility.REPORTER),
                          (EventKind.ATTACHMENT_SHOWN, Visibility.REPORTER)]
    with pytest.raises(Invalid, match="tidak sedang disembunyikan"):
        moderation.unhide_attachment(attachment=photo, actor=verifier_jateng, reason="x")


def test_hiding_needs_a_reason_and_a_public_file(report, photo, verifier_jateng):
    with pytest.raises(Invalid, match="alasan") as refused:
        moderation.hide_attachment(attachment=photo, actor=verifier_jateng, reason="")
    assert refused.value.field == "reason"
    photo.is_staff_only = True
    photo.save(update_fields=["is_staff_only"])
    with pytest.raises(Invalid, match="internal"):
        moderation.hide_attachment(attachment=photo, actor=verifier_jateng, reason="x")


# --- the staff page -------------------------------------------------------------------------


def test_the_page_form_is_prefilled_previews_and_keeps_what_was_typed(client, report,
                                                                      verifier_jateng):
    client.force_login(verifier_jateng)
    number = report.tracking_number
    page = client.get(f"/petugas/laporan/{number}/").content.decode()
    assert "Ubah salinan publik" in page and ORIGINAL_TEXT in page  # prefilled
    url = f"/petugas/laporan/{number}/salinan-publik/"
    typed = {"version": report.version, "title": EDITED_TITLE,
             "description": "Telepon 0812-3456-7890, loket 3.", "reason": ""}
    preview = client.post(url, {**typed, "preview": "1"})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Pratinjau tampilan publik" in html and "[nomor telepon disamarkan]" in html
    refused = client.post(url, typed)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Tuliskan alasan perubahan" in html and "Telepon 0812-3456-7890, loket 3." in html
    report.refresh_from_db()
    assert report.public_copy_edited_at is None
    done = client.post(url, {**typed, "reason": REASON})
    assert done.status_code == 302 and done["Location"] == f"/petugas/laporan/{number}/"
    report.refresh_from_db()
    assert report.public_description == "Telepon [nomor telepon disamarkan], loket 3."


def test_the_page_hides_and_shows_a_photo_with_a_reason(client, report, photo,
                                                        verifier_jateng):
    client.force_login(verifier_jateng)
    number = report.tracking_number
    page = client.get(f"/petugas/laporan/{number}/").content.decode()
    assert "Sembunyikan dari publik" in page
    hide = f"/petugas/laporan/{number}/sembunyikan-lampiran/"
    refused = client.post(hide, {"version": report.version, "attachment": photo.pk,
                                 "reason": ""})
    assert refused.status_code == 400
    assert "Tuliskan alasan menyembunyikan" in refused.content.decode()
    assert client.post(hide, {"version": report.version, "attachment": photo.pk,
                              "reason": "Pelat nomor terlihat."}).status_code == 302
    photo.refresh_from_db()
    assert photo.is_hidden and photo.hidden_by == verifier_jateng
    page = client.get(f"/petugas/laporan/{number}/").content.decode()
    assert "Tampilkan lagi" in page and "Pelat nomor terlihat." in page
    show = f"/petugas/laporan/{number}/tampilkan-lampiran/"
    assert client.post(show, {"version": report.version, "attachment": photo.pk,
                              "reason": "Pelat sudah disamarkan."}).status_code == 302
    photo.refresh_from_db()
    assert not photo.is_hidden


def test_the_page_refuses_an_operator_and_another_body(client, report, photo, operator_a,
                                                       operator_b, citizen):
    number = report.tracking_number
    for user, status in ((operator_a, 404), (operator_b, 404), (citizen, 404)):
        client.force_login(user)
        for action, data in (("salinan-publik", {"title": "x", "description": "y"}),
                             ("sembunyikan-lampiran", {"attachment": photo.pk})):
            response = client.post(f"/petugas/laporan/{number}/{action}/",
                                   {"version": report.version, "reason": "x", **data})
            assert response.status_code == status, (user, action)
    report.refresh_from_db()
    photo.refresh_from_db()
    assert report.public_copy_edited_at is None and not photo.is_hidden


# --- the API --------------------------------------------------------------------------------


def test_the_api_edits_hides_and_unhides(report, photo, verifier_jateng):
    api = _api(verifier_jateng)
    base = f"/api/v1/staff/reports/{report.tracking_number}/actions"
    missing = api.post(f"{base}/edit-public-copy/", {
        "version": report.version, "title": EDITED_TITLE, "description": EDITED_TEXT,
        "reason": ""}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    done = api.post(f"{base}/edit-public-copy/", {
        "version": report.version, "title": EDITED_TITLE, "description": EDITED_TEXT,
        "reason": REASON}, format="json")
    assert done.status_code == 200, done.json()
    assert done.json()["public_title"] == EDITED_TITLE
    assert done.json()["public_copy_reason"] == REASON
    version = done.json()["version"]
    stale = api.post(f"{base}/edit-public-copy/", {
        "version": version - 1, "title": "Lain", "description": "Lain lagi", "reason": "x"},
        format="json")
    assert stale.status_code == 409
    hidden = api.post(f"{base}/hide-attachment/", {
        "version": version, "attachment": photo.pk, "reason": "Wajah anak."}, format="json")
    assert hidden.status_code == 200
    [file] = hidden.json()["attachments"]
    assert file["is_hidden"] and file["hidden_reason"] == "Wajah anak."
    other = api.post(f"{base}/hide-attachment/", {
        "version": version, "attachment": photo.pk + 999, "reason": "x"}, format="json")
    assert other.status_code == 400 and "attachment" in other.json()
    shown = api.post(f"{base}/unhide-attachment/", {
        "version": version, "attachment": photo.pk, "reason": "Sudah aman."}, format="json")
    assert shown.status_code == 200 and not shown.json()["attachments"][0]["is_hidden"]


def test_the_api_refuses_an_operator_another_body_and_a_citizen(report, photo, operator_a,
                                                                 supervisor_a, operator_b,
                                                                 citizen):
    base = f"/api/v1/staff/reports/{report.tracking_number}/actions"
    body = {"version": report.version, "title": "x", "description": "y", "reason": "z",
            "attachment": photo.pk}
    for user in (operator_a, supervisor_a, operator_b, citizen):
        for action in ("edit-public-copy", "hide-attachment", "unhide-attachment"):
            status = _api(user).post(f"{base}/{action}/", body, format="json").status_code
            # The holder's staff see the report (403); others do not (404).
            assert status == (403 if user in (operator_a, supervisor_a) else 404), (user, action)
    assert _api().post(f"{base}/edit-public-copy/", body, format="json").status_code in (401,
                                                                                        403)
    report.refresh_from_db()
    assert report.public_copy_edited_at is None


def test_the_moderation_endpoints_are_in_the_openapi_schema():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    base = "/api/v1/staff/reports/{tracking_number}/actions"
    for name, fields in (("edit-public-copy", {"title", "description", "reason"}),
                         ("hide-attachment", {"attachment", "reason"}),
                         ("unhide-attachment", {"attachment", "reason"})):
        operation = schema["paths"][f"{base}/{name}/"]["post"]
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        shape = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
        assert fields <= set(shape["properties"]), name
    staff = schema["components"]["schemas"]["StaffReport"]["properties"]
    assert {"public_title", "public_copy_reason", "attachments"} <= set(staff)
    public = schema["components"]["schemas"]["PublicReport"]["properties"]
    assert "public_copy_edited_at" in public and "public_copy_reason" not in public
