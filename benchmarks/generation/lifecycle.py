"""The life of one generated report, acted out in time order the way the services would have
written it: submission (``complaints.services.intake``), verification and moves
(``routing.services.verification`` / ``moves``), the holding body's acts (``handling``), the
citizen's (``complaints.services.citizen``) and the deadline sweep (``routing.sweep``, with
``ombudsman``), each with its fields, clock starts and stops, disposition, event and
notifications. Nothing happens at or after ``now``; the sweep is taken to have last run at
``sweep_time``, so clocks that fell due after it are still running (the sweep's next work).
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from collections import deque

from agencies.models import TimeZone
from benchmarks.generation.people import Citizens, person_name, phone_number
from benchmarks.generation.rows import (
    DAY,
    HOUR,
    MINUTE,
    SECOND,
    canonical_data,
    local_date,
    local_minute,
)
from benchmarks.generation.texts import (
    CITIZEN_REPLIES,
    CLOSINGS,
    COMPLETION_REQUESTS,
    CONTEXTS,
    DISPUTES,
    DURATIONS,
    ESCALATION_NOTES,
    FIRST_RESPONSES,
    INFO_ADDED,
    INFO_REQUESTS,
    INTERNAL_NOTES,
    MARKETS,
    RATING_COMMENTS,
    REDIRECT_REASONS,
    REJECTION_NOTES,
    SCHOOL_LEVELS,
    SPAM_TITLES,
    STREETS,
    VERIFIER_NOTES,
    VILLAGES,
    WEEKDAYS,
)
from benchmarks.generation.world import (
    HOLDING_KINDS,
    CategoryInfo,
    RegencyInfo,
    World,
    zone_offset,
)
from complaints.models import (
    Channel,
    EventKind,
    Notification,
    ReportKind,
    ReportStatus,
    Visibility,
)
from complaints.services.notifications import QUOTED_TITLE_MAX, reporter_sentence, shorten
from complaints.tracking_numbers import ALPHABET, PREFIX
from complaints.tracking_numbers import _check_character as check_character
from routing.models import BreachAction, ClockKind, Disposition
from routing.sweep import TIME_ZONE as SWEEP_TIME_ZONE

RUNNING, STOPPED, BREACHED, PAUSED = "running", "stopped", "breached", "paused"
PUBLIC, STAFF = Visibility.PUBLIC.value, Visibility.STAFF.value
VER, FR, FU, CS = (ClockKind.VERIFICATION.value, ClockKind.FIRST_RESPONSE.value,
                   ClockKind.FOLLOW_UP.value, ClockKind.CITIZEN_SILENCE.value)
NS, CR = ClockKind.NEXT_STEP.value, ClockKind.CITIZEN_REPLY.value
SUBMITTED, DISPOSITIONED, IN_PROGRESS, RESOLVED, CLOSED, REJECTED, DRAFT = (
    ReportStatus.SUBMITTED.value, ReportStatus.DISPOSITIONED.value,
    ReportStatus.IN_PROGRESS.value, ReportStatus.RESOLVED.value, ReportStatus.CLOSED.value,
    ReportStatus.REJECTED.value, ReportStatus.DRAFT.value,
)
NEVER = 2**62
_NUMBERS = len(ALPHABET) ** 7

KINDS = ((ReportKind.COMPLAINT.value, 0.80), (ReportKind.ASPIRATION.value, 0.12),
         (ReportKind.INFORMATION_REQUEST.value, 0.08))
CHANNELS = ((Channel.WEB.value, 0.68), (Channel.API.value, 0.17), (Channel.WALK_IN.value, 0.04),
            (Channel.PHONE.value, 0.03), (Channel.LETTER.value, 0.02), (Channel.SMS.value, 0.03),
            (Channel.SOCIAL_MEDIA.value, 0.03))
# What verification will make of a report (drawn first: spam reads like spam).
OUTCOMES = (("draft", 0.02), ("spam", 0.02), ("not_public_service", 0.03), ("incomplete", 0.015),
            ("abusive", 0.005), ("court_case", 0.005), ("other", 0.015), ("duplicate", 0.03),
            ("disposition", 0.87))
ANONYMOUS_SHARE = 0.12
CONFIDENTIAL_SHARE = 0.07
COMPLETION_SHARE = 0.05
REDIRECT_FIRST, REDIRECT_LATER, ESCALATE_SHARE, DOWN_SHARE = 0.09, 0.03, 0.012, 0.3
STUCK_BASE = 0.04  # bodies that never resolve some reports (these reach the Ombudsman)
DUPLICATE_WINDOW = 20 * DAY
OFFICE_OPENS, OFFICE_ENDS = 7 * HOUR + 30 * MINUTE, 16 * HOUR + 30 * MINUTE


def _weighted(pairs: tuple[tuple[str, float], ...]) -> tuple[tuple[str, ...], list[float]]:
    total, cumulative = 0.0, []
    for _value, weight in pairs:
        total += weight
        cumulative.append(total)
    return tuple(v for v, _w in pairs), cumulative


class Plan:
    """One report with everything its life wrote, as plain values (times in microseconds).
    The class attributes are the defaults (a report starts as an empty draft)."""

    tracking_number: str | None = None
    kind = ReportKind.COMPLAINT.value
    title = description = district_name = ""
    district_id = 0
    event_on: str | None = None
    is_anonymous = is_confidential = False
    status = DRAFT
    contact_name = contact_email = contact_phone = ""
    channel = Channel.WEB.value
    entered_by: int | None = None
    reporter: int | None = None
    holder: int | None = None
    support_count = 0
    duplicate_of: int | None = None
    rejection_reason = ""
    responded_at: int | None = None
    first_dispositioned_at: int | None = None
    held_since: int | None = None
    ombudsman_office: int | None = None
    escalated_at: int | None = None
    due_at: int | None = None
    due_clock_kind = ""
    rating: int | None = None
    rating_comment = ""
    created_at = updated_at = 0
    submitted_at: int | None = None
    verified_at: int | None = None
    resolved_at: int | None = None
    closed_at: int | None = None
    rated_at: int | None = None
    version = 1

    def __init__(self, rid: int, category: CategoryInfo, regency: RegencyInfo) -> None:
        self.rid = rid
        self.category = category
        self.regency = regency
        self.events: list[tuple] = []
        self.clocks: list[list] = []
        self.running: dict[str, list] = {}
        self.owed: dict[str, list] = {}  # breached clocks not yet met (kind → clock)
        self.paused: dict[str, tuple[list, int]] = {}  # waiting for the citizen: (clock, since)
        self.dispositions: list[tuple] = []
        self.supports: list[tuple[int, int]] = []
        self.notifications: list[tuple] = []
        self.path: list[int] = []
        self.slots: Slots | None = None


class FastRandom:
    """The few ``random.Random`` draws the simulation makes, cheaper: integers as
    ``floor(random() · n)`` (no rejection sampling; the bias is below 2^-40) and normal
    deviates from a table drawn once. Deterministic for a given ``random.Random``."""

    def __init__(self, rng: random.Random) -> None:
        self.random = rng.random
        self.expovariate = rng.expovariate
        self.paretovariate = rng.paretovariate
        self._normals = [rng.gauss(0.0, 1.0) for _i in range(1 << 16)]
        self._lognormals: dict[float, list[float]] = {}

    def choice(self, seq):  # noqa: ANN001, ANN201 - any sequence, one of its items
        return seq[int(self.random() * len(seq))]

    def randrange(self, start: int, stop: int | None = None) -> int:
        if stop is None:
            return int(self.random() * start)
        return start + int(self.random() * (stop - start))

    def randint(self, low: int, high: int) -> int:
        return low + int(self.random() * (high - low + 1))

    def gauss(self, mu: float = 0.0, sigma: float = 1.0) -> float:
        return mu + sigma * self._normals[int(self.random() * 65_536)]

    def lognormal(self, sigma: float) -> float:
        """exp(sigma · N(0, 1)), from a table per sigma."""
        table = self._lognormals.get(sigma)
        if table is None:
            table = self._lognormals[sigma] = [math.exp(sigma * z) for z in self._normals]
        return table[int(self.random() * 65_536)]


class Slots(dict):
    """A report's words for the text templates (street, village, duration, …), each drawn
    the first time a template asks for it, then the same in every later text."""

    def __init__(self, rng: FastRandom, p: Plan, t: int) -> None:
        super().__init__(kecamatan=p.district_name, kota=p.regency.name,
                         kota_pendek=p.regency.short_name, provinsi=p.regency.province.name,
                         unit=p.category.texts.unit, rs=f"RSUD {p.regency.short_name}")
        self._rng = rng
        self._plan = p
        self._at = t

    def __missing__(self, key: str) -> str | int:
        rng = self._rng
        if key == "jalan":
            value: str | int = rng.choice(STREETS)
        elif key == "desa":
            value = rng.choice(VILLAGES)
        elif key == "kantor_desa":
            city = self._plan.regency.name.startswith("Kota")
            value = ("Kantor Kelurahan " if city else "Kantor Desa ") + self["desa"]
        elif key in ("rt", "rw"):
            value = rng.randint(1, 15 if key == "rt" else 12)
        elif key == "n":
            value = rng.randint(5, 60)
        elif key == "n2":
            value = rng.randint(2, 9)
        elif key == "durasi":
            value = rng.choice(DURATIONS)
        elif key == "hari":
            value = rng.choice(WEEKDAYS)
        elif key == "jam":
            value = f"{rng.randint(6, 21):02d}.{rng.choice((0, 15, 30, 45)):02d}"
        elif key == "biaya":
            value = f"Rp{rng.choice((10, 15, 20, 25, 50, 75, 100, 150, 250, 500))}.000"
        elif key == "sekolah":
            value = f"{rng.choice(SCHOOL_LEVELS)} {rng.randint(1, 12)} {self['kota_pendek']}"
        elif key == "pasar":
            value = rng.choice(MARKETS)
        elif key == "tanggal":
            day = local_date(self._at + rng.randint(3, 40) * DAY,
                             self._plan.regency.province.offset)
            value = f"{day[8:10]}-{day[5:7]}-{day[:4]}"
        else:
            raise KeyError(key)
        self[key] = value
        return value


# A clock: [kind, body, policy, state, started, due, stopped, breached, breach_at, outcome]
(K_KIND, K_BODY, K_POLICY, K_STATE, K_STARTED, K_DUE, K_STOPPED, K_BREACHED, K_BREACH_AT,
 K_OUTCOME) = range(10)
MET, MOVED, CLOSED_OUTCOME = "met", "moved", "closed"
HOLDER_CLOCKS = (FR, FU, NS)


class Simulator:
    def __init__(self, world: World, citizens: Citizens | None, rng: random.Random, *,
                 now: int, sweep_time: int, suggestions: dict, taken_numbers: set[str],
                 number_slot: tuple[int, int] = (0, 1)) -> None:
        """``citizens`` may be None for a scripted life (its reporter is given, no one else
        supports it)."""
        self.world = world
        self.citizens = citizens
        self.rng = FastRandom(rng)
        self.now = now
        self.sweep_time = sweep_time
        self.taken = taken_numbers
        self.own_numbers: set[str] = set()
        # Simulators running side by side draw from disjoint residues: never the same number.
        self.number_slot, self.number_slots = number_slot
        self.suggestions = suggestions
        self.messages = world.messages
        self.templates = world.notifications
        self.kinds = _weighted(KINDS)
        self.channels = _weighted(CHANNELS)
        self.outcomes = _weighted(OUTCOMES)
        self.candidates: dict[tuple[int, int], deque[Plan]] = {}
        self.data_cache: dict[object, str] = {}
        # The sweep writes the due time of a clock without a body (verification) in its own
        # zone, the centre's.
        self.sweep_offset = zone_offset(SWEEP_TIME_ZONE)

    # --- small helpers ------------------------------------------------------------------

    def _pick(self, weighted: tuple[tuple[str, ...], list[float]]) -> str:
        values, cumulative = weighted
        return values[bisect(cumulative, self.rng.random() * cumulative[-1])]

    def _data(self, key: object, data: dict[str, object]) -> str:
        text = self.data_cache.get(key)
        if text is None:
            text = self.data_cache[key] = canonical_data(data)
        return text

    def _delay(self, median: float, sigma: float) -> int:
        """A log-normal duration around ``median``."""
        return int(median * self.rng.lognormal(sigma))

    def _office(self, t: int, offset: int) -> int:
        """``t`` moved forward into office hours (Monday–Friday, 07:30–16:30 local)."""
        local = t + offset
        day, moment = divmod(local, DAY)
        weekday = (day + 3) % 7  # 1970-01-01 was a Thursday
        if weekday >= 5:
            day += 7 - weekday
            moment = OFFICE_OPENS + self.rng.randrange(3 * HOUR)
        elif moment < OFFICE_OPENS:
            moment = OFFICE_OPENS + self.rng.randrange(2 * HOUR)
        elif moment > OFFICE_ENDS:
            day += 3 if weekday == 4 else 1
            moment = OFFICE_OPENS + self.rng.randrange(3 * HOUR)
        return day * DAY + moment - offset

    def _tracking_number(self) -> str:
        """Like ``new_tracking_number`` (seven random characters and the check character),
        drawn from the seeded generator and never one already taken."""
        while True:
            value = (int(self.rng.random() * (_NUMBERS // self.number_slots)) * self.number_slots
                     + self.number_slot)
            body = ""
            for _i in range(7):
                value, digit = divmod(value, 30)
                body += ALPHABET[digit]
            number = f"{PREFIX}-{body[:4]}-{body[4:]}{check_character(body)}"
            if number not in self.taken and number not in self.own_numbers:
                self.own_numbers.add(number)
                return number

    def _suggestion(self, p: Plan) -> tuple[int, int, bool] | None:
        key = (p.category.id, p.district_id, p.regency.id)
        if key in self.suggestions:
            return self.suggestions[key]
        return self.suggestions.get((p.category.id, None, p.regency.id))

    def _verifier(self, p: Plan) -> int | None:
        verifiers = self.world.staff.verifiers
        local = verifiers.get(p.regency.province.id)
        pool = local if local and self.rng.random() < 0.85 else verifiers.get(None) or local
        return self.rng.choice(pool) if pool else None

    def _operator(self, body_id: int) -> int | None:
        staff = self.world.staff
        pool = staff.operators.get(body_id) or staff.supervisors.get(body_id)
        return self.rng.choice(pool) if pool else None

    def _read_at(self, t: int, share: float, median: int) -> int | None:
        if self.rng.random() >= share:
            return None
        read = t + self._delay(median, 1.5)
        return read if read < self.now else None

    # --- what every act writes ------------------------------------------------------------

    def _event(self, p: Plan, t: int, kind: str, *, actor: int | None = None,
               actor_body: int | None = None, from_body: int | None = None,
               to_body: int | None = None, note: str = "", visibility: str = PUBLIC,
               data: str = "{}") -> None:
        p.events.append((t, kind, actor, actor_body, from_body, to_body, note, visibility, data))

    def _notify_reporter(self, p: Plan, t: int, message: str | None) -> None:
        """``notify_reporter``: an in-app notification for an account (e-mail only for a
        person without one)."""
        if p.reporter is None:
            return
        values = {"number": p.tracking_number}
        if message is None:
            title = self.templates.submitted.format_map(values)
            sentence = reporter_sentence(title=p.title, status_label="", message="",
                                         template="submitted")
        else:
            title = self.templates.status_changed[p.status].format_map(values)
            sentence = reporter_sentence(title=p.title, status_label="", message=message,
                                         template="status_changed")
        p.notifications.append((p.reporter, t, title, sentence,
                                self.templates.reporter_url.format_map(values),
                                self._read_at(t, 0.7, 6 * HOUR)))

    def _notify_staff(self, p: Plan, t: int, users: list[int], title: str, message: str
                      ) -> None:
        """``notify_staff``: the same title, sentence and staff page for each person."""
        url = self.templates.staff_url.format_map({"number": p.tracking_number})
        message = shorten(message, Notification.MESSAGE_MAX)
        for user in users:
            p.notifications.append((user, t, title, message, url,
                                    self._read_at(t, 0.85, 3 * HOUR)))

    def _notify_body(self, p: Plan, t: int, body_id: int) -> None:
        """``notify_body_of_new_report``: the operators and supervisors of the body."""
        users = self.world.staff.body_staff.get(body_id)
        if not users:
            return
        title = self.messages.new_report_title % {"number": p.tracking_number}
        text = self.messages.new_report_text % {
            "title": shorten(p.title, QUOTED_TITLE_MAX),
            "body": self.world.bodies[body_id].name,
        }
        self._notify_staff(p, t, users, title, text)

    def _start(self, p: Plan, kind: str, t: int, *, body: int | None,
               due: int | None = None) -> None:
        """``clocks.start``: ends the unmet clock of the kind (the report moved), starts a
        new one."""
        self._stop(p, kind, t, MOVED)
        policy = self.world.policies[kind]
        if due is None:
            if policy.length_hours is not None:
                due = t + policy.length_hours * HOUR
            else:
                if body is not None:
                    info = self.world.bodies[body]
                    tz, offset, province_id = info.time_zone, info.offset, info.province_id
                else:
                    province = p.regency.province
                    tz, offset, province_id = province.time_zone, province.offset, province.id
                due = self.world.working_due(t, policy.working_days, tz, offset, province_id,
                                              policy.day_one)
        # The sweep runs every minute: a clock is breached within a minute of falling due.
        breach_at = max(due, t) + self.rng.randrange(1, 60) * SECOND
        clock = [kind, body, policy, RUNNING, t, due, None, None, breach_at, ""]
        p.clocks.append(clock)
        p.running[kind] = clock

    def _ask_citizen(self, p: Plan, t: int, kinds: tuple[str, ...]) -> None:
        """``clocks.ask_citizen``: pause what its policy pauses, start the reply clock."""
        for kind in kinds:
            clock = p.running.get(kind)
            if clock is not None and clock[K_POLICY].pauses_for_citizen:
                del p.running[kind]
                clock[K_STATE] = PAUSED
                p.paused[kind] = (clock, t)
        self._start(p, CR, t, body=p.holder)

    def _citizen_answered(self, p: Plan, t: int) -> None:
        """``clocks.citizen_answered``: the reply clock met, the paused clocks run on."""
        self._stop(p, CR, t, MET)
        for kind, (clock, since) in list(p.paused.items()):
            waited = t - since
            clock[K_STATE] = RUNNING
            clock[K_DUE] += waited
            clock[K_BREACH_AT] += waited
            p.running[kind] = clock
        p.paused.clear()

    def _follow_up_given(self, p: Plan, t: int, *, body: int | None) -> None:
        """``clocks.follow_up_given``: the next-step clock met, and counting again."""
        self._stop(p, NS, t, MET)
        self._start(p, NS, t, body=body)

    def _stop(self, p: Plan, kind: str, t: int, outcome: str = MET) -> None:
        """``clocks.stop``: a running clock stops; a breached one still owed ends too."""
        clock = p.running.pop(kind, None)
        if clock is None and kind in p.paused:
            clock = p.paused.pop(kind)[0]
        if clock is not None:
            clock[K_STATE] = STOPPED
        else:
            clock = p.owed.pop(kind, None)
        if clock is not None:
            clock[K_STOPPED] = t
            clock[K_OUTCOME] = outcome

    def _advance(self, p: Plan, t: int) -> None:
        """The sweep's work up to ``t`` (never past its last run): breach what fell due."""
        limit = t if t < self.sweep_time else self.sweep_time
        while p.running:
            clock = None
            for candidate in p.running.values():
                if candidate[K_BREACH_AT] < limit and (
                    clock is None or candidate[K_BREACH_AT] < clock[K_BREACH_AT]
                ):
                    clock = candidate
            if clock is None:
                return
            self._breach(p, clock)

    def _breach(self, p: Plan, clock: list) -> None:
        """``sweep._breach``: the breach event, then the policy's action."""
        at = clock[K_BREACH_AT]
        policy = clock[K_POLICY]
        kind = clock[K_KIND]
        del p.running[kind]
        clock[K_STATE] = BREACHED
        clock[K_BREACHED] = at
        p.owed[kind] = clock  # owed until the act it waits for, or a move
        zone = self.world.bodies[clock[K_BODY]] if clock[K_BODY] else None
        note = self.messages.breached % {"clock": policy.label, "due": local_minute(
            clock[K_DUE], zone.offset if zone else self.sweep_offset,
            TimeZone.abbreviation(zone.time_zone if zone else SWEEP_TIME_ZONE))}
        self._event(p, at, EventKind.DEADLINE_BREACHED.value, actor_body=clock[K_BODY],
                    visibility=STAFF, note=note,
                    data=self._data(("breach", kind, policy.version),
                                    {"clock": kind, "policy_version": policy.version}))
        if policy.action == BreachAction.ESCALATE_OMBUDSMAN:
            if p.escalated_at is None and p.status not in (CLOSED, REJECTED):
                self._escalate_to_ombudsman(p, at)
        elif policy.action == BreachAction.CLOSE:
            if p.status == RESOLVED:
                p.status = CLOSED
                p.closed_at = at
                p.version += 1
                p.updated_at = at
                self._event(p, at, EventKind.CLOSED.value, note=self.messages.auto_closed)
                self._stop(p, kind, at, CLOSED_OUTCOME)  # clocks.stop: owed no more
                self._notify_reporter(p, at, self.messages.auto_closed_citizen)
        elif policy.action == BreachAction.CLOSE_UNANSWERED:
            if p.status in (SUBMITTED, DISPOSITIONED, IN_PROGRESS):
                note = policy.closing_note or self.messages.closed_unanswered
                p.status = CLOSED
                p.closed_at = at
                p.version += 1
                p.updated_at = at
                self._event(p, at, EventKind.CLOSED.value, note=note,
                            data=self._data(("closed", "citizen_unanswered"),
                                            {"reason": "citizen_unanswered"}))
                for ended in ClockKind.values:  # sweep._close_unanswered
                    self._stop(p, ended, at, CLOSED_OUTCOME)
                self._notify_reporter(p, at, note)
        elif policy.action in (BreachAction.MARK_OVERDUE, BreachAction.NOTIFY):
            self._notify_overdue(p, at, clock)

    def _notify_overdue(self, p: Plan, at: int, clock: list) -> None:
        """``sweep._notify_supervisors``."""
        world = self.world
        holder = clock[K_BODY] or p.holder
        if clock[K_KIND] == VER:
            users = world.staff.verifier_supervisors.get(p.regency.province.id, [])
        else:
            above = world.bodies_above(holder, including_self=False) if holder else []
            supervisors = world.staff.supervisors
            users = sorted({u for b in above for u in supervisors.get(b, ())}
                           | set(world.staff.system_admins))
        if not users:
            return
        subject = self.messages.overdue_subject % {"number": p.tracking_number}
        text = self.messages.overdue_text % {
            "clock": clock[K_POLICY].label, "title": shorten(p.title, QUOTED_TITLE_MAX),
            "body": world.bodies[holder].name if holder else self.messages.verification,
        }
        self._notify_staff(p, at, users, subject, text)

    def _escalate_to_ombudsman(self, p: Plan, at: int) -> None:
        """``ombudsman.escalate_to_ombudsman`` (no webhook row: no receiver is configured)."""
        world = self.world
        office = p.regency.province.ombudsman_office_id
        office_name = world.bodies[office].name
        p.ombudsman_office = office
        p.escalated_at = at
        p.version += 1
        p.updated_at = at
        self._event(p, at, EventKind.OMBUDSMAN_ESCALATED.value, actor_body=p.holder,
                    from_body=p.holder, to_body=office,
                    note=self.messages.ombudsman_note % {"office": office_name})
        self._notify_reporter(p, at, self.messages.ombudsman_citizen % {"office": office_name})
        staff = world.staff
        users: set[int] = set()
        if p.holder is not None:
            for body in world.bodies_above(p.holder, including_self=True):
                users.update(staff.supervisors.get(body, ()))
            users.update(staff.operators.get(p.holder, ()))
        users.update(staff.officers.get(office, ()))
        if users:
            subject = self.messages.ombudsman_subject % {"number": p.tracking_number}
            text = self.messages.ombudsman_staff % {
                "title": shorten(p.title, QUOTED_TITLE_MAX), "office": office_name
            }
            self._notify_staff(p, at, sorted(users), subject, text)

    # --- the acts ---------------------------------------------------------------------------

    def _move(self, p: Plan, t: int, to_body: int, kind: str, event_kind: str, *,
              actor: int | None, note: str = "", internal_note: str = "",
              rule: int | None = None, suggested: int | None = None,
              actor_body: int | None = None, data: str = "{}") -> None:
        """``moves.move``: ``note`` public with the move, ``internal_note`` a staff-only event
        after it."""
        from_body = p.holder
        p.dispositions.append((kind, from_body, to_body, actor, rule, suggested,
                               suggested is not None and suggested != to_body,
                               note or internal_note, t))
        p.holder = to_body
        p.held_since = t
        p.responded_at = None
        if p.status == SUBMITTED:  # a move makes only a new report "dispositioned"
            p.status = DISPOSITIONED
        first = p.first_dispositioned_at is None
        if first:
            p.first_dispositioned_at = t
            p.verified_at = p.verified_at or t
        p.version += 1
        p.updated_at = t
        self._stop(p, VER, t)
        self._stop(p, CR, t, MOVED)
        self._start(p, FR, t, body=to_body)
        if first:
            self._start(p, FU, t, body=to_body)
        if kind == Disposition.Kind.DOWN.value and (NS in p.running or NS in p.owed):
            self._follow_up_given(p, t, body=to_body)
        else:
            self._stop(p, NS, t, MOVED)
        self._event(p, t, event_kind, actor=actor, actor_body=actor_body, from_body=from_body,
                    to_body=to_body, note=note, data=data)
        if internal_note:
            self._event(p, t, EventKind.INTERNAL_NOTE.value, actor=actor, actor_body=actor_body,
                        to_body=to_body, note=internal_note, visibility=STAFF,
                        data=self._data(("with", event_kind), {"with": event_kind}))
        self._notify_reporter(
            p, t, self.messages.now_held_by % {"body": self.world.bodies[to_body].name}
        )
        self._notify_body(p, t, to_body)
        p.path.append(to_body)

    def _dispose_by_rule(self, p: Plan, t: int, rule: int, body: int) -> None:
        """``verification.disposition_by_trusted_rule``, right after submission."""
        self._move(p, t, body, Disposition.Kind.AUTOMATIC.value, EventKind.DISPOSITIONED.value,
                   actor=None, rule=rule, suggested=body,
                   data=self._data(("auto", rule), {"automatic": True, "rule": rule}))

    def _disposition(self, p: Plan, t: int, body: int, *, verifier: int | None, note: str,
                     suggestion: tuple[int, int, bool] | None) -> None:
        """``verification.disposition_report``: ``note`` is the verifier's note to the body."""
        self._move(p, t, body, Disposition.Kind.VERIFICATION.value,
                   EventKind.DISPOSITIONED.value, actor=verifier, internal_note=note,
                   rule=suggestion[0] if suggestion else None,
                   suggested=suggestion[1] if suggestion else None)

    def _redirect(self, p: Plan, t: int, to_body: int, *, note: str, actor: int | None
                  ) -> None:
        """``handling.redirect``: ``note`` is the public reason."""
        returns = to_body in p.path
        self._move(p, t, to_body, Disposition.Kind.REDIRECT.value, EventKind.REDIRECTED.value,
                   actor=actor, actor_body=p.holder, note=note,
                   data=self._data(("returns", returns), {"returns_to_previous_holder": returns}))

    def _escalate(self, p: Plan, t: int, parent: int, *, actor: int | None, note: str) -> None:
        """``handling.escalate`` to the holder's parent: ``note`` is for staff."""
        self._move(p, t, parent, Disposition.Kind.ESCALATION.value, EventKind.ESCALATED.value,
                   actor=actor, actor_body=p.holder, internal_note=note)

    def _dispose_down(self, p: Plan, t: int, unit: int, *, actor: int | None) -> None:
        """``handling.dispose_down`` to a unit below the holder (without a note)."""
        self._move(p, t, unit, Disposition.Kind.DOWN.value, EventKind.DISPOSED_DOWN.value,
                   actor=actor, actor_body=p.holder)

    def _respond(self, p: Plan, t: int, note: str) -> None:
        """``handling.respond``."""
        self._advance(p, t)
        first = p.responded_at is None
        if first:
            p.responded_at = t
        p.status = IN_PROGRESS
        p.version += 1
        p.updated_at = t
        if first:
            self._stop(p, FR, t)
        self._follow_up_given(p, t, body=p.holder)
        self._event(p, t, (EventKind.FIRST_RESPONSE if first else EventKind.RESPONSE).value,
                    actor=self._operator(p.holder), actor_body=p.holder, note=note)
        self._notify_reporter(p, t, note)

    def _request_information(self, p: Plan, t: int) -> None:
        self._advance(p, t)
        note = self.rng.choice(INFO_REQUESTS)
        p.version += 1
        p.updated_at = t
        self._event(p, t, EventKind.INFO_REQUESTED.value, actor=self._operator(p.holder),
                    actor_body=p.holder, note=note)
        self._ask_citizen(p, t, HOLDER_CLOCKS)
        self._notify_reporter(p, t, note)

    def _internal_note(self, p: Plan, t: int) -> None:
        self._advance(p, t)
        self._event(p, t, EventKind.INTERNAL_NOTE.value, actor=self._operator(p.holder),
                    actor_body=p.holder, note=self.rng.choice(INTERNAL_NOTES), visibility=STAFF)

    def _citizen_says(self, p: Plan, t: int, kind: str, choices: tuple[str, ...]) -> None:
        """``citizen.add_information`` / ``reply_to_body`` (open reports only)."""
        self._advance(p, t)
        if p.reporter is None or p.status not in (SUBMITTED, DISPOSITIONED, IN_PROGRESS,
                                                  RESOLVED):
            return
        self._event(p, t, kind, actor=p.reporter, to_body=p.holder,
                    note=self.rng.choice(choices).format_map(p.slots))
        self._citizen_answered(p, t)

    def _resolve(self, p: Plan, t: int) -> None:
        """``handling.resolve``."""
        self._advance(p, t)
        answer = self.rng.choice(p.category.texts.answers).format_map(p.slots)
        if p.responded_at is None:
            p.responded_at = t
        p.status = RESOLVED
        p.resolved_at = t
        p.version += 1
        p.updated_at = t
        self._stop(p, FR, t)
        self._stop(p, FU, t)
        self._stop(p, NS, t)
        self._stop(p, CR, t, MOVED)
        self._start(p, CS, t, body=p.holder)
        self._event(p, t, EventKind.RESOLVED.value, actor=self._operator(p.holder),
                    actor_body=p.holder, note=answer)
        self._notify_reporter(p, t, answer + "\n\n" + self.messages.accept_or_dispute)

    def _accept(self, p: Plan, t: int) -> bool:
        self._advance(p, t)
        if p.status != RESOLVED:
            return False
        p.status = CLOSED
        p.closed_at = t
        p.version += 1
        p.updated_at = t
        self._stop(p, CS, t)
        self._event(p, t, EventKind.ACCEPTED.value, actor=p.reporter)
        self._notify_reporter(p, t, self.messages.thanks_rate)
        return True

    def _dispute(self, p: Plan, t: int) -> bool:
        self._advance(p, t)
        if p.status != RESOLVED:
            return False
        p.status = IN_PROGRESS
        p.resolved_at = None
        p.version += 1
        p.updated_at = t
        self._stop(p, CS, t)
        follow_ups = [c for c in p.clocks if c[K_KIND] == FU]
        if follow_ups:  # clocks.resume_follow_up
            first = min(follow_ups, key=lambda c: c[K_STARTED])
            self._start(p, FU, t, body=first[K_BODY], due=first[K_DUE])
        self._follow_up_given(p, t, body=p.holder)
        self._event(p, t, EventKind.REOPENED.value, actor=p.reporter,
                    note=self.rng.choice(DISPUTES), to_body=p.holder)
        self._notify_reporter(p, t, self.messages.reopened)
        return True

    def _rate(self, p: Plan, t: int, *, accepted: bool) -> None:
        self._advance(p, t)
        if p.status != CLOSED or p.reporter is None or t >= self.now:
            return
        rng = self.rng
        x = rng.random()
        if accepted:
            rating = 5 if x < 0.38 else 4 if x < 0.72 else 3 if x < 0.86 else 2 if x < 0.94 else 1
        else:
            rating = 4 if x < 0.15 else 3 if x < 0.35 else 2 if x < 0.6 else 1
        comment = rng.choice(RATING_COMMENTS[rating])
        p.rating, p.rating_comment, p.rated_at = rating, comment, t
        p.updated_at = t
        self._event(p, t, EventKind.RATED.value, actor=p.reporter, note=comment,
                    data=self._data(("rating", rating), {"rating": rating}))

    # --- a whole life -----------------------------------------------------------------------

    def plan(self, rid: int, submitted_at: int, regency_index: int) -> Plan:
        rng = self.rng
        world = self.world
        regency = world.regencies[regency_index]
        category = world.pick_category(rng)
        p = Plan(rid, category, regency)
        district = rng.randrange(len(regency.district_ids))
        p.district_id = regency.district_ids[district]
        p.district_name = regency.district_names[district]
        p.kind = self._pick(self.kinds)
        outcome = self._pick(self.outcomes)
        self._people(p, submitted_at, regency_index)
        if outcome == "draft" and p.reporter is None:
            outcome = "disposition"
        original = self._original(p, submitted_at) if outcome == "duplicate" else None
        if outcome == "duplicate" and original is None:
            outcome = "disposition"
        self._texts(p, submitted_at, outcome, original)
        if outcome == "draft":
            p.created_at = submitted_at - self._delay(20 * MINUTE, 1.0)
            p.updated_at = submitted_at
            return p
        self._submit(p, submitted_at)
        self._live(p, submitted_at, outcome, original)
        self._advance(p, self.now)
        self.sync_due(p)
        self._support(p)
        if p.status not in (REJECTED, DRAFT):
            self.candidates.setdefault((regency.id, category.id), deque()).append(p)
        return p

    # --- a scripted life -------------------------------------------------------------------
    # A generated life draws its acts, words and moments (``plan``). A scripted one calls the
    # acts above (``_submit``, ``_disposition``, ``_respond``, …) itself, in its own order
    # and at its own moments, with a Simulator whose ``sweep_time`` is before the first act
    # (so no act breaches a clock on its own), and says when the sweep runs (``sweep``);
    # ``sync_due`` ends it. tests/test_generator_matches_services.py plays short lives this
    # way and through the services, and compares what both wrote.

    def sweep(self, p: Plan, at: int) -> None:
        """The deadline sweep running at ``at`` over this report, as
        ``routing.sweep.enforce_deadlines(at)`` does: every running clock due by then is
        breached at ``at``, earliest due first, and its policy's action taken."""
        while True:
            due = [c for c in p.running.values() if c[K_DUE] <= at]
            if not due:
                return
            clock = min(due, key=lambda c: c[K_DUE])
            clock[K_BREACH_AT] = at
            self._breach(p, clock)

    def sync_due(self, p: Plan) -> None:
        """``clocks.sync_report_due``, once the life is written: the report's due time is the
        earliest unmet holder deadline, breached ones included."""
        owed = [c for c in (*p.running.values(), *p.owed.values())
                if c[K_KIND] in HOLDER_CLOCKS]
        if owed:
            earliest = min(owed, key=lambda c: c[K_DUE])
            p.due_at, p.due_clock_kind = earliest[K_DUE], earliest[K_KIND]
        else:
            p.due_at, p.due_clock_kind = None, ""

    def _people(self, p: Plan, t: int, regency_index: int) -> None:
        rng = self.rng
        p.channel = self._pick(self.channels)
        assisted = p.channel not in (Channel.WEB.value, Channel.API.value)
        if not assisted:
            p.reporter = self.citizens.reporter(rng, t - MINUTE, regency_index)
            if p.reporter is None:
                p.channel, assisted = Channel.PHONE.value, True
        if assisted:
            # Typed in by the regency/city's operator or the province's verifier.
            body = p.regency.body_id
            by_operator = body is not None and rng.random() < 0.5
            p.entered_by = (self._operator(body) if by_operator else None) or self._verifier(p)
            if rng.random() < 0.3:
                p.reporter = self.citizens.reporter(rng, t - MINUTE, regency_index)
            if p.reporter is not None:
                p.contact_name = self.citizens.name(p.reporter)
                p.contact_email = self.citizens.email(p.reporter)
            else:
                p.contact_name = person_name(rng)
                if rng.random() < 0.3:
                    p.contact_email = (p.contact_name.lower().replace(" ", ".").replace(",", "")
                                       + f"{rng.randrange(100)}@contoh.id")
            if rng.random() < 0.8:
                p.contact_phone = phone_number(rng)
        p.is_anonymous = rng.random() < (0.03 if assisted else ANONYMOUS_SHARE)
        p.is_confidential = rng.random() < CONFIDENTIAL_SHARE

    def _original(self, p: Plan, t: int) -> Plan | None:
        """An earlier report of the same category in the same regency/city, submitted in the
        last weeks, that the verifier can point to."""
        recent = self.candidates.get((p.regency.id, p.category.id))
        while recent and recent[0].submitted_at < t - DUPLICATE_WINDOW:
            recent.popleft()
        return self.rng.choice(recent) if recent else None

    def forget_before(self, t: int) -> None:
        """Drop duplicate candidates submitted before ``t`` (their events are written out)."""
        for key in list(self.candidates):
            recent = self.candidates[key]
            while recent and recent[0].submitted_at < t:
                recent.popleft()
            if not recent:
                del self.candidates[key]

    def _texts(self, p: Plan, t: int, outcome: str, original: Plan | None) -> None:
        rng = self.rng
        texts = p.category.texts
        if original is not None:
            p.title = original.title
            p.district_id, p.district_name = original.district_id, original.district_name
        p.slots = Slots(rng, p, t)
        if rng.random() < 0.7:
            p.event_on = local_date(t - rng.randint(0, 10) * DAY, p.regency.province.offset)
        if outcome == "spam":
            p.title = rng.choice(SPAM_TITLES)
            p.description = p.title + ". " + rng.choice(("Hubungi 0812" + "3" * 7, "Klik tautan.",
                                                         "Dijamin cepat."))
            return
        if p.kind == ReportKind.ASPIRATION:
            title = rng.choice(texts.aspirations)
            parts = (rng.choice(texts.aspiration_bodies), rng.choice(CONTEXTS),
                     rng.choice(CLOSINGS))
        elif p.kind == ReportKind.INFORMATION_REQUEST:
            title = rng.choice(texts.questions)
            parts = (rng.choice(texts.question_bodies), "Terima kasih.")
        else:
            title = rng.choice(texts.titles)
            parts = (rng.choice(texts.problems), rng.choice(CONTEXTS), rng.choice(texts.impacts),
                     rng.choice(texts.requests), rng.choice(CLOSINGS))
        if original is None:
            title = title.format_map(p.slots)
            p.title = (title[0].upper() + title[1:])[:150]
        p.description = " ".join(part for part in parts if part).format_map(p.slots)

    def _submit(self, p: Plan, t: int) -> None:
        """``intake.submit_report`` (after ``save_draft`` or ``file_assisted_report``)."""
        rng = self.rng
        assisted = p.entered_by is not None
        p.created_at = t - (rng.randrange(50_000, 900_000) if assisted
                            else self._delay(12 * MINUTE, 0.9))
        p.tracking_number = self._tracking_number()
        p.status = SUBMITTED
        p.submitted_at = t
        p.version = 2
        p.updated_at = t
        self._event(p, t, EventKind.SUBMITTED.value,
                    actor=p.entered_by if assisted else p.reporter,
                    data=self._data(("channel", p.channel), {"channel": p.channel}))
        self._notify_reporter(p, t, None)
        self._start(p, VER, t, body=None)

    def _live(self, p: Plan, t: int, outcome: str, original: Plan | None) -> None:
        rng = self.rng
        suggestion = self._suggestion(p)
        if suggestion is not None and suggestion[2] and outcome != "spam":
            rule, body, _trusted = suggestion
            self._dispose_by_rule(p, t, rule, body)
            self._handle(p, t)
            return
        offset = p.regency.province.offset
        if outcome == "incomplete" or rng.random() < COMPLETION_SHARE:
            t = self._office(t + self._delay(4 * HOUR, 1.2), offset)
            if t >= self.now:
                return
            self._advance(p, t)
            note = rng.choice(COMPLETION_REQUESTS)
            self._request_completion(p, t, note=note, verifier=self._verifier(p))
            if outcome != "incomplete" and p.reporter is not None:
                t += self._delay(20 * HOUR, 1.0)
                if t >= self.now:
                    return
                self._citizen_says(p, t, EventKind.INFO_ADDED.value, INFO_ADDED)
        t = self._office(t + self._delay(5 * HOUR, 1.2), offset)
        if t >= self.now:
            return
        self._advance(p, t)
        verifier = self._verifier(p)
        if outcome == "duplicate" and original is not None:
            self._mark_duplicate(p, t, original, verifier)
        elif outcome != "disposition":
            reason = "spam" if outcome == "spam" else outcome
            self._reject(p, t, verifier, reason, rng.choice(REJECTION_NOTES[reason]))
        else:
            body = self._choose_body(p, suggestion)
            self._disposition(p, t, body, verifier=verifier, note=rng.choice(VERIFIER_NOTES),
                              suggestion=suggestion)
            self._handle(p, t)

    def _request_completion(self, p: Plan, t: int, *, note: str, verifier: int | None) -> None:
        """``verification.request_completion``."""
        p.version += 1
        p.updated_at = t
        self._event(p, t, EventKind.COMPLETION_REQUESTED.value, actor=verifier, note=note)
        self._ask_citizen(p, t, (VER,))
        self._notify_reporter(p, t, note)

    def _reject(self, p: Plan, t: int, verifier: int | None, reason: str, note: str) -> None:
        """``verification.reject_report``."""
        label = self.messages.rejection_labels[reason]
        p.status = REJECTED
        p.rejection_reason = reason
        p.closed_at = t
        p.version += 1
        p.updated_at = t
        self._stop(p, VER, t)
        self._stop(p, CR, t, MOVED)
        self._event(p, t, EventKind.REJECTED.value, actor=verifier, note=note,
                    data=self._data(("reject", reason),
                                    {"reason": reason, "reason_label": label}))
        self._notify_reporter(p, t, f"{label}. {note}".strip())

    def _mark_duplicate(self, p: Plan, t: int, original: Plan, verifier: int | None) -> None:
        """``verification.mark_duplicate``: this one closes, the original gets a staff event."""
        p.status = REJECTED
        p.rejection_reason = "duplicate"
        p.duplicate_of = original.rid
        p.closed_at = t
        p.version += 1
        p.updated_at = t
        self._stop(p, VER, t)
        self._stop(p, CR, t, MOVED)
        self._event(p, t, EventKind.DUPLICATE.value, actor=verifier,
                    data=canonical_data({"original": original.tracking_number}))
        self._event(original, t, EventKind.DUPLICATE.value, actor=verifier, visibility=STAFF,
                    note=self.messages.duplicate_of_this % {"number": p.tracking_number},
                    data=canonical_data({"duplicate": p.tracking_number}))
        self._notify_reporter(p, t, self.messages.same_as % {"number": original.tracking_number})

    def _choose_body(self, p: Plan, suggestion: tuple[int, int, bool] | None) -> int:
        rng = self.rng
        world = self.world
        category = p.category
        targets, weights = category.targets, category.target_weights
        if suggestion is None:
            pairs = [(t, w) for t, w in zip(targets, weights, strict=True) if t != "rule"]
            targets, weights = tuple(t for t, _w in pairs), tuple(w for _t, w in pairs)
        target = "regency"
        if targets:
            x = rng.random() * sum(weights)
            for target, weight in zip(targets, weights, strict=True):  # noqa: B007
                if x < weight:
                    break
                x -= weight
        province = p.regency.province
        if target == "rule" and suggestion is not None:
            return suggestion[1]
        if target == "regency" and p.regency.body_id:
            return p.regency.body_id
        if target not in ("rule", "regency", "province") and target in world.body_by_key:
            return world.body_by_key[target]
        return province.body_id or p.regency.body_id or world.body_by_key["kemendagri"]

    def _redirect_target(self, p: Plan, holder: int) -> int | None:
        rng = self.rng
        world = self.world
        info = world.bodies[holder]
        regency_body, province_body = p.regency.body_id, p.regency.province.body_id
        central = [world.body_by_key[t] for t in p.category.targets
                   if t not in ("rule", "regency", "province") and t in world.body_by_key]
        if info.province_id is None:  # a central body: to the region
            choice = regency_body if rng.random() < 0.7 else province_body
        elif info.kind == "province":
            choice = regency_body if rng.random() < 0.8 or not central else rng.choice(central)
        elif central and rng.random() < 0.6:
            choice = rng.choice(central)
        else:
            choice = province_body
        if choice is None or choice == holder or choice not in world.bodies:
            return None
        return choice

    def _handle(self, p: Plan, t: int) -> None:
        """The holding body's part: maybe pass it on, then answer, work and resolve; then the
        citizen's part."""
        rng = self.rng
        world = self.world
        now = self.now
        hops = 0
        while hops < 3:
            holder = world.bodies[p.holder]
            x = rng.random()
            redirect = REDIRECT_FIRST if hops == 0 else REDIRECT_LATER
            parent = world.bodies.get(holder.parent_id) if holder.parent_id else None
            if x < redirect:
                target = self._redirect_target(p, holder.id)
                if target is None:
                    break
                t = self._office(t + self._delay(20 * HOUR * holder.speed, 0.9), holder.offset)
                if t >= now:
                    return
                if rng.random() < 0.3:
                    self._respond(p, t, rng.choice(FIRST_RESPONSES).format_map(p.slots))
                    t += self._delay(40 * MINUTE, 1.0)
                    if t >= now:
                        return
                self._advance(p, t)
                note = rng.choice(REDIRECT_REASONS).format(to_body=world.bodies[target].name)
                self._redirect(p, t, target, note=note, actor=self._operator(holder.id))
            elif x < redirect + ESCALATE_SHARE and parent and parent.kind in HOLDING_KINDS:
                t = self._office(t + self._delay(2 * DAY, 0.8), holder.offset)
                if t >= now:
                    return
                self._advance(p, t)
                self._escalate(p, t, parent.id, actor=self._operator(holder.id),
                               note=rng.choice(ESCALATION_NOTES))
            elif holder.units and x < redirect + ESCALATE_SHARE + DOWN_SHARE:
                t = self._office(t + self._delay(5 * HOUR, 1.0), holder.offset)
                if t >= now:
                    return
                self._advance(p, t)
                self._dispose_down(p, t, rng.choice(holder.units),
                                   actor=self._operator(holder.id))
            else:
                break
            hops += 1
        self._work(p, t)

    def _work(self, p: Plan, t: int) -> None:
        rng = self.rng
        now = self.now
        holder = self.world.bodies[p.holder]
        speed = holder.speed
        t_first = self._office(t + self._delay(3 * HOUR * speed, 1.3), holder.offset)
        if t_first >= now:
            return
        self._respond(p, t_first, rng.choice(FIRST_RESPONSES).format_map(p.slots))
        stuck = rng.random() < min(0.5, STUCK_BASE * speed * speed)
        t_resolve = NEVER if stuck else self._office(
            t_first + self._delay(9 * DAY * speed, 1.0), holder.offset
        )
        acts: list[tuple[int, int]] = []
        if rng.random() < 0.15:
            asked = t_first + self._delay(2 * DAY, 1.0)
            acts.append((asked, 1))
            if p.reporter is not None and rng.random() < 0.75:
                acts.append((asked + self._delay(DAY, 1.0), 2))
        if rng.random() < (0.8 if stuck else 0.35):
            acts.append((t_first + self._delay(5 * DAY, 1.2), 3))
        if rng.random() < 0.2:
            acts.append((t_first + self._delay(DAY, 1.0), 4))
        if p.reporter is not None and rng.random() < 0.05:
            acts.append((t_first + self._delay(3 * DAY, 1.0), 5))
        acts.sort()
        for at, act in acts:
            if at >= min(t_resolve, now):
                break
            if act == 1:
                self._request_information(p, at)
            elif act == 2:
                self._citizen_says(p, at, EventKind.CITIZEN_REPLY.value, CITIZEN_REPLIES)
            elif act == 3:
                self._respond(p, at, rng.choice(p.category.texts.progress).format_map(p.slots))
            elif act == 4:
                self._internal_note(p, at)
            else:
                self._citizen_says(p, at, EventKind.INFO_ADDED.value, INFO_ADDED)
        if t_resolve >= now:
            return
        self._resolve(p, t_resolve)
        self._after_answer(p, t_resolve, may_dispute=True)

    def _after_answer(self, p: Plan, t: int, *, may_dispute: bool) -> None:
        """The citizen accepts, disputes or stays silent (the sweep then closes it)."""
        rng = self.rng
        now = self.now
        x = rng.random() if p.reporter is not None else 1.0
        if may_dispute and x < 0.07:
            at = t + self._delay(2 * DAY, 0.8)
            if at < now and self._dispute(p, at):
                holder = self.world.bodies[p.holder]
                again = self._office(at + self._delay(7 * DAY * holder.speed, 0.9),
                                     holder.offset)
                if again < now and rng.random() < 0.85:
                    self._resolve(p, again)
                    self._after_answer(p, again, may_dispute=False)
            return
        if x < 0.55:
            at = t + self._delay(20 * HOUR, 1.2)
            if at < now and self._accept(p, at):
                if rng.random() < 0.45:
                    self._rate(p, at + self._delay(2 * HOUR, 1.5), accepted=True)
                return
        silence = p.running.get(CS)
        if silence is not None and p.reporter is not None and rng.random() < 0.08:
            self._rate(p, silence[K_BREACH_AT] + self._delay(DAY, 1.0), accepted=False)

    def _support(self, p: Plan) -> None:
        """*Dukung* by other citizens while the report is public (from its disposition on)."""
        if p.first_dispositioned_at is None or p.is_confidential:
            return
        rng = self.rng
        wanted = min(int(rng.paretovariate(1.7)) - 1, 400)
        if not wanted:
            return
        seen = {p.reporter}
        for _i in range(wanted):
            at = p.first_dispositioned_at + int(rng.expovariate(1 / (6 * DAY))) + SECOND
            if at >= self.now:
                continue
            user = self.citizens.supporter(rng, at)
            if user is None or user in seen:
                continue
            seen.add(user)
            p.supports.append((user, at))
        p.support_count = len(p.supports)
