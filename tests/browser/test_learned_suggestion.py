"""The learned routing suggestion (issue 16) in a real browser: beside the rule's suggestion
the verifier sees "Saran dari riwayat disposisi" (three bodies with their confidence) and
sends the report to the first in one click; the disposition records that the learned first
suggestion was taken. At 360 and 1280 px; every page passes ``steps.seen``'s checks."""

from __future__ import annotations

import pytest

from complaints.models import Category
from routing.models import Disposition, RoutingRule, SuggestionSource
from routing.services import learning
from tests.browser.conftest import screenshot
from tests.browser.steps import (
    DESKTOP,
    PHONE,
    click_through,
    filed,
    fresh,
    message,
    screen,
    signed_in,
    visit,
)
from tests.conftest import body, make_user
from tests.factories import UserFactory
from tests.routing.test_learned_routing import _history

pytestmark = pytest.mark.browser


def test_the_verifier_sends_a_report_to_the_learned_first_suggestion(site, browser):
    from agencies.models import Role

    verifier = make_user("verif@example.id", "Verifikator Nasional", Role.VERIFIER, "kemenpanrb")
    _history()
    assert learning.train(limit=1000) is not None
    category = Category.objects.get(slug="pelayanan-publik")
    RoutingRule.objects.create(category=category, body=body("province-33"))
    report = filed(UserFactory(), "Kartu BPJS Kesehatan ayah saya ditolak rumah sakit",
                   description="Peserta BPJS Kesehatan ditolak saat rawat inap, iuran lunas.",
                   category=category)
    bpjs = body("bpjs-kesehatan")
    for size, width in ((DESKTOP, 1280), (PHONE, 360)):
        with screen(browser, size) as page:
            signed_in(page, site, verifier)
            visit(page, site + f"/petugas/laporan/{report.tracking_number}/")
            assert "Saran aturan rute" in page.locator("p.suggestion").inner_text()
            panel = page.locator("section.learned-suggestion")
            items = panel.locator("ol.learned-bodies > li")
            assert items.count() == 3
            assert bpjs.name in items.first.inner_text()
            assert "keyakinan" in items.first.inner_text()
            panel.scroll_into_view_if_needed()
            screenshot(page, f"verifier-learned-suggestion-{width}")
    with screen(browser, PHONE) as page:
        signed_in(page, site, verifier)
        visit(page, site + f"/petugas/laporan/{report.tracking_number}/")
        click_through(page, page.get_by_role("button", name=f"Teruskan ke {bpjs.acronym}"))
        assert "diteruskan ke instansi" in message(page)
    assert fresh(report).holder_body == bpjs
    disposition = Disposition.objects.get(report=report)
    assert (disposition.suggestion_taken, disposition.learned_rank) == (
        SuggestionSource.LEARNED_TOP1, 1)
