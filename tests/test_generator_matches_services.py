"""The data generator (``benchmarks/generation``) writes what the services write. Short lives of
reports are played twice at the same frozen moments: through the real services, and through the
generator's own acts on its Plans, whose rows are then loaded into the test database with the
generator's own COPY lines. Both histories (events and their hash chains), clocks,
dispositions, notifications and final report fields must match field by field. A difference is
the generator drifting from the services, which are the truth: fix the generator.

The generator draws some of its words (a question, a citizen's reply, an answer, a dispute, a
rating); each act plays the generator first and gives the services the words it drew. Both runs
use the same people, so user and body ids match; the reports and their tracking numbers differ
and are compared by name.
"""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.db.models import Max

from agencies.models import Body, Region, Role, User
from benchmarks.generation import tables
from benchmarks.generation.lifecycle import K_DUE, K_KIND, K_STATE, Plan, Simulator, Slots
from benchmarks.generation.rows import to_micros
from benchmarks.generation.texts import CITIZEN_REPLIES, INFO_ADDED
from benchmarks.generation.world import World
from complaints.history import broken_histories
from complaints.models import Category, Channel, EventKind, Notification, Report, ReportEvent
from complaints.services import citizen, intake
from routing import sweep
from routing.models import Clock, ClockKind, Disposition, RoutingRule
from routing.services import handling, verification
from tests.conftest import body, make_user
from tests.factories import UserFactory

JAKARTA = ZoneInfo("Asia/Jakarta")
START = datetime(2025, 3, 10, 9, 0, tzinfo=JAKARTA)  # a Monday
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


@pytest.fixture
def people(db, verifier_jateng, operator_a, supervisor_a, ombudsman_jateng, system_admin):
    """Everyone the lives reach: the reporter, the province's verifier, the staff of Pemkot
    Semarang, of a unit below it and of Pemprov Jawa Tengah (above it, where the verifier
    works too), the Ombudsman office of Jawa Tengah and a system administrator."""
    city = body("regency-33.74")
    Body.objects.add_child(city, create_kwargs={
        "name": "Dinas Pekerjaan Umum Kota Semarang", "kind": Body.Kind.UNIT,
        "region": city.region, "province": city.province, "time_zone": city.time_zone,
        "source_key": "unit-dpu-semarang",
    })
    return {
        "reporter": UserFactory(full_name="Sri Pelapor"),
        "verifier": verifier_jateng,
        "operator of the city": operator_a,
        "supervisor of the city": make_user("pimpinan.kota@example.id", "Pimpinan Kota",
                                            Role.SUPERVISOR, "regency-33.74"),
        "operator of the unit": make_user("operator.dinas@example.id", "Operator Dinas",
                                          Role.OPERATOR, "unit-dpu-semarang"),
        "operator of the province": make_user("operator.jateng@example.id", "Operator Jateng",
                                              Role.OPERATOR, "province-33"),
        "supervisor of the province": supervisor_a,
        "ombudsman officer": ombudsman_jateng,
        "system admin": system_admin,
    }


@pytest.fixture
def stage(people):
    with time_machine.travel(START, tick=False) as traveller:
        yield Stage(people, traveller)


