"""Routing rules (which body handles a category in a region) and dispositions (each time a
report was sent to a body: by verification, redirect, disposition down or escalation)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Body, Region
from complaints.models import Category, Priority, Report
from lapor.compiled_insert import CompiledInsert


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
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
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
        where = self.region.name if self.region else _("Nasional")
        what = self.category.name if self.category else _("Semua kategori")
        return f"{what} · {where} → {self.body}"


class SuggestionSource(models.TextChoices):
    """Which suggestion a verifier's chosen body was."""

    RULE = "rule", _("Aturan rute")
    LEARNED_TOP1 = "learned_1", _("Riwayat disposisi, saran pertama")
    LEARNED_TOP3 = "learned_2_3", _("Riwayat disposisi, saran kedua atau ketiga")
    NONE = "none", _("Bukan saran mana pun")


class RoutingModel(models.Model):
    """One trained version of the learned routing suggestion (``routing.learned``): a text
    classifier over a report's title, description, category and place, trained from past
    verified dispositions by ``routing.services.learning.train``. The newest version is the
    one in use; each process loads it once and again only when the version changes."""

    version = models.PositiveIntegerField(_("versi"), unique=True)
    trained_at = models.DateTimeField(_("dilatih"), default=timezone.now)
    training_rows = models.PositiveIntegerField(_("baris latih"), default=0)
    held_out_rows = models.PositiveIntegerField(_("baris uji"), default=0)
    # On the newest reports held out of training (the model that is stored is then refitted
    # on every row): how often its first suggestion, and any of its three, was the body.
    top1 = models.FloatField(_("akurasi top-1"), null=True, blank=True)
    top3 = models.FloatField(_("akurasi top-3"), null=True, blank=True)
    rules_top1 = models.FloatField(_("akurasi aturan"), null=True, blank=True)
    classes = models.PositiveIntegerField(_("jumlah kelas"), default=0)
    seconds = models.FloatField(_("lama pelatihan (detik)"), default=0)
    size_bytes = models.PositiveIntegerField(_("ukuran"), default=0)
    pipeline = models.BinaryField()  # the fitted scikit-learn pipeline, joblib-dumped

    class Meta:
        verbose_name = _("model saran disposisi")
        verbose_name_plural = _("model saran disposisi")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version} ({self.trained_at:%Y-%m-%d %H:%M})"


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
    # A verifier's disposition: which suggestion the chosen body was (the rule's first, then
    # the learned model's), and where the chosen body stood among the learned model's top 3
    # (1-3; 0: not among them; None: no learned suggestion). Empty for every other move.
    suggestion_taken = models.CharField(
        max_length=12, choices=SuggestionSource.choices, blank=True, default="", db_default="",
    )
    learned_model = models.ForeignKey(
        "RoutingModel", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    learned_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report_id", "created_at", "id"]
        indexes = [
            models.Index(fields=["report", "created_at"], name="disposition_report_idx"),
            # The learned model's training rows (the newest verified) and the admin's summary.
            models.Index(fields=["-created_at"], name="disposition_verified_idx",
                         condition=models.Q(kind="verification")),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.get_kind_display()} → {self.to_body_id}"


class ResponseTemplate(models.Model):
    """A canned answer of a body, with placeholders such as {nomor}, {judul}, {instansi},
    {tanggal}. Kept by the body's supervisor."""

    body = models.ForeignKey(
        Body, verbose_name=_("instansi"), on_delete=models.CASCADE,
        related_name="response_templates",
    )
    title = models.CharField(_("judul"), max_length=120)
    text = models.TextField(_("isi"))
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

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
    # Asked for, with a reason: the file holds the reporters' name, email and phone (of the
    # reports whose reporter the requester may read), each one logged as a disclosure.
    includes_identity = models.BooleanField(default=False)
    identity_reason = models.CharField(max_length=250, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    total_rows = models.PositiveIntegerField(null=True, blank=True)
    done_rows = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True, max_length=200)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Pending: when it was last handed to the broker; running: the building worker's last
    # sign of life. Older than EXPORT_STALE_AFTER_SECONDS, the sweep takes the job back
    # (routing.exports.reclaim_stale_exports).
    heartbeat_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)  # builds started

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # reclaim_stale_exports: WHERE state IN ('pending', 'running') AND heartbeat_at < …
            models.Index(fields=["heartbeat_at"], name="export_active_idx",
                         condition=models.Q(state__in=["pending", "running"])),
            # the per-person limit: a requester's jobs of the last hour
            models.Index(fields=["requested_by", "created_at"], name="export_requester_idx"),
        ]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.state})"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.state == self.State.DONE else 0
        return min(100, round(100 * self.done_rows / self.total_rows))


