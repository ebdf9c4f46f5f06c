"""Everything the generator reads from the database before it starts, in plain Python: regions
with their weights, bodies, categories, the routing suggestion of every (category, district)
computed once with the real routing code, deadline policies, the staff of each body, the
working-day calendar (memoised), and the notification texts rendered once with placeholders.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from agencies.models import Body, Membership, Region, Role
from benchmarks.generation.places import PROVINCE_POPULATION_THOUSANDS, regency_weights
from benchmarks.generation.rows import DAY, HOUR, MINUTE, to_datetime, to_micros
from benchmarks.generation.texts import CATEGORY_TEXTS, CategoryTexts
from complaints.models import Category, Notification, Report, ReportStatus
from complaints.services.notifications import shorten
from lapor.mail import render_email
from routing import calendar, rules
from routing.calendar import OFFICE_CLOSES
from routing.models import CalendarDay, ClockKind, DeadlinePolicy, RoutingRule
from routing.services.verification import REJECTION_REASONS

# Share of reports per category (slug); categories an admin added get weight 1 and the
# generic texts.
CATEGORY_WEIGHTS = {
    "infrastruktur": 16, "administrasi-kependudukan": 9, "kesehatan": 9, "sosial": 9,
    "pelayanan-publik": 8, "pendidikan": 8, "lingkungan-hidup": 8, "listrik-air": 7,
    "perhubungan": 5, "ketertiban": 4, "ketenagakerjaan": 4, "pertanahan": 4, "perizinan": 3,
    "pertanian": 3, "teknologi-informasi": 3, "perpajakan": 2, "bencana": 2, "lainnya": 2,
}
# Where verifiers send a category's reports: the routing rule's suggestion ("rule", when one
# applies), the regency/city or province government of the place, or a central body.
DISPOSITION_PROFILES: dict[str, tuple[tuple[str, int], ...]] = {
    "infrastruktur": (("rule", 20), ("regency", 65), ("province", 12), ("kemenpu", 3)),
    "lingkungan-hidup": (("rule", 10), ("regency", 78), ("province", 12)),
    "kesehatan": (("rule", 12), ("regency", 60), ("province", 8), ("bpjs-kesehatan", 20)),
    "pendidikan": (("rule", 10), ("regency", 62), ("province", 22), ("kemenag", 6)),
    "administrasi-kependudukan": (("rule", 8), ("regency", 90), ("province", 2)),
    "sosial": (("rule", 20), ("regency", 75), ("province", 5)),
    "listrik-air": (("regency", 55), ("kemen-esdm", 35), ("province", 10)),
    "perhubungan": (("rule", 10), ("regency", 70), ("province", 15), ("polri", 5)),
    "ketertiban": (("regency", 60), ("polri", 35), ("province", 5)),
    "pelayanan-publik": (("regency", 82), ("province", 10), ("kemenpanrb", 4), ("kemendagri", 4)),
    "ketenagakerjaan": (("rule", 20), ("regency", 50), ("province", 10),
                        ("bpjs-ketenagakerjaan", 15), ("kp2mi", 5)),
    "perizinan": (("regency", 75), ("province", 10), ("kementerian-investasi-bkpm", 15)),
    "pertanahan": (("rule", 70), ("regency", 30)),
    "perpajakan": (("regency", 75), ("province", 20), ("kemenkeu", 5)),
    "pertanian": (("rule", 25), ("regency", 65), ("province", 10)),
    "bencana": (("rule", 15), ("regency", 70), ("province", 15)),
    "teknologi-informasi": (("rule", 40), ("regency", 50), ("province", 10)),
    "lainnya": (("regency", 70), ("province", 20), ("kemendagri", 10)),
}
HOLDING_KINDS = (
    Body.Kind.COORDINATING_MINISTRY, Body.Kind.MINISTRY, Body.Kind.AGENCY, Body.Kind.PROVINCE,
    Body.Kind.REGENCY, Body.Kind.CITY, Body.Kind.UNIT,
)
_REFERENCE = datetime(2024, 1, 1, tzinfo=UTC)


def zone_offset(tz: str) -> int:
    """Indonesia's zones have had fixed offsets for decades: WIB +7, WITA +8, WIT +9."""
    offset = ZoneInfo(tz).utcoffset(_REFERENCE.replace(tzinfo=None))
    return int(offset.total_seconds()) * 1_000_000 if offset else 0


