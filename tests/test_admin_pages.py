"""What the system admin reads in the admin: column headers in Indonesian (no field names such
as NUMCHILD or CREATED AT), the body list indented by depth in tree order, and person pickers
that show the email beside the name."""

import datetime
import html
import re

import pytest
from django.contrib import admin

from agencies.models import Body, Membership, Region
from complaints.models import Category
from routing import policies
from routing.models import CalendarDay, ClockKind, DeadlinePolicy, ResponseTemplate, RoutingRule
from tests.conftest import body

pytestmark = pytest.mark.django_db

DASH = "—\u00a0"  # one level of indentation: a dash and a no-break space


def _headers(page: str) -> list[str]:
    """The changelist's column headers, as written (the admin's CSS upper-cases them)."""
    thead = re.search(r'<table id="result_list">\s*<thead>(.*?)</thead>', page, re.S).group(1)
    cells = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', thead, re.S)
    texts = [html.unescape(re.sub(r"<[^>]+>|\s+", " ", cell)).strip() for cell in cells]
    # the sort-priority digits the admin puts before a sorted column's name
    return [re.sub(r"^\d+\s+", "", text) for text in texts if text]


def _rows(page: str) -> list[str]:
    body_html = re.search(r'<table id="result_list">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    return re.findall(r"<tr>(.*?)</tr>", body_html, re.S)


@pytest.fixture
def one_of_each(system_admin, operator_a):
    """A row in every list, so that each changelist has its header."""
    semarang = body("regency-33.74")
    RoutingRule.objects.create(category=Category.objects.get(slug="infrastruktur"),
                               region=Region.objects.get(code="33.74"), body=semarang,
                               created_by=system_admin)
    ResponseTemplate.objects.create(body=semarang, title="Terima kasih", text="Terima kasih.")
    CalendarDay.objects.create(date=datetime.date(2026, 12, 24), is_working_day=False,
                               note="Cuti bersama", created_by=system_admin)
    if not DeadlinePolicy.objects.exists():
        policies.set_policy(clock=ClockKind.FIRST_RESPONSE, action="notify",
                            actor=system_admin, length_hours=24, working_days=None)


EXPECTED = {
    "/admin/agencies/body/": ["Nama", "Singkatan", "Jenis", "Provinsi", "Zona waktu", "Aktif",
                              "Unit di bawahnya"],
    "/admin/agencies/membership/": ["Pengguna", "Peran", "Instansi", "Aktif", "Dibuat"],
    "/admin/routing/deadlinepolicy/": ["Jenis tenggat", "Prioritas", "Versi", "Lama (jam)",
                                       "Lama (hari kerja)", "Hari ke-1",
                                       "Peringatan sebelum tenggat", "Bila terlewati",
                                       "Berhenti selama ditunda", "Berlaku", "Dibuat",
                                       "Dibuat oleh"],
    "/admin/routing/responsetemplate/": ["Judul", "Instansi", "Aktif", "Diperbarui"],
}
# Words that give a column away as an untranslated field name.
FIELD_WORDS = re.compile(r"\b(numchild|created|updated|body|at|by|id)\b", re.I)


@pytest.mark.parametrize("url", sorted(EXPECTED))
def test_changelist_columns_are_named_in_indonesian(client, system_admin, one_of_each, url):
    client.force_login(system_admin)
    assert _headers(client.get(url).content.decode()) == EXPECTED[url]


def test_no_changelist_shows_a_raw_field_name(client, system_admin, one_of_each):
    client.force_login(system_admin)
    raw = {}
    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        response = client.get(url)
        if response.status_code != 200 or 'id="result_list"' not in response.content.decode():
            continue
        raw.update({f"{url} {h}": h for h in _headers(response.content.decode())
                    if FIELD_WORDS.search(h)})
    assert raw == {}


def test_body_list_runs_in_tree_order_indented_by_depth(client, system_admin):
    client.force_login(system_admin)
    page = client.get("/admin/agencies/body/", {"province": "33"}).content.decode()
    names = [html.unescape(re.sub(r"<[^>]+>", "", re.search(
        r'<th class="field-tree_name">(.*?)</th>', row, re.S).group(1))) for row in _rows(page)]
    jateng, semarang = body("province-33"), body("regency-33.74")
    assert (jateng.depth, semarang.depth) == (3, 4)
    assert DASH * 2 + "Pemerintah Provinsi Jawa Tengah" in names
    assert DASH * 3 + "Pemerintah Kota Semarang" in names
    assert names.index(DASH * 2 + "Pemerintah Provinsi Jawa Tengah") < names.index(
        DASH * 3 + "Pemerintah Kota Semarang"
    )
    # every row: as many dashes as levels below the root, in path order
    shown = Body.objects.filter(province__code="33").order_by("path")[: len(names)]
    assert names == [DASH * (b.depth - 1) + b.name for b in shown]

    top = client.get("/admin/agencies/body/").content.decode()
    first = re.search(r'<th class="field-tree_name">(.*?)</th>', _rows(top)[0], re.S).group(1)
    assert re.sub(r"<[^>]+>", "", first) == Body.objects.get(depth=1).name


def test_person_picker_shows_the_email_beside_the_name(client, system_admin, operator_a):
    client.force_login(system_admin)
    found = client.get("/admin/autocomplete/", {
        "app_label": "agencies", "model_name": "membership", "field_name": "user",
        "term": "Operator A",
    }).json()
    assert [r["text"] for r in found["results"]] == ["Operator A (operator.a@example.id)"]

    # a form sent back with an error keeps the chosen person, labelled the same way
    refused = client.post("/admin/agencies/membership/add/", {"user": operator_a.pk})
    assert refused.status_code == 200
    assert (f'<option value="{operator_a.pk}" selected>Operator A (operator.a@example.id)'
            '</option>') in refused.content.decode()

    listed = client.get("/admin/agencies/membership/").content.decode()
    assert "Operator A (operator.a@example.id)" in listed
    # pages and emails keep naming people by name alone
    assert str(operator_a) == "Operator A"
    assert str(Membership.objects.get(user=operator_a)).startswith("Operator A — ")
