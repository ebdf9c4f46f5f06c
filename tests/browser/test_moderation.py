"""A verifier edits what the public reads of a published report (a name taken out of the
title and text, with a reason) and hides one photo; the citizen opens their report and reads
their original, the public version and why it changed; a visitor sees only the edited copy,
without the photo. On a phone (360 px) and a desktop (1280 px); every page passes axe-core
and has no sideways scroll; screenshots go to the folder named by LAPOR_SCREENSHOTS."""

from __future__ import annotations

import pytest
from django.urls import reverse

from agencies.models import Role
from complaints.models import Attachment, Report
from complaints.services import intake
from tests.browser.conftest import screenshot
from tests.browser.steps import DESKTOP, PHONE, check, click_through, screen, signed_in, words
from tests.complaints.images import cleaned, png
from tests.conftest import make_user
from tests.factories import UserFactory, public_report

pytestmark = pytest.mark.browser

REASON = "Nama petugas dihapus dari tampilan publik."
PHOTO_REASON = "Wajah anak terlihat jelas."


@pytest.mark.parametrize("size, name", [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_a_verifier_edits_the_public_copy_and_hides_a_photo_and_the_citizen_sees_why(
        browser, site, size, name):
    citizen = UserFactory(full_name="Siti Aminah", email=f"siti.{name}@example.id")
    verifier = make_user(f"verif.{name}@example.id", "Verifikator Jateng", Role.VERIFIER,
                         "province-33")
    report = public_report(
        reporter=citizen, title="Pungli di loket Samsat oleh petugas Bambang",
        description="Petugas Bambang Sutejo meminta uang tambahan di loket 3 setiap kali warga "
                    "memperpanjang STNK.")
    photo = cleaned(intake.add_attachment(report=report, upload=png("loket.png"),
                                          actor=citizen))
    number = report.tracking_number

    with screen(browser, size) as page:
        signed_in(page, site, verifier)
        page.goto(site + reverse("routing:report", args=[number]))
        check(page)
        panel = page.locator("details.action", has=page.locator(
            "summary", has_text="Ubah salinan publik"))
        panel.locator("> summary").click()
        form = panel.locator("form")
        # prefilled with the public copy as it is
        assert "Bambang Sutejo" in form.locator("[name=description]").input_value()
        form.locator("[name=title]").fill("Pungli di loket Samsat")
        form.locator("[name=description]").fill(
            "Petugas meminta uang tambahan di loket 3 setiap kali warga memperpanjang STNK.")
        click_through(page, form.get_by_role("button", name="Pratinjau"))
        preview = page.locator("#public-copy-preview")
        assert "Pungli di loket Samsat" in words(preview)
        assert Report.objects.get(pk=report.pk).public_copy_edited_at is None
        screenshot(page, f"moderation-preview-{name}")
        form = page.locator("details.action[open] form")
        # no reason: refused, what was typed is kept
        click_through(page, form.get_by_role("button", name="Ubah salinan publik", exact=True),
                      status=400)
        form = page.locator("details.action[open] form")
        assert "Tuliskan alasan" in words(form)
        assert form.locator("[name=title]").input_value() == "Pungli di loket Samsat"
        form.locator("[name=reason]").fill(REASON)
        click_through(page, form.get_by_role("button", name="Ubah salinan publik", exact=True))
        assert "Salinan publik" in words(page.locator("ul.messages"))

        item = page.locator(f"li[data-attachment='{photo.pk}']")
        item.locator("[name=reason]").fill(PHOTO_REASON)
        click_through(page, item.get_by_role("button", name="Sembunyikan dari publik"))
        item = page.locator(f"li[data-attachment='{photo.pk}']")
        assert "Disembunyikan dari publik" in words(item) and PHOTO_REASON in words(item)
        assert item.get_by_role("button", name="Tampilkan lagi").is_visible()
        screenshot(page, f"moderation-staff-page-{name}")
    assert Attachment.objects.get(pk=photo.pk).is_hidden

    with screen(browser, size) as page:
        signed_in(page, site, citizen)
        page.goto(site + reverse("complaints:my-report", args=[number]))
        check(page)
        main = words(page.locator("main"))
        assert "Bambang Sutejo" in main  # their own words stay
        panel = page.locator("section.public-copy")
        assert REASON in words(panel) and "Bambang" not in words(panel)
        assert PHOTO_REASON in main and "Tidak tampil untuk publik" in main
        screenshot(page, f"moderation-citizen-page-{name}")

    with screen(browser, size) as page:
        page.goto(site + reverse("public:detail", args=[number]))
        check(page)
        main = words(page.locator("main"))
        assert "Bambang" not in main and REASON not in main and PHOTO_REASON not in main
        assert "disunting verifikator" in main
        assert page.locator(f"a[href='/lampiran/{photo.pk}/']").count() == 0
        assert page.goto(site + f"/lampiran/{photo.pk}/").status == 404
        page.goto(site + reverse("public:detail", args=[number]))
        screenshot(page, f"moderation-public-page-{name}")
