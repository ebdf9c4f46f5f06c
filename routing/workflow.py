"""What routing does when complaints tells it that something happened to a report
(``complaints.workflow_hooks``): the clocks that start and stop with the citizen's acts, and
the automatic disposition by a trusted rule. Registered at start-up by ``routing.apps``."""

from __future__ import annotations

from datetime import datetime

from complaints import workflow_hooks
from complaints.models import Report
from routing import clocks
from routing.models import ClockKind
from routing.services.verification import disposition_by_trusted_rule


class RoutingHooks:
    def submitted(self, report: Report, *, at: datetime) -> None:
        clocks.start(report, ClockKind.VERIFICATION, at=at)
        disposition_by_trusted_rule(report)

    def resolution_accepted(self, report: Report, *, at: datetime) -> None:
        clocks.stop(report, ClockKind.CITIZEN_SILENCE, at=at)

    def resolution_disputed(self, report: Report, *, at: datetime) -> None:
        clocks.stop(report, ClockKind.CITIZEN_SILENCE, at=at)
        clocks.resume_follow_up(report, at=at)
        # Reopened: the body owes its next substantive step again, within its working days.
        clocks.follow_up_given(report, body=report.holder_body, at=at)

    def citizen_answered(self, report: Report, *, at: datetime) -> None:
        clocks.citizen_answered(report, at=at)

    def expected_response(self, report: Report) -> str:
        return clocks.expected_response(report)


workflow_hooks.register(RoutingHooks())
