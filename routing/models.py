"""Routing rules (which body handles a category in a region) and dispositions (each time a
report was sent to a body: by verification, redirect, disposition down or escalation)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Body, Region
from complaints.models import Category, Report


class RoutingRule(models.Model):
    """(category, region) → body. The most specific matching rule wins: district, then
    regency/city, then province, then national (no region). No category = any category."""

    category = models.ForeignKey(
        Category, verbose_name=_("kategori"), on_delete=models.PROTECT, null=True, blank=True,
        help_text=_("Kosong: semua kategori."),
    )
    region = models.ForeignKey(
        Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, null=True, blank=True,
        help_text=_("Kosong: seluruh Indonesia."),
    )
    body = models.ForeignKey(
        Body, verbose_name=_("instansi tujuan"), on_delete=models.PROTECT, related_name="+"
    )
    is_trusted = models.BooleanField(
        _("disposisi otomatis"),
        default=False,
        help_text=_("Laporan yang cocok langsung diteruskan tanpa menunggu verifikator."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("aturan rute")
        verbose_name_plural = _("aturan rute")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "region"],
                condition=models.Q(is_active=True),
                nulls_distinct=False,
                name="routing_rule_one_active_per_category_region",
            ),
        ]

    def __str__(self) -> str:
        where = self.region.name if self.region_id else _("Nasional")
        what = self.category.name if self.category_id else _("Semua kategori")
        return f"{what} · {where} → {self.body}"


class Disposition(models.Model):
    """One move of a report to a body, with who chose it and what the rules suggested."""

    class Kind(models.TextChoices):
        VERIFICATION = "verification", _("Disposisi verifikator")
        AUTOMATIC = "automatic", _("Disposisi otomatis (aturan)")
        DOWN = "down", _("Disposisi ke unit di bawahnya")
        REDIRECT = "redirect", _("Pengalihan")
        ESCALATION = "escalation", _("Eskalasi ke instansi induk")

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="dispositions")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    from_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    rule = models.ForeignKey(
        RoutingRule, on_delete=models.PROTECT, null=True, blank=True,
        related_name="dispositions",
    )
    suggested_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    was_overridden = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report_id", "created_at", "id"]
        indexes = [models.Index(fields=["report", "created_at"], name="disposition_report_idx")]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.get_kind_display()} → {self.to_body_id}"


class ResponseTemplate(models.Model):
    """A canned answer of a body, with placeholders such as {nomor}, {judul}, {instansi},
    {tanggal}. Kept by the body's supervisor."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="response_templates")
    title = models.CharField(_("judul"), max_length=120)
    text = models.TextField(_("isi"))
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("templat jawaban")
        verbose_name_plural = _("templat jawaban")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["body", "title"], name="response_template_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class IdentityDisclosure(models.Model):
    """Every time staff saw a reporter's identity (name, email, phone): who, which report,
    when and why. Reading an anonymous reporter's identity is a system admin's audited act."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="+")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.viewer_id} saw reporter of {self.report_id}"


class ExportJob(models.Model):
    """An export of a filtered queue to CSV or XLSX, built by a Celery worker so that a large
    queue does not hold a web request; the page polls its progress."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX (Excel)"

    class State(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        RUNNING = "running", _("Sedang dibuat")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    format = models.CharField(max_length=4, choices=Format.choices, default=Format.CSV)
    # The queue's filters as the user chose them (re-applied, and re-scoped to the user's
    # rights, by the worker).
    filters = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    total_rows = models.PositiveIntegerField(null=True, blank=True)
    done_rows = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True, max_length=200)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.state})"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.state == self.State.DONE else 0
        return min(100, round(100 * self.done_rows / self.total_rows))
