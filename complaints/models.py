"""Citizens' reports: categories and their extra questions, the report itself, its
attachments, its append-only history, supports (*dukung*), in-app notifications, the email
outbox, and the Open311 clients."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Body, Region
from complaints.redaction import public_copy
from lapor.compiled_insert import CompiledInsert


class Priority(models.TextChoices):
    """How urgent a report is: its category's default, changed by a verifier with a reason.
    Deadline policies may differ per priority."""

    NORMAL = "normal", _("Biasa")
    HIGH = "high", _("Tinggi")
    EMERGENCY = "emergency", _("Darurat")  # a collapsed bridge, a hospital refusing a patient


class Category(models.Model):
    """A public-service area a report is about (admin-managed)."""

    name = models.CharField(_("nama"), max_length=120, unique=True)
    slug = models.SlugField(_("kode"), max_length=120, unique=True)
    description = models.CharField(_("keterangan"), max_length=300, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=100)
    default_priority = models.CharField(
        _("prioritas bawaan"), max_length=10, choices=Priority.choices, default=Priority.NORMAL,
        db_default=Priority.NORMAL,
    )

    class Meta:
        verbose_name = _("kategori")
        verbose_name_plural = _("kategori")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Teks")
    NUMBER = "number", _("Angka")
    DATE = "date", _("Tanggal")
    CHOICE = "choice", _("Pilihan")


class CategoryQuestion(models.Model):
    """A question a category asks besides the common fields (the road segment, the school,
    the date of a missed social-aid payment). Kept by the system admin; asked on the filing
    form and the API (``Report.answers``, by ``code``) and published as an Open311
    attribute. Rules of the answers: ``complaints.questions``."""

    category = models.ForeignKey(Category, verbose_name=_("kategori"), on_delete=models.CASCADE,
                                 related_name="questions")
    code = models.CharField(
        _("kode"), max_length=40,
        validators=[RegexValidator(r"^[a-z][a-z0-9_]*$", _(
            "Kode terdiri dari huruf kecil, angka dan garis bawah, diawali huruf."))],
        help_text=_("Huruf kecil, angka dan garis bawah; kunci jawaban di API dan Open311."),
    )
    label = models.CharField(_("pertanyaan"), max_length=150)
    help_text = models.CharField(_("keterangan"), max_length=300, blank=True)
    kind = models.CharField(_("jenis jawaban"), max_length=8, choices=QuestionKind.choices,
                            default=QuestionKind.TEXT)
    # One choice a line, "kode | Label" (or only the label, which is then also its code).
    choices = models.TextField(
        _("pilihan"), blank=True,
        help_text=_("Untuk jenis Pilihan: satu pilihan per baris, \"kode | Label\"."),
    )
    is_required = models.BooleanField(_("wajib"), default=False)
    is_active = models.BooleanField(_("aktif"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=100)

    class Meta:
        verbose_name = _("pertanyaan tambahan")
        verbose_name_plural = _("pertanyaan tambahan")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"],
                                    name="category_question_code_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.kind == QuestionKind.CHOICE and not self.choice_list():
            raise ValidationError({"choices": _("Pertanyaan pilihan perlu paling sedikit "
                                                "satu pilihan.")})

    def choice_list(self) -> list[tuple[str, str]]:
        """The choices as (code, label), in the admin's order."""
        out: list[tuple[str, str]] = []
        for line in self.choices.splitlines():
            key, _sep, label = line.partition("|")
            key, label = key.strip(), label.strip()
            if key:
                out.append((key, label or key))
        return out


class ReportKind(models.TextChoices):
    COMPLAINT = "complaint", _("Aduan")
    ASPIRATION = "aspiration", _("Aspirasi")
    INFORMATION_REQUEST = "information_request", _("Permintaan informasi")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Menunggu verifikasi")
    DISPOSITIONED = "dispositioned", _("Diteruskan ke instansi")
    IN_PROGRESS = "in_progress", _("Sedang ditindaklanjuti")
    RESOLVED = "resolved", _("Sudah dijawab")
    CLOSED = "closed", _("Selesai")
    REJECTED = "rejected", _("Ditolak")
    # Verification outcomes of SP4N-LAPOR! V3 besides disposition, rejection and duplicate.
    POSTPONED = "postponed", _("Ditunda")  # back in the verification queue on its date
    REFERRED_OUT = "referred_out", _("Bukan wewenang")  # no body in the system: told where to go
    ARCHIVED = "archived", _("Diarsipkan")  # greetings, tests, empty reports


