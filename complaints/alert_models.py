"""The email alerts' subscriptions: "new public reports in this region / for this body"
(optionally of one category), by address, without an account. Imported by
``complaints.models`` so Django finds the model; the rules are in ``complaints.alerts``."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Body, Region


def new_key() -> str:
    return secrets.token_urlsafe(12)


class AlertSubscription(models.Model):
    """One address's wish to be told of new public reports of a region (a kecamatan, or a
    regency or province) or of a body (and the units below it), optionally of one category.

    Sends nothing until ``confirmed_at`` (the signed link mailed to the address was opened);
    unconfirmed rows are deleted after ALERT_CONFIRM_DAYS. Unsubscribing deletes the row: an
    address is kept only while it wants the alerts. ``key`` is part of every link's token, so
    a subscription made again after an unsubscribe does not answer to the old links."""

    email = models.EmailField(_("alamat email"), max_length=254)
    region = models.ForeignKey(
        Region, verbose_name=_("wilayah"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="+",
    )
    body = models.ForeignKey(
        Body, verbose_name=_("instansi"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="+",
    )
    category = models.ForeignKey(
        "complaints.Category", verbose_name=_("kategori"), on_delete=models.CASCADE, null=True,
        blank=True, related_name="+",
    )
    # The language the emails are written in: the page's when the address subscribed.
    language = models.CharField(_("bahasa"), max_length=8, default="id")
    key = models.CharField(max_length=24, default=new_key, editable=False)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    confirmation_sent_at = models.DateTimeField(_("tautan konfirmasi dikirim"), null=True,
                                                blank=True)
    confirmed_at = models.DateTimeField(_("dikonfirmasi"), null=True, blank=True)
    # Reports made public (``Report.verified_at``) after this moment go into the next digest;
    # set to the confirmation time, then to the time of each digest.
    sent_up_to = models.DateTimeField(_("dikirim sampai"), null=True, blank=True)
    last_digest_at = models.DateTimeField(_("ringkasan terakhir"), null=True, blank=True)

    class Meta:
        verbose_name = _("langganan peringatan email")
        verbose_name_plural = _("langganan peringatan email")
        ordering = ["email", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(region__isnull=False) | models.Q(body__isnull=False),
                name="alert_names_region_or_body",
            ),
            models.UniqueConstraint(
                fields=["email", "region", "body", "category"], nulls_distinct=False,
                name="alert_once_per_address",
            ),
        ]
        indexes = [
            # complaints.alerts.send_digests: the confirmed subscriptions, address by address
            # (keyset on email).
            models.Index(fields=["email", "id"], name="alert_confirmed_idx",
                         condition=models.Q(confirmed_at__isnull=False)),
            # complaints.alerts.purge_unconfirmed: created_at < cutoff AND not confirmed.
            models.Index(fields=["created_at"], name="alert_unconfirmed_idx",
                         condition=models.Q(confirmed_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.region_id or ''}/{self.body_id or ''}/{self.category_id or ''}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