class Stage:
    """The people, the frozen clock and one generator for every life of a test."""

    def __init__(self, people: dict[str, User], traveller: time_machine.Coordinates) -> None:
        self.people = people
        self.traveller = traveller
        self.world = World(rng=random.Random("drift"))
        # No citizens to draw (the reporter is given) and no routing suggestions to look up;
        # the sweep last ran before the first act, so it runs only when a test says so.
        self.simulator = Simulator(
            self.world, None, random.Random("drift:life"),
            now=to_micros(START + timedelta(days=365)), sweep_time=to_micros(START) - 1,
            suggestions={}, taken_numbers=set(),
        )
        self.lives: list[Life] = []
        # Past both the rows there are and the ids the sequence already gave out (tests before
        # this one rolled their reports back, not the sequence): the services' own reports,
        # made during the test, take the next ids of the sequence.
        with connection.cursor() as cursor:
            cursor.execute("SELECT last_value FROM pg_sequences WHERE sequencename = "
                           "(SELECT split_part(pg_get_serial_sequence('complaints_report', 'id'),"
                           " '.', 2))")
            row = cursor.fetchone()
        given = row[0] if row and row[0] is not None else 0
        self.first_id = max(Report.objects.aggregate(top=Max("id"))["top"] or 0, given) + 1000

    def at(self, moment: datetime) -> int:
        self.traveller.move_to(moment)
        return to_micros(moment)

    def life(self, name: str, *, category: str = "infrastruktur", district: int = 0) -> Life:
        regency_id = Region.objects.get(code="33.74").pk
        regency = next(r for r in self.world.regencies if r.id == regency_id)
        info = next(c for c in self.world.categories if c.slug == category)
        life = Life(self, name, Plan(self.first_id + len(self.lives), info, regency), district)
        self.lives.append(life)
        return life

    def sweep(self, moment: datetime) -> None:
        """The deadline sweep runs at ``moment``."""
        t = self.at(moment)
        for life in self.lives:
            self.simulator.sweep(life.plan, t)
        sweep.enforce_deadlines(moment)

    def assert_same_history(self) -> None:
        """Load the generated rows, then compare every life's two versions part by part."""
        plans = [life.plan for life in self.lives]
        for plan in plans:
            self.simulator.sync_due(plan)
        with connection.cursor() as cursor:
            for table, lines_of in tables.TABLES.values():  # reports first: rows point at them
                lines = lines_of(plans)
                if lines:
                    cursor.copy_expert(
                        f"COPY {table.name} ({', '.join(table.columns)}) FROM STDIN",
                        io.StringIO("".join(lines)),
                    )
        served = {life.report.pk: life.name for life in self.lives}
        generated = {life.plan.rid: life.name for life in self.lives}
        assert list(broken_histories(Report.objects.filter(pk__in=[*served, *generated]))) == []
        names = {user.pk: role for role, user in self.people.items()}
        for life in self.lives:
            expected = left_by(Report.objects.get(pk=life.report.pk), names, served)
            actual = left_by(Report.objects.get(pk=life.plan.rid), names, generated)
            for part in expected:
                assert actual[part] == expected[part], f"{life.name}: {part}"


