"""Changing a deadline policy: never an edit, always a new version that clocks started from
now on use; running clocks keep the version they started with."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from agencies import access
from agencies.models import User
from complaints.models import Priority
from lapor.errors import Invalid, NotAllowed
from routing.models import BreachAction, ClockKind, DayOne, DeadlinePolicy


@transaction.atomic
def set_policy(
    *, clock: str, action: str, actor: User, length_hours: int | None = None,
    working_days: int | None = None, day_one: str = DayOne.NEXT_WORKING_DAY,
    warnings_before: list[int] | None = None, pauses_for_citizen: bool = False,
    closing_note: str = "", priority: str = "", pauses_when_postponed: bool = False,
) -> DeadlinePolicy:
    """A new current version of ``clock``'s policy. ``warnings_before``: how long before the
    deadline each warning is sent, in the policy's unit (hours or working days)."""
    if not access.is_system_admin(actor):
        raise NotAllowed(_("Kebijakan tenggat diatur oleh admin sistem."))
    if clock not in ClockKind.values:
        raise Invalid(_("Jam tenggat tidak dikenal."), field="clock")
    if action not in BreachAction.values:
        raise Invalid(_("Tindakan tidak dikenal."), field="action")
    if (length_hours is None) == (working_days is None):
        raise Invalid(_("Isi lama dalam jam atau dalam hari kerja (salah satu)."),
                          field="length_hours")
    if (length_hours or 0) < 0 or (working_days or 0) < 0 or (length_hours == 0) or (
        working_days == 0
    ):
        raise Invalid(_("Lama tenggat harus lebih dari nol."), field="length_hours")
    if priority and priority not in Priority.values:
        raise Invalid(_("Prioritas tidak dikenal."), field="priority")
    if day_one not in DayOne.values:
        raise Invalid(_("Cara menghitung hari ke-1 tidak dikenal."), field="day_one")
    warnings = sorted(set(warnings_before or []), reverse=True)
    length = length_hours if length_hours is not None else working_days
    if any(before < 1 or before >= (length or 0) for before in warnings):
        raise Invalid(_("Setiap peringatan harus lebih dari nol dan kurang dari lama tenggat."),
                      field="warnings_before")
    if action == BreachAction.CLOSE_UNANSWERED and not closing_note.strip():
        raise Invalid(_("Tuliskan alasan penutupan yang dibaca pelapor."), field="closing_note")
    current = DeadlinePolicy.objects.select_for_update().filter(clock=clock)
    version = (current.aggregate(v=Max("version"))["v"] or 0) + 1
    current.filter(is_current=True, priority=priority).update(is_current=False)
    return DeadlinePolicy.objects.create(
        clock=clock, version=version, length_hours=length_hours, working_days=working_days,
        action=action, is_current=True, created_by=actor, day_one=day_one,
        warnings_before=warnings, pauses_for_citizen=pauses_for_citizen,
        closing_note=closing_note.strip(), priority=priority,
        pauses_when_postponed=pauses_when_postponed,
    )
