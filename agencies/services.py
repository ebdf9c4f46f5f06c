"""Writes to the body tree and to roles. Views, API views, the admin and commands call these;
each checks the actor's right on the server and raises ``Invalid`` with a message to show.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agencies import access, selectors
from agencies.models import Body, Membership, Region, Role, User
from lapor.errors import Invalid, NotAllowed


def _require_administrator(actor: User, body: Body) -> None:
    if not access.may_administer(actor, body):
        raise NotAllowed(_("Anda tidak berwenang mengelola instansi ini."))


@transaction.atomic
def create_unit(
    *,
    parent: Body,
    name: str,
    actor: User,
    acronym: str = "",
    region: Region | None = None,
    address: str = "",
    email: str = "",
    phone: str = "",
) -> Body:
    """Add a unit (dinas, biro, direktorat) under ``parent``. Its region defaults to the
    parent's, so its time zone follows the province it serves."""
    _require_administrator(actor, parent)
    if not parent.is_active:
        raise Invalid(_("Instansi induk tidak aktif; aktifkan dulu sebelum menambah unit."))
    name = name.strip()
    if not name:
        raise Invalid(_("Nama unit wajib diisi."))
    parent = Body.objects.select_for_update().get(pk=parent.pk)
    if selectors.children(parent).filter(name__iexact=name).exists():
        raise Invalid(
            _("Sudah ada unit bernama “%(name)s” di bawah instansi ini.") % {"name": name}
        )
    unit = Body(
        name=name,
        acronym=acronym.strip(),
        kind=Body.Kind.UNIT,
        region=region if region is not None else parent.region,
        address=address,
        email=email,
        phone=phone,
    )
    return Body.objects.add_child(parent, instance=unit)


EDITABLE_FIELDS = frozenset({"name", "acronym", "aliases", "address", "email", "phone", "region"})


@transaction.atomic
def update_body(*, body: Body, actor: User, **changes: object) -> Body:
    """Change a body's descriptive fields (not its place in the tree: see ``move_body``)."""
    _require_administrator(actor, body)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise Invalid(
            _("Kolom ini tidak dapat diubah: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    if "name" in changes and not str(changes["name"]).strip():
        raise Invalid(_("Nama instansi wajib diisi."))
    for field, value in changes.items():
        setattr(body, field, value)
    body.save()
    return body


@transaction.atomic
def set_body_active(*, body: Body, is_active: bool, actor: User) -> Body:
    """Deactivate or reactivate a body. Bodies are never deleted: what they hold keeps pointing
    at them. A body cannot be deactivated while a body below it is still active."""
    _require_administrator(actor, body)
    below = selectors.subtree(body, include_self=False)
    if not is_active and below.filter(is_active=True).exists():
        raise Invalid(
            _("Nonaktifkan dulu unit-unit di bawah instansi ini (masih ada yang aktif).")
        )
    parent = Body.objects.get_parent(body, update=True)
    if is_active and parent is not None and not parent.is_active:
        raise Invalid(_("Instansi induknya tidak aktif; aktifkan induknya dulu."))
    body.is_active = is_active
    body.save(update_fields=["is_active", "updated_at"])
    return body


@transaction.atomic
def move_body(*, body: Body, new_parent: Body, actor: User) -> Body:
    """Move ``body`` with everything below it under ``new_parent`` (one UPDATE of paths)."""
    _require_administrator(actor, body)
    _require_administrator(actor, new_parent)
    if body.depth == 1:
        raise Invalid(_("Akar pohon instansi tidak dapat dipindahkan."))
    if new_parent.pk == body.pk or new_parent.path.startswith(body.path):
        raise Invalid(_("Instansi tidak dapat dipindahkan ke bawah dirinya sendiri."))
    parent = Body.objects.get_parent(body, update=True)  # not None: the root was refused above
    if parent is not None and parent.pk == new_parent.pk:
        return body
    Body.objects.move(body, new_parent, pos="last-child")
    return Body.objects.get(pk=body.pk)


@transaction.atomic
def grant_membership(*, user: User, body: Body, role: str, actor: User) -> Membership:
    """Give ``user`` a role in ``body``. Only a system admin grants the system-admin role."""
    if role not in Role.values:
        raise Invalid(_("Peran tidak dikenal."))
    _require_administrator(actor, body)
    if role == Role.SYSTEM_ADMIN and not access.is_system_admin(actor):
        raise NotAllowed(_("Hanya admin sistem yang dapat memberi peran admin sistem."))
    if role == Role.OMBUDSMAN_OFFICER and body.kind not in (
        Body.Kind.OMBUDSMAN,
        Body.Kind.OMBUDSMAN_OFFICE,
    ):
        raise Invalid(_("Asisten Ombudsman hanya dapat ditempatkan di kantor Ombudsman."))
    try:
        with transaction.atomic():
            membership, _created = Membership.objects.update_or_create(
                user=user, body=body, role=role, defaults={"is_active": True, "created_by": actor}
            )
    except IntegrityError as exc:  # pragma: no cover - a concurrent grant of the same role
        raise Invalid(_("Peran ini baru saja diberikan oleh orang lain.")) from exc
    access.forget_memberships(user)
    return membership


@transaction.atomic
def revoke_membership(*, membership: Membership, actor: User) -> None:
    _require_administrator(actor, membership.body)
    if membership.user_id == actor.pk and membership.role in (Role.SYSTEM_ADMIN, Role.SUPERVISOR):
        raise Invalid(_("Anda tidak dapat mencabut peran pengelola milik Anda sendiri."))
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    access.forget_memberships(membership.user)