class Life:
    """One report: each act through the generator, then through the services, at one moment."""

    def __init__(self, stage: Stage, name: str, plan: Plan, district: int) -> None:
        self.stage = stage
        self.name = name
        self.plan = plan
        self.district = Region.objects.get(pk=plan.regency.district_ids[district])
        self.report: Report | None = None
        self.simulator = stage.simulator
        self.people = stage.people

    def last_note(self) -> str:
        return self.plan.events[-1][6]

    def _draft(self, t: int) -> dict[str, object]:
        p = self.plan
        p.title = f"Jalan Pemuda berlubang di depan pasar ({self.name})"
        p.description = ("Lubang besar di Jalan Pemuda dekat pasar sudah dua minggu "
                         "membahayakan pengendara motor, terutama malam hari.")
        p.district_id, p.district_name = self.district.pk, self.district.name
        p.slots = Slots(self.simulator.rng, p, t)
        return {
            "kind": p.kind, "title": p.title, "description": p.description,
            "category": Category.objects.get(pk=p.category.id),
            "province": Region.objects.get(pk=p.regency.province.id),
            "regency": Region.objects.get(pk=p.regency.id), "district": self.district,
        }

    def _rule(self, rule: RoutingRule | None) -> None:
        if rule is not None:  # the trusted rule sends it on at once
            self.simulator._dispose_by_rule(self.plan, self.plan.submitted_at, rule.pk,
                                            rule.body_id)

    # --- the citizen, and assisted intake ------------------------------------------------------

    def submit(self, moment: datetime, *, rule: RoutingRule | None = None) -> None:
        t = self.stage.at(moment)
        values = self._draft(t)
        self.plan.reporter = self.people["reporter"].pk
        self.simulator._submit(self.plan, t)
        self._rule(rule)
        filing = intake.file_report(filer=self.people["reporter"], values=values)
        assert filing.submitted, filing.error
        self.report = filing.report

    def submit_assisted(self, moment: datetime, actor: str, *, phone: str) -> None:
        """Staff file for the reporter, who phoned (the account of the address follows it)."""
        t = self.stage.at(moment)
        values = self._draft(t)
        p, reporter = self.plan, self.people["reporter"]
        p.channel, p.entered_by = Channel.PHONE.value, self.people[actor].pk
        p.reporter = reporter.pk
        p.contact_name, p.contact_email, p.contact_phone = (reporter.full_name, reporter.email,
                                                            phone)
        self.simulator._submit(p, t)
        filing = intake.file_assisted_report(
            actor=self.people[actor], values=values, channel=Channel.PHONE,
            contact=intake.Contact(name=reporter.full_name, email=reporter.email, phone=phone),
        )
        assert filing.submitted, filing.error
        self.report = filing.report

    def add_information(self, moment: datetime) -> None:
        t = self.stage.at(moment)
        self.simulator._citizen_says(self.plan, t, EventKind.INFO_ADDED.value, INFO_ADDED)
        citizen.add_information(report=self.report, actor=self.people["reporter"],
                                note=self.last_note())

    def reply(self, moment: datetime) -> None:
        t = self.stage.at(moment)
        self.simulator._citizen_says(self.plan, t, EventKind.CITIZEN_REPLY.value,
                                     CITIZEN_REPLIES)
        citizen.reply_to_body(report=self.report, actor=self.people["reporter"],
                              note=self.last_note())

    def dispute(self, moment: datetime) -> None:
        t = self.stage.at(moment)
        assert self.simulator._dispute(self.plan, t)
        citizen.dispute_resolution(report=self.report, actor=self.people["reporter"],
                                   reason=self.last_note())

    def accept(self, moment: datetime) -> None:
        t = self.stage.at(moment)
        assert self.simulator._accept(self.plan, t)
        citizen.accept_resolution(report=self.report, actor=self.people["reporter"])

    def rate(self, moment: datetime, *, accepted: bool) -> None:
        t = self.stage.at(moment)
        self.simulator._rate(self.plan, t, accepted=accepted)
        assert self.plan.rating is not None
        citizen.rate_report(report=self.report, actor=self.people["reporter"],
                            rating=self.plan.rating, comment=self.plan.rating_comment)

    # --- verification ----------------------------------------------------------------------

    def request_completion(self, moment: datetime, note: str) -> None:
        t = self.stage.at(moment)
        verifier = self.people["verifier"]
        self.simulator._request_completion(self.plan, t, note=note, verifier=verifier.pk)
        verification.request_completion(report=self.report, actor=verifier, note=note)

    def disposition(self, moment: datetime, to: Body, note: str = "") -> None:
        t = self.stage.at(moment)
        verifier = self.people["verifier"]
        self.simulator._disposition(self.plan, t, to.pk, verifier=verifier.pk, note=note,
                                    suggestion=None)
        verification.disposition_report(report=self.report, to_body=to, actor=verifier,
                                        note=note)

    def reject(self, moment: datetime, reason: str, note: str) -> None:
        t = self.stage.at(moment)
        verifier = self.people["verifier"]
        self.simulator._reject(self.plan, t, verifier.pk, reason, note)
        verification.reject_report(report=self.report, actor=verifier, reason=reason,
                                   note=note)

    def mark_duplicate(self, moment: datetime, original: Life) -> None:
        t = self.stage.at(moment)
        verifier = self.people["verifier"]
        self.simulator._mark_duplicate(self.plan, t, original.plan, verifier.pk)
        verification.mark_duplicate(report=self.report, original=original.report,
                                    actor=verifier)

    # --- the holding body --------------------------------------------------------------------

    def respond(self, moment: datetime, actor: str, note: str) -> None:
        t = self.stage.at(moment)
        self.simulator._respond(self.plan, t, note)
        handling.respond(report=self.report, actor=self.people[actor], note=note)

    def request_information(self, moment: datetime, actor: str) -> None:
        t = self.stage.at(moment)
        self.simulator._request_information(self.plan, t)
        handling.request_information(report=self.report, actor=self.people[actor],
                                     note=self.last_note())

    def internal_note(self, moment: datetime, actor: str) -> None:
        t = self.stage.at(moment)
        self.simulator._internal_note(self.plan, t)
        handling.add_internal_note(report=self.report, actor=self.people[actor],
                                   note=self.last_note())

    def dispose_down(self, moment: datetime, actor: str, to: Body) -> None:
        t = self.stage.at(moment)
        self.simulator._dispose_down(self.plan, t, to.pk, actor=self.people[actor].pk)
        handling.dispose_down(report=self.report, actor=self.people[actor], to_body=to)

    def redirect(self, moment: datetime, actor: str, to: Body, reason: str) -> None:
        t = self.stage.at(moment)
        self.simulator._redirect(self.plan, t, to.pk, note=reason, actor=self.people[actor].pk)
        handling.redirect(report=self.report, actor=self.people[actor], to_body=to,
                          reason=reason, confirm_return=True)

    def escalate(self, moment: datetime, actor: str, note: str) -> None:
        t = self.stage.at(moment)
        parent = self.stage.world.bodies[self.plan.holder].parent_id
        self.simulator._escalate(self.plan, t, parent, actor=self.people[actor].pk, note=note)
        handling.escalate(report=self.report, actor=self.people[actor], note=note)

    def resolve(self, moment: datetime, actor: str) -> None:
        t = self.stage.at(moment)
        self.simulator._resolve(self.plan, t)
        handling.resolve(report=self.report, actor=self.people[actor], answer=self.last_note())

    def due(self, kind: str) -> datetime:
        """When the report's running clock of ``kind`` falls due (the same in both runs)."""
        clock = next(c for c in self.plan.clocks if c[K_KIND] == kind and c[K_STATE] == "running")
        due = Clock.objects.get(report=self.report, kind=kind, state=Clock.State.RUNNING).due_at
        assert to_micros(due) == clock[K_DUE]
        return due


