"""What GeoReport v2 publishes: categories as services, their extra questions as attributes,
and public reports (verified, not confidential) as requests, with no trace of the reporter.
Reads only; the filters of ``GET requests`` are parsed here."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from agencies.models import Region
from complaints import redaction, selectors
from complaints.models import Category, CategoryQuestion, QuestionKind, Report, ReportStatus
from lapor.errors import Absent, Invalid

# The attribute every service accepts besides its questions: where the problem is, when
# ``jurisdiction_id`` does not say it (GeoReport v2 allows either).
REGION_ATTRIBUTE = "region_code"
DATATYPES: dict[str, str] = {QuestionKind.TEXT: "string", QuestionKind.NUMBER: "number",
             QuestionKind.DATE: "datetime", QuestionKind.CHOICE: "singlevaluelist"}
# Closed once the body has given its final answer (the citizen may still dispute it, which
# opens it again).
CLOSED_STATUSES = (ReportStatus.RESOLVED, ReportStatus.CLOSED)
MAX_SPAN = datetime.timedelta(days=90)  # the spec's default window and largest range
MAX_RESULTS = 1000


def _w3(value: datetime.datetime | None) -> str | None:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def region_for(code: str) -> Region:
    """The region of a Kemendagri code (jurisdiction_id or the region attribute)."""
    region = Region.objects.filter(code=code.strip()).select_related("parent").first()
    if region is None:
        raise Absent(_("Kode wilayah %(code)s tidak dikenal.") % {"code": code[:20]},
                     field="jurisdiction_id")
    return region


def discovery(base_url: str) -> dict[str, Any]:
    return {
        "changeset": "2025-01-01T00:00:00Z",
        "contact": _("Pengelola LAPOR! (KemenPAN-RB), %(site)s") % {"site": settings.SITE_URL},
        "key_service": _("Kunci API diterbitkan oleh admin sistem LAPOR! untuk setiap aplikasi "
                         "mitra."),
        "endpoints": [{
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": base_url, "changeset": "2025-01-01T00:00:00Z", "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    }


def _services() -> QuerySet[Category]:
    return selectors.active_categories().order_by("sort_order", "name")


def services() -> list[dict[str, Any]]:
    return [{
        "service_code": c.slug, "service_name": c.name, "description": c.description,
        # Every service has at least the region attribute; "realtime": a POST answers with
        # its service_request_id at once.
        "metadata": True, "type": "realtime", "keywords": "", "group": "",
    } for c in _services()]


def service(code: str) -> Category:
    category = _services().filter(slug=code).first()
    if category is None:
        raise Absent(_("Layanan %(code)s tidak ada.") % {"code": code[:60]},
                     field="service_code")
    return category


def definition(category: Category) -> dict[str, Any]:
    attributes = [{
        "variable": True, "code": REGION_ATTRIBUTE, "datatype": "string", "required": False,
        "datatype_description": _("Kode wilayah Kemendagri, mis. 33.74 (Kota Semarang) atau "
                                  "33.74.01 (kecamatan)"),
        "order": 0,
        "description": _("Wilayah kejadian, bila jurisdiction_id tidak diisi"),
        "values": [],
    }]
    for order, question in enumerate(
            CategoryQuestion.objects.filter(category=category, is_active=True), start=1):
        description = question.label
        if question.help_text:
            description = f"{question.label} — {question.help_text}"
        attributes.append({
            "variable": True, "code": question.code, "datatype": DATATYPES[question.kind],
            "required": question.is_required,
            "datatype_description": _("tanggal TTTT-BB-HH")
            if question.kind == QuestionKind.DATE else "",
            "order": order, "description": description,
            "values": [{"key": key, "name": name} for key, name in question.choice_list()],
        })
    return {"service_code": category.slug, "attributes": attributes}


@dataclass(frozen=True)
class RequestFilters:
    ids: list[str]
    service_codes: list[str]
    start: datetime.datetime | None
    end: datetime.datetime | None
    statuses: list[str]
    region: Region | None


def _date(raw: str, name: str) -> datetime.datetime | None:
    if not raw:
        return None
    value = parse_datetime(raw.replace(" ", "+"))  # a "+" left unencoded in a query
    if value is None or timezone.is_naive(value):
        raise Invalid(_("Tanggal %(name)s harus berformat W3C dengan zona waktu, mis. "
                        "2025-01-01T00:00:00Z.") % {"name": name}, field=name)
    return value


def parse_filters(query: Any) -> RequestFilters:
    def listed(name: str) -> list[str]:
        return [v.strip() for v in query.get(name, "").split(",") if v.strip()]

    statuses = listed("status")
    if set(statuses) - {"open", "closed"}:
        raise Invalid(_("status hanya open atau closed."), field="status")
    start, end = _date(query.get("start_date", ""), "start_date"), \
        _date(query.get("end_date", ""), "end_date")
    if start and end and end - start > MAX_SPAN:
        raise Invalid(_("Rentang start_date sampai end_date paling lama 90 hari."),
                      field="start_date")
    jurisdiction = query.get("jurisdiction_id", "").strip()
    return RequestFilters(
        ids=listed("service_request_id"), service_codes=listed("service_code"), start=start,
        end=end, statuses=statuses, region=region_for(jurisdiction) if jurisdiction else None)


def public_requests() -> QuerySet[Report]:
    return selectors.public_reports().select_related(
        "category", "holder_body", "province", "regency", "district")


def find_requests(filters: RequestFilters) -> list[Report]:
    """The public reports the filters ask for, newest first: by id (which overrides the other
    filters, as the spec says), else within 90 days (the last 90 without dates), at most
    1000."""
    reports = public_requests()
    if filters.ids:
        return list(reports.filter(tracking_number__in=filters.ids[:MAX_RESULTS])
                    .order_by("-submitted_at", "-id"))
    if filters.service_codes:
        reports = reports.filter(category__slug__in=filters.service_codes)
    end = filters.end or ((filters.start + MAX_SPAN) if filters.start else timezone.now())
    start = filters.start or end - MAX_SPAN
    reports = reports.filter(submitted_at__gte=start, submitted_at__lte=end)
    if filters.statuses == ["open"]:
        reports = reports.exclude(status__in=CLOSED_STATUSES)
    elif filters.statuses == ["closed"]:
        reports = reports.filter(status__in=CLOSED_STATUSES)
    if filters.region is not None:
        level_field = {"province": "province", "regency": "regency"}.get(
            filters.region.level, "district")
        reports = reports.filter(**{level_field: filters.region})
    return list(reports.order_by("-submitted_at", "-id")[:MAX_RESULTS])


def find_request(service_request_id: str) -> Report:
    report = public_requests().filter(tracking_number=service_request_id).first()
    if report is None:
        raise Absent(_("Permintaan %(id)s tidak ada atau tidak publik.")
                     % {"id": service_request_id[:40]}, field="service_request_id")
    return report


def request_document(report: Report) -> dict[str, Any]:
    """A public report as a GeoReport request: what the public page shows, never who filed
    it (no name, email, phone or account), its place as its region and point."""
    regions = [r for r in (report.district, report.regency, report.province) if r]
    return {
        "service_request_id": report.tracking_number,
        "status": "closed" if report.status in CLOSED_STATUSES else "open",
        "status_notes": report.get_status_display(),
        "service_name": report.category.name if report.category else "",
        "service_code": report.category.slug if report.category else "",
        "description": redaction.localised(report.public_description),
        "agency_responsible": report.holder_body.name if report.holder_body else "",
        "service_notice": "",
        "requested_datetime": _w3(report.submitted_at),
        "updated_datetime": _w3(report.updated_at),
        "expected_datetime": _w3(report.due_at),
        "address": ", ".join(r.name for r in regions),
        "address_id": regions[0].code if regions else "",  # the Kemendagri code
        "zipcode": "",
        "lat": float(report.latitude) if report.latitude is not None else None,
        "long": float(report.longitude) if report.longitude is not None else None,
        "media_url": "",
    }


def service_notice(report: Report) -> str:
    return _("Laporan diterima dengan nomor %(number)s dan menunggu verifikasi; setelah "
             "diverifikasi laporan ini dapat dibaca di requests/%(number)s.") % {
        "number": report.tracking_number}


def token_document(token: str) -> dict[str, Any]:
    try:
        key = uuid.UUID(token)
    except ValueError:
        key = None
    report = (Report.objects.filter(open311_token=key).only("tracking_number").first()
              if key else None)
    if report is None or not report.tracking_number:
        raise Absent(_("Token tidak dikenal."), field="token")
    return {"service_request_id": report.tracking_number, "token": token}
