"""One way to write a time per language on every page: "2 Des 2026 14.41 WIB" in Indonesian,
"2 Dec 2026 14:41 WIB" in English (lapor/formats). Machine-readable ``datetime`` attributes
aside, every time written after a date on these pages uses the language's separator."""

import re

import pytest

from routing.services import handling, verification
from tests.conftest import body
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db
TIME_AFTER_DATE = re.compile(r"\d{4},? (\d{2})([.:])(\d{2})")


def _separators(html):
    html = re.sub(r'datetime="[^"]*"', "", html)
    return {match.group(2) for match in TIME_AFTER_DATE.finditer(html)}


@pytest.mark.parametrize(("language", "separator"), [("id", "."), ("en", ":")])
def test_every_page_writes_times_one_way_per_language(
    client, verifier_national, operator_a, language, separator
):
    report = verification.disposition_report(
        report=ReportFactory(), to_body=body("regency-33.74"), actor=verifier_national)
    handling.respond(report=report, actor=operator_a, note="Kami tinjau.")
    client.cookies["django_language"] = language
    pages = []
    client.force_login(report.reporter)
    pages += [f"/laporan-saya/{report.tracking_number}/", f"/publik/{report.tracking_number}/",
              "/notifikasi/", "/laporan-saya/"]
    seen = {url: _separators(client.get(url).content.decode()) for url in pages}
    client.force_login(operator_a)
    for url in (f"/petugas/laporan/{report.tracking_number}/", "/petugas/antrean/"):
        seen[url] = _separators(client.get(url).content.decode())
    assert all(found <= {separator} for found in seen.values()), seen
    assert sum(bool(found) for found in seen.values()) >= 5, seen  # most of them show times