@dataclass
class BodyInfo:
    id: int
    name: str
    kind: str
    path: str
    time_zone: str
    offset: int
    province_id: int | None
    parent_id: int | None = None
    units: list[int] = field(default_factory=list)
    speed: float = 1.0  # >1: slower than usual at answering and resolving


@dataclass
class ProvinceInfo:
    id: int
    code: str
    name: str
    time_zone: str
    offset: int
    body_id: int | None
    ombudsman_office_id: int


@dataclass
class RegencyInfo:
    id: int
    name: str
    short_name: str
    province: ProvinceInfo
    district_ids: list[int]
    district_names: list[str]
    body_id: int | None


@dataclass
class CategoryInfo:
    id: int
    slug: str
    name: str
    texts: CategoryTexts
    targets: tuple[str, ...]
    target_weights: tuple[int, ...]


@dataclass
class PolicyInfo:
    id: int
    version: int
    length_hours: int | None
    working_days: int | None
    action: str
    label: str
    day_one: str = calendar.DEFAULT_DAY_ONE
    pauses_for_citizen: bool = False
    closing_note: str = ""


class NotificationTexts:
    """The reporter's notification titles (the subject lines of the services' email templates,
    per status) and the report-page paths, rendered once with placeholders and kept as
    ``str.format`` patterns. The templates do not escape: values go in as they are."""

    _PLACEHOLDERS = {"XNUMBERX": "number"}

    def __init__(self) -> None:
        fake = SimpleNamespace(tracking_number="XNUMBERX", title="", description="")
        with translation.override("id"):
            self.status_changed = {}
            for status in ReportStatus:
                fake.get_status_display = (lambda s=status: str(s.label))
                self.status_changed[status.value] = self._subject(
                    "complaints/email/status_changed.txt", {"report": fake, "message": ""}
                )
            fake.get_status_display = lambda: str(ReportStatus.SUBMITTED.label)
            self.submitted = self._subject("complaints/email/submitted.txt", {"report": fake})
        self.reporter_url = self._pattern(reverse("complaints:my-report", args=["XNUMBERX"]))
        self.staff_url = self._pattern(reverse("routing:report", args=["XNUMBERX"]))

    @classmethod
    def _subject(cls, template: str, context: dict[str, object]) -> str:
        return cls._pattern(shorten(render_email(template, context)[0], Notification.TITLE_MAX))

    @classmethod
    def _pattern(cls, text: str) -> str:
        text = text.replace("{", "{{").replace("}", "}}")
        for placeholder, name in cls._PLACEHOLDERS.items():
            text = text.replace(placeholder, "{" + name + "}")
        return text


