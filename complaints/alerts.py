"""Email alerts: "new public reports in this kecamatan (or regency, province) / for this body",
optionally of one category, for any address, without an account.

- ``subscribe`` writes an unconfirmed subscription and mails a signed confirmation link
  through the outbox; the answer is the same whether or not the address already subscribed
  (an address cannot be probed). Unconfirmed subscriptions send nothing and are deleted
  after ALERT_CONFIRM_DAYS (``purge_unconfirmed``, run before each digest).
- ``confirm`` (the link) starts the alerts; ``unsubscribe`` (one subscription) and
  ``unsubscribe_all`` (the address) delete the rows: signed tokens, no login. Every alert
  email carries both links and the List-Unsubscribe / List-Unsubscribe-Post headers of
  RFC 8058 (a mail client's one-click POST stops all the address's alerts).
- ``send_digests`` (Celery beat, daily at 06:00 WIB) mails each address one digest of the
  reports made public (``Report.verified_at``) since its last one, through the outbox; per
  batch of addresses a constant number of queries, reading reports through
  ``report_public_verified_idx``. Only the public copy of public reports, no identities.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import reduce
from operator import or_
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agencies.models import Body, Region
from complaints import redaction, selectors
from complaints.alert_models import AlertSubscription
from complaints.feeds import REGION_FIELD, Scope, absolute, place_of, report_facts
from complaints.models import Category, OutgoingEmail, Report
from complaints.outbox import queue_messages
from lapor.errors import Absent, Invalid, TooMany
from lapor.mail import render_email

logger = logging.getLogger(__name__)

CONFIRM_DAYS = getattr(settings, "ALERT_CONFIRM_DAYS", 7)
# A confirmation link is mailed again for the same subscription at most this often, and an
# address holds at most this many unconfirmed subscriptions: typing someone else's address
# cannot flood their mailbox (the IP limit is ``rate_limits`` "alert_subscribe").
RESEND_MINUTES = 10
MAX_UNCONFIRMED = 5
MAX_PER_ADDRESS = 50
# A digest lists at most this many reports (the rest: a link to the list page) and looks back
# at most this far (after days of downtime, older reports are not mailed late).
DIGEST_REPORTS = 20
LOOKBACK = timedelta(days=2)
# Addresses per transaction of the digest, and the reports read for one batch at most.
BATCH = 200
BATCH_REPORTS = 5000

_CONFIRM_SALT = "complaints.alerts.confirm"
_UNSUBSCRIBE_SALT = "complaints.alerts.unsubscribe"
_MANAGE_SALT = "complaints.alerts.manage"


# --- tokens ---------------------------------------------------------------------------------


def confirm_token(subscription: AlertSubscription) -> str:
    return signing.dumps([subscription.pk, subscription.key], salt=_CONFIRM_SALT, compress=True)


def unsubscribe_token(subscription: AlertSubscription) -> str:
    return signing.dumps([subscription.pk, subscription.key], salt=_UNSUBSCRIBE_SALT,
                         compress=True)


def manage_token(email: str) -> str:
    return signing.dumps(email, salt=_MANAGE_SALT, compress=True)


def _bad_link() -> Invalid:
    return Invalid(_("Tautan ini tidak sah atau sudah tidak berlaku. Periksa bahwa tautan "
                     "tersalin utuh dari email, atau berlangganan lagi."), "token")


def _subscription_of(token: str, salt: str, max_age: timedelta | None = None
                     ) -> AlertSubscription | None:
    """The subscription a token names; Invalid for a token that is not ours (or too old),
    None for a valid token whose subscription is gone (already unsubscribed)."""
    try:
        pk, key = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise Invalid(_("Tautan konfirmasi ini sudah kedaluwarsa. Silakan berlangganan lagi; "
                        "kami akan mengirim tautan baru."), "token") from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise _bad_link() from exc
    return (AlertSubscription.objects.select_related("region__parent", "body", "category")
            .filter(pk=pk, key=key).first())


def address_of(token: str) -> str:
    """The address a manage link is for; Invalid for a token that is not ours."""
    try:
        email = signing.loads(token, salt=_MANAGE_SALT)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise _bad_link() from exc
    if not isinstance(email, str):
        raise _bad_link()
    return email


def confirm_url(subscription: AlertSubscription) -> str:
    return absolute(reverse("alerts:confirm", args=[confirm_token(subscription)]))


def unsubscribe_url(subscription: AlertSubscription) -> str:
    return absolute(reverse("alerts:unsubscribe", args=[unsubscribe_token(subscription)]))


def manage_url(email: str) -> str:
    return absolute(reverse("alerts:manage", args=[manage_token(email)]))


# --- what a subscription is about -----------------------------------------------------------


def subscribe_path(scope: Scope) -> str | None:
    """The subscribe page for ``scope``; None for a scope alerts cannot follow (no region,
    no body: the whole country)."""
    query = {}
    if scope.region is not None:
        query["wilayah"] = scope.region.code
    if scope.body is not None:
        query["instansi"] = str(scope.body.pk)
    if not query:
        return None
    if scope.category is not None:
        query["kategori"] = scope.category.slug
    return f"{reverse('alerts:subscribe')}?{urlencode(query)}"


def scope_of(subscription: AlertSubscription) -> Scope:
    return Scope(region=subscription.region, body=subscription.body,
                 category=subscription.category)


@dataclass(frozen=True)
class Wish:
    """What a subscription request names, resolved; made by ``wish_from``."""

    email: str
    region: Region | None
    body: Body | None
    category: Category | None

    @property
    def scope(self) -> Scope:
        return Scope(region=self.region, body=self.body, category=self.category)


def wish_from(*, email: str, region: str = "", body: int | None = None,
              category: str = "") -> Wish:
    """Check a request: a region (by Kemendagri code) or a body (by id), optionally a
    category (by slug). Invalid with the field at fault."""
    email = (email or "").strip().lower()
    found_region = found_body = found_category = None
    if region:
        found_region = Region.objects.select_related("parent").filter(
            code=region.strip()).first()
        if found_region is None:
            raise Invalid(_("Wilayah ini tidak dikenal."), "region")
    if body is not None:
        found_body = Body.objects.filter(pk=body, is_active=True).first()
        if found_body is None:
            raise Invalid(_("Instansi ini tidak dikenal."), "body")
    if found_region is None and found_body is None:
        raise Invalid(_("Pilih wilayah (mis. kecamatan) atau instansi yang ingin Anda ikuti."),
                      "region")
    if category:
        found_category = Category.objects.filter(slug=category, is_active=True).first()
        if found_category is None:
            raise Invalid(_("Kategori ini tidak dikenal."), "category")
    return Wish(email=email, region=found_region, body=found_body, category=found_category)


# --- subscribe, confirm, unsubscribe ---------------------------------------------------------


def subscribed_message(email: str) -> str:
    return _("Kami mengirim email ke %(email)s. Buka tautan di dalamnya untuk memulai "
             "peringatan; tanpa konfirmasi tidak ada email peringatan yang dikirim.") % {
        "email": email}


def _mail(subscription: AlertSubscription, template: str) -> OutgoingEmail:
    with translation.override(subscription.language):
        subject, text = render_email(template, {
            "scope": scope_of(subscription).label(),
            "confirm_url": confirm_url(subscription),
            "manage_url": manage_url(subscription.email),
            "unsubscribe_url": unsubscribe_url(subscription),
            "days": CONFIRM_DAYS,
        })
    return OutgoingEmail(address=subscription.email, subject=subject, text=text)


def subscribe(*, wish: Wish, language: str = "id", now: datetime | None = None) -> None:
    """Ask for alerts: a new (or the existing unconfirmed) subscription is sent a
    confirmation link; a confirmed one is sent a note that it is already active, with the
    link to manage it. The caller answers the same in every case."""
    now = now or timezone.now()
    with transaction.atomic():
        existing = AlertSubscription.objects.select_for_update().filter(
            email=wish.email, region=wish.region, body=wish.body, category=wish.category,
        ).first()
        if existing is not None and existing.is_confirmed:
            queue_messages([_mail(existing, "complaints/email/alert_already.txt")])
            return
        if existing is not None:
            sent = existing.confirmation_sent_at
            if sent is not None and now - sent < timedelta(minutes=RESEND_MINUTES):
                raise TooMany(_("Tautan konfirmasi baru saja dikirim ke alamat ini. Periksa "
                                "kotak masuk (dan folder spam), atau coba lagi dalam "
                                "%(minutes)d menit.") % {"minutes": RESEND_MINUTES},
                              RESEND_MINUTES * 60, "email")
            subscription = existing
            subscription.language = language
            subscription.confirmation_sent_at = now
            subscription.save(update_fields=["language", "confirmation_sent_at"])
        else:
            held = AlertSubscription.objects.filter(email=wish.email)
            if held.filter(confirmed_at__isnull=True).count() >= MAX_UNCONFIRMED:
                raise TooMany(_("Alamat ini masih punya beberapa langganan yang belum "
                                "dikonfirmasi. Buka tautan di email yang sudah dikirim "
                                "dulu."), 3600, "email")
            if held.count() >= MAX_PER_ADDRESS:
                raise Invalid(_("Alamat ini sudah berlangganan %(n)d peringatan, batas "
                                "tertinggi.") % {"n": MAX_PER_ADDRESS}, "email")
            try:
                with transaction.atomic():
                    subscription = AlertSubscription.objects.create(
                        email=wish.email, region=wish.region, body=wish.body,
                        category=wish.category, language=language, created_at=now,
                        confirmation_sent_at=now,
                    )
            except IntegrityError:  # the same request twice at once: one row, one email
                return
        queue_messages([_mail(subscription, "complaints/email/alert_confirm.txt")])


def confirm_preview(*, token: str) -> AlertSubscription:
    """The subscription a confirmation link names; Invalid for a bad or expired link, Absent
    when the subscription is gone."""
    subscription = _subscription_of(token, _CONFIRM_SALT, timedelta(days=CONFIRM_DAYS))
    if subscription is None:
        raise Absent(_("Langganan ini sudah tidak ada (berhenti, atau tidak dikonfirmasi "
                       "tepat waktu). Silakan berlangganan lagi."), "token")
    return subscription


def confirm(*, token: str, now: datetime | None = None) -> AlertSubscription:
    """Start the alerts of the subscription the link names (again: nothing changes)."""
    now = now or timezone.now()
    subscription = confirm_preview(token=token)
    AlertSubscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
        confirmed_at=now, sent_up_to=now)
    subscription.refresh_from_db(fields=["confirmed_at", "sent_up_to"])
    return subscription


def subscription_for_unsubscribe(token: str) -> AlertSubscription | None:
    """What the one-click link names (None: already stopped); Invalid for a bad link."""
    return _subscription_of(token, _UNSUBSCRIBE_SALT)


def unsubscribe(*, token: str) -> AlertSubscription | None:
    """Stop one subscription (delete it). None when it was already stopped."""
    subscription = _subscription_of(token, _UNSUBSCRIBE_SALT)
    if subscription is not None:
        AlertSubscription.objects.filter(pk=subscription.pk).delete()
    return subscription


def subscriptions_of(email: str) -> QuerySet[AlertSubscription]:
    return (AlertSubscription.objects.filter(email=email)
            .select_related("region__parent", "body", "category").order_by("created_at", "id"))


def unsubscribe_all(*, token: str) -> int:
    """Stop every subscription of the manage link's address; how many there were."""
    deleted, _rows = AlertSubscription.objects.filter(email=address_of(token)).delete()
    return deleted