# Statuses in which a report has passed verification: only these can be public.
VERIFIED_STATUSES = (
    ReportStatus.DISPOSITIONED,
    ReportStatus.IN_PROGRESS,
    ReportStatus.RESOLVED,
    ReportStatus.CLOSED,
)
# Statuses in which the citizen may still add information and answer the body.
OPEN_STATUSES = (
    ReportStatus.SUBMITTED,
    ReportStatus.POSTPONED,
    ReportStatus.DISPOSITIONED,
    ReportStatus.IN_PROGRESS,
    ReportStatus.RESOLVED,
)


class SolvedAnswer(models.TextChoices):
    """The citizen's answer to "Sudah tuntas?", asked once some days after the final answer."""

    YES = "yes", _("Ya, sudah tuntas")
    PARTLY = "partly", _("Sebagian")
    NO = "no", _("Belum")


class Channel(models.TextChoices):
    WEB = "web", _("Situs web")
    API = "api", _("API / aplikasi")
    WALK_IN = "walk_in", _("Datang langsung")
    PHONE = "phone", _("Telepon")
    LETTER = "letter", _("Surat")
    SMS = "sms", _("SMS")
    SOCIAL_MEDIA = "social_media", _("Media sosial")
    OPEN311 = "open311", _("Open311 (aplikasi mitra)")


