"""manage.py seed_demo: one demo account per role, with printed passwords (for `make run`).
The accounts' addresses are confirmed (they receive no mail), so each can do its job at once:
the citizen files, staff are not asked to confirm."""

from __future__ import annotations

import secrets

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

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
            label = Role(role).label if role else "Warga (pelapor)"
            where = f" — {bodies[body_key].name}" if body_key else ""
            lines.append(f"  {label:<24} {email:<32} {password or '(unchanged)'}{where}")
        self.stdout.write("Demo accounts (email / password):")
        for line in lines:
            self.stdout.write(line)
