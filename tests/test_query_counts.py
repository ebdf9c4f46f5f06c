"""Every list on the web and in the API costs the same number of queries whatever the number of
rows it shows: each listing is requested with 2 rows and with 7, the rows spread over different
bodies, categories, regions, users, attachments and events (so that a missing select_related or
prefetch shows up), and the two counts must be equal. A failure prints the queries that grew.
Two more tests keep the list complete: every named route and every admin changelist is either
a listing here or named as not being a list."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from agencies.models import Body, Membership, Region, Role, User
from complaints import alerts
from complaints.models import (
    AlertSubscription,
    Attachment,
    Category,
    CategoryQuestion,
    EventKind,
    Notification,
    Open311Client,
    OutgoingEmail,
    Report,
    ReportCopy,
    ReportStatus,
    Support,
    Visibility,
)
from routing.actions import ACTIONS
from routing.calendar import forget_overrides
from routing.clocks import current_policy
from routing.models import (
    CalendarDay,
    Case,
    CaseReport,
    ClockKind,
    DeadlinePolicy,
    Disposition,
    ExportJob,
    ExternalChannel,
    ResponseTemplate,
    RoutingModel,
    RoutingRule,
    StatHistogram,
    StatRollup,
)
from routing.services import statistics as statistics_rollups
from tests.conftest import PASSWORD, body, verified_api_token
from tests.factories import ReportFactory, UserFactory, add_event, public_report

pytestmark = pytest.mark.django_db

FEW, MANY = 2, 7
Marker = str | tuple[str, ...]  # text a shown row puts on the page; a tuple: any of them


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(email="root@example.id", password=PASSWORD,
                                         full_name="Superuser")


@pytest.fixture(autouse=True)
def _no_rate_limits():
    cache.clear()  # the lookup page counts requests per address in Redis
    yield
    cache.clear()


class Ctx:
    """What a listing builds on: pytest fixtures by name (``ctx.body_a``) and the objects its
    ``setup`` keeps (``ctx.report``)."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._request.getfixturevalue(name)


@dataclass(frozen=True)
class Listing:
    name: str
    user: str | None  # fixture name of the viewer; None: anonymous
    url: Callable[[Ctx], str]
    add: Callable[[Ctx, int], Marker]  # add row i; returns what shows it on the page
    setup: Callable[[Ctx], None] | None = None
    api: bool = False


LISTINGS: list[Listing] = []


def listing(name: str, user: str | None, url: str | Callable[[Ctx], str], *,
            setup: Callable[[Ctx], None] | None = None, api: bool | None = None):
    def register(add: Callable[[Ctx, int], Marker]) -> Callable[[Ctx, int], Marker]:
        to = url if callable(url) else (lambda ctx, url=url: url)
        is_api = api if api is not None else (isinstance(url, str) and url.startswith("/api/"))
        LISTINGS.append(Listing(name, user, to, add, setup, is_api))
        return add

    return register


# --- the rows: each i brings other related objects ---------------------------------------


def mark(i: int) -> str:
    return f"qcrow{i}x"


def nth(queryset, i: int):
    rows = list(queryset)
    return rows[i % len(rows)]


def category(i: int) -> Category:
    return nth(Category.objects.order_by("pk"), i)


def regency(i: int, province: str = "33") -> Region:
    return nth(Region.objects.filter(level="regency", parent__code=province).order_by("code"), i)


def district(i: int) -> Region:
    return nth(Region.objects.filter(level="district", parent=regency(i)).order_by("code"), i)


def jateng_body(i: int) -> Body:
    """The i-th regency or city government of Jawa Tengah (below supervisor_a)."""
    jateng = body("province-33")
    return nth(
        Body.objects.filter(path__startswith=jateng.path, depth=jateng.depth + 1).order_by("path"),
        i,
    )


def unit(i: int, parent: Body | None = None, **kwargs: Any) -> Body:
    """A new unit named with the row's marker, under ``parent`` (default: a Jateng body)."""
    parent = Body.objects.get(pk=(parent or jateng_body(i)).pk)
    kwargs.setdefault("region", parent.region)
    return Body.objects.add_child(
        parent, create_kwargs={"name": f"Unit {mark(i)}", "kind": "unit", **kwargs}
    )


def staff(i: int, body_: Body | None = None, role: str = Role.OPERATOR):
    user = UserFactory(full_name=f"Petugas {mark(i)}")
    Membership.objects.create(user=user, body=body_ or jateng_body(i), role=role)
    return user


def held(i: int, holder: Body | None = None, **kwargs: Any) -> Report:
    """A verified report held by ``holder`` (default: a Jateng body), in another category and
    regency, by another reporter, for each i."""
    now = timezone.now()
    kwargs.setdefault("title", f"{mark(i)} jalan rusak")
    kwargs.setdefault("category", category(i))
    kwargs.setdefault("regency", regency(i))
    kwargs.setdefault("held_since", now - timedelta(hours=i + 1))
    kwargs.setdefault("due_at", None if i % 3 == 0 else now + timedelta(hours=i - 3))
    kwargs.setdefault("holder_responded_at", now if i % 2 else None)
    kwargs["holder_body"] = holder or jateng_body(i)
    return public_report(**kwargs)


