"""Loads the regions and the tree of bodies from the data files in ``agencies/data``.

Idempotent: rows are matched on their natural keys (Kemendagri code for regions, ``source_key``
for bodies); a second run writes nothing, a run after a file changed updates what changed.
It never deletes a row and never moves a body that exists (admins may have moved it), so it
cannot orphan anything that points at a body. New bodies are inserted in bulk with their
materialised paths computed here, which keeps a first load to a few seconds.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F

from agencies.models import Body, Region
from agencies.time_zones import province_time_zone

DATA_DIR = Path(__file__).resolve().parent / "data"
HUB_KEY = "kemenko-polkam"
HOME_AFFAIRS_KEY = "kemendagri"
OMBUDSMAN_KEY = "ombudsman"


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())

    def lines(self) -> list[str]:
        if not self.changed:
            return ["nothing changed"]
        kinds = sorted({*self.created, *self.updated})
        return [
            f"{kind}: {self.created.get(kind, 0)} created, {self.updated.get(kind, 0)} updated"
            for kind in kinds
            if self.created.get(kind, 0) or self.updated.get(kind, 0)
        ]


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


@transaction.atomic
def load_agency_tree(data_dir: Path = DATA_DIR) -> LoadReport:
    report = LoadReport()
    regions = _load_regions(data_dir / "idn-area", report)
    _load_bodies(data_dir, regions, report)
    return report


# --- regions ---------------------------------------------------------------------------------


def _load_regions(area_dir: Path, report: LoadReport) -> dict[str, Region]:
    provinces = _read_csv(area_dir / "provinces.csv")
    regencies = _read_csv(area_dir / "regencies.csv")
    districts = _read_csv(area_dir / "districts.csv")

    existing = {r.code: r for r in Region.objects.all()}
    wanted: list[tuple[str, dict[str, Any], str | None]] = []
    for row in provinces:
        wanted.append(
            (
                row["code"],
                {
                    "name": row["name"],
                    "level": Region.Level.PROVINCE,
                    "regency_kind": "",
                    "time_zone": province_time_zone(row["code"]),
                },
                None,
            )
        )
    for row in regencies:
        is_city = row["name"].startswith("Kota ")
        wanted.append(
            (
                row["code"],
                {
                    "name": row["name"],
                    "level": Region.Level.REGENCY,
                    "regency_kind": Region.RegencyKind.KOTA
                    if is_city
                    else Region.RegencyKind.KABUPATEN,
                    "time_zone": province_time_zone(row["province_code"]),
                },
                row["province_code"],
            )
        )
    for row in districts:
        wanted.append(
            (
                row["code"],
                {
                    "name": row["name"],
                    "level": Region.Level.DISTRICT,
                    "regency_kind": "",
                    "time_zone": province_time_zone(row["code"][:2]),
                },
                row["regency_code"],
            )
        )

    # Insert level by level so that every parent exists before its children.
    for level in (Region.Level.PROVINCE, Region.Level.REGENCY, Region.Level.DISTRICT):
        to_create: list[Region] = []
        to_update: list[Region] = []
        for code, fields, parent_code in wanted:
            if fields["level"] != level:
                continue
            parent = existing[parent_code] if parent_code else None
            province = existing.get(code[:2]) if level != Region.Level.PROVINCE else None
            region = existing.get(code)
            if region is None:
                region = Region(code=code, parent=parent, province=province, **fields)
                to_create.append(region)
                continue
            changed = False
            for name, value in fields.items():
                if getattr(region, name) != value:
                    setattr(region, name, value)
                    changed = True
            if parent is not None and region.parent_id != parent.pk:
                region.parent = parent
                changed = True
            if changed:
                to_update.append(region)
        Region.objects.bulk_create(to_create, batch_size=2000)
        for region in to_create:
            existing[region.code] = region
        if to_update:
            Region.objects.bulk_update(
                to_update, ["name", "level", "regency_kind", "time_zone", "parent"], batch_size=2000
            )
        report.created[f"regions ({level})"] += len(to_create)
        report.updated[f"regions ({level})"] += len(to_update)
        if level == Region.Level.PROVINCE:
            # A province is its own province; set after insert (it needs its own id).
            Region.objects.filter(level=level).exclude(province_id=F("pk")).update(
                province_id=F("pk")
            )
            for region in existing.values():
                if region.level == level:
                    region.province_id = region.pk
    return existing


# --- bodies ----------------------------------------------------------------------------------


@dataclass
class _Wanted:
    key: str
    parent_key: str | None
    fields: dict[str, Any]


def _short_province(name: str) -> str:
    return (
        name.replace("Daerah Khusus Ibukota ", "")
        .replace("Daerah Istimewa ", "")
        .replace("Kepulauan Bangka Belitung", "Babel")
    )


def _wanted_bodies(data_dir: Path, regions: dict[str, Region]) -> list[_Wanted]:
    central = _read_csv(data_dir / "central_bodies.csv")
    by_key = {row["key"]: row for row in central}
    if HUB_KEY not in by_key or HOME_AFFAIRS_KEY not in by_key:
        raise ValueError(f"central_bodies.csv must contain {HUB_KEY!r} and {HOME_AFFAIRS_KEY!r}")

    def central_fields(row: dict[str, str]) -> dict[str, Any]:
        return {
            "name": row["name"],
            "acronym": row["acronym"],
            "aliases": row.get("aliases", ""),
            "kind": row["kind"],
            "address": row.get("address", ""),
            "region": None,
        }

    wanted = [_Wanted(HUB_KEY, None, central_fields(by_key[HUB_KEY]))]
    wanted += [
        _Wanted(row["key"], HUB_KEY, central_fields(row))
        for row in central
        if row["key"] != HUB_KEY
    ]
    wanted.append(
        _Wanted(
            OMBUDSMAN_KEY,
            HUB_KEY,
            {
                "name": "Ombudsman Republik Indonesia",
                "acronym": "ORI",
                "aliases": "Ombudsman RI",
                "kind": Body.Kind.OMBUDSMAN,
                "address": "Jl. H.R. Rasuna Said Kav. C-19, Kuningan, Jakarta Selatan 12920",
                "region": None,
            },
        )
    )
    provinces = [r for r in regions.values() if r.level == Region.Level.PROVINCE]
    for province in sorted(provinces, key=lambda r: r.code):
        short = _short_province(province.name)
        wanted.append(
            _Wanted(
                f"province-{province.code}",
                HOME_AFFAIRS_KEY,
                {
                    "name": f"Pemerintah Provinsi {province.name}",
                    "acronym": f"Pemprov {short}",
                    "aliases": "",
                    "kind": Body.Kind.PROVINCE,
                    "region": province,
                },
            )
        )
        wanted.append(
            _Wanted(
                f"ombudsman-{province.code}",
                OMBUDSMAN_KEY,
                {
                    "name": f"Ombudsman RI Perwakilan Provinsi {province.name}",
                    "acronym": f"ORI Perwakilan {short}",
                    "aliases": "",
                    "kind": Body.Kind.OMBUDSMAN_OFFICE,
                    "region": province,
                },
            )
        )
    regencies = [r for r in regions.values() if r.level == Region.Level.REGENCY]
    for regency in sorted(regencies, key=lambda r: r.code):
        is_city = regency.regency_kind == Region.RegencyKind.KOTA
        bare = regency.name.removeprefix("Kota ").removeprefix("Kabupaten ")
        wanted.append(
            _Wanted(
                f"regency-{regency.code}",
                f"province-{regency.code[:2]}",
                {
                    "name": f"Pemerintah {regency.name}",
                    "acronym": f"Pemkot {bare}" if is_city else f"Pemkab {bare}",
                    "aliases": "",
                    "kind": Body.Kind.CITY if is_city else Body.Kind.REGENCY,
                    "region": regency,
                },
            )
        )
    return wanted


_BODY_FIELDS = ("name", "acronym", "aliases", "kind", "address", "region")


def _load_bodies(data_dir: Path, regions: dict[str, Region], report: LoadReport) -> None:
    wanted = _wanted_bodies(data_dir, regions)
    existing = {
        b.source_key: b for b in Body.objects.filter(source_key__isnull=False)
        if b.source_key is not None  # always, by the filter: the keys are str
    }

    to_update: list[Body] = []
    for item in wanted:
        body = existing.get(item.key)
        if body is None:
            continue
        changed = False
        for name in _BODY_FIELDS:
            value = item.fields.get(name, getattr(body, name))
            if name == "region":
                if body.region_id != (value.pk if value else None):
                    body.region = value
                    changed = True
            elif name == "address" and body.address and name in item.fields and not value:
                continue  # never blank an address an admin typed
            elif getattr(body, name) != value:
                setattr(body, name, value)
                changed = True
        if changed:
            body.derive_location()
            to_update.append(body)
    if to_update:
        Body.objects.bulk_update(
            to_update, [*_BODY_FIELDS, "province", "time_zone"], batch_size=500
        )
    for body in to_update:
        report.updated[f"bodies ({body.kind})"] += 1

    # Create what is missing, parents before children (the list is ordered that way).
    missing = [item for item in wanted if item.key not in existing]
    if not missing:
        return
    if HUB_KEY not in existing:
        hub_item = missing.pop(0)
        hub = Body.objects.add_root(
            create_kwargs={"source_key": hub_item.key, **_creation_fields(hub_item)}
        )
        existing[HUB_KEY] = hub
        report.created[f"bodies ({hub.kind})"] += 1

    by_parent: dict[str, list[_Wanted]] = defaultdict(list)
    for item in missing:
        by_parent[item.parent_key or HUB_KEY].append(item)
    pending = list(by_parent)
    while pending:
        progressed = False
        for parent_key in list(pending):
            parent = existing.get(parent_key)
            if parent is None:
                continue
            children = by_parent[parent_key]
            _bulk_add_children(parent, children, existing, report)
            pending.remove(parent_key)
            progressed = True
        if not progressed:
            raise ValueError(f"bodies whose parents do not exist: {pending}")


def _creation_fields(item: _Wanted) -> dict[str, Any]:
    return {name: item.fields[name] for name in _BODY_FIELDS if name in item.fields}


def _bulk_add_children(
    parent: Body, children: list[_Wanted], existing: dict[str, Body], report: LoadReport
) -> None:
    last = (
        Body.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    next_step = (Body._str2int(last[-Body.steplen :]) + 1) if last else 1
    new_bodies: list[Body] = []
    for offset, item in enumerate(children):
        body = Body(
            source_key=item.key,
            path=Body._get_path(parent.path, parent.depth + 1, next_step + offset),
            depth=parent.depth + 1,
            numchild=0,
            **_creation_fields(item),
        )
        body.derive_location()
        new_bodies.append(body)
    Body.objects.bulk_create(new_bodies, batch_size=500)
    Body.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(new_bodies))
    parent.numchild += len(new_bodies)
    for item, body in zip(children, new_bodies, strict=True):
        existing[item.key] = body
        report.created[f"bodies ({body.kind})"] += 1
