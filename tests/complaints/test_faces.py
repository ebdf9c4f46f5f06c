"""Faces in photos are blurred in the public copy (complaints.faces, with the Haar cascades
inside the OpenCV wheel): the public, the public page and the public API get the blurred copy;
the reporter and the report's staff get the photo as it was sent. The test photo with a face is
scikit-image's astronaut (Eileen Collins, a NASA photo in the public domain), shipped inside
the scikit-image wheel (a dev-only dependency)."""

from __future__ import annotations

import io
import os
import socket

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image, ImageFilter
from skimage import data as skimage_data

from complaints import attachments, faces
from complaints.models import Attachment
from complaints.services import intake
from lapor import outages
from tests.complaints.images import cleaned
from tests.factories import public_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    outages.forget_failures()
    yield
    outages.forget_failures()


def _jpeg(image: Image.Image, name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def astronaut() -> SimpleUploadedFile:
    return _jpeg(Image.fromarray(skimage_data.astronaut()), "astronaut.jpg")


def wall() -> SimpleUploadedFile:
    """A photo without a person: scikit-image's brick wall."""
    return _jpeg(Image.fromarray(skimage_data.brick()).convert("RGB"), "tembok.jpg")


def _read(stored) -> bytes:
    with stored.open("rb") as handle:
        return handle.read()


def _pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("L"), dtype=np.float64)


def _sharpness(pixels: np.ndarray) -> float:
    """Variance of the Laplacian: high where there are edges (eyes, mouth), low once blurred."""
    image = Image.fromarray(pixels.astype(np.uint8))
    laplace = np.asarray(image.filter(ImageFilter.Kernel(
        (3, 3), [0, 1, 0, 1, -4, 1, 0, 1, 0], scale=1, offset=128)), dtype=np.float64)
    return float(laplace.var())


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _photo_with_a_face(report=None) -> Attachment:
    report = report or public_report()
    return cleaned(intake.add_attachment(report=report, upload=astronaut(),
                                         actor=report.reporter))


