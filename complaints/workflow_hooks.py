"""How ``complaints`` tells ``routing`` what happened to a report without importing it: the
few moments routing reacts to (a report submitted, the citizen accepting or disputing the
final answer, the citizen answering a question), and the one question a citizen's page asks
it (when the first response is expected), as one small interface that routing registers at
start-up (``routing.apps.RoutingConfig.ready``). Dependencies run one way: routing builds on
complaints.

Each hook of an act runs inside the transaction of the act, with the report's row locked, so
what routing writes (clocks, an automatic disposition) commits or rolls back with it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from complaints.models import Report


class ReportHooks(Protocol):
    def submitted(self, report: Report, *, at: datetime) -> None:
        """A report was submitted: its verification clock starts; a trusted rule may send it
        on at once."""

    def resolution_accepted(self, report: Report, *, at: datetime) -> None:
        """The citizen accepted the final answer."""

    def resolution_disputed(self, report: Report, *, at: datetime) -> None:
        """The citizen disputed the final answer: the report is open again."""

    def citizen_answered(self, report: Report, *, at: datetime) -> None:
        """The citizen added information or replied to the body: what waited for it goes on."""

    def expected_response(self, report: Report) -> str:
        """What the citizen may expect, in a sentence: when the body's first response is due
        (its deadline, or how long the policy for the report's priority gives)."""


class _Unregistered:
    """Before routing registers (a test of complaints alone): nothing reacts."""

    def submitted(self, report: Report, *, at: datetime) -> None:
        return None

    def resolution_accepted(self, report: Report, *, at: datetime) -> None:
        return None

    def resolution_disputed(self, report: Report, *, at: datetime) -> None:
        return None

    def citizen_answered(self, report: Report, *, at: datetime) -> None:
        return None

    def expected_response(self, report: Report) -> str:
        return ""


_hooks: ReportHooks = _Unregistered()


def register(hooks: ReportHooks) -> None:
    global _hooks  # noqa: PLW0603 - the one registration, at start-up
    _hooks = hooks


def hooks() -> ReportHooks:
    return _hooks
