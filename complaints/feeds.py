"""Atom feeds (``django.contrib.syndication``) of new public reports and of the bodies' public
answers: nationally, per region (province, regency or kecamatan, by Kemendagri code), per body
(it and the units below it), per category, and region or body with a category.

Only what a visitor may read: public reports (``selectors.public_reports``), their public
copy (``public_title``/``public_description``, personal data masked), the public events of
kinds FIRST_RESPONSE / RESPONSE / RESOLVED with their notes masked the same way. No reporter,
no staff member, no internal note. Each feed holds the newest FEED_SIZE entries, read through
``report_public_verified_idx`` (reports, by the time they were made public) and
``event_public_answer_idx`` (answers). (``complaints.feed`` is the public list page, not Atom.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from agencies.models import Body, Region
from complaints import redaction, selectors
from complaints.models import Category, EventKind, Report, ReportEvent, Visibility

FEED_SIZE = 50
ANSWER_KINDS = (EventKind.FIRST_RESPONSE, EventKind.RESPONSE, EventKind.RESOLVED)
# Region level → the report's field of that level.
REGION_FIELD: dict[str, str] = {
    Region.Level.PROVINCE: "province",
    Region.Level.REGENCY: "regency",
    Region.Level.DISTRICT: "district",
}


@dataclass(frozen=True)
class Scope:
    """What a feed (or an alert) is about; None everywhere: the whole country."""

    region: Region | None = None
    body: Body | None = None
    category: Category | None = None

    def label(self) -> str:
        parts = []
        if self.region is not None:
            parts.append(region_label(self.region))
        if self.body is not None:
            parts.append(self.body.name)
        if self.category is not None:
            parts.append(_("kategori %(name)s") % {"name": self.category.name})
        return " · ".join(parts) or _("seluruh Indonesia")

    def page_url(self) -> str:
        """The public list page (``/publik/``) showing what this scope holds, as near as its
        filters go (it filters by province and regency, not by kecamatan)."""
        query: dict[str, str] = {}
        region = self.region
        if region is not None:
            if region.level == Region.Level.DISTRICT and region.parent is not None:
                region = region.parent
            if region.level == Region.Level.REGENCY:
                query["province"] = region.code.split(".")[0]
                query["regency"] = region.code
            else:
                query["province"] = region.code
        if self.body is not None:
            query["body"] = str(self.body.pk)
        if self.category is not None:
            query["category"] = self.category.slug
        url = reverse("public:feed")
        return f"{url}?{urlencode(query)}" if query else url


def region_label(region: Region) -> str:
    """A region as a person names it: "Kecamatan Semarang Tengah, Kota Semarang" (a
    kecamatan's name alone is shared by many), "Provinsi Jawa Tengah"; regencies and cities
    carry their kind in their name. Reads ``region.parent`` (select it with the region)."""
    if region.level == Region.Level.DISTRICT and region.parent is not None:
        return _("Kecamatan %(name)s, %(parent)s") % {"name": region.name,
                                                       "parent": region.parent.name}
    if region.level == Region.Level.PROVINCE:
        return _("Provinsi %(name)s") % {"name": region.name}
    return region.name


def scope_from(*, code: str = "", body: int | None = None, category: str = "") -> Scope:
    """The scope the URL names; Http404 for a region, body or category that does not exist."""
    region = found_body = found_category = None
    if code:
        region = Region.objects.select_related("parent").filter(code=code).first()
        if region is None:
            raise Http404
    if body is not None:
        found_body = Body.objects.filter(pk=body).first()
        if found_body is None:
            raise Http404
    if category:
        found_category = Category.objects.filter(slug=category).first()
        if found_category is None:
            raise Http404
    return Scope(region=region, body=found_body, category=found_category)


def scoped_reports(scope: Scope) -> QuerySet[Report]:
    """Public reports that were made public (verified), in ``scope``."""
    reports = selectors.public_reports().filter(verified_at__isnull=False)
    region = scope.region
    if region is not None:
        reports = reports.filter(**{REGION_FIELD[region.level]: region})
        if region.level == Region.Level.DISTRICT and region.parent_id is not None:
            # Said again so that report_public_regency_idx serves a kecamatan too: its
            # regency's newest reports, read until enough are of the kecamatan.
            reports = reports.filter(regency_id=region.parent_id)
    if scope.body is not None:
        # The body and the units below it, as a list of ids (one query on the tree's path
        # index): the planner then reads a few bodies through report_public_holder_idx and a
        # large subtree by walking report_public_verified_idx; given the subquery instead, it
        # misjudges how many rows match and sorts them all.
        ids = list(Body.objects.filter(path__startswith=scope.body.path)
                   .values_list("id", flat=True))
        reports = reports.filter(holder_body_id__in=ids)
    if scope.category is not None:
        reports = reports.filter(category=scope.category)
    return reports


_REPORT_FIELDS = (
    "id", "tracking_number", "public_title", "public_description", "status", "kind",
    "verified_at", "resolved_at", "closed_at", "category__name", "district__name",
    "regency__name", "province__name", "holder_body__name",
)


def new_public_reports(scope: Scope, limit: int | None = None) -> list[Report]:
    """The newest ``limit`` (FEED_SIZE) reports of ``scope`` by the time they were made
    public."""
    limit = limit or FEED_SIZE
    return list(
        scoped_reports(scope)
        .select_related("category", "district", "regency", "province", "holder_body")
        .only(*_REPORT_FIELDS)
        .order_by("-verified_at", "-id")[:limit]
    )


def public_answers(scope: Scope, limit: int | None = None) -> list[ReportEvent]:
    """The newest ``limit`` (FEED_SIZE) public responses and final answers to reports of
    ``scope``."""
    limit = limit or FEED_SIZE
    return list(
        ReportEvent.objects.filter(
            kind__in=ANSWER_KINDS, visibility=Visibility.PUBLIC,
            report__in=scoped_reports(scope),
        )
        .select_related("actor_body", "report", "report__category", "report__district",
                        "report__regency", "report__province", "report__holder_body")
        .only("id", "kind", "note", "created_at", "actor_body__name",
              *(f"report__{name}" for name in _REPORT_FIELDS))
        .order_by("-created_at", "-id")[:limit]
    )


def place_of(report: Report) -> str:
    names = [r.name for r in (report.district, report.regency, report.province) if r is not None]
    return ", ".join(names)


def report_facts(report: Report) -> str:
    """Status, category, place and holding body in one line: public facts only."""
    parts = [str(report.get_status_display())]
    if report.category is not None:
        parts.append(report.category.name)
    if place := place_of(report):
        parts.append(place)
    if report.holder_body is not None:
        parts.append(report.holder_body.name)
    return " · ".join(parts)


def _html(*paragraphs: str) -> str:
    # Atom's summary is HTML: the public text is escaped so that nothing typed in a report
    # becomes markup in a feed reader.
    return "".join(linebreaks(escape(p)) for p in paragraphs if p)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


class _ScopedFeed(Feed):
    feed_type = Atom1Feed

    def heading(self) -> str:
        raise NotImplementedError

    def get_object(self, request: HttpRequest, code: str = "", body: int | None = None,
                   category: str = "", **kwargs: Any) -> Scope:
        return scope_from(code=code, body=body, category=category)

    def title(self, scope: Scope) -> str:
        return f"LAPOR! — {self.heading()}: {scope.label()}"

    def link(self, scope: Scope) -> str:
        return scope.page_url()

    def author_name(self) -> str:
        return "LAPOR!"

    def item_link(self, item: Any) -> str:
        report = item if isinstance(item, Report) else item.report
        return reverse("public:detail", args=[report.tracking_number])


class ReportsFeed(_ScopedFeed):
    """New public reports."""

    def heading(self) -> str:
        return _("Laporan publik baru")

    def subtitle(self, scope: Scope) -> str:
        return _("Laporan publik terbaru yang sudah diverifikasi: %(scope)s.") % {
            "scope": scope.label()}

    def items(self, scope: Scope) -> list[Report]:
        return new_public_reports(scope)

    def item_title(self, item: Report) -> str:
        return f"{item.tracking_number}: {redaction.localised(item.public_title)}"

    def item_description(self, item: Report) -> str:
        return _html(report_facts(item), redaction.localised(item.public_description))

    def item_pubdate(self, item: Report) -> datetime | None:
        return item.verified_at

    def item_updateddate(self, item: Report) -> datetime | None:
        return max(d for d in (item.verified_at, item.resolved_at, item.closed_at) if d)

    def item_categories(self, item: Report) -> list[str]:
        return [item.category.name] if item.category is not None else []


class AnswersFeed(_ScopedFeed):
    """The bodies' public responses and final answers."""

    def heading(self) -> str:
        return _("Jawaban instansi")

    def subtitle(self, scope: Scope) -> str:
        return _("Tanggapan dan jawaban akhir instansi atas laporan publik: %(scope)s.") % {
            "scope": scope.label()}

    def items(self, scope: Scope) -> list[ReportEvent]:
        return public_answers(scope)

    def item_title(self, item: ReportEvent) -> str:
        return (f"{item.get_kind_display()} — {item.report.tracking_number}: "
                f"{redaction.localised(item.report.public_title)}")

    def item_description(self, item: ReportEvent) -> str:
        who = item.actor_body.name if item.actor_body is not None else ""
        note = redaction.localised(redaction.public_copy(item.note))
        return _html(report_facts(item.report), who, note)

    def item_guid(self, item: ReportEvent) -> str:
        return absolute(self.item_link(item)) + f"#jawaban-{item.pk}"

    def item_guid_is_permalink(self, item: ReportEvent) -> bool:
        return False

    def item_pubdate(self, item: ReportEvent) -> datetime:
        return item.created_at

    def item_updateddate(self, item: ReportEvent) -> datetime:
        return item.created_at

    def item_categories(self, item: ReportEvent) -> list[str]:
        category = item.report.category
        return [category.name] if category is not None else []


def feed_urls(scope: Scope) -> dict[str, str]:
    """The paths of the two feeds of ``scope`` (for the pages' <link rel="alternate">), or
    of the nearest scope that has feeds."""
    args: list[object] = []
    suffix = ""
    if scope.region is not None:
        args, suffix = [scope.region.code], "-region"
    elif scope.body is not None:
        args, suffix = [scope.body.pk], "-body"
    if scope.category is not None:
        if suffix:
            suffix += "-category"
        else:
            suffix = "-category"
        args.append(scope.category.slug)
    return {
        "reports": reverse(f"feeds:reports{suffix}", args=args),
        "answers": reverse(f"feeds:answers{suffix}", args=args),
    }


def scope_filters(*, province: str = "", regency: str = "", body: int | None = None,
                  category: str = "") -> Scope:
    """The scope of the public list page's filters (unknown values are ignored)."""
    code = regency or province
    region = Region.objects.select_related("parent").filter(code=code).first() if code else None
    found_body = Body.objects.filter(pk=body).first() if body is not None and not region else None
    found_category = Category.objects.filter(slug=category).first() if category else None
    return Scope(region=region, body=found_body, category=found_category)