def test_the_cascades_ship_inside_the_wheel_and_load_without_a_network(monkeypatch):
    import cv2

    folder = os.path.dirname(cv2.__file__)
    assert os.path.commonpath([cv2.data.haarcascades, folder]) == folder

    def no_network(*args, **kwargs):
        raise AssertionError("the detector tried to reach the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    faces._cascades.cache_clear()
    boxes = faces.detect(Image.fromarray(skimage_data.astronaut()))
    assert len(boxes) == 1
    assert faces.detector_version().startswith(f"opencv {cv2.__version__}; haar")


def test_a_face_is_blurred_in_the_public_copy_and_the_rest_is_left_alone():
    photo = _photo_with_a_face()
    assert photo.is_clean and photo.faces_found == 1 and photo.faces_blurred
    assert photo.face_detector == faces.detector_version()
    original, public = _read(photo.file), _read(photo.public_file)
    assert original != public
    before, after = _pixels(original), _pixels(public)
    assert before.shape == after.shape == (512, 512)
    [(x, y, w, h)] = faces.detect(Image.open(io.BytesIO(original)))
    face = (slice(y, y + h), slice(x, x + w))
    # The face: its edges gone (eyes, mouth), the pixels far from what they were.
    assert _sharpness(after[face]) < 0.1 * _sharpness(before[face])
    assert np.abs(before[face] - after[face]).mean() > 10
    # The rest of the photo (beyond the blurred margin and a JPEG block): as it was.
    outside = np.ones(before.shape, dtype=bool)
    grow = round(max(w, h) * faces.MARGIN) + 16
    outside[max(0, y - grow): y + h + grow, max(0, x - grow): x + w + grow] = False
    assert np.abs(before[outside] - after[outside]).mean() < 1.0
    # Its public thumbnail is made from the blurred copy.
    assert photo.public_thumbnail and _read(photo.public_thumbnail) != _read(photo.thumbnail)


def test_the_public_gets_the_blurred_copy_and_the_reporter_and_staff_the_original(
        client, operator_a):
    photo = _photo_with_a_face()
    original, public = _read(photo.file), _read(photo.public_file)
    thumb, public_thumb = _read(photo.thumbnail), _read(photo.public_thumbnail)
    pk = photo.pk
    readers = (("visitor", None, public, public_thumb),
               ("reporter", photo.report.reporter, original, thumb),
               ("staff", operator_a, original, thumb))
    for who, user, photo_bytes, thumb_bytes in readers:
        client.logout()
        if user is not None:
            client.force_login(user)
        for url, expected in ((f"/lampiran/{pk}/", photo_bytes),
                              (f"/api/v1/attachments/{pk}/file/", photo_bytes),
                              (f"/lampiran/{pk}/kecil/", thumb_bytes),
                              (f"/api/v1/attachments/{pk}/thumbnail/", thumb_bytes),
                              # the public copy's own address: blurred, whoever asks
                              (f"/lampiran/{pk}/publik/", public),
                              (f"/lampiran/{pk}/publik/kecil/", public_thumb)):
            response = client.get(url)
            assert response.status_code == 200, (who, url)
            assert _body(response) == expected, (who, url)
            assert response["Cache-Control"].startswith("private"), (who, url)
        assert "Cookie" in client.get(f"/lampiran/{pk}/")["Vary"]
        # The public page and the public API link the public copy, for everyone.
        page = client.get(reverse("public:detail", args=[photo.report.tracking_number]))
        html = page.content.decode()
        assert f"/lampiran/{pk}/publik/" in html and f'"/lampiran/{pk}/"' not in html, who
        assert "wajah disamarkan" in html, who
        api = client.get(f"/api/v1/public/reports/{photo.report.tracking_number}/").json()
        [item] = api["attachments"]
        assert (item["url"], item["thumbnail_url"], item["faces_blurred"]) == (
            f"/lampiran/{pk}/publik/", f"/lampiran/{pk}/publik/kecil/", True), who


def test_the_reporters_own_page_says_the_public_sees_the_face_blurred(client):
    photo = _photo_with_a_face()
    client.force_login(photo.report.reporter)
    html = client.get(reverse("complaints:my-report",
                                 args=[photo.report.tracking_number])).content.decode()
    assert f"/lampiran/{photo.pk}/kecil/" in html  # their own photo, as they sent it
    assert "wajah disamarkan di tampilan umum" in html


def test_a_photo_without_a_face_is_not_blurred(client):
    report = public_report()
    photo = cleaned(intake.add_attachment(report=report, upload=wall(), actor=report.reporter))
    assert (photo.faces_found, photo.faces_blurred) == (0, False)
    assert not photo.public_file and not photo.public_thumbnail
    assert photo.face_detector == faces.detector_version()
    original = _read(photo.file)
    assert _body(client.get(f"/lampiran/{photo.pk}/")) == original
    assert _body(client.get(f"/lampiran/{photo.pk}/publik/")) == original
    assert "wajah disamarkan" not in client.get(
        reverse("public:detail", args=[report.tracking_number])).content.decode()


def test_a_second_run_neither_blurs_twice_nor_loses_the_original(tmp_path):
    photo = _photo_with_a_face()
    original, public = _read(photo.file), _read(photo.public_file)
    names = (photo.file.name, photo.public_file.name, photo.public_thumbnail.name)
    # The task redelivered, the backfill run on it: nothing to do.
    assert attachments.process(attachment_id=photo.pk) == "skipped"
    assert attachments.make_public_copy(attachment_id=photo.pk) == "skipped"
    photo.refresh_from_db()
    assert (photo.file.name, photo.public_file.name, photo.public_thumbnail.name) == names
    assert (_read(photo.file), _read(photo.public_file), photo.faces_found) == (
        original, public, 1)
    # Looked at again from scratch (as for a photo cleaned before faces were blurred): the
    # copy is made from the clean photo, not from the blurred one, so it comes out the same
    # (but for the JPEG encoding of an encoded photo).
    Attachment.objects.filter(pk=photo.pk).update(
        public_file="", public_thumbnail="", faces_found=None, face_detector="")
    assert attachments.make_public_copy(attachment_id=photo.pk) == "blurred"
    assert attachments.make_public_copy(attachment_id=photo.pk) == "skipped"
    photo.refresh_from_db()
    assert _read(photo.file) == original
    again = _read(photo.public_file)
    assert np.abs(_pixels(again) - _pixels(public)).mean() < 1.5
    assert photo.public_file.name != names[1]
    stored = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len([p for p in stored if "public" in p.parts]) == 2  # the old copy and the new


def test_photos_cleaned_before_faces_were_blurred_reach_the_public_once_looked_at(
        client, operator_a):
    photo = _photo_with_a_face()
    other = _photo_with_a_face(photo.report)
    before = {"public_file": "", "public_thumbnail": "", "faces_found": None,
              "face_detector": ""}
    Attachment.objects.filter(pk__in=[photo.pk, other.pk]).update(**before)
    number = photo.report.tracking_number
    # Meanwhile the public gets no photo at all, staff the original.
    for url in (f"/lampiran/{photo.pk}/", f"/lampiran/{photo.pk}/publik/",
                f"/lampiran/{photo.pk}/publik/kecil/", f"/api/v1/attachments/{photo.pk}/file/"):
        assert client.get(url).status_code == 404, url
    html = client.get(reverse("public:detail", args=[number])).content.decode()
    assert f"/lampiran/{photo.pk}/" not in html and "sedang diproses" in html
    api = client.get(f"/api/v1/public/reports/{number}/").json()
    assert [a["url"] for a in api["attachments"]] == [None, None]
    client.force_login(operator_a)
    assert _body(client.get(f"/lampiran/{photo.pk}/")) == _read(photo.file)
    client.logout()
    # The command goes batch by batch and can be stopped and started again.
    call_command("blur_faces", batch=1, limit=1, stdout=io.StringIO())
    assert list(attachments.faces_pending()) == [other]
    out = io.StringIO()
    call_command("blur_faces", batch=1, stdout=out)
    assert "blurred 1" in out.getvalue() and not attachments.faces_pending().exists()
    photo.refresh_from_db()
    assert _body(client.get(f"/lampiran/{photo.pk}/")) == _read(photo.public_file)
    # The beat sweep does the same, a few at a time.
    Attachment.objects.filter(pk=other.pk).update(**before)
    assert attachments.sweep() == {"faces_blurred": 1}


def test_a_detector_that_fails_keeps_the_photo_from_the_public_only(
        client, operator_a, monkeypatch):
    def broken(image):
        raise RuntimeError("cascade broken")

    monkeypatch.setattr(faces, "detect", broken)
    photo = _photo_with_a_face()
    assert photo.is_clean and photo.faces_found is None
    assert photo.face_detector == "failed: RuntimeError"
    assert not attachments.faces_pending().exists()  # not retried every minute
    assert client.get(f"/lampiran/{photo.pk}/").status_code == 404
    client.force_login(operator_a)
    assert client.get(f"/lampiran/{photo.pk}/").status_code == 200