def attach(report: Report, i: int, **kwargs: Any) -> Attachment:
    """A photo with a thumbnail for even i, a PDF for odd i."""
    image = i % 2 == 0
    return Attachment.objects.create(
        report=report,
        file=f"attachments/2026/01/{i}.{'jpg' if image else 'pdf'}",
        thumbnail=f"thumbnails/2026/01/{i}.webp" if image else "",
        original_name=f"{mark(i)}.{'jpg' if image else 'pdf'}",
        content_type="image/jpeg" if image else "application/pdf",
        size=1000 + i,
        faces_found=0 if image else None,  # a photo looked at for faces: public
        uploaded_by=kwargs.pop("uploaded_by", None) or UserFactory(),
        **kwargs,
    )


def event(report: Report, i: int, *, public: bool = False, **kwargs: Any):
    visibility = Visibility.PUBLIC if public or i % 2 == 0 else Visibility.STAFF
    kind = EventKind.RESPONSE if visibility == Visibility.PUBLIC else EventKind.INTERNAL_NOTE
    if i % 3 == 2:
        kind = EventKind.REDIRECTED
        kwargs.setdefault("from_body", jateng_body(i + 1))
        kwargs.setdefault("to_body", jateng_body(i + 2))
    return add_event(
        report, kind, visibility=visibility, note=f"Catatan {mark(i)}",
        actor=staff(i), actor_body=jateng_body(i), **kwargs,
    )


def clock(report: Report, i: int) -> None:
    kind = [ClockKind.FIRST_RESPONSE, ClockKind.FOLLOW_UP, ClockKind.VERIFICATION][i % 3]
    now = timezone.now()
    report.clocks.create(
        kind=kind, body=unit(i), policy=current_policy(kind), state="stopped",
        started_at=now - timedelta(days=i + 1), due_at=now + timedelta(days=i),
        stopped_at=now, sweep_after=now + timedelta(days=i),
    )


# Rows of the one report a listing shows (``ctx.report``, made by its setup).


def public_event_row(ctx: Ctx, i: int) -> Marker:
    event(ctx.report, i, public=True)
    return mark(i)


def event_row(ctx: Ctx, i: int) -> Marker:
    event(ctx.report, i)
    return mark(i)


def attachment_row(ctx: Ctx, i: int) -> Marker:
    attach(ctx.report, i)
    return mark(i)


def clock_row(ctx: Ctx, i: int) -> Marker:
    clock(ctx.report, i)
    return mark(i)


# --- public pages and API ---------------------------------------------------------------

FEED_STATUSES = [ReportStatus.IN_PROGRESS, ReportStatus.DISPOSITIONED, ReportStatus.RESOLVED,
                 ReportStatus.CLOSED]


def feed_row(ctx: Ctx, i: int) -> Marker:
    report = held(i, status=FEED_STATUSES[i % 4], support_count=i)
    if i % 2 == 0:
        attach(report, i)
        Support.objects.create(report=report, user=ctx.citizen)
    return mark(i)


for _url in ("/publik/", "/publik/?q=jalan", "/publik/?province=33&sort=most_supported",
             "/api/v1/public/reports/", "/api/v1/public/reports/?q=jalan"):
    listing(f"feed {_url}", "citizen", _url)(feed_row)
listing("feed /publik/ anonymous", None, "/publik/")(feed_row)
for _url in ("/api/v1/open-data/reports/", "/api/v1/open-data/reports/?province=33"):
    listing(f"open data {_url}", None, _url)(feed_row)


# --- the Atom feeds and the email alerts (complaints.feeds, complaints.alerts) ---------------


def atom_report_row(ctx: Ctx, i: int) -> Marker:
    held(i, status=FEED_STATUSES[i % 4], province=regency(i).parent, district=district(i))
    return mark(i)


def atom_answer_row(ctx: Ctx, i: int) -> Marker:
    report = held(i, status=FEED_STATUSES[i % 4], province=regency(i).parent)
    add_event(report, EventKind.RESPONSE, note=f"Jawaban {mark(i)}", actor_body=jateng_body(i))
    return mark(i)


for _url in ("/umpan/laporan/", "/umpan/laporan/wilayah/33/", "/umpan/laporan/instansi/{jateng}/"):
    listing(f"atom {_url}", None, lambda ctx, url=_url: url.format(
        jateng=body("province-33").pk))(atom_report_row)
for _url in ("/umpan/jawaban/", "/umpan/jawaban/wilayah/33/"):
    listing(f"atom {_url}", None, _url)(atom_answer_row)

ALERT_ADDRESS = "pelanggan@example.id"


def alert_row(ctx: Ctx, i: int) -> Marker:
    AlertSubscription.objects.create(email=ALERT_ADDRESS, region=district(i),
                                     category=category(i) if i % 2 else None,
                                     confirmed_at=timezone.now() if i % 3 else None)
    return district(i).name


listing("alerts manage page", None,
        lambda ctx: f"/peringatan/kelola/{alerts.manage_token(ALERT_ADDRESS)}/")(alert_row)
listing("alerts address API", None,
        lambda ctx: f"/api/v1/alerts/address/?token={alerts.manage_token(ALERT_ADDRESS)}",
        api=True)(alert_row)


def a_public_report(ctx: Ctx) -> None:
    ctx.report = public_report(reporter=ctx.citizen, holder_body=ctx.body_a)


def report_url(template: str) -> Callable[[Ctx], str]:
    return lambda ctx: template.format(n=ctx.report.tracking_number, pk=ctx.report.pk)


for _template in ("/publik/{n}/", "/api/v1/public/reports/{n}/"):
    listing(f"public report events {_template}", None, report_url(_template),
            setup=a_public_report, api=_template.startswith("/api/"))(public_event_row)

    @listing(f"public report attachments {_template}", None, report_url(_template),
             setup=a_public_report, api=_template.startswith("/api/"))
    def _public_attachment(ctx: Ctx, i: int) -> Marker:
        attach(ctx.report, i, is_staff_only=True)  # never shown, never costs a query
        return f"/lampiran/{attach(ctx.report, i).pk}/"