# --- what a report's life left, comparable across the two runs --------------------------------

REPORT_FIELDS = (
    "status", "version", "kind", "title", "description", "channel", "is_anonymous",
    "is_confidential", "contact_name", "contact_email", "contact_phone", "category_id",
    "province_id", "regency_id", "district_id", "reporter_id", "entered_by_id", "submitted_at",
    "updated_at", "due_at", "due_clock_kind", "holder_body_id", "held_since",
    "holder_responded_at", "first_dispositioned_at", "verified_at", "resolved_at", "closed_at",
    "escalated_at", "ombudsman_office_id", "rejection_reason", "duplicate_of_id", "rating",
    "rating_comment", "rated_at", "support_count",
)


def left_by(report: Report, people: dict[int, str], reports: dict[int, str]
            ) -> dict[str, object]:
    """Everything ``report``'s life wrote, with people and reports by name and tracking numbers
    replaced by the name of their report, so two runs compare field by field."""
    numbers = {number: f"<{reports[pk]}>" for pk, number in
               Report.objects.filter(pk__in=reports).values_list("pk", "tracking_number")}

    def text(value: object) -> object:
        if isinstance(value, str):
            for number, name in numbers.items():
                value = value.replace(number, name)
        return value

    def who(pk: int | None) -> str | None:
        return None if pk is None else people.get(pk, f"#{pk}")

    fields = {name: text(getattr(report, name)) for name in REPORT_FIELDS}
    fields["reporter_id"], fields["entered_by_id"] = (who(report.reporter_id),
                                                      who(report.entered_by_id))
    fields["duplicate_of_id"] = reports.get(report.duplicate_of_id)
    return {
        "report": fields,
        "events": [
            (e.seq, e.kind, e.visibility, text(e.note), {k: text(v) for k, v in e.data.items()},
             who(e.actor_id), e.actor_body_id, e.from_body_id, e.to_body_id, e.created_at)
            for e in ReportEvent.objects.filter(report=report).order_by("seq")
        ],
        "clocks": [
            (c.kind, c.body_id, c.policy_id, c.state, c.started_at, c.due_at, c.stopped_at,
             c.breached_at, c.outcome, c.sweep_after, c.failures)
            for c in Clock.objects.filter(report=report).order_by("started_at", "id")
        ],
        "dispositions": [
            (d.kind, d.from_body_id, d.to_body_id, who(d.actor_id), d.rule_id,
             d.suggested_body_id, d.was_overridden, d.note, d.created_at)
            for d in Disposition.objects.filter(report=report).order_by("created_at", "id")
        ],
        "notifications": sorted(
            (n.created_at, who(n.user_id), text(n.title), text(n.message), text(n.url))
            for n in Notification.objects.filter(report=report)
        ),
    }


# --- the lives ----------------------------------------------------------------------------------