class Messages:
    """The services' own sentences (same msgids), in the default language."""

    def __init__(self) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            self.now_held_by = _("Laporan Anda kini ditangani oleh %(body)s.")
            self.duplicate_of_this = _("%(number)s ditandai sebagai duplikat laporan ini.")
            self.same_as = _(
                "Laporan Anda sama dengan laporan %(number)s yang sudah ditangani; "
                "perkembangannya dapat diikuti di sana."
            )
            self.accept_or_dispute = _("Terima atau bantah jawaban ini di halaman laporan Anda.")
            self.thanks_rate = _(
                "Terima kasih, Anda kini dapat memberi penilaian atas penyelesaiannya."
            )
            self.reopened = _("Laporan dibuka kembali dan dikembalikan ke instansi.")
            self.ombudsman_note = _(
                "Tidak selesai ditindaklanjuti dalam 60 hari kerja; diteruskan ke %(office)s. "
                "Instansi tetap wajib menindaklanjuti."
            )
            self.ombudsman_citizen = _(
                "Laporan Anda diteruskan ke %(office)s karena belum selesai "
                "ditindaklanjuti dalam 60 hari kerja."
            )
            self.ombudsman_subject = _("Laporan %(number)s diteruskan ke Ombudsman RI")
            self.ombudsman_staff = _(
                "Laporan “%(title)s” tidak selesai ditindaklanjuti dalam 60 hari kerja dan kini "
                "diawasi %(office)s."
            )
            self.breached = _("%(clock)s melewati tenggat %(due)s.")
            self.auto_closed = _("Ditutup otomatis: pelapor tidak menanggapi jawaban akhir.")
            self.closed_unanswered = _(
                "Laporan ditutup karena pertanyaan kepada pelapor tidak dijawab.")
            self.auto_closed_citizen = _(
                "Laporan ditutup karena tidak ada tanggapan atas jawaban akhir."
            )
            self.new_report_title = _("Laporan baru: %(number)s")
            self.new_report_text = _(
                "Laporan “%(title)s” kini dipegang %(body)s; tanggapan pertama wajib "
                "diberikan dalam 1 × 24 jam."
            )
            self.overdue_subject = _("Tenggat terlewati: %(number)s")
            self.overdue_text = _(
                "%(clock)s untuk laporan “%(title)s” (%(body)s) melewati tenggatnya."
            )
            self.verification = _("verifikasi")
            self.rejection_labels = {key: str(label) for key, label in REJECTION_REASONS.items()}


@dataclass
class Staff:
    """Active memberships, by what the services ask of them."""

    operators: dict[int, list[int]]  # body → operator user ids
    body_staff: dict[int, list[int]]  # body → operators and supervisors (new-report notices)
    supervisors: dict[int, list[int]]  # body → supervisor user ids
    officers: dict[int, list[int]]  # Ombudsman office → officer user ids
    verifiers: dict[int | None, list[int]]  # province id (None: national) → verifier ids
    verifier_supervisors: dict[int, list[int]]  # province → supervisors of its verifiers' bodies
    system_admins: list[int]