listing("lookup /lacak/ timeline", None, report_url("/lacak/?nomor={n}"),
        setup=a_public_report)(public_event_row)


@listing("categories API", None, "/api/v1/categories/")
def category_row(ctx: Ctx, i: int) -> Marker:
    Category.objects.create(name=f"Kategori {mark(i)}", slug=f"kategori-{mark(i)}")
    return mark(i)


# --- Open311 GeoReport v2 -------------------------------------------------------------------


@listing("open311 requests", None, "/open311/v2/requests.json")
def open311_request(ctx: Ctx, i: int) -> Marker:
    public_report(description=f"Jalan rusak {mark(i)} membahayakan pengendara setiap malam.",
                  category=category(i), regency=regency(i), latitude="-6.9", longitude="110.4")
    return mark(i)


@listing("open311 services", None, "/open311/v2/services.xml")
def open311_service(ctx: Ctx, i: int) -> Marker:
    row = Category.objects.create(name=f"Layanan {mark(i)}", slug=f"layanan-{mark(i)}")
    CategoryQuestion.objects.create(category=row, code="ruas", label="Ruas")
    return mark(i)


@listing("open311 service definition", None, "/open311/v2/services/infrastruktur.json")
def open311_attribute(ctx: Ctx, i: int) -> Marker:
    CategoryQuestion.objects.create(
        category=Category.objects.get(slug="infrastruktur"), code=f"q{i}", label=mark(i),
        kind=["text", "choice"][i % 2], choices=f"a | A {i}\nb | B {i}")
    return mark(i)


def open311_client(ctx: Ctx, i: int) -> Marker:
    Open311Client.objects.create(name=f"Aplikasi {mark(i)}")
    return mark(i)


# --- the citizen's own reports and notifications ------------------------------------------


def citizen_report(ctx: Ctx, i: int) -> Marker:
    if i % 3 == 2:
        ReportFactory(reporter=ctx.citizen, status=ReportStatus.DRAFT, tracking_number=None,
                      title=f"{mark(i)} draf", province=regency(i).parent, regency=regency(i),
                      district=None, category=category(i), submitted_at=None)
        return mark(i)
    report = held(i, reporter=ctx.citizen, status=FEED_STATUSES[i % 4], district=district(i),
                  province=regency(i).parent)
    attach(report, i)
    return mark(i)


listing("my reports /laporan-saya/", "citizen", "/laporan-saya/")(citizen_report)
listing("my reports API", "citizen", "/api/v1/reports/")(citizen_report)


@listing("my data API", "citizen", "/api/v1/me/export/")
def _my_data(ctx: Ctx, i: int) -> Marker:
    citizen_report(ctx, i)
    other = held(i + 1)
    Support.objects.create(report=other, user=ctx.citizen)
    Notification.objects.create(user=ctx.citizen, report=other, title="s", message="b")
    report = Report.objects.filter(reporter=ctx.citizen).order_by("-pk").first()
    if report.status != ReportStatus.DRAFT:
        add_event(report, EventKind.RESPONSE, actor_body=jateng_body(i), note="Ditanggapi")
    return mark(i)


for _template in ("/laporan-saya/{n}/", "/api/v1/reports/{pk}/timeline/"):
    listing(f"my report events {_template}", "citizen", report_url(_template),
            setup=a_public_report, api=_template.startswith("/api/"))(public_event_row)
for _template in ("/laporan-saya/{n}/", "/api/v1/reports/{pk}/attachments/"):
    listing(f"my report attachments {_template}", "citizen", report_url(_template),
            setup=a_public_report, api=_template.startswith("/api/"))(attachment_row)
listing("my report clocks /laporan-saya/", "citizen", report_url("/laporan-saya/{n}/"),
        setup=a_public_report)(clock_row)


def a_draft(ctx: Ctx) -> None:
    ctx.citizen.is_email_confirmed = True
    ctx.citizen.save(update_fields=["is_email_confirmed"])
    ctx.report = ReportFactory(reporter=ctx.citizen, status=ReportStatus.DRAFT,
                               tracking_number=None, submitted_at=None)


listing("draft attachments /lapor/draf/", "citizen", report_url("/lapor/draf/{pk}/"),
        setup=a_draft)(attachment_row)


def notification(ctx: Ctx, i: int) -> Marker:
    report = held(i, reporter=ctx.citizen) if i % 3 else None
    Notification.objects.create(
        user=ctx.citizen, report=report, title=f"Kabar {mark(i)}", message="Laporan Anda.",
        url=f"/laporan-saya/{report.tracking_number}/" if report else "",
        read_at=timezone.now() if i % 2 else None,
    )
    return mark(i)


listing("notifications /notifikasi/", "citizen", "/notifikasi/")(notification)
listing("notifications API", "citizen", "/api/v1/notifications/")(notification)


# --- the staff queues ---------------------------------------------------------------------

QUEUE_TABS: list[tuple[str, dict[str, str]]] = [
    ("open", {}),
    *((s.value, {"status": s.value}) for s in (
        ReportStatus.DISPOSITIONED, ReportStatus.IN_PROGRESS, ReportStatus.RESOLVED,
        ReportStatus.CLOSED,
    )),
    ("by age", {"sort": "age"}),
    ("newest", {"sort": "newest"}),
    ("overdue", {"overdue": "1"}),
    ("search", {"q": "jalan"}),
    ("one body", {"body": "*"}),
    ("filtered by place", {"province": "33", "regency": "*"}),
]
OPEN = [ReportStatus.DISPOSITIONED, ReportStatus.IN_PROGRESS, ReportStatus.RESOLVED]


