"""Regions (Kemendagri codes), the tree of government bodies, users and their roles.

The body tree is a materialised path (django-treebeard ``MP_Node``): a body's ``path`` starts
with every ancestor's path, so "this body and every body below it" is one prefix match on an
indexed column, and "its ancestors" is one ``path IN (…)`` query.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class TimeZone(models.TextChoices):
    """Indonesia's three zones, stored as IANA names so they convert exactly."""

    WIB = "Asia/Jakarta", "WIB (UTC+7)"
    WITA = "Asia/Makassar", "WITA (UTC+8)"
    WIT = "Asia/Jayapura", "WIT (UTC+9)"

    @classmethod
    def abbreviation(cls, value: str) -> str:
        return {cls.WIB: "WIB", cls.WITA: "WITA", cls.WIT: "WIT"}[cls(value)]


class Region(models.Model):
    """A province, regency/city or district with its Kemendagri code (33 → 33.74 → 33.74.01)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Provinsi")
        REGENCY = "regency", _("Kabupaten/Kota")
        DISTRICT = "district", _("Kecamatan")

    class RegencyKind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    code = models.CharField(_("kode Kemendagri"), max_length=13, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    regency_kind = models.CharField(
        _("jenis kabupaten/kota"), max_length=10, choices=RegencyKind.choices, blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("wilayah induk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # The province a region lies in (itself for a province): one join answers "in Jawa Tengah".
    province = models.ForeignKey(
        "self",
        verbose_name=_("provinsi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    time_zone = models.CharField(_("zona waktu"), max_length=32, choices=TimeZone.choices)

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "parent"], name="region_level_parent_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="province", parent__isnull=True)
                | (~models.Q(level="province") & models.Q(parent__isnull=False)),
                name="region_parent_matches_level",
            ),
            models.CheckConstraint(
                condition=models.Q(level="regency") | models.Q(regency_kind=""),
                name="region_regency_kind_only_for_regencies",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def time_zone_abbreviation(self) -> str:
        return TimeZone.abbreviation(self.time_zone)


class Body(MP_Node):
    """A government body: ministry, agency, regional government, Ombudsman office or unit."""

    class Kind(models.TextChoices):
        COORDINATING_MINISTRY = "coordinating_ministry", _("Kementerian Koordinator")
        MINISTRY = "ministry", _("Kementerian")
        AGENCY = "agency", _("Lembaga")
        PROVINCE = "province", _("Pemerintah Provinsi")
        REGENCY = "regency", _("Pemerintah Kabupaten")
        CITY = "city", _("Pemerintah Kota")
        OMBUDSMAN = "ombudsman", _("Ombudsman RI")
        OMBUDSMAN_OFFICE = "ombudsman_office", _("Perwakilan Ombudsman RI")
        UNIT = "unit", _("Unit kerja (dinas, biro, direktorat)")

    steplen = 4

    # Natural key of the bodies that `load_agency_tree` keeps (e.g. "kemenkes", "regency-33.74");
    # empty for the units that admins add by hand.
    source_key = models.CharField(
        _("kunci sumber"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    name = models.CharField(_("nama"), max_length=200)
    acronym = models.CharField(_("singkatan"), max_length=60, blank=True)
    aliases = models.CharField(
        _("nama lain"),
        max_length=400,
        blank=True,
        help_text=_("Nama atau singkatan lama yang masih dipakai orang, dipisah titik koma."),
    )
    kind = models.CharField(_("jenis"), max_length=24, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("wilayah"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bodies",
        help_text=_("Wilayah kerja; kosong untuk instansi pusat."),
    )
    # Derived from the region on every save (see save()): filters and time zones need no join.
    province = models.ForeignKey(
        Region,
        verbose_name=_("provinsi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    time_zone = models.CharField(
        _("zona waktu"),
        max_length=32,
        choices=TimeZone.choices,
        default=TimeZone.WIB,
        editable=False,
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    address = models.TextField(_("alamat kantor"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        indexes = [
            # "this body and everything below it": path LIKE 'prefix%' needs pattern ops
            # whatever the database's collation.
            models.Index(
                fields=["path"], name="body_path_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["kind", "province"], name="body_kind_province_idx"),
            models.Index(fields=["province"], name="body_province_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.derive_location()
        update_fields: Iterable[str] | None = kwargs.get("update_fields")
        if update_fields is not None and "region" in update_fields:
            kwargs["update_fields"] = {*update_fields, "province", "time_zone"}
        super().save(*args, **kwargs)

    def derive_location(self) -> None:
        """Province and time zone follow the region; central bodies sit in Jakarta (WIB)."""
        region = self.region  # None without a query when region_id is None
        if region is None:
            self.province = None
            self.time_zone = TimeZone.WIB
            return
        self.province_id = (
            region.province_id if region.level != Region.Level.PROVINCE else region.pk
        )
        self.time_zone = region.time_zone

    @property
    def time_zone_abbreviation(self) -> str:
        return TimeZone.abbreviation(self.time_zone)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email address. Roles come from memberships in bodies;
    a user with none is a citizen."""

    email = models.EmailField(_("alamat email"), max_length=254, unique=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    phone = models.CharField(_("nomor telepon"), max_length=20, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    is_staff = models.BooleanField(
        _("akses admin teknis"),
        default=False,
        help_text=_("Hanya untuk pengelola teknis; peran kerja diberikan lewat keanggotaan."),
    )
    date_joined = models.DateTimeField(_("tanggal daftar"), default=timezone.now)
    time_zone = models.CharField(
        _("zona waktu"),
        max_length=32,
        choices=TimeZone.choices,
        default=TimeZone.WIB,
        help_text=_("Waktu di linimasa laporan Anda ditampilkan dalam zona ini."),
    )
    is_email_confirmed = models.BooleanField(_("email terkonfirmasi"), default=False)
    # Set when the person deleted their account: the row stays (reports and their history point
    # at it) but every personal field is erased.
    erased_at = models.DateTimeField(_("data pribadi dihapus"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    VERIFIER = "verifier", _("Verifikator")
    OPERATOR = "operator", _("Operator instansi")
    SUPERVISOR = "supervisor", _("Pimpinan (supervisor)")
    OMBUDSMAN_OFFICER = "ombudsman_officer", _("Asisten Ombudsman")
    SYSTEM_ADMIN = "system_admin", _("Admin sistem")


class Membership(models.Model):
    """A user's role in a body. A verifier of a province body verifies that province's reports,
    one of a central body verifies nationally; a supervisor sees the body and all below it."""

    user = models.ForeignKey(
        User, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="memberships"
    )
    body = models.ForeignKey(
        Body, verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("peran"), max_length=24, choices=Role.choices)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("dibuat oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [
            models.UniqueConstraint(fields=["user", "body", "role"], name="membership_unique_role"),
        ]
        indexes = [models.Index(fields=["body", "role"], name="membership_body_role_idx")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.body}"


class VerifiedApiToken(models.Model):
    """Marks an API token issued after its owner entered a second-factor code with the
    password. A token of someone who must sign in with a second factor works only with this
    mark (agencies.two_factor_api); a reset of their second factor deletes the token."""

    token = models.OneToOneField(
        "authtoken.Token",
        verbose_name=_("token API"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="second_factor",
    )
    verified_at = models.DateTimeField(_("diverifikasi"), default=timezone.now)

    class Meta:
        verbose_name = _("token API terverifikasi")
        verbose_name_plural = _("token API terverifikasi")

    def __str__(self) -> str:
        return f"{self.token_id} — {self.verified_at:%Y-%m-%d %H:%M}"


class SecondFactorReset(models.Model):
    """A system admin removed a member's second factor (a lost phone): who, whom, when. The
    member sets up a new one at their next sign-in. Rows are never edited."""

    user = models.ForeignKey(
        User, verbose_name=_("pengguna"), on_delete=models.PROTECT, related_name="+"
    )
    reset_by = models.ForeignKey(
        User, verbose_name=_("diatur ulang oleh"), on_delete=models.PROTECT, related_name="+"
    )
    reset_at = models.DateTimeField(_("waktu"), default=timezone.now)
    devices_removed = models.PositiveSmallIntegerField(_("perangkat dihapus"), default=0)
    tokens_revoked = models.PositiveSmallIntegerField(_("token API dicabut"), default=0)

    class Meta:
        verbose_name = _("pengaturan ulang verifikasi dua langkah")
        verbose_name_plural = _("pengaturan ulang verifikasi dua langkah")
        ordering = ["-reset_at"]
        indexes = [models.Index(fields=["user", "reset_at"], name="second_factor_reset_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} — {self.reset_by} — {self.reset_at:%Y-%m-%d %H:%M}"