class CalendarDay(models.Model):
    """A day the system admin declares working or not, over the `holidays` package: a regional
    holiday, a late decree of cuti bersama, a working Saturday. For one province or national."""

    date = models.DateField(_("tanggal"))
    province = models.ForeignKey(
        Region, verbose_name=_("provinsi"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text=_("Kosong: berlaku nasional."),
    )
    is_working_day = models.BooleanField(_("hari kerja"))
    note = models.CharField(_("keterangan"), max_length=200)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )

    class Meta:
        verbose_name = _("hari kalender")
        verbose_name_plural = _("kalender hari kerja")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "province"], nulls_distinct=False, name="calendar_day_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.note}"


class ClockKind(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("Tanggapan pertama")
    FOLLOW_UP = "follow_up", _("Tindak lanjut")
    # After its first response the holder owes a substantive follow-up (a note to the citizen,
    # a disposition down, the final answer) within 5 working days, again after each one.
    NEXT_STEP = "next_step", _("Tindak lanjut berkala")
    VERIFICATION = "verification", _("Verifikasi")
    CITIZEN_SILENCE = "citizen_silence", _("Pelapor tidak menanggapi jawaban")
    # From a question to the citizen (a verifier's request to complete, a body's request for
    # information) to the citizen's answer; its warning reminds the citizen, its breach
    # closes the report with the policy's closing note.
    CITIZEN_REPLY = "citizen_reply", _("Menunggu jawaban pelapor")


class BreachAction(models.TextChoices):
    MARK_OVERDUE = "mark_overdue", _("Tandai terlambat dan beri tahu pimpinan")
    NOTIFY = "notify", _("Beri tahu pimpinan verifikator")
    ESCALATE_OMBUDSMAN = "escalate_ombudsman", _("Teruskan ke Ombudsman RI")
    CLOSE = "close", _("Tutup laporan")
    CLOSE_UNANSWERED = "close_unanswered", _("Tutup laporan yang pertanyaannya tidak dijawab")


class DayOne(models.TextChoices):
    """Which day is day 1 of a count in working days (``routing.calendar``)."""

    NEXT_WORKING_DAY = "next_working_day", _(
        "Hari ke-1 adalah hari kerja pertama sesudah hari laporan diterima, pukul berapa pun"
    )
    SAME_DAY_BEFORE_CLOSE = "same_day_before_close", _(
        "Hari diterima dihitung sebagai hari ke-1 bila laporan masuk sebelum pukul 16.00"
    )


class DeadlinePolicy(models.Model):
    """How long a clock runs and what its breach does. Rows are never edited: a change is a new
    version, used by clocks started after it; each clock records the version it used."""

    clock = models.CharField(_("jenis tenggat"), max_length=16, choices=ClockKind.choices)
    # For reports of one priority only (a first response within 4 hours for "darurat");
    # empty: every priority without its own policy.
    priority = models.CharField(_("prioritas"), max_length=10, choices=Priority.choices,
                                blank=True, default="", db_default="",
                                help_text=_("Kosong: semua prioritas tanpa kebijakan sendiri."))
    version = models.PositiveIntegerField(_("versi"))
    length_hours = models.PositiveIntegerField(_("lama (jam)"), null=True, blank=True)
    working_days = models.PositiveIntegerField(_("lama (hari kerja)"), null=True, blank=True)
    # Only for a length in working days: which day is day 1 (the law's count by default).
    day_one = models.CharField(
        _("hari ke-1"), max_length=24, choices=DayOne.choices, default=DayOne.NEXT_WORKING_DAY,
        db_default=DayOne.NEXT_WORKING_DAY,
    )
    # Warnings before the deadline, in the policy's unit (hours, or working days: "3" is sent
    # at 08:00 local on the third working day before the deadline's own day), largest first.
    # Each is sent once per clock; the last (smallest) also to the supervisors.
    warnings_before = ArrayField(
        models.PositiveIntegerField(), verbose_name=_("peringatan sebelum tenggat"),
        default=list, blank=True,
        help_text=_("Dalam satuan lama tenggat (jam atau hari kerja), dipisah koma: 10,3."),
    )
    # Whether a clock of this policy pauses while the citizen is asked for information, until
    # the citizen answers (by default only verification's: a body asking a question does not
    # stop its own deadlines, nor the way to the Ombudsman).
    pauses_for_citizen = models.BooleanField(_("berhenti sementara saat menunggu pelapor"),
                                             default=False, db_default=False)
    # What the citizen reads when the breach closes the report (close_unanswered).
    closing_note = models.TextField(_("alasan penutupan untuk pelapor"), blank=True,
                                    default="", db_default="")
    action = models.CharField(_("bila terlewati"), max_length=24, choices=BreachAction.choices)
    # Does the clock stop while its report is postponed (Tunda), and run on with the time it
    # had left when the report returns to the verification queue? Off: it keeps running.
    pauses_when_postponed = models.BooleanField(
        _("berhenti selama ditunda"), default=False, db_default=False,
        help_text=_("Bila dicentang, tenggat tidak berjalan selama laporan ditunda (Tunda)."),
    )
    is_current = models.BooleanField(_("berlaku"), default=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )

    class Meta:
        verbose_name = _("kebijakan tenggat")
        verbose_name_plural = _("kebijakan tenggat")
        ordering = ["clock", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["clock", "version"], name="policy_version_unique"),
            models.UniqueConstraint(
                fields=["clock", "priority"], condition=models.Q(is_current=True),
                name="policy_one_current_per_clock_and_priority",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(length_hours__isnull=False, working_days__isnull=True)
                    | models.Q(length_hours__isnull=True, working_days__isnull=False)
                ),
                name="policy_length_in_hours_or_working_days",
            ),
        ]

    def __str__(self) -> str:
        length = (f"{self.length_hours} jam" if self.length_hours is not None
                  else f"{self.working_days} hari kerja")
        scope = f" ({self.get_priority_display()})" if self.priority else ""
        return f"{self.get_clock_display()}{scope} v{self.version}: {length}"

    @property
    def length_text(self) -> str:
        """"24 jam" / "5 hari kerja", as the citizen reads the expected time."""
        if self.length_hours is not None:
            return str(_("%(n)d jam") % {"n": self.length_hours})
        return str(_("%(n)d hari kerja") % {"n": self.working_days})

    @property
    def convention(self) -> str:
        """How the deadline is counted, in words, shown beside it: for working days, which
        day is day 1; for hours, that it runs round the clock."""
        if self.working_days is None:
            return str(_("dalam jam, termasuk malam dan hari libur"))
        if self.day_one == DayOne.SAME_DAY_BEFORE_CLOSE:
            return str(_("hari ke-1: hari diterima, bila masuk sebelum 16.00"))
        return str(_("hari ke-1: hari kerja sesudah hari diterima"))