def _query(base: str, params: dict[str, str]) -> Callable[[Ctx], str]:
    """The URL with ``params``; "*" stands for a body or regency chosen when the test runs."""

    def url(ctx: Ctx) -> str:
        values = {
            k: (str(jateng_body(0).pk) if k == "body" else regency(0).code) if v == "*" else v
            for k, v in params.items()
        }
        return base + ("?" + "&".join(f"{k}={v}" for k, v in values.items()) if values else "")

    return url


def queue_row(params: dict[str, str], holder: Callable[[Ctx, int], Body]):
    def add(ctx: Ctx, i: int) -> Marker:
        kwargs: dict[str, Any] = {"status": params.get("status") or OPEN[i % 3]}
        if params.get("overdue"):
            kwargs["due_at"] = timezone.now() - timedelta(hours=i + 1)
        if params.get("regency"):
            kwargs["regency"] = regency(0)
        report = held(i, jateng_body(0) if params.get("body") else holder(ctx, i), **kwargs)
        attach(report, i)
        return mark(i)

    return add


for _tab, _params in QUEUE_TABS:
    for _base in ("/petugas/antrean/", "/api/v1/staff/queue/"):
        listing(f"queue {_tab} {_base}", "supervisor_a",
                _query(_base, _params), api=_base.startswith("/api/"))(
            queue_row(_params, lambda ctx, i: jateng_body(i) if i % 2 else unit(i))
        )
for _base in ("/petugas/antrean/", "/api/v1/staff/queue/"):
    listing(f"queue of an operator {_base}", "operator_a", _base)(
        queue_row({}, lambda ctx, i: ctx.body_a)
    )


def waiting(ctx: Ctx, i: int) -> Marker:
    report = ReportFactory(title=f"{mark(i)} jalan rusak", category=category(i),
                           regency=regency(i), submitted_at=timezone.now() - timedelta(hours=i))
    if i % 2:
        attach(report, i)
    if i % 3 == 0:  # a rule for the category in the regency suggests a unit
        RoutingRule.objects.create(category=report.category, region=report.regency,
                                   body=unit(i))
    return mark(i)


for _params in ({}, {"sort": "newest"}, {"q": "jalan"}):
    for _base in ("/petugas/verifikasi/", "/api/v1/staff/verification/"):
        listing(f"verification {_params} {_base}", "verifier_jateng",
                _query(_base, _params), api=_base.startswith("/api/"))(waiting)


def escalated(ctx: Ctx, i: int) -> Marker:
    held(i, ombudsman_office=body("ombudsman-33"),
         escalated_at=timezone.now() - timedelta(days=i))
    return mark(i)


listing("ombudsman /petugas/ombudsman/", "ombudsman_jateng", "/petugas/ombudsman/")(escalated)
listing("ombudsman API", "ombudsman_jateng", "/api/v1/staff/ombudsman/")(escalated)


# --- a report's staff page ----------------------------------------------------------------


def a_held_report(ctx: Ctx) -> None:
    ctx.report = held(0, ctx.body_a, status=ReportStatus.IN_PROGRESS, title="Laporan staf")


STAFF_PAGE = "/petugas/laporan/{n}/"

listing("staff report events", "supervisor_a", report_url(STAFF_PAGE),
        setup=a_held_report)(event_row)
listing("staff report history API", "supervisor_a",
        report_url("/api/v1/staff/reports/{n}/history/"), setup=a_held_report, api=True)(
    event_row
)
listing("staff report clocks", "supervisor_a", report_url(STAFF_PAGE),
        setup=a_held_report)(clock_row)


@listing("staff report attachments", "supervisor_a", report_url(STAFF_PAGE),
         setup=a_held_report)
def _staff_attachment(ctx: Ctx, i: int) -> Marker:
    attach(ctx.report, i, is_staff_only=bool(i % 2))  # staff see internal files too
    return mark(i)


@listing("staff report path (dispositions)", "supervisor_a", report_url(STAFF_PAGE),
         setup=a_held_report)
def _disposition(ctx: Ctx, i: int) -> Marker:
    Disposition.objects.create(
        report=ctx.report, kind=Disposition.Kind.REDIRECT, from_body=jateng_body(i),
        to_body=unit(i), actor=staff(i), suggested_body=jateng_body(i + 1),
    )
    return mark(i)


@listing("staff report response templates", "supervisor_a", report_url(STAFF_PAGE),
         setup=a_held_report)
def _template_on_report(ctx: Ctx, i: int) -> Marker:
    chain = [*Body.objects.get_ancestors(ctx.body_a), ctx.body_a]
    ResponseTemplate.objects.create(body=chain[i % len(chain)], title=f"Templat {mark(i)}",
                                    text="Laporan {nomor} ({judul}) ditangani {instansi}.")
    return mark(i)


def a_new_report(ctx: Ctx) -> None:
    ctx.report = ReportFactory()


listing("verifier's report page (events)", "verifier_jateng", report_url(STAFF_PAGE),
        setup=a_new_report)(event_row)


# --- exports and response templates -------------------------------------------------------


def export(ctx: Ctx, i: int) -> Marker:
    state = list(ExportJob.State)[i % 4]
    job = ExportJob.objects.create(
        requested_by=ctx.operator_a, format=list(ExportJob.Format)[i % 2], state=state,
        filters={"q": mark(i), "category": category(i).slug}, total_rows=10, done_rows=i,
    )
    return (f"Ekspor #{job.pk}</strong>", mark(i))


