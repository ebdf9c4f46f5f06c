"""Signed, expiring links for confirming an email address.

The hash covers the address and ``is_email_confirmed``: once the address is confirmed, or
changed, every link sent before stops working. Links live ``PASSWORD_RESET_TIMEOUT`` seconds.
"""

from __future__ import annotations

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from agencies.models import User


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "complaints.accounts.tokens.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        # Not the password or last_login (the base class's choice): signing in right after
        # registering must not spoil the link that was just mailed.
        return f"{user.pk}|{user.email}|{user.is_email_confirmed}|{timestamp}"


email_confirmation_token = EmailConfirmationTokenGenerator()


def uid_for(user: User) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))
