"""Response templates: a body's canned answers with placeholders."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from agencies import access
from agencies.models import Body, User
from complaints.models import Report
from lapor.errors import Invalid, NotAllowed
from routing.models import ResponseTemplate

PLACEHOLDERS = {
    "{nomor}": "tracking number",
    "{judul}": "title",
    "{instansi}": "holding body",
    "{tanggal}": "today's date",
}


def render(template: ResponseTemplate, report: Report) -> str:
    """The template's text with the report's values in place of the placeholders."""
    values = {
        "{nomor}": report.tracking_number or "",
        "{judul}": report.title,
        "{instansi}": report.holder_body.name if report.holder_body else "",
        "{tanggal}": _today_in_words(report),
    }
    text = template.text
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def _today_in_words(report: Report) -> str:
    """Today in the holding body's zone, as a letter writes it: "2 Desember 2026" (the
    templates are Indonesian text, whatever the staff member's interface language)."""
    zone = ZoneInfo(report.holder_body.time_zone if report.holder_body else "Asia/Jakarta")
    with translation.override("id"):
        return formats.date_format(timezone.localtime(timezone=zone).date(), "j F Y")


def templates_for(report: Report) -> list[ResponseTemplate]:
    """The active templates of the holding body and of the bodies above it."""
    holder = report.holder_body  # None without a query when the report has no holder
    if holder is None:
        return []
    chain = [holder.path[: i] for i in range(Body.steplen, len(holder.path) + 1, Body.steplen)]
    return list(
        ResponseTemplate.objects.filter(is_active=True, body__path__in=chain)
        .select_related("body")
        .order_by("title")
    )


def templates_visible_to(user: User) -> QuerySet[ResponseTemplate]:
    """The templates a staff member may read: those that apply to the reports they handle
    (their bodies' and those above them, as ``templates_for`` offers them) and those of the
    subtree they administer."""
    chains: set[str] = set()
    for body in access.bodies_actionable_by(user).only("path")[:1000]:
        chains.update(body.path[:i] for i in range(Body.steplen, len(body.path) + 1,
                                                    Body.steplen))
    kept = access.bodies_administered_by(user).values("pk")
    return (
        ResponseTemplate.objects.filter(Q(body__path__in=chains) | Q(body__in=kept))
        .select_related("body").order_by("body__path", "title")
    )


@transaction.atomic
def create_template(*, body: Body, title: str, text: str, actor: User) -> ResponseTemplate:
    if not access.may_administer(actor, body):
        raise NotAllowed(_("Templat jawaban dikelola oleh pimpinan instansi."))
    title, text = title.strip(), text.strip()
    if not title or not text:
        raise Invalid(_("Judul dan isi templat wajib diisi."))
    try:
        with transaction.atomic():
            return ResponseTemplate.objects.create(body=body, title=title, text=text)
    except IntegrityError as exc:
        raise Invalid(_("Instansi ini sudah punya templat dengan judul itu.")) from exc


@transaction.atomic
def delete_template(*, template: ResponseTemplate, actor: User) -> None:
    if not access.may_administer(actor, template.body):
        raise NotAllowed(_("Templat jawaban dikelola oleh pimpinan instansi."))
    template.delete()