listing("exports /petugas/ekspor/", "operator_a", "/petugas/ekspor/")(export)
listing("exports API", "operator_a", "/api/v1/staff/exports/")(export)


def template(ctx: Ctx, i: int) -> Marker:
    ResponseTemplate.objects.create(body=jateng_body(i) if i % 2 else unit(i),
                                    title=f"Templat {mark(i)}", text="Terima kasih.")
    return mark(i)


listing("response templates /petugas/templat/", "supervisor_a", "/petugas/templat/")(template)
listing("response templates API", "supervisor_a", "/api/v1/response-templates/")(template)


def copy_row(ctx: Ctx, i: int) -> Marker:
    """A report another province's body holds, copied to a Jateng body (or a new unit)."""
    report = held(i, holder=body("regency-35.78"))
    ReportCopy.objects.create(report=report, body=jateng_body(i) if i % 2 else unit(i),
                              by=staff(i, body("regency-35.78")))
    return mark(i)


listing("tembusan /petugas/tembusan/", "supervisor_a", "/petugas/tembusan/")(copy_row)
listing("tembusan API", "supervisor_a", "/api/v1/staff/copies/")(copy_row)


def external_channel(ctx: Ctx, i: int) -> Marker:
    ExternalChannel.objects.create(name=f"Saluran {mark(i)}", contact="110",
                                   url="https://example.id/")
    return mark(i)


# --- the system admin's settings through the API -----------------------------------------


def rule(ctx: Ctx, i: int) -> Marker:
    made = RoutingRule.objects.create(
        category=category(i) if i % 2 else None, region=regency(i), body=unit(i),
        is_trusted=bool(i % 3 == 0), note=f"Aturan {mark(i)}", created_by=staff(i),
    )
    for overridden in (False, True)[: 1 + i % 2]:
        Disposition.objects.create(
            report=held(i), kind=Disposition.Kind.VERIFICATION, to_body=made.body, rule=made,
            suggested_body=made.body, was_overridden=overridden,
        )
    return mark(i)


listing("routing rules API", "system_admin", "/api/v1/routing-rules/")(rule)


def policy(ctx: Ctx, i: int) -> Marker:
    kind = list(ClockKind)[i % 4]
    DeadlinePolicy.objects.create(
        clock=kind, version=9000 + i, length_hours=24 + i, action="notify", is_current=False,
        created_by=staff(i),
    )
    return (f'"version":{9000 + i}', f"Petugas {mark(i)}")


listing("deadline policies API", "system_admin", "/api/v1/deadline-policies/")(policy)


def routing_model(ctx: Ctx, i: int) -> Marker:
    """A version of the learned routing suggestion (its row shows the training time)."""
    RoutingModel.objects.create(version=i + 1, seconds=9000 + i + 0.3, pipeline=b"")
    return f"{9000 + i}.3"


def calendar_day(ctx: Ctx, i: int) -> Marker:
    CalendarDay.objects.create(
        date=date(2026, 3, 2) + timedelta(days=i), is_working_day=bool(i % 2),
        province=Region.objects.get(code="33") if i % 2 else None, note=f"Hari {mark(i)}",
        created_by=staff(i),
    )
    return mark(i)


listing("working days API", None,
        "/api/v1/calendar/working-days/?from=2026-03-01&to=2026-03-31&province=33")(calendar_day)


# --- the tree of bodies and the regions ---------------------------------------------------

PARENTS = ("regency-33.74", "regency-35.78", "province-33", "kemenkes")


def searched_unit(ctx: Ctx, i: int) -> Marker:
    """A unit under bodies of other provinces and the centre, each with its own region."""
    parent = body(PARENTS[i % len(PARENTS)])
    unit(i, parent, region=regency(i, "35" if i % 2 else "33"), acronym=f"U{i}" if i % 2 else "")
    return mark(i)


def a_parent(ctx: Ctx) -> None:
    ctx.parent = unit(99, ctx.body_a)


def child(ctx: Ctx, i: int) -> Marker:
    parent = Body.objects.get(pk=ctx.parent.pk)
    child_ = unit(i, parent, region=regency(i, "35" if i % 2 else "33"))
    if i % 2:
        unit(i + 100, child_)  # a grandchild: the row shows its number of units
    return mark(i)


listing("bodies /instansi/?q=", None, "/instansi/?q=qcrow")(searched_unit)
listing("bodies API ?q=", None, "/api/v1/bodies/?q=qcrow")(searched_unit)
listing("body page /instansi/<id>/ units", None, lambda ctx: f"/instansi/{ctx.parent.pk}/",
        setup=a_parent)(child)
listing("body units API children", None,
        lambda ctx: f"/api/v1/bodies/{ctx.parent.pk}/children/", setup=a_parent)(child)
listing("bodies API ?parent=", None, lambda ctx: f"/api/v1/bodies/?parent={ctx.parent.pk}",
        setup=a_parent)(child)


def new_provinces(ctx: Ctx) -> None:
    ctx.provinces = [
        Region.objects.create(code=code, name=f"Provinsi Uji {code}", level="province",
                              time_zone=zone)
        for code, zone in (("98", "Asia/Makassar"), ("99", "Asia/Jayapura"))
    ]
    for province in ctx.provinces:
        province.province = province
        province.save(update_fields=["province"])