def purge_unconfirmed(*, now: datetime | None = None) -> int:
    """Delete subscriptions not confirmed within CONFIRM_DAYS (index alert_unconfirmed_idx)."""
    cutoff = (now or timezone.now()) - timedelta(days=CONFIRM_DAYS)
    deleted, _rows = AlertSubscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=cutoff).delete()
    return deleted


# --- the digest ------------------------------------------------------------------------------


def _matches(subscription: AlertSubscription, report: Report) -> bool:
    if subscription.sent_up_to is not None and (
        report.verified_at is None or report.verified_at <= subscription.sent_up_to
    ):
        return False
    region = subscription.region
    if region is not None and getattr(report, f"{REGION_FIELD[region.level]}_id") != region.pk:
        return False
    body = subscription.body
    if body is not None and (
        report.holder_body is None or not report.holder_body.path.startswith(body.path)
    ):
        return False
    return subscription.category_id is None or report.category_id == subscription.category_id


def _candidates(subscriptions: list[AlertSubscription], since: datetime, now: datetime
                ) -> list[Report]:
    """One query: the public reports made public in (since, now] in any region or body the
    batch follows, newest first, through report_public_verified_idx."""
    places: list[Q] = []
    for level, name in REGION_FIELD.items():
        ids = {s.region_id for s in subscriptions if s.region and s.region.level == level}
        if ids:
            places.append(Q(**{f"{name}_id__in": ids}))
    places += [Q(holder_body__path__startswith=path)
               for path in sorted({s.body.path for s in subscriptions if s.body is not None})]
    if not places:
        return []
    return list(
        selectors.public_reports()
        .filter(verified_at__gt=since, verified_at__lte=now)
        .filter(reduce(or_, places))
        .select_related("category", "district", "regency", "province", "holder_body")
        .only("id", "tracking_number", "public_title", "status", "verified_at", "category_id",
              "district_id", "regency_id", "province_id", "holder_body_id", "category__name",
              "district__name", "regency__name", "province__name", "holder_body__name",
              "holder_body__path")
        .order_by("-verified_at", "-id")[:BATCH_REPORTS]
    )


