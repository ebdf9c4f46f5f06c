"""The people of a generated data set: citizens (one account per ~5 reports, ``warga123456@
contoh.id``) and the staff who act on the reports (a verifier or more per province, national
verifiers, an operator per body that can hold reports). Every generated account has an
e-mail address at ``contoh.id`` and an unusable password, so ``--replace`` can find them.
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass

from agencies.models import Role, TimeZone
from benchmarks.generation.places import PROVINCE_POPULATION_THOUSANDS
from benchmarks.generation.rows import DAY, NULL, Table, text, timestamp
from benchmarks.generation.texts import FIRST_NAMES, LAST_NAMES
from benchmarks.generation.world import World

EMAIL_DOMAIN = "contoh.id"
USERS = Table("agencies_user", (
    "id", "password", "last_login", "is_superuser", "email", "full_name", "phone", "is_active",
    "is_staff", "date_joined", "erased_at", "is_email_confirmed", "time_zone",
))
REPORTS_PER_CITIZEN = 5
EARLY_CITIZENS = 0.25  # share who registered before the generated period began
RECENT_WINDOW = 30 * DAY


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def phone_number(rng: random.Random) -> str:
    return f"08{rng.choice('1235789')}{rng.randrange(10**8, 10**9)}"


def _password(rng: random.Random) -> str:
    # Django's make_password(None): "!" and 40 random characters, never a usable hash.
    return "!" + f"{rng.getrandbits(160):040x}"


def user_row(uid: int, rng: random.Random, *, email: str, name: str, phone: str, joined: int,
             last_login: int | None, time_zone: str) -> str:
    return "\t".join((
        str(uid), _password(rng), NULL if last_login is None else timestamp(last_login), "f",
        text(email), text(name), text(phone), "t", "f", timestamp(joined), NULL, "t", time_zone,
    )) + "\n"


@dataclass
class StaffAccount:
    uid: int
    email: str
    body_id: int
    role: str


def staff_accounts(world: World, *, first_id: int, existing_emails: set[str]) -> list[StaffAccount]:
    """The verifiers and operators to create (those not already in the database)."""
    accounts: list[StaffAccount] = []
    next_id = first_id
    national = world.body_by_key.get("kemenpanrb")
    wanted: list[tuple[str, int, str]] = []
    for province in sorted(world.provinces.values(), key=lambda p: p.code):
        if province.body_id is None:
            continue
        count = 1 + PROVINCE_POPULATION_THOUSANDS.get(province.code, 0) // 12_000
        for k in range(1, count + 1):
            wanted.append((f"verifikator{k}.{province.code}@{EMAIL_DOMAIN}", province.body_id,
                           Role.VERIFIER))
    if national is not None:
        for k in (1, 2):
            wanted.append((f"verifikator{k}.nasional@{EMAIL_DOMAIN}", national, Role.VERIFIER))
    key_of = {body_id: key for key, body_id in world.body_by_key.items()}
    for body_id in world.holding_body_ids:
        key = key_of.get(body_id)
        wanted.append((f"operator.{key or f'unit{body_id}'}@{EMAIL_DOMAIN}", body_id,
                       Role.OPERATOR))
    for email, body_id, role in wanted:
        if email in existing_emails:
            continue
        accounts.append(StaffAccount(next_id, email, body_id, role))
        next_id += 1
    return accounts


class Citizens:
    """Generated citizen accounts, ordered by registration time (ids follow it), with what the
    generator asks: who, registered by then, files a report here, or supports one."""

    def __init__(self, world: World, rng: random.Random, *, count: int, first_id: int,
                 first_number: int, start: int, now: int, join_times: list[int]) -> None:
        self.count = count
        self.first_id = first_id
        self.first_number = first_number
        early = int(count * EARLY_CITIZENS)
        joins = [start - rng.randrange(2 * 365 * DAY) for _i in range(early)]
        joins += [rng.choice(join_times) - rng.randrange(2 * DAY) for _i in range(count - early)]
        joins.sort()
        self.joins = joins
        self.homes = [world.pick_regency(rng) for _i in range(count)]
        self.by_regency: dict[int, tuple[list[int], list[int]]] = {}
        for index, home in enumerate(self.homes):
            times, ids = self.by_regency.setdefault(home, ([], []))
            times.append(joins[index])
            ids.append(first_id + index)
        self.names = [person_name(rng) for _i in range(count)]
        self.world = world
        self.now = now

    def email(self, uid: int) -> str:
        return f"warga{self.first_number + uid - self.first_id:06d}@{EMAIL_DOMAIN}"

    def rows(self, rng: random.Random):  # noqa: ANN201 - an iterator of COPY lines
        for index in range(self.count):
            uid = self.first_id + index
            joined = self.joins[index]
            home = self.world.regencies[self.homes[index]]
            last_login = min(self.now - 1, joined + int(rng.expovariate(1 / (60 * DAY))))
            phone = phone_number(rng) if rng.random() < 0.6 else ""
            yield user_row(uid, rng, email=self.email(uid), name=self.names[index], phone=phone,
                           joined=joined, last_login=last_login,
                           time_zone=home.province.time_zone or TimeZone.WIB)

    def reporter(self, rng: random.Random, at: int, regency_index: int) -> int | None:
        """A citizen registered before ``at``: often one living in that regency/city, often
        one who registered just before filing."""
        local = self.by_regency.get(regency_index)
        if local is not None and rng.random() < 0.6:
            times, ids = local
            known = bisect(times, at)
            if known:
                if rng.random() < 0.4:  # registered within the last month
                    low = bisect(times, at - RECENT_WINDOW)
                    if low < known:
                        return ids[rng.randrange(low, known)]
                return ids[rng.randrange(known)]
        known = bisect(self.joins, at)
        if not known:
            return None
        return self.first_id + rng.randrange(known)

    def supporter(self, rng: random.Random, at: int) -> int | None:
        known = bisect(self.joins, at)
        return self.first_id + rng.randrange(known) if known else None

    def name(self, uid: int) -> str:
        return self.names[uid - self.first_id]


def staff_row(account: StaffAccount, rng: random.Random, *, joined: int,
              time_zone: str) -> str:
    return user_row(account.uid, rng, email=account.email, name=person_name(rng),
                    phone=phone_number(rng), joined=joined, last_login=None,
                    time_zone=time_zone)