def region(ctx: Ctx, i: int, *, province: Region | None = None) -> Marker:
    """A regency of one of the new provinces (a search shows each with its province)."""
    province = province or ctx.provinces[i % 2]
    Region.objects.create(
        code=f"{province.code}.{i + 1:02d}", name=f"Kota {mark(i)}", level="regency",
        regency_kind="kota" if i % 2 else "kabupaten", parent=province, province=province,
        time_zone=province.time_zone,
    )
    return mark(i)


for _url in ("/instansi/wilayah/?q=qcrow", "/api/v1/regions/?q=qcrow"):
    listing(f"regions {_url}", None, _url, setup=new_provinces)(region)
for _template in ("/instansi/wilayah/?parent={code}", "/api/v1/regions/?parent={code}"):
    listing(f"regions {_template}", None,
            lambda ctx, template=_template: template.format(code=ctx.provinces[0].code),
            setup=new_provinces, api=_template.startswith("/api/"))(
        lambda ctx, i: region(ctx, i, province=ctx.provinces[0])
    )


def membership(ctx: Ctx, i: int) -> Marker:
    staff(i, jateng_body(i) if i % 2 else unit(i), [Role.OPERATOR, Role.SUPERVISOR][i % 2])
    return mark(i)


listing("memberships API", "supervisor_a", "/api/v1/memberships/")(membership)


# --- the admin ----------------------------------------------------------------------------


def a_user(ctx: Ctx, i: int) -> Marker:
    if i % 3:
        staff(i, role=[Role.OPERATOR, Role.VERIFIER][i % 2])
    else:
        UserFactory(full_name=f"Warga {mark(i)}")
    return mark(i)


def outgoing_email(ctx: Ctx, i: int) -> Marker:
    OutgoingEmail.objects.create(address=f"{mark(i)}@contoh.id", subject=f"Subjek {i}",
                                 text="Isi", state=["pending", "sent", "failed"][i % 3])
    return mark(i)


def joint_case(ctx: Ctx, i: int) -> Marker:
    """A case of a Jateng body with one or two reports (the list counts them)."""
    holder = jateng_body(i)
    case = Case.objects.create(holder_body=holder, title=f"Kasus {mark(i)}",
                               created_by=staff(i, holder))
    for n in range(1 + i % 2):
        CaseReport.objects.create(case=case, report=held(i * 10 + n, holder))
    return mark(i)


ADMIN_LISTS: dict[str, tuple[str, Callable[[Ctx, int], Marker]]] = {
    "agencies.body": ("?q=qcrow", searched_unit),
    "agencies.region": ("?q=qcrow", region),
    "agencies.membership": ("?q=qcrow", membership),
    "agencies.user": ("?q=qcrow", a_user),
    "routing.calendarday": ("", calendar_day),
    "routing.routingrule": ("", rule),
    "routing.routingmodel": ("", routing_model),
    "routing.responsetemplate": ("", template),
    "routing.externalchannel": ("", external_channel),
    "routing.deadlinepolicy": ("?is_current__exact=0", policy),
    "complaints.category": ("?q=qcrow", category_row),
    "complaints.open311client": ("", open311_client),
    "complaints.outgoingemail": ("", outgoing_email),
    "routing.case": ("", joint_case),
    "complaints.alertsubscription": ("?q=pelanggan", alert_row),
}
for _model, (_query_string, _add) in ADMIN_LISTS.items():
    _app, _name = _model.split(".")
    listing(f"admin {_model}", "system_admin", f"/admin/{_app}/{_name}/{_query_string}",
            setup=new_provinces if _model == "agencies.region" else None)(_add)


def _sign_in(i: int) -> dict[str, Any]:
    return {"username": f"{mark(i)}@example.id", "ip_address": f"10.0.0.{i + 1}",
            "user_agent": f"Browser {i}", "http_accept": "*/*", "path_info": "/akun/masuk/"}


def group(ctx: Ctx, i: int) -> Marker:
    Group.objects.create(name=f"Grup {mark(i)}")
    return mark(i)


def token(ctx: Ctx, i: int) -> Marker:
    Token.objects.create(user=UserFactory(full_name=f"Klien {mark(i)}"))
    return mark(i)


def access_attempt(ctx: Ctx, i: int) -> Marker:
    AccessAttempt.objects.create(**_sign_in(i), get_data="", post_data="",
                                 failures_since_start=i + 1)
    return mark(i)


def access_log(ctx: Ctx, i: int) -> Marker:
    AccessLog.objects.create(**_sign_in(i))
    return mark(i)


def access_failure(ctx: Ctx, i: int) -> Marker:
    AccessFailureLog.objects.create(**_sign_in(i), locked_out=bool(i % 2))
    return mark(i)


def unit_row(ctx: Ctx, i: int) -> Marker:
    unit(i)
    return mark(i)


# --- the statistics: sums of rollup rows, grouped; a row per category, region or body ----


def stat_row(ctx: Ctx, i: int) -> Marker:
    """A new unit directly under Pemprov Jawa Tengah and a new category, with a day of
    reports in Kota Semarang: both show on the pages that group by them."""
    unit_body = unit(i, parent=body("province-33"))
    cat = Category.objects.create(name=f"Kategori {mark(i)}", slug=f"kategori-{mark(i)}")
    key = {"day": timezone.localdate(), "body": unit_body, "category": cat,
           "province": Region.objects.get(code="33"), "regency": Region.objects.get(code="33.74")}
    StatRollup.objects.create(**key, received=i + 1, verified=i + 1, first_responses=1,
                              first_within_24h=1)
    StatHistogram.objects.create(**key, measure="first_response", bucket=i + 1, n=1)
    statistics_rollups.rebuild_months([key["day"]])  # the page grain, as the refresh does
    return mark(i)