def test_a_life_through_three_bodies_and_the_ombudsman(stage):
    """Filed on the web; the city misses its first response; a question and a reply; down to a
    unit, which redirects to the province; resolved, disputed, the 60-day follow-up missed
    (the Ombudsman), resolved again, accepted and rated."""
    city, province, unit = body("regency-33.74"), body("province-33"), body("unit-dpu-semarang")
    life = stage.life("report")
    life.submit(START)
    life.disposition(START + 2 * HOUR, city, "Mohon dicek ke lokasi minggu ini.")
    # The sweep breaches the city's 24 hours; its answer comes late and ends the clock.
    stage.sweep(START + 26 * HOUR + timedelta(minutes=5))
    life.respond(START + 28 * HOUR, "operator of the city",
                 "Terima kasih, laporan sedang kami periksa ke lokasi.")
    life.request_information(START + 2 * DAY, "operator of the city")
    life.reply(START + 2 * DAY + 5 * HOUR)
    life.internal_note(START + 3 * DAY, "operator of the city")
    life.dispose_down(START + 3 * DAY + HOUR, "operator of the city", unit)
    # The unit passes it on within its 24 hours (its clock ends as "moved").
    life.redirect(START + 4 * DAY, "operator of the unit", province,
                  "Jalan Pemuda adalah jalan provinsi; kewenangan Pemprov Jawa Tengah.")
    life.respond(START + 4 * DAY + 4 * HOUR, "operator of the province",
                 "Laporan kami terima dan akan ditangani Dinas Bina Marga provinsi.")
    life.resolve(START + 14 * DAY, "operator of the province")
    life.dispute(START + 16 * DAY)
    # The follow-up resumes towards its first due time, and misses it.
    due = life.due(ClockKind.FOLLOW_UP)
    stage.sweep(due + timedelta(minutes=1))
    life.resolve(due + 2 * DAY, "operator of the province")
    life.accept(due + 3 * DAY)
    life.rate(due + 3 * DAY + 2 * HOUR, accepted=True)

    assert Report.objects.get(pk=life.report.pk).escalated_at is not None
    stage.assert_same_history()


def test_a_life_through_verification_and_the_citizens_silence(stage):
    """Phoned in and typed by the city's operator; verification misses its 3 working days;
    completed on request; sent to the city, which escalates it to the province, which sends
    it back (a return, confirmed); resolved, closed by the citizen's silence, then rated."""
    city = body("regency-33.74")
    life = stage.life("report")
    life.submit_assisted(START, "operator of the city", phone="0812-2233-4455")
    stage.sweep(life.due(ClockKind.VERIFICATION) + timedelta(minutes=1))
    life.request_completion(START + 4 * DAY, "Mohon sebutkan nomor rumah terdekat.")
    life.add_information(START + 4 * DAY + 3 * HOUR)
    life.disposition(START + 7 * DAY, city)
    life.escalate(START + 7 * DAY + 4 * HOUR, "operator of the city",
                  "Perlu anggaran provinsi; mohon ditangani Pemprov.")
    life.redirect(START + 7 * DAY + 6 * HOUR, "operator of the province", city,
                  "Perbaikan jalan kota tetap kewenangan Pemkot; anggaran sudah tersedia.")
    life.respond(START + 8 * DAY, "operator of the city",
                 "Laporan kami terima; tim akan meninjau lokasi.")
    life.resolve(START + 10 * DAY, "operator of the city")
    stage.sweep(life.due(ClockKind.CITIZEN_SILENCE) + timedelta(minutes=1))
    life.rate(START + 21 * DAY, accepted=False)

    served = Report.objects.get(pk=life.report.pk)
    assert served.entered_by is not None and served.reporter is not None
    assert served.status == "closed" and served.rating is not None
    stage.assert_same_history()


def test_lives_ended_by_a_trusted_rule_a_duplicate_and_a_rejection(stage):
    """One report sent on by a trusted rule at submission, one marked its duplicate (the
    original gets a staff event), one rejected with a reason."""
    original = stage.life("original")
    duplicate = stage.life("duplicate", district=1)
    rejected = stage.life("rejected", category="lainnya", district=1)
    # Trusted for the original's district only.
    rule = RoutingRule.objects.create(category=Category.objects.get(slug="infrastruktur"),
                                      region=original.district, body=body("regency-33.74"),
                                      is_trusted=True)
    original.submit(START, rule=rule)
    duplicate.submit(START + HOUR)
    rejected.submit(START + 2 * HOUR)
    duplicate.mark_duplicate(START + 3 * HOUR, original)
    rejected.reject(START + 4 * HOUR, "other", "Laporan ini bukan kewenangan pemerintah daerah.")

    assert Report.objects.get(pk=original.report.pk).holder_body_id == rule.body_id
    stage.assert_same_history()
