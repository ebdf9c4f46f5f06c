"""manage.py seed_demo: one demo account per role, with printed passwords (for `make run`).
The accounts' addresses are confirmed (they receive no mail), so each can do its job at once:
the citizen files, staff are not asked to confirm. The roles that must sign in with a second
factor (agencies.access.requires_second_factor) get an authenticator app already set up: its
key is printed (add it to any authenticator app, or `oathtool --totp -b KEY`), with recovery
codes when they are made (on the first run and with --reset-passwords)."""

from __future__ import annotations

import secrets

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies import access, two_factor
from agencies.models import Body, Membership, Role, User

# (email, name, role, body source_key); None = citizen
DEMO_ACCOUNTS: list[tuple[str, str, str | None, str | None]] = [
    ("warga@demo.lapor.local", "Siti Warga", None, None),
    ("verifikator@demo.lapor.local", "Budi Verifikator", Role.VERIFIER, "kemenpanrb"),
    ("operator@demo.lapor.local", "Dewi Operator Kota Semarang", Role.OPERATOR, "regency-33.74"),
    ("pimpinan@demo.lapor.local", "Agus Pimpinan Jawa Tengah", Role.SUPERVISOR, "province-33"),
    (
        "ombudsman@demo.lapor.local",
        "Rina Asisten Ombudsman",
        Role.OMBUDSMAN_OFFICER,
        "ombudsman-33",
    ),
    ("admin@demo.lapor.local", "Admin Sistem KemenPAN-RB", Role.SYSTEM_ADMIN, "kemenpanrb"),
]


class Command(BaseCommand):
    help = "Create one demo account per role (citizen, verifier, operator, supervisor, …)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="give every demo account a new random password and print it",
        )

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        bodies = {
            b.source_key: b
            for b in Body.objects.filter(source_key__in=[a[3] for a in DEMO_ACCOUNTS])
        }
        lines = []
        for email, name, role, body_key in DEMO_ACCOUNTS:
            user = User.objects.filter(email=email).first()
            password = None
            if user is None:
                password = secrets.token_urlsafe(9)
                user = User.objects.create_user(
                    email=email, password=password, full_name=name, is_email_confirmed=True
                )
            else:
                changed = []
                if options["reset_passwords"]:
                    password = secrets.token_urlsafe(9)
                    user.set_password(password)
                    changed.append("password")
                if not user.is_email_confirmed:  # seeded unconfirmed by an older release
                    user.is_email_confirmed = True
                    changed.append("is_email_confirmed")
                if changed:
                    user.save(update_fields=changed)
            if role is not None:
                body = bodies.get(body_key)
                if body is None:
                    raise CommandError(f"body {body_key!r} is missing: run load_agency_tree first")
                Membership.objects.get_or_create(user=user, body=body, role=role)
            access.forget_memberships(user)
            label = Role(role).label if role else "Warga (pelapor)"
            where = f" — {bodies[body_key].name}" if body_key else ""
            lines.append(f"  {label:<24} {email:<32} {password or '(unchanged)'}{where}")
            if access.requires_second_factor(user):
                lines += self._second_factor(user, renew=bool(options["reset_passwords"]))
        self.stdout.write("Demo accounts (email / password):")
        for line in lines:
            self.stdout.write(line)

    def _second_factor(self, user: User, *, renew: bool) -> list[str]:
        """An app already set up for a required role; its key, and new recovery codes."""
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        codes: list[str] = []
        if device is None:
            device = TOTPDevice.objects.create(
                user=user, name=two_factor.APP_DEVICE_NAME, confirmed=True
            )
            renew = True
        if renew:
            codes = two_factor.new_recovery_codes(user=user)
        lines = [f"  {'':<24} kunci TOTP (aplikasi autentikator): {two_factor.secret_of(device)}"]
        if codes:
            lines.append(f"  {'':<24} kode pemulihan: {' '.join(codes)}")
        return lines