def ranked_body(ctx: Ctx, i: int) -> Marker:
    government = jateng_body(i)
    StatRollup.objects.create(day=timezone.localdate(), body=government, received=40 + i,
                              province=Region.objects.get(code="33"))
    statistics_rollups.rebuild_months([timezone.localdate()])
    return f'data-id="{government.pk}"'


for _name, _url in (
    ("statistics national", lambda ctx: "/statistik/"),
    ("statistics province", lambda ctx: f"/statistik/provinsi/{Region.objects.get(code='33').pk}/"),
    ("statistics regency",
     lambda ctx: f"/statistik/wilayah/{Region.objects.get(code='33.74').pk}/"),
    ("statistics body", lambda ctx: f"/statistik/instansi/{body('province-33').pk}/"),
):
    listing(_name, None, _url)(stat_row)
listing("staff statistics (supervisor)", "supervisor_a", "/petugas/statistik/")(stat_row)
listing("statistics ranking", None, "/statistik/peringkat/?tingkat=kabupaten-kota")(ranked_body)


# The libraries' own admins: only a Django superuser opens them.
LIBRARY_ADMIN_LISTS: dict[str, Callable[[Ctx, int], Marker]] = {
    "auth.group": group,
    "authtoken.tokenproxy": token,
    "axes.accessattempt": access_attempt,
    "axes.accesslog": access_log,
    "axes.accessfailurelog": access_failure,
}
for _model, _add in LIBRARY_ADMIN_LISTS.items():
    _app, _name = _model.split(".")
    listing(f"admin {_model}", "superuser", f"/admin/{_app}/{_name}/")(_add)
listing("admin agencies.body (supervisor)", "supervisor_a", "/admin/agencies/body/?q=qcrow")(
    unit_row
)
listing("admin body page: its units", "system_admin",
        lambda ctx: f"/admin/agencies/body/{ctx.parent.pk}/change/", setup=a_parent)(child)


# --- a case (kasus bersama) ----------------------------------------------------------------


def a_case(ctx: Ctx) -> None:
    from routing.models import Case

    ctx.case = Case.objects.create(holder_body=body("regency-33.74"), title="Kasus uji",
                                   created_by=ctx.operator_a)


@listing("case reports /petugas/kasus/", "operator_a",
         lambda ctx: f"/petugas/kasus/{ctx.case.pk}/", setup=a_case)
def case_report_row(ctx: Ctx, i: int) -> Marker:
    from routing.models import CaseReport

    report = held(i, holder=body("regency-33.74"), district=district(i))
    CaseReport.objects.create(case=ctx.case, report=report)
    return mark(i)


listing("case reports API", "operator_a", lambda ctx: f"/api/v1/staff/cases/{ctx.case.pk}/",
        setup=a_case, api=True)(case_report_row)


# --- the test -----------------------------------------------------------------------------


def _client(ctx: Ctx, item: Listing) -> Client:
    user = getattr(ctx, item.user) if item.user else None
    if item.api:
        client = APIClient()
        if user is not None:
            token = verified_api_token(user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _get(client: Client, url: str):
    forget_overrides()  # every request reads the calendar as a fresh worker would
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:3000])
    return response


def _measure(client: Client, url: str) -> tuple[str, list[str]]:
    """The page and its queries on every database alias (an anonymous visitor's public reads
    go to the replica where one is configured)."""
    distinct = list({id(c): c for c in connections.all()}.values())
    with ExitStack() as stack:
        captured = [stack.enter_context(CaptureQueriesContext(c)) for c in distinct]
        response = _get(client, url)
    return response.content.decode(), [q["sql"] for c in captured for q in c.captured_queries]


def _shown(content: str, markers: list[Marker]) -> int:
    return sum(
        any(m in content for m in (marker if isinstance(marker, tuple) else (marker,)))
        for marker in markers
    )


def _shape(sql: str) -> str:
    """The query with its values left out, so that the same query for other rows compares
    equal: "… WHERE id = N", "… IN (N…)"."""
    shape = re.sub(r"'(?:[^']|'')*'", "S", re.sub(r'"_django_curs_\w+"', "CURSOR", sql))
    return re.sub(r"\((?:N, )+N\)", "(N…)", re.sub(r"\b\d+\b", "N", shape))


def _growth(few: list[str], many: list[str]) -> str:
    grew = Counter(map(_shape, many)) - Counter(map(_shape, few))
    lines = [f"{n}× more: {sql[:600]}" for sql, n in grew.most_common()]
    fewer = Counter(map(_shape, few)) - Counter(map(_shape, many))
    lines += [f"{n}× fewer: {sql[:600]}" for sql, n in fewer.most_common()]
    return "\n".join(lines)


@pytest.mark.parametrize("item", LISTINGS, ids=[item.name for item in LISTINGS])
def test_query_count_does_not_grow_with_rows(item: Listing, request: pytest.FixtureRequest):
    ctx = Ctx(request)
    if item.setup:
        item.setup(ctx)
    client = _client(ctx, item)
    url = item.url(ctx)
    markers = [item.add(ctx, i) for i in range(FEW)]
    _get(client, url)  # warm-up: sessions, caches, content types
    few_content, few = _measure(client, url)
    markers += [item.add(ctx, i) for i in range(FEW, MANY)]
    many_content, many = _measure(client, url)
    assert _shown(few_content, markers) == FEW, f"{url} does not show the {FEW} rows"
    assert _shown(many_content, markers) == MANY, f"{url} does not show the {MANY} rows"
    assert len(many) == len(few), (
        f"{url}: {len(few)} queries for {FEW} rows, {len(many)} for {MANY}:\n"
        + _growth(few, many)
    )