class Clock(CompiledInsert, models.Model):
    """A running deadline of a report: started when its policy says, stopped by the act that
    ends it, breached by the sweep exactly once."""

    class State(models.TextChoices):
        RUNNING = "running", _("Berjalan")
        # Waiting for the citizen's answer (its policy pauses it): out of the sweep until the
        # citizen answers; then its due time moves on by the time it waited.
        PAUSED = "paused", _("Menunggu pelapor")
        STOPPED = "stopped", _("Berhenti")
        BREACHED = "breached", _("Terlewati")

    class Outcome(models.TextChoices):
        """Why a clock ended (``stopped_at``): a breached clock ends too, when the body does
        late what it owed, or when the report leaves it."""

        MET = "met", _("dipenuhi")
        MOVED = "moved", _("dialihkan")
        # Its breach ended what it waited for (the citizen's silence closed the report).
        CLOSED = "closed", _("ditutup")
        # The report was postponed (Tunda) under a policy that pauses the clock: a new clock
        # with the time left starts when the report returns to the verification queue.
        PAUSED = "paused", _("dijeda")

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="clocks")
    kind = models.CharField(max_length=16, choices=ClockKind.choices)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    policy = models.ForeignKey(DeadlinePolicy, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=8, choices=State.choices, default=State.RUNNING)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    # When the clock ended and why: set for a stopped clock, and for a breached one once what
    # it measured is done late or the report moved on. A breached clock without ``stopped_at``
    # is an unmet deadline: the report stays overdue (``sync_report_due``).
    stopped_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True, default="",
                               db_default="")
    breached_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)  # waiting for the citizen since
    # When its first warning is sent (None: its policy names none): from then until due_at the
    # report is "segera jatuh tempo" (copied to Report.due_soon_from by sync_report_due).
    warn_from = models.DateTimeField(null=True, blank=True)
    # When the sweep should look at it: due_at, pushed later when handling it failed so that
    # one bad row cannot stall the sweep.
    sweep_after = models.DateTimeField()
    failures = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["report_id", "started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind"], condition=models.Q(state="running"),
                name="clock_one_running_per_report_and_kind",
            ),
        ]
        indexes = [
            # enforce_deadlines: WHERE state = 'running' AND sweep_after <= now
            # ORDER BY sweep_after, id
            models.Index(fields=["sweep_after", "id"], name="clock_sweep_idx",
                         condition=models.Q(state="running")),
            models.Index(fields=["report", "kind"], name="clock_report_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind} {self.state} due {self.due_at:%Y-%m-%d %H:%M}"


class ExternalChannel(models.Model):
    """Where a citizen is sent when a report is no matter for any body in the system (Bukan
    wewenang): a court, the police, a named external channel. Kept by the system admin."""

    name = models.CharField(_("nama"), max_length=150, unique=True)
    description = models.CharField(_("keterangan"), max_length=500, blank=True,
                                   help_text=_("Untuk apa saluran ini; dibaca pelapor."))
    url = models.URLField(_("alamat situs"), max_length=300, blank=True)
    contact = models.CharField(_("kontak"), max_length=200, blank=True,
                               help_text=_("Telepon, email atau alamat kantor."))
    is_active = models.BooleanField(_("aktif"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=100)

    class Meta:
        verbose_name = _("saluran di luar LAPOR!")
        verbose_name_plural = _("saluran di luar LAPOR!")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class ClockWarning(models.Model):
    """One warning of a clock before its deadline, written when the clock starts (one row per
    warning its policy names) and sent by the sweep exactly once: claimed like a breach, and
    dropped instead when the clock ended, when a later warning of the same clock is due too
    (after downtime only the latest is sent), or when the breach itself is due."""

    class State(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        HELD = "held", _("Ditahan selama jam berhenti")  # its clock is paused
        SENT = "sent", _("Terkirim")
        DROPPED = "dropped", _("Tidak dikirim")

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="warnings")
    # How long before the deadline, in the policy's unit (hours or working days).
    before = models.PositiveIntegerField()
    is_last = models.BooleanField(default=False)
    send_at = models.DateTimeField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["clock_id", "send_at"]
        constraints = [
            models.UniqueConstraint(fields=["clock", "before"], name="clock_warning_unique"),
        ]
        indexes = [
            # send_warnings: WHERE state = 'pending' AND send_at <= now ORDER BY send_at, id
            models.Index(fields=["send_at", "id"], name="clock_warning_sweep_idx",
                         condition=models.Q(state="pending")),
        ]

    def __str__(self) -> str:
        return f"warning {self.before} before clock {self.clock_id} ({self.state})"


class WebhookDelivery(models.Model):
    """An outbox row: a signed notice to the Ombudsman's own case system, written in the same
    transaction as the escalation and delivered by Celery with retries; nothing is lost while
    the receiver is down."""

    class State(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        DELIVERED = "delivered", _("Terkirim")
        FAILED = "failed", _("Gagal permanen")

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="+")
    event_kind = models.CharField(max_length=32)
    url = models.URLField(max_length=500)
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # deliver_webhooks: WHERE state = 'pending' AND next_attempt_at <= now
            models.Index(fields=["next_attempt_at"], name="webhook_pending_idx",
                         condition=models.Q(state="pending")),
        ]

    def __str__(self) -> str:
        return f"webhook {self.pk} {self.state}"


class HolderStatusCount(models.Model):
    """How many reports a body holds in each status (drafts and unheld reports aside).

    Kept by a PostgreSQL trigger on complaints_report (migration 0006, routing.tallies), in
    the transaction of every insert, status change, move between bodies and deletion, so the
    queue's counts per status are a sum over the user's bodies' rows (a province supervisor:
    a few hundred rows) rather than a count over every report those bodies ever held."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "status"], name="holder_status_count_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.body_id} {self.status}: {self.n}"


class Case(models.Model):
    """A *kasus bersama*: reports a body holds about one same matter, grouped by its staff to
    be answered once. The answer is given to each report (its own number, its own citizen,
    its own clocks: ``routing.services.cases.answer_case``), so every report stays a report
    and the statistics count each one."""

    holder_body = models.ForeignKey(
        Body, verbose_name=_("instansi pemegang"), on_delete=models.PROTECT,
        related_name="cases",
    )
    title = models.CharField(_("judul kasus"), max_length=150)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    answered_at = models.DateTimeField(_("dijawab"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("dijawab oleh"),
                                    on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("kasus bersama")
        verbose_name_plural = _("kasus bersama")
        indexes = [models.Index(fields=["holder_body", "-created_at"], name="case_body_idx")]

    def __str__(self) -> str:
        return self.title


class CaseReport(models.Model):
    """A report in a case: a report is in one case at most."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    report = models.OneToOneField(Report, verbose_name=_("laporan"), on_delete=models.PROTECT,
                                  related_name="case_membership")
    added_at = models.DateTimeField(_("ditambahkan"), default=timezone.now)

    class Meta:
        verbose_name = _("laporan dalam kasus")
        verbose_name_plural = _("laporan dalam kasus")

    def __str__(self) -> str:
        return self.report.tracking_number or ""


class StatFigures(models.Model):
    """The counters both grains of the statistics keep (the daily ``StatRollup``, the monthly
    ``StatCube``): what happened to the reports received in the row's day or month."""

    received = models.IntegerField(default=0)  # archived reports excluded
    confidential = models.IntegerField(default=0)
    verified = models.IntegerField(default=0)
    rejected = models.IntegerField(default=0)
    archived = models.IntegerField(default=0)
    referred_out = models.IntegerField(default=0)
    first_responses = models.IntegerField(default=0)
    first_within_24h = models.IntegerField(default=0)
    final_answers = models.IntegerField(default=0)
    follow_up_met = models.IntegerField(default=0)
    follow_up_breached = models.IntegerField(default=0)
    escalated = models.IntegerField(default=0)
    rating_sum = models.IntegerField(default=0)
    rating_count = models.IntegerField(default=0)
    solved_yes = models.IntegerField(default=0)
    solved_partly = models.IntegerField(default=0)
    solved_no = models.IntegerField(default=0)

    class Meta:
        abstract = True


class StatRollup(StatFigures):
    """The statistics' rollup: what happened to the reports received on one day (Asia/Jakarta
    date of submission) by one holding body, in one category and regency (and, for rejected
    reports, one rejection reason). Rebuilt per day by ``routing.services.statistics`` (the
    beat's ``refresh_statistics`` recomputes the days whose reports changed; ``manage.py
    rebuild_statistics`` backfills), so the pages sum rows instead of scanning reports.

    Cohort counting: every figure is about the reports *received* that day; a report's
    later first response, final answer or rating moves its own day's row."""

    day = models.DateField()
    body = models.ForeignKey(Body, on_delete=models.CASCADE, null=True, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, related_name="+")
    province = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, related_name="+")
    regency = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, related_name="+")
    rejection_reason = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["day"], name="statrollup_day_idx"),
            models.Index(fields=["province", "day"], name="statrollup_province_idx"),
            models.Index(fields=["regency", "day"], name="statrollup_regency_idx"),
            models.Index(fields=["body", "day"], name="statrollup_body_idx"),
            models.Index(fields=["category", "day"], name="statrollup_category_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} body {self.body_id} cat {self.category_id}: {self.received}"


class StatHistogram(models.Model):
    """How many reports of a rollup's key took ``bucket`` working days to a first response
    or to the final answer (bucket 61: more than 60), so the median and the 90th percentile
    come from sums of rows."""

    class Measure(models.TextChoices):
        FIRST_RESPONSE = "first_response", _("Tanggapan pertama")
        FINAL_ANSWER = "final_answer", _("Jawaban akhir")

    OVER = 61  # the bucket of "more than 60 working days"

    day = models.DateField()
    body = models.ForeignKey(Body, on_delete=models.CASCADE, null=True, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, related_name="+")
    province = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, related_name="+")
    regency = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, related_name="+")
    measure = models.CharField(max_length=16, choices=Measure.choices)
    bucket = models.PositiveSmallIntegerField()
    n = models.IntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["day"], name="stathist_day_idx"),
            models.Index(fields=["province", "day"], name="stathist_province_idx"),
            models.Index(fields=["regency", "day"], name="stathist_regency_idx"),
            models.Index(fields=["body", "day"], name="stathist_body_idx"),
            models.Index(fields=["category", "day"], name="stathist_category_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.measure}[{self.bucket}] = {self.n}"


class StatRefresh(models.Model):
    """One run of the rollups' refresh: the statistics are as of ``as_of`` (the moment the
    run began reading the reports), shown on every statistics page."""

    as_of = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    # Part of the key of the pages' cached figures (``routing.statistics``): unique even
    # when a test database starts its ids and its frozen clock over again.
    token = models.UUIDField(default=uuid.uuid4, editable=False)
    days = models.IntegerField(default=0)
    reports = models.IntegerField(default=0)
    is_full = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["-as_of"], name="statrefresh_latest_idx")]

    def __str__(self) -> str:
        return f"statistics as of {self.as_of:%Y-%m-%d %H:%M}"


