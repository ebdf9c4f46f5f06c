"""The API keys of Open311 clients: issued by the system admin, shown once, kept as a SHA-256
digest (a key is 256 random bits, so a fast digest is enough) found by its prefix."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies import access
from agencies.models import User
from complaints.models import Open311Client
from lapor.errors import NotAllowed

PREFIX_BYTES = 4


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue_key(*, client: Open311Client, actor: User) -> str:
    """A new key for ``client`` (the old one stops working); returned once, never stored."""
    if not access.is_system_admin(actor):
        raise NotAllowed(_("Hanya admin sistem yang dapat menerbitkan kunci Open311."))
    if client.account_id is None:
        # The account its requests are entered by: no password, no role, never signs in.
        client.account = User.objects.create_user(
            email=f"open311-{client.pk}@klien.lapor.invalid", password=None,
            full_name=client.name[:150])
    prefix = secrets.token_hex(PREFIX_BYTES)
    key = f"{prefix}.{secrets.token_urlsafe(32)}"
    client.key_prefix, client.key_digest = prefix, _digest(key)
    client.key_issued_at = timezone.now()
    client.save(update_fields=["account", "key_prefix", "key_digest", "key_issued_at"])
    return key


def client_for_key(key: str) -> Open311Client | None:
    """The active client whose key is ``key``, or None."""
    prefix, dot, _rest = key.partition(".")
    if not dot or len(prefix) != PREFIX_BYTES * 2:
        return None
    client = Open311Client.objects.filter(key_prefix=prefix, is_active=True).first()
    if client is None or not hmac.compare_digest(client.key_digest, _digest(key)):
        return None
    return client