class Open311Client(models.Model):
    """An application allowed to post requests through Open311 GeoReport v2. The system admin
    issues its key (shown once); only a SHA-256 digest is kept, looked up by the key's first
    characters (``complaints.open311.keys``)."""

    name = models.CharField(_("nama aplikasi"), max_length=120, unique=True)
    contact_email = models.EmailField(_("email pengelola"), blank=True)
    # The account its requests are entered by (Report.entered_by; it cannot sign in), made
    # when its first key is issued.
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        editable=False, related_name="open311_client",
    )
    key_prefix = models.CharField(_("awalan kunci"), max_length=12, unique=True, null=True,
                                  blank=True, editable=False)
    key_digest = models.CharField(max_length=64, blank=True, editable=False)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now, editable=False)
    key_issued_at = models.DateTimeField(_("kunci diterbitkan"), null=True, blank=True,
                                         editable=False)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True,
                                        editable=False)

    class Meta:
        verbose_name = _("klien Open311")
        verbose_name_plural = _("klien Open311")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Report(CompiledInsert, models.Model):
    tracking_number = models.CharField(
        _("nomor pelacakan"), max_length=16, unique=True, null=True, blank=True
    )
    kind = models.CharField(
        _("jenis laporan"), max_length=24, choices=ReportKind.choices, default=ReportKind.COMPLAINT
    )
    title = models.CharField(_("judul"), max_length=150, blank=True)
    description = models.TextField(_("isi laporan"), blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("kategori"), on_delete=models.PROTECT, null=True, blank=True
    )
    province = models.ForeignKey(
        Region, verbose_name=_("provinsi"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    regency = models.ForeignKey(
        Region, verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )
    district = models.ForeignKey(
        Region, verbose_name=_("kecamatan"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    event_on = models.DateField(_("tanggal kejadian"), null=True, blank=True)
    is_anonymous = models.BooleanField(_("anonim"), default=False)
    is_confidential = models.BooleanField(_("rahasia"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )

    # The account that follows the report. Kept for an anonymous report too (the citizen must
    # still follow it); it is never shown to bodies or the public. Null after the citizen
    # deleted their account, or for an assisted report of a person without an account.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pelapor"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="reports",
    )
    # Contact of a person without an account, typed by staff at assisted intake.
    contact_name = models.CharField(_("nama pelapor"), max_length=150, blank=True)
    contact_email = models.EmailField(_("email pelapor"), blank=True)
    contact_phone = models.CharField(_("telepon pelapor"), max_length=20, blank=True)
    channel = models.CharField(
        _("saluran"), max_length=16, choices=Channel.choices, default=Channel.WEB
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diketik oleh"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    # The application a report came through on the Open311 channel, and the token it was
    # given (GeoReport v2 ``tokens/{token}``).
    open311_client = models.ForeignKey(
        Open311Client, verbose_name=_("klien Open311"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="reports",
    )
    open311_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Answers to the category's extra questions (CategoryQuestion), by code: text as typed,
    # numbers as decimal strings, dates as YYYY-MM-DD, choices by their code.
    # '{}' in the database too, so bulk loads (the generator's COPY) need not name it.
    answers = models.JSONField(_("jawaban pertanyaan tambahan"), default=dict, blank=True,
                               db_default=models.Value({}, output_field=models.JSONField()))

    holder_body = models.ForeignKey(
        Body, verbose_name=_("instansi pemegang"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="held_reports",
    )
    support_count = models.PositiveIntegerField(_("jumlah dukungan"), default=0)
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("duplikat dari"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="duplicates",
    )
    rejection_reason = models.CharField(_("alasan penolakan"), max_length=32, blank=True)
    # A postponed report (Tunda) returns to the verification queue at this time (the start
    # of the chosen day in the report's province), by routing.services.outcomes.return_due.
    returns_at = models.DateTimeField(_("kembali ke antrean verifikasi"), null=True,
                                      blank=True)
    # The member of the holding body who handles the report ("Ambil", or assigned by a
    # supervisor); cleared when the report moves to another body. Staff-only.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("petugas pemegang"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="assigned_reports",
    )
    # When the body now holding the report first responded (None: it has not yet). Reset on
    # every disposition, redirect or escalation: each receiving body owes its own response.
    holder_responded_at = models.DateTimeField(_("tanggapan pertama instansi"), null=True,
                                               blank=True)
    first_dispositioned_at = models.DateTimeField(_("disposisi pertama"), null=True, blank=True)
    held_since = models.DateTimeField(_("dipegang sejak"), null=True, blank=True)
    # The Ombudsman RI office a report was escalated to after 60 working days without
    # follow-up (the body still holds it).
    ombudsman_office = models.ForeignKey(
        Body, verbose_name=_("perwakilan Ombudsman"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="ombudsman_reports",
    )
    escalated_at = models.DateTimeField(_("diteruskan ke Ombudsman"), null=True, blank=True)
    # The holder's earliest unmet deadline: the due time of its first response or of the
    # follow-up (60 working days), whichever comes first among the clocks not yet met,
    # breached ones included. So a report stays overdue (due_at in the past) from its breach
    # until the body acts, and sorts first in the queues. None: the holder owes nothing now.
    # Kept by routing.clocks.sync_report_due in the transaction of every clock change; stored
    # and indexed so that queues sort and filter by it without reading the clocks.
    due_at = models.DateTimeField(_("tenggat berikutnya"), null=True, blank=True)
    # Which deadline ``due_at`` is: a routing.models.ClockKind value, or "" with no due_at.
    due_clock_kind = models.CharField(_("jenis tenggat"), max_length=16, blank=True,
                                      default="", db_default="")
    # From when that deadline is "segera jatuh tempo": the moment its first warning is sent
    # (None: its policy names none). Kept with due_at by routing.clocks.sync_report_due.
    due_soon_from = models.DateTimeField(_("segera jatuh tempo sejak"), null=True, blank=True)
    # From the category when submitted; a verifier may change it with a reason.
    priority = models.CharField(_("prioritas"), max_length=10, choices=Priority.choices,
                                default=Priority.NORMAL, db_default=Priority.NORMAL)
    rating = models.PositiveSmallIntegerField(_("penilaian"), null=True, blank=True)
    rating_comment = models.TextField(_("komentar penilaian"), blank=True)

    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    submitted_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("dijawab"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    rated_at = models.DateTimeField(_("dinilai"), null=True, blank=True)
    # "Sudah tuntas?": asked once (``solved_asked_at``, claimed by the sweep) some days after
    # the final answer; the citizen's answer feeds the statistics.
    solved_asked_at = models.DateTimeField(_("ditanya sudah tuntas"), null=True, blank=True)
    solved_answer = models.CharField(_("sudah tuntas?"), max_length=8, blank=True, default="",
                                     db_default="", choices=SolvedAnswer.choices)
    solved_comment = models.TextField(_("komentar sudah tuntas"), blank=True, default="",
                                      db_default="")
    solved_answered_at = models.DateTimeField(_("dijawab sudah tuntas"), null=True, blank=True)
    # Bumped by every state change: two people acting on the same version, one wins.
    version = models.PositiveIntegerField(default=1)

    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config="indonesian")
        + SearchVector("description", weight="B", config="indonesian"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # The public copy: title and text with NIK, phone numbers, emails, plates and bank
    # accounts masked (complaints.redaction), kept by ``save`` whenever the original changes.
    # Every public page, the public API, the feed and its search read these; staff read the
    # original. The public search has its own index over them, so that searching a NIK finds
    # nothing publicly while staff queues still search the original (``search_vector``).
    public_title = models.TextField(_("judul publik"), blank=True, default="", db_default="")
    public_description = models.TextField(_("isi laporan publik"), blank=True, default="",
                                          db_default="")
    public_search_vector = models.GeneratedField(
        expression=SearchVector("public_title", weight="A", config="indonesian")
        + SearchVector("public_description", weight="B", config="indonesian"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # A verifier's edit of the public copy (routing.services.moderation.edit_public_copy):
    # from then on the public copy is theirs and ``save`` no longer makes it from the original
    # (which stays as the citizen wrote it, for staff and the reporter). The reason is the
    # latest edit's, shown to the reporter and staff, never to the public.
    public_copy_edited_at = models.DateTimeField(_("salinan publik diubah"), null=True,
                                                 blank=True)
    public_copy_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("salinan publik diubah oleh"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )
    public_copy_reason = models.CharField(_("alasan perubahan salinan publik"), max_length=500,
                                          blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="report_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(tracking_number__isnull=False),
                name="report_submitted_has_tracking_number",
            ),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="report_search_idx"),
            GinIndex(fields=["public_search_vector"], name="report_public_search_idx"),
            # The public feed: newest verified, non-confidential reports (keyset on id).
            models.Index(
                fields=["-submitted_at", "-id"],
                name="report_public_feed_idx",
                condition=models.Q(
                    is_confidential=False,
                    status__in=[s.value for s in VERIFIED_STATUSES],
                ),
            ),
            # The Atom feeds of new public reports and the email alerts' digest
            # (complaints.feeds, complaints.alerts): newest made public first (keyset on id).
            models.Index(
                fields=["-verified_at", "-id"],
                name="report_public_verified_idx",
                condition=models.Q(
                    is_confidential=False,
                    status__in=[s.value for s in VERIFIED_STATUSES],
                    verified_at__isnull=False,
                ),
            ),
            # ... of a regency (and of a kecamatan: complaints.feeds.scoped_reports adds its
            # regency) and of a holding body.
            models.Index(
                fields=["regency", "-verified_at", "-id"],
                name="report_public_regency_idx",
                condition=models.Q(
                    is_confidential=False,
                    status__in=[s.value for s in VERIFIED_STATUSES],
                    verified_at__isnull=False,
                ),
            ),
            models.Index(
                fields=["holder_body", "-verified_at", "-id"],
                name="report_public_holder_idx",
                condition=models.Q(
                    is_confidential=False,
                    status__in=[s.value for s in VERIFIED_STATUSES],
                    verified_at__isnull=False,
                ),
            ),
            models.Index(fields=["reporter", "-created_at"], name="report_reporter_idx"),
            models.Index(fields=["holder_body", "status"], name="report_holder_status_idx"),
            # The operators' queues: a body's open reports by due time (keyset on due_at, id).
            models.Index(
                fields=["holder_body", "due_at", "id"],
                name="report_queue_due_idx",
                condition=models.Q(status__in=["dispositioned", "in_progress", "resolved"]),
            ),
            # "Milik saya" / "Belum ada yang memegang": a body's open reports of one
            # assignee (or none) by due time.
            models.Index(
                fields=["holder_body", "assignee", "due_at", "id"],
                name="report_queue_assignee_idx",
                condition=models.Q(status__in=["dispositioned", "in_progress", "resolved"]),
            ),
            # routing.services.outcomes.return_due: status = postponed AND returns_at <= now
            models.Index(
                fields=["returns_at", "id"],
                name="report_postponed_return_idx",
                condition=models.Q(status="postponed"),
            ),
            models.Index(
                fields=["holder_body", "held_since", "id"],
                name="report_queue_age_idx",
                condition=models.Q(status__in=["dispositioned", "in_progress", "resolved"]),
            ),
            # The Ombudsman officers' queue: escalated reports per office, newest first ...
            models.Index(
                fields=["ombudsman_office", "escalated_at", "id"],
                name="report_ombudsman_idx",
                condition=models.Q(ombudsman_office__isnull=False),
            ),
            # ... and the most overdue first (the default order of that queue).
            models.Index(
                fields=["ombudsman_office", "due_at", "id"],
                name="report_ombudsman_due_idx",
                condition=models.Q(ombudsman_office__isnull=False),
            ),
            # complaints.services.solved.ask_due: resolved_at <= now - policy AND not yet
            # asked, oldest first.
            models.Index(
                fields=["resolved_at", "id"],
                name="report_solved_check_due_idx",
                condition=models.Q(solved_asked_at__isnull=True, resolved_at__isnull=False),
            ),
            # The statistics' rebuild of one day (routing.services.statistics: the reports
            # received that day, whatever their status); without it each refresh read every
            # report.
            models.Index(fields=["submitted_at"], name="report_submitted_idx"),
            # The verification queue: oldest submitted first, per province, and nationwide.
            models.Index(
                fields=["province", "submitted_at", "id"],
                name="report_verification_idx",
                condition=models.Q(status="submitted"),
            ),
            models.Index(
                fields=["submitted_at", "id"],
                name="report_verification_all_idx",
                condition=models.Q(status="submitted"),
            ),
            # complaints.similar: the newest open reports of one regency and category (the
            # bounded candidate set of the similar-reports lookup, scored by pg_trgm).
            models.Index(
                models.F("regency"), models.F("category"), models.F("submitted_at").desc(),
                name="report_similar_idx",
                condition=models.Q(
                    duplicate_of__isnull=True,
                    status__in=["submitted", "postponed", "dispositioned", "in_progress",
                                "resolved"],
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_number or _('draf')} — {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, with the public copy made again from the title and text whenever they are
        saved: derived data, like the search vectors, so no write can leave it stale.

        Except once a verifier edited the public copy (``public_copy_edited_at``): then it is
        the verifier's text, and a later save of the original (the system admin correcting a
        typo; a citizen cannot change a report once it is sent, and a verifier edits only sent
        reports) leaves it alone, so nothing silently puts back the words the verifier took
        out. Only another edit by a verifier changes it (``edit_public_copy``)."""
        fields = kwargs.get("update_fields")
        if self.public_copy_edited_at is None and (
            fields is None or {"title", "description"} & set(fields)
        ):
            self.refresh_public_copy()
            if fields is not None:
                kwargs["update_fields"] = {*fields, "public_title", "public_description"}
        super().save(*args, **kwargs)

    def refresh_public_copy(self) -> None:
        self.public_title = public_copy(self.title)
        self.public_description = public_copy(self.description)

    @property
    def is_public(self) -> bool:
        return not self.is_confidential and self.status in VERIFIED_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def attachment_path(instance: Attachment, filename: str) -> str:
    # Random names: a file's URL says nothing about the report, and is never served directly.
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{_suffix(filename)}"


def thumbnail_path(instance: Attachment, filename: str) -> str:
    return f"thumbnails/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.webp"


def public_path(instance: Attachment, filename: str) -> str:
    # The public copy of a photo (faces blurred): as private as the original, served by a view.
    return f"public/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{_suffix(filename)}"


def _suffix(filename: str) -> str:
    return "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


class AttachmentState(models.TextChoices):
    # Stored privately as uploaded, not yet cleaned: served to nobody.
    PROCESSING = "processing", _("sedang diproses")
    CLEAN = "clean", _("siap")
    # Cleaning refused the file (``failure`` says why); served to nobody, the uploader is told.
    FAILED = "failed", _("ditolak")


class Attachment(models.Model):
    """A photo or PDF. The upload is stored privately as it came (``state`` processing) and
    cleaned by a Celery task (complaints.attachments.process): photos re-encoded without EXIF,
    a thumbnail made, faces blurred in a public copy. Files are served only through a view that
    checks who may see the report, and only once clean."""

    report = models.ForeignKey(
        Report, verbose_name=_("laporan"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("berkas"), upload_to=attachment_path, max_length=200)
    thumbnail = models.FileField(
        _("gambar kecil"), upload_to=thumbnail_path, max_length=200, blank=True
    )
    original_name = models.CharField(_("nama asli"), max_length=200)
    content_type = models.CharField(_("jenis berkas"), max_length=40)
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    # Staff-only attachments (internal documents) are never shown to the citizen or public.
    is_staff_only = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(
        _("keadaan"), max_length=12, choices=AttachmentState.choices,
        default=AttachmentState.CLEAN,
    )
    failure = models.CharField(_("alasan penolakan"), max_length=300, blank=True)
    # Cleaning tries (the task's, the sweep's); after ATTACHMENT_MAX_ATTEMPTS the file fails.
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)  # the last try's start
    processed_at = models.DateTimeField(null=True, blank=True)
    # The public copy of a photo (complaints.faces): faces blurred, made from the clean file
    # by the same task. Empty when no face was found (the public then gets ``file``).
    # ``faces_found`` None: not looked at yet (a photo cleaned before faces were blurred), or
    # the detector failed on it (``face_detector`` then says so): the public gets no photo.
    public_file = models.FileField(
        _("salinan publik"), upload_to=public_path, max_length=200, blank=True
    )
    public_thumbnail = models.FileField(
        _("gambar kecil publik"), upload_to=thumbnail_path, max_length=200, blank=True
    )
    faces_found = models.PositiveSmallIntegerField(_("wajah ditemukan"), null=True, blank=True)
    face_detector = models.CharField(_("pendeteksi wajah"), max_length=80, blank=True)
    # Hidden from the public by a verifier (routing.services.moderation), with a reason the
    # reporter and staff read: the file stays for staff and the reporter, is left out of
    # every public page, feed and API and is not served to anyone else.
    hidden_at = models.DateTimeField(_("disembunyikan dari publik"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("disembunyikan oleh"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )
    hidden_reason = models.CharField(_("alasan disembunyikan"), max_length=500, blank=True,
                                     default="", db_default="")

    class Meta:
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")
        ordering = ["created_at", "id"]
        indexes = [
            # The beat sweep: files still waiting to be cleaned, oldest first.
            models.Index(
                fields=["created_at"], name="attachment_processing",
                condition=models.Q(state="processing"),
            ),
            # The sweep that makes the public copies of photos cleaned before faces were
            # blurred (complaints.attachments.sweep_faces).
            models.Index(
                fields=["created_at"], name="attachment_faces_pending",
                condition=models.Q(state="clean", faces_found__isnull=True, face_detector="",
                                   content_type__startswith="image/"),
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def is_clean(self) -> bool:
        return self.state == AttachmentState.CLEAN

    @property
    def is_processing(self) -> bool:
        return self.state == AttachmentState.PROCESSING

    @property
    def has_failed(self) -> bool:
        return self.state == AttachmentState.FAILED

    @property
    def is_public_ready(self) -> bool:
        """Whether its public copy can be served: clean, and for a photo, looked at for faces."""
        return self.is_clean and (not self.is_image or self.faces_found is not None)

    @property
    def faces_blurred(self) -> bool:
        """Whether the public copy differs from the original: faces were blurred in it."""
        return bool(self.faces_found) and bool(self.public_file)

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Laporan dikirim")
    INFO_ADDED = "info_added", _("Pelapor menambah informasi")
    CITIZEN_REPLY = "citizen_reply", _("Pelapor menjawab")
    REJECTED = "rejected", _("Laporan ditolak")
    DUPLICATE = "duplicate", _("Ditandai sebagai duplikat")
    COMPLETION_REQUESTED = "completion_requested", _("Pelapor diminta melengkapi laporan")
    DISPOSITIONED = "dispositioned", _("Diteruskan ke instansi")
    DISPOSED_DOWN = "disposed_down", _("Diteruskan ke unit di bawahnya")
    REDIRECTED = "redirected", _("Dialihkan ke instansi lain")
    ESCALATED = "escalated", _("Dinaikkan ke instansi induk")
    FIRST_RESPONSE = "first_response", _("Tanggapan pertama")
    RESPONSE = "response", _("Tanggapan instansi")
    INFO_REQUESTED = "info_requested", _("Instansi meminta informasi")
    INTERNAL_NOTE = "internal_note", _("Catatan internal")
    RESOLVED = "resolved", _("Jawaban akhir")
    REOPENED = "reopened", _("Dibuka kembali")
    ACCEPTED = "accepted", _("Pelapor menerima jawaban")
    CLOSED = "closed", _("Laporan ditutup")
    RATED = "rated", _("Pelapor memberi penilaian")
    SOLVED_ANSWERED = "solved_answered", _("Pelapor menjawab: sudah tuntas?")
    OMBUDSMAN_ESCALATED = "ombudsman_escalated", _("Diteruskan ke Ombudsman RI")
    DEADLINE_BREACHED = "deadline_breached", _("Tenggat terlewati")
    POSTPONED = "postponed", _("Verifikasi ditunda")
    POSTPONEMENT_ENDED = "postponement_ended", _("Kembali ke antrean verifikasi")
    REFERRED_OUT = "referred_out", _("Bukan wewenang instansi dalam LAPOR!")
    ARCHIVED = "archived", _("Diarsipkan")
    ASSIGNED = "assigned", _("Petugas pemegang ditetapkan")
    COPIED = "copied", _("Tembusan ke instansi lain")
    PRIORITY_CHANGED = "priority_changed", _("Prioritas diubah")
    PUBLIC_COPY_EDITED = "public_copy_edited", _("Judul/isi publik diubah oleh verifikator")
    ATTACHMENT_HIDDEN = "attachment_hidden", _("Lampiran disembunyikan dari publik")
    ATTACHMENT_SHOWN = "attachment_shown", _("Lampiran ditampilkan lagi untuk publik")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Publik")
    # The reporter and staff, not the public: a verifier's reason for changing what the
    # public sees, which may quote the very words taken out.
    REPORTER = "reporter", _("Pelapor dan petugas")
    STAFF = "staff", _("Petugas saja")


class ReportEvent(CompiledInsert, models.Model):
    """One step in a report's history. Append-only: the database refuses UPDATE and DELETE
    (trigger ``report_event_append_only``), and each row carries a hash over its content and
    the previous row's hash, so ``manage.py verify_history`` detects edits made behind the
    application's back."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    actor_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("peristiwa laporan")
        verbose_name_plural = _("riwayat laporan")
        ordering = ["report_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["report", "seq"], name="report_event_seq_unique"),
        ]
        indexes = [
            # The Atom feeds of public answers (complaints.feeds.public_answers): the bodies'
            # public responses and final answers, newest first.
            models.Index(
                fields=["-created_at", "-id"], name="event_public_answer_idx",
                condition=models.Q(visibility="public",
                                   kind__in=["first_response", "response", "resolved"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}#{self.seq} {self.kind}"


class ReportCopy(models.Model):
    """A copy (*tembusan*) of a report to another body: its staff follow the report (a
    "Tembusan" queue, the staff page, internal notes for every body involved) and are told
    of its final answer; the body holds no clock and cannot act for the holder."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="copies")
    body = models.ForeignKey(Body, verbose_name=_("instansi tembusan"),
                             on_delete=models.PROTECT, related_name="report_copies")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tembusan")
        verbose_name_plural = _("tembusan")
        constraints = [
            models.UniqueConstraint(fields=["report", "body"], name="report_copy_once_per_body"),
        ]
        indexes = [
            # The "Tembusan" queue: a body's copies, newest first (keyset on at, id).
            models.Index(fields=["body", "-at", "-id"], name="report_copy_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.body_id}"


class Support(models.Model):
    """A signed-in citizen's *dukung* of a public report: once per person."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "user"], name="support_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.report_id}"


class Notification(CompiledInsert, models.Model):
    """An in-app notice for a user: a short title, one sentence and a link to the report's page
    for that user. The email (when one is sent) carries the full text; the page the link opens
    shows everything else."""

    TITLE_MAX = 200
    MESSAGE_MAX = 300

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=TITLE_MAX)
    message = models.CharField(max_length=MESSAGE_MAX)
    # A path on this site ("/laporan-saya/LPR-…/"), never an absolute URL: it must work on
    # whatever host and port the portal is reached at.
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The inbox: unread first, then newest (complaints.selectors.notifications_of sorts
            # by the same expressions), and the unread count of the navigation badge.
            models.Index(
                models.F("user"),
                models.ExpressionWrapper(
                    models.Q(read_at__isnull=True), output_field=models.BooleanField()
                ).desc(),
                models.F("created_at").desc(),
                models.F("id").desc(),
                name="notification_inbox_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class OutgoingEmail(CompiledInsert, models.Model):
    """The email outbox: one message to one address, written in the transaction of the act
    that caused it (so the act and its email commit together, or neither), sent by a Celery
    worker (``complaints.outbox``). Redis down loses no email: the row waits, and the beat
    sweep sends it once the broker is back, with back-off while the mail server refuses.

    A row is claimed once before it is sent (``pending`` → ``sending``, committed), so two
    workers or a worker and the sweep never send it twice. Only a worker killed in the middle
    of the SMTP conversation leaves a row ``sending``: after EMAIL_CLAIM_TIMEOUT_SECONDS the
    sweep sends it again, with the same ``Message-ID`` so a mail client shows it once."""

    class State(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENDING = "sending", _("Sedang dikirim")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal permanen")

    address = models.EmailField(_("alamat"), max_length=254)
    subject = models.CharField(_("subjek"), max_length=300)
    text = models.TextField(_("isi"))
    state = models.CharField(_("keadaan"), max_length=8, choices=State.choices,
                             default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), default=timezone.now)
    claimed_at = models.DateTimeField(_("diambil pekerja"), null=True, blank=True)
    last_error = models.CharField(_("galat terakhir"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)
    # Extra headers of the message (the alerts' List-Unsubscribe, RFC 8058).
    headers = models.JSONField(_("kepala pesan tambahan"), default=dict, blank=True,
                               db_default=models.Value({}, output_field=models.JSONField()))
    # The text holds a secret link (account emails): erased once sent.
    forget_text = models.BooleanField(_("hapus isi setelah terkirim"), default=False)

    class Meta:
        verbose_name = _("email keluar")
        verbose_name_plural = _("email keluar")
        indexes = [
            # the sweep: WHERE state = 'pending' AND next_attempt_at <= now
            models.Index(fields=["next_attempt_at", "id"], name="email_pending_idx",
                         condition=models.Q(state="pending")),
            # claims left by a killed worker: WHERE state = 'sending' AND claimed_at < …
            models.Index(fields=["claimed_at"], name="email_sending_idx",
                         condition=models.Q(state="sending")),
        ]

    def __str__(self) -> str:
        return f"email {self.pk} {self.state}"


from complaints.alert_models import AlertSubscription  # noqa: E402, F401  (Django finds it here)
