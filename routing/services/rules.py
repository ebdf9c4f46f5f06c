"""Keeping the routing rules (the system admin's act, from the admin or the API alike): a rule
is saved with who made it; one that suggested dispositions is never deleted, only retired, so
that how often it was overridden stays known."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agencies import access
from agencies.models import User
from lapor.errors import Invalid, NotAllowed
from routing.models import Disposition, RoutingRule

RULE_FIELDS = ("category", "region", "body", "is_trusted", "is_active", "note")


def _require_system_admin(actor: User) -> None:
    if not access.is_system_admin(actor):
        raise NotAllowed(_("Aturan rute dikelola oleh admin sistem."))


@transaction.atomic
def save_rule(*, actor: User, values: dict[str, Any], rule: RoutingRule | None = None
              ) -> RoutingRule:
    """Create a rule (``rule`` None) or change one, with the fields in ``values``."""
    _require_system_admin(actor)
    if rule is None:
        rule = RoutingRule(created_by=actor)
    for name in RULE_FIELDS:
        if name in values:
            setattr(rule, name, values[name])
    if rule.body_id is None:
        raise Invalid(_("Pilih instansi tujuan."), field="body")
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError as exc:
        raise Invalid(_("Sudah ada aturan aktif untuk kategori dan wilayah ini; nonaktifkan "
                        "dulu yang lama."), field="region") from exc
    return rule


@transaction.atomic
def retire_rule(*, actor: User, rule: RoutingRule) -> bool:
    """Delete a rule that never suggested anything; deactivate one that did (its record of
    overrides is the point of keeping it). Returns True when the rule was deleted."""
    _require_system_admin(actor)
    if Disposition.objects.filter(rule=rule).exists():
        rule.is_active = False
        rule.save(update_fields=["is_active"])
        return False
    rule.delete()
    return True