class World:
    def __init__(self, *, rng: random.Random) -> None:
        self.rng = rng
        self.messages = Messages()
        self.notifications = NotificationTexts()
        self._load_bodies()
        self._load_regions()
        self._load_categories()
        self._load_policies()
        self.reload_staff()
        self._working_due: dict[tuple[int, bool, str, int | None, int, str], int] = {}
        self._own_calendar = set(
            CalendarDay.objects.filter(province__isnull=False).values_list("province_id",
                                                                            flat=True)
        )
        self._above: dict[int, list[int]] = {}

    # --- reference data ---------------------------------------------------------------

    def _load_bodies(self) -> None:
        self.bodies: dict[int, BodyInfo] = {}
        by_path: dict[str, int] = {}
        self.body_by_key: dict[str, int] = {}
        rows = Body.objects.filter(is_active=True).order_by("path").values_list(
            "id", "name", "kind", "path", "time_zone", "province_id", "source_key"
        )
        offsets: dict[str, int] = {}
        for pk, name, kind, path, tz, province_id, key in rows:
            offset = offsets.setdefault(tz, zone_offset(tz))
            info = BodyInfo(pk, name, kind, path, tz, offset, province_id)
            info.parent_id = by_path.get(path[: -Body.steplen])
            self.bodies[pk] = info
            by_path[path] = pk
            if key:
                self.body_by_key[key] = pk
            if kind == Body.Kind.UNIT and info.parent_id is not None:
                self.bodies[info.parent_id].units.append(pk)
        for info in self.bodies.values():  # some bodies answer slowly, a few very slowly
            info.speed = min(self.rng.lognormvariate(0.0, 0.45), 6.0)
        self.ombudsman_id = Body.objects.get(kind=Body.Kind.OMBUDSMAN).pk
        self.holding_body_ids = sorted(
            pk for pk, info in self.bodies.items() if info.kind in HOLDING_KINDS
        )

    def _load_regions(self) -> None:
        offices = {
            info.province_id: pk for pk, info in self.bodies.items()
            if info.kind == Body.Kind.OMBUDSMAN_OFFICE and info.province_id is not None
        }
        self.provinces: dict[int, ProvinceInfo] = {}
        for pk, code, name, tz in Region.objects.filter(level=Region.Level.PROVINCE).values_list(
            "id", "code", "name", "time_zone"
        ):
            self.provinces[pk] = ProvinceInfo(
                pk, code, name, tz, zone_offset(tz), self.body_by_key.get(f"province-{code}"),
                offices.get(pk, self.ombudsman_id),
            )
        districts: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for pk, parent_id, name in Region.objects.filter(level=Region.Level.DISTRICT).order_by(
            "code"
        ).values_list("id", "parent_id", "name"):
            districts[parent_id].append((pk, name))
        by_province: dict[int, list[tuple[int, str, str, bool]]] = defaultdict(list)
        for pk, province_id, code, name, kind in Region.objects.filter(
            level=Region.Level.REGENCY
        ).order_by("code").values_list("id", "province_id", "code", "name", "regency_kind"):
            if districts.get(pk):
                by_province[province_id].append((pk, code, name, kind == "kota"))
        self.regencies: list[RegencyInfo] = []
        weights: list[float] = []
        for province_id in sorted(by_province):
            province = self.provinces[province_id]
            members = by_province[province_id]
            shares = regency_weights(
                province.code, [(is_city, len(districts[pk])) for pk, _c, _n, is_city in members]
            )
            for (pk, code, name, _is_city), share in zip(members, shares, strict=True):
                self.regencies.append(RegencyInfo(
                    pk, name, _short_name(name), province,
                    [d for d, _n in districts[pk]], [n for _d, n in districts[pk]],
                    self.body_by_key.get(f"regency-{code}"),
                ))
                weights.append(share)
        self.regency_cumulative = _cumulative(weights)
        self.population_known = all(
            p.code in PROVINCE_POPULATION_THOUSANDS for p in self.provinces.values()
        )

    def _load_categories(self) -> None:
        self.categories: list[CategoryInfo] = []
        weights = []
        for pk, slug, name in Category.objects.filter(is_active=True).order_by(
            "sort_order", "name"
        ).values_list("id", "slug", "name"):
            profile = DISPOSITION_PROFILES.get(slug, DISPOSITION_PROFILES["lainnya"])
            profile = tuple((t, w) for t, w in profile
                            if t in ("rule", "regency", "province") or t in self.body_by_key)
            self.categories.append(CategoryInfo(
                pk, slug, name, CATEGORY_TEXTS.get(slug, CATEGORY_TEXTS["lainnya"]),
                tuple(t for t, _w in profile), tuple(w for _t, w in profile),
            ))
            weights.append(CATEGORY_WEIGHTS.get(slug, 1))
        if not self.categories:
            raise ValueError("No active category: run the migrations first.")
        self.category_cumulative = _cumulative(weights)

    def _load_policies(self) -> None:
        self.policies: dict[str, PolicyInfo] = {}
        with translation.override(settings.LANGUAGE_CODE):
            for policy in DeadlinePolicy.objects.filter(is_current=True, priority=""):
                self.policies[policy.clock] = PolicyInfo(
                    policy.pk, policy.version, policy.length_hours, policy.working_days,
                    policy.action, str(ClockKind(policy.clock).label), policy.day_one,
                    policy.pauses_for_citizen, policy.closing_note,
                )
        missing = set(ClockKind.values) - set(self.policies)
        if missing:
            raise ValueError(f"No current deadline policy for {sorted(missing)}.")

    def reload_staff(self) -> None:
        memberships = Membership.objects.filter(is_active=True, user__is_active=True).values_list(
            "user_id", "body_id", "role"
        ).order_by("user_id", "body_id")
        operators, body_staff, supervisors, officers = (defaultdict(list) for _i in range(4))
        verifiers: dict[int | None, list[int]] = defaultdict(list)
        verifier_bodies: set[int] = set()
        admins: list[int] = []
        for user_id, body_id, role in memberships:
            if role == Role.OPERATOR:
                operators[body_id].append(user_id)
                body_staff[body_id].append(user_id)
            elif role == Role.SUPERVISOR:
                supervisors[body_id].append(user_id)
                body_staff[body_id].append(user_id)
            elif role == Role.OMBUDSMAN_OFFICER:
                officers[body_id].append(user_id)
            elif role == Role.SYSTEM_ADMIN:
                admins.append(user_id)
            elif role == Role.VERIFIER and body_id in self.bodies:
                verifiers[self.bodies[body_id].province_id].append(user_id)
                verifier_bodies.add(body_id)
        verifier_supervisors: dict[int, list[int]] = {}
        for province_id in self.provinces:
            users = {
                u for b in verifier_bodies
                if self.bodies[b].province_id in (province_id, None)
                for u in supervisors.get(b, ())
            }
            verifier_supervisors[province_id] = sorted(users)
        self.staff = Staff(dict(operators), dict(body_staff), dict(supervisors), dict(officers),
                           dict(verifiers), verifier_supervisors, sorted(set(admins)))

    # --- questions asked per report -----------------------------------------------------

    def suggestions(self) -> dict[tuple[int, int | None, int], tuple[int, int, bool] | None]:
        """(category, district or None, regency) → (rule, body, trusted) of the rule the real
        routing code picks (``rules.suggest_many``, one query). Asked per regency/city, and
        per district only where a rule names that district; ``suggestion`` looks up both."""
        ruled_districts = set(
            RoutingRule.objects.filter(is_active=True, region__level=Region.Level.DISTRICT)
            .values_list("region_id", flat=True)
        )
        fakes = []
        keys = []
        for category in self.categories:
            for regency in self.regencies:
                places = [None] + [d for d in regency.district_ids if d in ruled_districts]
                for district_id in places:
                    fakes.append(Report(
                        pk=len(fakes) + 1, category_id=category.id, district_id=district_id,
                        regency_id=regency.id, province_id=regency.province.id,
                    ))
                    keys.append((category.id, district_id, regency.id))
        chosen = rules.suggest_many(fakes)
        result: dict[tuple[int, int | None, int], tuple[int, int, bool] | None] = {}
        for fake, key in zip(fakes, keys, strict=True):
            rule = chosen.get(fake.pk)
            result[key] = (rule.pk, rule.body_id, rule.is_trusted) if rule else None
        return result

    def working_due(self, start: int, working_days: int, tz: str, offset: int,
                    province_id: int | None, day_one: str = calendar.DEFAULT_DAY_ONE) -> int:
        """``calendar.add_working_days`` memoised on what its answer depends on: the local
        date of receipt, whether it was before office close, the zone, the province (when it
        has its own calendar days), n and the policy's day-1 convention."""
        local = start + offset
        day_number = local // DAY
        before_close = (local % DAY) < OFFICE_CLOSES.hour * HOUR + OFFICE_CLOSES.minute * MINUTE
        calendar_province = province_id if province_id in self._own_calendar else None
        key = (day_number, before_close, tz, calendar_province, working_days, day_one)
        due = self._working_due.get(key)
        if due is None:
            due = to_micros(calendar.add_working_days(
                to_datetime(start), working_days, tz, province_id=province_id, day_one=day_one
            ))
            self._working_due[key] = due
        return due

    def bodies_above(self, body_id: int, *, including_self: bool) -> list[int]:
        """The ids of the bodies above ``body_id`` in the tree (and itself if asked)."""
        key = body_id if including_self else -body_id
        above = self._above.get(key)
        if above is None:
            chain = []
            current = body_id if including_self else self.bodies[body_id].parent_id
            while current is not None:
                chain.append(current)
                current = self.bodies[current].parent_id
            above = self._above[key] = chain
        return above

    def pick_regency(self, rng: random.Random) -> int:
        return bisect(self.regency_cumulative, rng.random() * self.regency_cumulative[-1])

    def pick_category(self, rng: random.Random) -> CategoryInfo:
        index = bisect(self.category_cumulative, rng.random() * self.category_cumulative[-1])
        return self.categories[index]


def _cumulative(weights: list[float]) -> list[float]:
    total = 0.0
    result = []
    for weight in weights:
        total += weight
        result.append(total)
    return result


def _short_name(name: str) -> str:
    for prefix in ("Kota Administrasi ", "Kabupaten Administrasi ", "Kabupaten ", "Kota "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name