# --- nothing left out ---------------------------------------------------------------------

# Named routes that are not lists (one object, a form, an action, a file), so not above.
NOT_LISTS = {
    "home", "health", "set_language", "api-schema", "api-docs", "api-redoc",
    "login", "logout", "register", "confirmation_pending", "resend_confirmation",
    "confirm_email", "profile", "my_data", "erase_account", "password_reset",
    "password_reset_done", "password_reset_confirm", "password_reset_complete",
    "password_change", "password_change_done",
    "two_factor_verify", "two_factor_setup", "two_factor_continue", "two_factor_off",
    "public:support", "complaints:new", "complaints:receipt", "complaints:add-info",
    "complaints:accept", "complaints:dispute", "complaints:rate", "complaints:notifications-read",
    "complaints:notification-open", "complaints:notification-read",
    "complaints:attachment", "complaints:attachment-thumbnail", "complaints:assisted-new",
    "complaints:attachment-public", "complaints:attachment-public-thumbnail",
    "complaints:assisted-receipt",
    "routing:export-create", "routing:export-detail", "routing:export-download",
    "routing:report-action", "routing:reveal-reporter", "routing:template-delete",
    "routing:queue-assign", "api:staff-assignments",  # bulk assignment: a POST of a form
    "routing:queue-case",  # grouping the checked reports into a case: a POST of a form
    "api:staff-cases", "api:staff-case-answer",  # POSTs: a new case, its answer
    # at most five rows (complaints.similar.LIMIT) in two queries, counted in
    # tests/complaints/test_similar_reports.py
    "api:similar-reports",
    "complaints:solved",  # the reporter's answer to "Sudah tuntas?": a POST
    # A category's statistics list the 38 provinces through the national page's grouped
    # query (measured above as "statistics national").
    "statistics:category",
    "open311:discovery", "open311:request", "open311:token",  # one document each
    # the email alerts' forms and one-subscription pages (tests/complaints/test_alerts.py)
    "alerts:subscribe", "alerts:sent", "alerts:confirm", "alerts:unsubscribe",
    "api:alert-subscribe", "api:alert-confirm", "api:alert-unsubscribe",
    "api:api-root", "api:body-detail", "api:body-move", "api:body-active", "api:region-detail",
    "api:membership-detail", "api:report-detail", "api:report-submit",
    "api:report-add-info", "api:report-reply", "api:report-dispute",
    "api:report-accept", "api:report-rate", "api:category-detail",
    "api:attachment-detail", "api:attachment-file", "api:attachment-thumbnail",
    "api:notification-detail", "api:notification-read", "api:notification-read-all",
    "api:track", "api:assisted-intake",
    "api:public-report-support", "api:auth-register", "api:auth-token",
    "api:user-second-factor-reset",
    "api:auth-confirm-email", "api:auth-resend-confirmation", "api:auth-password-reset",
    "api:me", "api:me-erase", "api:staff-export-detail", "api:staff-export-download",
    "api:staff-export-preview",
    "api:staff-report-detail", "api:staff-report-reveal-reporter",
    # one endpoint per staff action (routing.actions), none of them a list
    *(f"api:staff-report-{action.api_name}" for action in ACTIONS.values()),
    "api:routing-rule-detail", "api:response-template-detail",
    # the open data files: days read from the folder's manifests, not from the database
    "opendata:index", "opendata:download", "opendata:latest",
}
# Named routes of the lists above.
LISTED = {
    "public:feed", "public:detail", "complaints:track", "complaints:my-reports",
    "complaints:my-report", "complaints:draft", "complaints:notifications",
    "routing:queue", "routing:verification", "routing:ombudsman", "routing:report",
    "routing:exports", "routing:templates", "routing:copies", "api:staff-copies",
    "routing:case", "api:staff-case-detail",
    "agencies:body-list", "agencies:body-detail", "agencies:region-list",
    "statistics:national", "statistics:province", "statistics:regency", "statistics:body",
    "statistics:ranking", "routing:statistics",
    "api:public-report-list", "api:public-report-detail", "api:category-list",
    "open311:requests", "open311:services", "open311:service",
    "api:report-list", "api:report-timeline", "api:report-attachments", "api:me-export",
    "api:notification-list", "api:staff-queue", "api:staff-verification", "api:staff-ombudsman",
    "api:staff-report-history", "api:staff-export-list", "api:response-template-list",
    "api:routing-rule-list", "api:deadline-policy-list", "api:calendar-working-days",
    "api:body-list", "api:body-children", "api:region-list", "api:membership-list",
    "api:open-data-reports",
    "alerts:manage", "api:alert-address",
    *(f"feeds:{feed}{scope}" for feed in ("reports", "answers")
      for scope in ("", "-region", "-region-category", "-body", "-body-category", "-category")),
}


def _route_names(patterns: list, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue  # the admin: every registered model's changelist, checked below
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_named_route_is_either_a_listing_above_or_not_a_list():
    names = {n for n in _route_names(get_resolver().url_patterns) if not n.endswith("-root")}
    unknown = names - LISTED - NOT_LISTS - {"api:api-root"}
    assert not unknown, f"routes to add to test_query_counts.py (a list?) {sorted(unknown)}"
    assert not LISTED - names, f"listed routes that no longer exist: {sorted(LISTED - names)}"


def test_every_admin_changelist_is_a_listing_above():
    registered = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    covered = {*ADMIN_LISTS, *LIBRARY_ADMIN_LISTS}
    assert registered <= covered, f"admin lists to add: {sorted(registered - covered)}"
