"""``POST requests``: an application with a key files a report through the one intake
(``complaints.services.intake.file_report``), on the Open311 channel, for the person it
names.

Who the reporter is (GeoReport v2 sends ``email``, ``first_name``, ``last_name``,
``phone``): the rule of assisted intake. The person is kept as the report's contact (the
holding body sees it, the public never does), and a *confirmed* LAPOR! account with that
address follows the report; no account is made for an address nobody confirmed, so an
application cannot put reports into a stranger's account. The contact gets the tracking
number by email when an address was given; ``account_id`` is never answered."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Region
from complaints import questions
from complaints.models import Channel, Open311Client, Report, ReportKind
from complaints.open311.documents import REGION_ATTRIBUTE, region_for, service
from complaints.services import intake
from complaints.validation import TITLE_MAX, field_errors
from lapor.errors import Invalid, NotAllowed

ATTRIBUTE_PREFIX = "attribute["


@dataclass(frozen=True)
class Posted:
    report: Report
    token: str


def _place(code: str) -> dict[str, Region | None]:
    if not code:
        raise Invalid(_("Sebutkan wilayah kejadian: jurisdiction_id atau attribute[%(code)s] "
                        "berisi kode wilayah Kemendagri.") % {"code": REGION_ATTRIBUTE},
                      field="regency")
    region = region_for(code)
    chain: list[Region] = []
    node: Region | None = region
    while node is not None:
        chain.append(node)
        node = node.parent
    by_level = {r.level: r for r in chain}
    return {"province": by_level.get(Region.Level.PROVINCE),
            "regency": by_level.get(Region.Level.REGENCY),
            "district": by_level.get(Region.Level.DISTRICT)}


def _point(params: Mapping[str, str]) -> dict[str, Decimal | None]:
    lat, long = params.get("lat", "").strip(), params.get("long", "").strip()
    if not lat and not long:
        return {"latitude": None, "longitude": None}
    try:
        return {"latitude": Decimal(lat).quantize(Decimal("0.000001")),
                "longitude": Decimal(long).quantize(Decimal("0.000001"))}
    except (InvalidOperation, ValueError):
        raise Invalid(_("lat dan long berupa angka desimal, mis. -6.966667 dan 110.416664."),
                      field="latitude") from None


def _title(category_name: str, address: str, description: str) -> str:
    about = address or " ".join(description.split())
    title = f"{category_name}: {about}" if about else category_name
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1].rstrip() + "…"


def attributes_of(params: Mapping[str, str]) -> dict[str, str]:
    """``attribute[code]=value`` pairs of a form-encoded request, by code."""
    return {key[len(ATTRIBUTE_PREFIX):-1]: value for key, value in params.items()
            if key.startswith(ATTRIBUTE_PREFIX) and key.endswith("]")}


def post_request(*, client: Open311Client, params: Mapping[str, str],
                 limits: Callable[[str], None] | None = None) -> Posted:
    """File the request in ``params`` (the spec's form fields) for ``client``'s person; all
    or nothing: a refusal leaves no draft behind (the application still holds its request).
    ``limits`` counts it as ``open311_request`` (per client, not the citizen's limit)."""
    if not client.is_active or client.account is None:
        raise NotAllowed(_("Kunci API tidak berlaku."))
    if limits is not None:
        limits("open311_request")
    category = service(params.get("service_code", "").strip())
    attributes = attributes_of(params)
    region_code = (attributes.pop(REGION_ATTRIBUTE, "") or params.get("jurisdiction_id", ""))
    description = params.get("description", "").strip()
    address = " ".join(params.get("address_string", "").split())
    if address:
        description = f"{description}\n\n{_('Alamat')}: {address}"
    values: dict[str, Any] = {
        "kind": ReportKind.COMPLAINT, "category": category, "description": description,
        "title": _title(category.name, address, params.get("description", "")),
        **_place(region_code.strip()), **_point(params),
    }
    asked = questions.questions_of(category)
    answers, errors = questions.parse_answers(asked, attributes)
    errors = {**field_errors(values, for_submit=True), **questions.missing(asked, answers),
              **errors}
    email = params.get("email", "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Alamat email tidak valid.")
    if errors:
        raise Invalid.of_fields(errors)
    values["answers"] = answers
    name = " ".join(f"{params.get('first_name', '')} {params.get('last_name', '')}".split())
    contact = intake.Contact(
        name=(name or _("Warga melalui %(app)s") % {"app": client.name})[:150],
        email=email, phone=params.get("phone", "").strip()[:20])
    token = uuid.uuid4()
    with transaction.atomic():
        filing = intake.file_report(filer=client.account, values=values,
                                    channel=Channel.OPEN311, contact=contact)
        if filing.error is not None:
            raise filing.error  # and the draft goes with the transaction
        Report.objects.filter(pk=filing.report.pk).update(open311_client=client,
                                                          open311_token=token)
        Open311Client.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return Posted(report=filing.report, token=str(token))