class StatCube(StatFigures):
    """The page grain of the statistics: one month's sums for one scope (``scope``: ``n``
    national, ``p`` a province, ``r`` a regency/city, ``b`` a body with everything below it,
    ``c`` a category; ``scope_id`` its id, 0 nationally) and one part of it (``dim`` ""
    the scope's total; ``reason`` per rejection reason; ``category``, ``province``,
    ``regency``, ``body`` per that id; ``own`` the body itself; ``child`` a child of the body
    with everything below it, ``key`` its tree path). Summed from the daily ``StatRollup``
    rows by ``routing.services.statistics.rebuild_months`` in SQL, so a page over whole months
    reads a few hundred rows of one index range, however many reports there are."""

    month = models.DateField()  # the first day of the month
    scope = models.CharField(max_length=1)
    scope_id = models.IntegerField()
    dim = models.CharField(max_length=8, blank=True, default="")
    key = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "scope_id", "month", "dim", "key"],
                                    name="statcube_cell_uniq"),
        ]
        indexes = [models.Index(fields=["month"], name="statcube_month_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.scope}{self.scope_id} {self.dim}={self.key}"


class StatCubeHistogram(models.Model):
    """``StatHistogram`` at the page grain: one month, one scope (as ``StatCube``)."""

    month = models.DateField()
    scope = models.CharField(max_length=1)
    scope_id = models.IntegerField()
    measure = models.CharField(max_length=16, choices=StatHistogram.Measure.choices)
    bucket = models.PositiveSmallIntegerField()
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "scope_id", "month", "measure", "bucket"],
                                    name="statcubehist_cell_uniq"),
        ]
        indexes = [models.Index(fields=["month"], name="statcubehist_month_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.scope}{self.scope_id} {self.measure}[{self.bucket}]"


class StatDirtyDay(models.Model):
    """A receipt day (Asia/Jakarta) whose reports changed since the rollups last read it:
    written by database triggers on ``complaints_report``, ``complaints_reportevent`` and
    ``routing_clock`` in the same transaction as the act (migration
    ``0024_statistics_dirty_days``), taken by ``routing.services.statistics.refresh``. A small
    table, so the refresh reads what changed without scanning the reports."""

    day = models.DateField(primary_key=True)
    marked_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.day} changed"
