"""The life of a report: which status may follow which, and the one function every act goes
through to change a report (Zulip's ``do_*`` discipline): it checks the move, sets the status,
bumps the version (two people acting on one version: one wins, see routing.services.moves.lock)
and records the act's event in the same transaction.

    draft ─submit─▶ submitted ─verify─▶ dispositioned ─respond─▶ in_progress ─resolve─▶ resolved
                       │ reject / duplicate        │ resolve            ▲    │ dispute      │
                       ▼                           └────────────────────┼────┘      accept │
                    rejected                                           ...   closed ◀──────┘

From submitted, verification may also postpone (Tunda: postponed, back to submitted on its
date), refer the citizen out of the system (Bukan wewenang: referred_out) or archive
(greetings, tests, empty reports: archived); the last two end the report.

Moves between bodies (disposition down, redirect, escalation) keep a report in its status,
except that a new report becomes "dispositioned". Acts that change no status (a response after
the first, a question to the citizen, a note) still go through here when they must bump the
version, and every event is written by ``complaints.history.append_event``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Body, User
from complaints.history import append_event
from complaints.models import Report, ReportEvent, ReportStatus
from lapor.errors import Invalid

S = ReportStatus

# status → the statuses an act may move it to (staying put is always allowed). An open report
# closes without a final answer only when the citizen left a request for information
# unanswered for as long as its policy allows (routing's citizen_reply clock).
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED}),
    # Verification: sent on, rejected (a duplicate too), postponed (Tunda), not a matter for
    # any body in the system (Bukan wewenang), archived (greetings, tests, empty reports); an
    # open report is closed when the citizen stays silent after being asked (citizen_reply).
    S.SUBMITTED: frozenset({S.DISPOSITIONED, S.REJECTED, S.POSTPONED, S.REFERRED_OUT,
                            S.ARCHIVED, S.CLOSED}),
    S.POSTPONED: frozenset({S.SUBMITTED}),  # back in the verification queue on its date
    S.DISPOSITIONED: frozenset({S.IN_PROGRESS, S.RESOLVED, S.CLOSED}),
    S.IN_PROGRESS: frozenset({S.RESOLVED, S.CLOSED}),
    S.RESOLVED: frozenset({S.CLOSED, S.IN_PROGRESS}),
    S.CLOSED: frozenset(),
    S.REJECTED: frozenset(),
    S.REFERRED_OUT: frozenset(),
    S.ARCHIVED: frozenset(),
}


def may_become(current: str, new: str) -> bool:
    return new == current or new in TRANSITIONS.get(current, frozenset())


def record_act(
    report: Report,
    *,
    event: str,
    status: str | None = None,
    changed: Iterable[str] = (),
    bumps_version: bool = True,
    actor: User | None = None,
    actor_body: Body | None = None,
    from_body: Body | None = None,
    to_body: Body | None = None,
    note: str = "",
    visibility: str | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> ReportEvent:
    """Apply an act to a locked ``report``: move it to ``status`` (when given), save it with
    the other fields the act set (``changed``), bump its version, and record ``event``.

    The caller holds the report's row lock and has checked who may act; this checks only that
    the move is one the report's life allows, so no act can, say, reopen a rejected report."""
    if status is not None and not may_become(report.status, status):
        raise Invalid(
            _("Laporan berstatus “%(status)s” tidak dapat diubah dengan cara ini.")
            % {"status": report.get_status_display()}
        )
    fields = set(changed)
    if status is not None and status != report.status:
        report.status = status
        fields.add("status")
    if bumps_version:
        report.version += 1
        fields.add("version")
    if fields:
        report.save(update_fields=[*sorted(fields), "updated_at"])
    event_fields: dict[str, Any] = {}
    if visibility is not None:
        event_fields["visibility"] = visibility
    return append_event(
        report=report, kind=event, actor=actor, actor_body=actor_body, from_body=from_body,
        to_body=to_body, note=note, data=data, at=at or timezone.now(), **event_fields,
    )