@dataclass
class _Section:
    subscription: AlertSubscription
    scope: str
    unsubscribe_url: str
    page_url: str
    reports: list[dict[str, str]] = field(default_factory=list)
    more: int = 0


def _digest(email: str, subscriptions: list[AlertSubscription], reports: list[Report]
            ) -> OutgoingEmail | None:
    """The one email of an address, or None when nothing new matches any of its
    subscriptions. Each report once, under the first subscription it matches."""
    shown: set[int] = set()
    sections: list[_Section] = []
    total = 0
    language = subscriptions[0].language
    with translation.override(language):
        for subscription in subscriptions:
            scope = scope_of(subscription)
            section = _Section(subscription=subscription, scope=scope.label(),
                               unsubscribe_url=unsubscribe_url(subscription),
                               page_url=absolute(scope.page_url()))
            for report in reports:
                if report.pk in shown or not _matches(subscription, report):
                    continue
                shown.add(report.pk)
                if total >= DIGEST_REPORTS:
                    section.more += 1
                    continue
                total += 1
                section.reports.append({
                    "title": redaction.localised(report.public_title),
                    "number": report.tracking_number or "",
                    "facts": report_facts(report),
                    "place": place_of(report),
                    "url": absolute(reverse("public:detail", args=[report.tracking_number])),
                })
            if section.reports or section.more:
                sections.append(section)
        if not sections:
            return None
        subject, text = render_email("complaints/email/alert_digest.txt", {
            "sections": sections, "count": len(shown), "manage_url": manage_url(email),
        })
    one_click = manage_url(email)
    return OutgoingEmail(
        address=email, subject=subject, text=text,
        headers={"List-Unsubscribe": f"<{one_click}>",
                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def send_digests(*, now: datetime | None = None, batch: int = BATCH) -> dict[str, int]:
    """Mail every confirmed address its digest of what was made public since its last one.
    Per batch of addresses, in one transaction: the addresses, their subscriptions (locked,
    skipping those another worker holds), the candidate reports, one INSERT into the outbox
    and one UPDATE of the subscriptions' ``sent_up_to``: five queries, whatever the number of
    subscribers. Run twice, the second run finds nothing new."""
    now = now or timezone.now()
    outcome = {"purged": purge_unconfirmed(now=now), "addresses": 0, "emails": 0}
    after = ""
    while True:
        with transaction.atomic():
            emails = list(
                AlertSubscription.objects.filter(confirmed_at__isnull=False, email__gt=after)
                .order_by("email").values_list("email", flat=True).distinct()[:batch]
            )
            if not emails:
                return outcome
            after = emails[-1]
            subscriptions = list(
                AlertSubscription.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(confirmed_at__isnull=False, email__in=emails)
                .select_related("region__parent", "body", "category").order_by("email", "id")
            )
            floor = now - LOOKBACK
            since = min([s.sent_up_to or floor for s in subscriptions] + [now])
            reports = _candidates(subscriptions, max(since, floor), now)
            by_address: dict[str, list[AlertSubscription]] = defaultdict(list)
            for subscription in subscriptions:
                by_address[subscription.email].append(subscription)
            messages = [m for email, subs in by_address.items()
                        if (m := _digest(email, subs, reports)) is not None]
            queue_messages(messages)
            AlertSubscription.objects.filter(pk__in=[s.pk for s in subscriptions]).update(
                sent_up_to=now, last_digest_at=now)
            outcome["addresses"] += len(by_address)
            outcome["emails"] += len(messages)
