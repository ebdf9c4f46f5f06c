import csv
import shutil

import pytest
from django.db.models import Count

from agencies.models import Body, Region, TimeZone
from agencies.tree_loader import DATA_DIR, HUB_KEY, load_agency_tree

pytestmark = pytest.mark.django_db


def test_regions_match_the_kemendagri_counts():
    counts = dict(Region.objects.order_by().values_list("level").annotate(n=Count("id")))
    assert counts == {"province": 38, "regency": 514, "district": 7285}
    kinds = dict(
        Region.objects.filter(level="regency")
        .order_by()
        .values_list("regency_kind")
        .annotate(n=Count("id"))
    )
    assert kinds == {"kabupaten": 416, "kota": 98}


def test_every_region_knows_its_parent_and_province():
    assert Region.objects.filter(level="district").exclude(parent__level="regency").count() == 0
    assert Region.objects.filter(level="regency").exclude(parent__level="province").count() == 0
    assert Region.objects.filter(province__isnull=True).count() == 0
    semarang = Region.objects.get(code="33.74")
    assert semarang.name == "Kota Semarang"
    assert semarang.province.code == "33"
    district = Region.objects.get(code="33.74.01")
    assert district.parent == semarang and district.province.name == "Jawa Tengah"


def test_body_tree_has_every_regional_government_under_its_province():
    counts = dict(Body.objects.order_by().values_list("kind").annotate(n=Count("id")))
    assert counts["province"] == 38
    assert counts["regency"] == 416
    assert counts["city"] == 98
    assert counts["ombudsman_office"] == 38
    assert counts["ombudsman"] == 1
    central = counts["ministry"] + counts["coordinating_ministry"] + counts["agency"]
    assert central >= 30
    semarang = Body.objects.get(source_key="regency-33.74")
    assert semarang.name == "Pemerintah Kota Semarang"
    assert Body.objects.get_parent(semarang).source_key == "province-33"
    # every regency/city government sits directly under its own province's government
    for regency in Body.objects.filter(kind__in=["regency", "city"]).select_related("region"):
        assert regency.path.startswith(
            Body.objects.get(source_key=f"province-{regency.region.code[:2]}").path
        )


def test_hub_is_the_single_root_and_the_administrator_exists():
    roots = list(Body.objects.get_root_nodes())
    assert [r.source_key for r in roots] == [HUB_KEY]
    assert roots[0].acronym.startswith("Kemenko")
    panrb = Body.objects.get(source_key="kemenpanrb")
    assert Body.objects.get_parent(panrb) == roots[0]
    assert "Reformasi Birokrasi" in panrb.name
    ombudsman_jateng = Body.objects.get(source_key="ombudsman-33")
    assert Body.objects.get_parent(ombudsman_jateng).source_key == "ombudsman"
    assert ombudsman_jateng.region.code == "33"


def test_tree_is_structurally_sound():
    evil_chars, bad_steplen, orphans, wrong_depth, wrong_numchild = Body.objects.find_problems()
    assert (evil_chars, bad_steplen, orphans, wrong_depth, wrong_numchild) == ([], [], [], [], [])


@pytest.mark.parametrize(
    ("province", "zone"),
    [
        ("11", TimeZone.WIB),  # Aceh
        ("31", TimeZone.WIB),  # Jakarta
        ("61", TimeZone.WIB),  # Kalimantan Barat
        ("62", TimeZone.WIB),  # Kalimantan Tengah
        ("51", TimeZone.WITA),  # Bali
        ("53", TimeZone.WITA),  # Nusa Tenggara Timur
        ("64", TimeZone.WITA),  # Kalimantan Timur
        ("71", TimeZone.WITA),  # Sulawesi Utara
        ("73", TimeZone.WITA),  # Sulawesi Selatan
        ("76", TimeZone.WITA),  # Sulawesi Barat
        ("81", TimeZone.WIT),  # Maluku
        ("82", TimeZone.WIT),  # Maluku Utara
        ("91", TimeZone.WIT),  # Papua
        ("95", TimeZone.WIT),  # Papua Pegunungan
        ("96", TimeZone.WIT),  # Papua Barat Daya
    ],
)
def test_time_zone_of_bodies_follows_their_province(province, zone):
    assert Region.objects.get(code=province).time_zone == zone
    zones = set(
        Body.objects.filter(province__code=province).values_list("time_zone", flat=True).distinct()
    )
    assert zones == {zone}


def test_all_of_sulawesi_is_wita_and_all_of_papua_wit():
    sulawesi = Region.objects.filter(level="province", name__startswith="Sulawesi")
    assert sulawesi.count() == 5  # and Gorontalo
    assert set(sulawesi.values_list("time_zone", flat=True)) == {TimeZone.WITA}
    assert Region.objects.get(name="Gorontalo").time_zone == TimeZone.WITA
    papua = Region.objects.filter(level="province", name__startswith="Papua")
    assert papua.count() == 6
    assert set(papua.values_list("time_zone", flat=True)) == {TimeZone.WIT}


def test_central_bodies_are_in_jakarta_time():
    assert Body.objects.get(source_key="kemenkes").time_zone == TimeZone.WIB


def test_second_run_changes_nothing():
    before = list(Body.objects.order_by("pk").values_list("pk", "path", "name", "updated_at"))
    regions_before = Region.objects.count()
    report = load_agency_tree()
    assert not report.changed, report.lines()
    assert report.lines() == ["nothing changed"]
    assert (
        list(Body.objects.order_by("pk").values_list("pk", "path", "name", "updated_at")) == before
    )
    assert Region.objects.count() == regions_before


def test_run_after_an_edit_updates_names_without_duplicates(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    regencies = data / "idn-area" / "regencies.csv"
    rows = list(csv.DictReader(regencies.open(encoding="utf-8")))
    for row in rows:
        if row["code"] == "33.74":
            row["name"] = "Kota Semarang Raya"
    with regencies.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["code", "province_code", "name"])
        writer.writeheader()
        writer.writerows(rows)
    central = data / "central_bodies.csv"
    central_rows = list(csv.DictReader(central.open(encoding="utf-8")))
    fields = list(central_rows[0])
    for row in central_rows:
        if row["key"] == "kemenkes":
            row["name"] = "Kementerian Kesehatan Republik Indonesia"
    with central.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(central_rows)

    semarang_id = Body.objects.get(source_key="regency-33.74").pk
    bodies_before, regions_before = Body.objects.count(), Region.objects.count()

    report = load_agency_tree(data)

    assert report.changed
    assert Body.objects.count() == bodies_before
    assert Region.objects.count() == regions_before
    semarang = Body.objects.get(source_key="regency-33.74")
    assert semarang.pk == semarang_id
    assert semarang.name == "Pemerintah Kota Semarang Raya"
    assert semarang.acronym == "Pemkot Semarang Raya"
    assert Region.objects.get(code="33.74").name == "Kota Semarang Raya"
    assert (
        Body.objects.get(source_key="kemenkes").name == "Kementerian Kesehatan Republik Indonesia"
    )
    assert Body.objects.find_problems() == ([], [], [], [], [])
    # and running the edited files again is a no-op
    assert not load_agency_tree(data).changed


def test_loader_never_moves_a_body_an_admin_moved():
    unit_parent = Body.objects.get(source_key="kemenkes")
    moved = Body.objects.get(source_key="bpom")
    Body.objects.move(moved, unit_parent, pos="last-child")
    assert not load_agency_tree().changed
    assert Body.objects.get_parent(Body.objects.get(source_key="bpom")) == unit_parent
