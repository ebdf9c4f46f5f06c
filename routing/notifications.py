"""Telling a body's staff that a report reached them, the bodies it was copied to that it was
answered, and whom a deadline's warning goes to. The message never names the reporter: staff
see the identity (when not anonymous) only inside the application, where it is logged."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from agencies.models import Body, Membership, Role, User
from complaints.models import Report
from complaints.services.notifications import notify_staff, quoted_title
from routing.selectors import report_handlers


def _active() -> QuerySet[Membership]:
    return Membership.objects.filter(is_active=True, user__is_active=True)


def warning_recipients(report: Report) -> QuerySet[User]:
    """Who a warning before a deadline goes to: the holder's operators; a report not yet
    held (its verification clock), the verifiers covering its province.

    A report with a named assignee inside its body ("Ambil", or assigned by a supervisor)
    warns that person instead of every operator (``selectors.report_handlers``); the last
    warning still reaches the supervisors too (``supervisors_of``)."""
    if report.holder_body_id is not None:
        return report_handlers(report)
    verifiers = _active().filter(role=Role.VERIFIER).filter(
        Q(body__province_id=report.province_id) | Q(body__province__isnull=True)
    )
    return User.objects.filter(pk__in=verifiers.values("user_id"))


def supervisors_of(body: Body) -> QuerySet[User]:
    """The supervisors of ``body`` and of every body above it."""
    paths = [body.path[:i] for i in range(Body.steplen, len(body.path) + 1, Body.steplen)]
    supervisors = _active().filter(role=Role.SUPERVISOR, body__path__in=paths)
    return User.objects.filter(pk__in=supervisors.values("user_id"))


def notify_body_of_new_report(*, report: Report, body: Body) -> None:
    """The body's operators and supervisors: in the app, and one email each."""
    staff = Membership.objects.filter(
        body=body, role__in=[Role.OPERATOR, Role.SUPERVISOR], is_active=True,
        user__is_active=True,
    ).values("user_id")
    with translation.override("id"):
        notify_staff(
            users=User.objects.filter(pk__in=staff), report=report,
            title=_("Laporan baru: %(number)s") % {"number": report.tracking_number},
            message=_("Laporan “%(title)s” kini dipegang %(body)s; tanggapan pertama wajib "
                      "diberikan dalam 1 × 24 jam.")
            % {"title": quoted_title(report), "body": body.name},
            url=reverse("routing:report", args=[report.tracking_number]),
            email_template="routing/email/new_report.txt", email_context={"body": body},
        )


def tell_copies_of_answer(report: Report) -> None:
    """The final answer was given: the staff of every body the report was copied to are
    told (in the app), with a link to its staff page."""
    bodies = list(Body.objects.filter(report_copies__report=report))
    if not bodies:
        return
    members = Membership.objects.filter(
        body__in=bodies, role__in=[Role.OPERATOR, Role.SUPERVISOR], is_active=True,
        user__is_active=True,
    ).values("user_id")
    holder = report.holder_body
    with translation.override("id"):
        notify_staff(
            users=User.objects.filter(pk__in=members), report=report,
            title=_("Tembusan dijawab: %(number)s") % {"number": report.tracking_number},
            message=_("%(holder)s memberi jawaban akhir atas laporan “%(title)s”.")
            % {"holder": holder.name if holder else "", "title": quoted_title(report)},
            url=reverse("routing:report", args=[report.tracking_number]),
        )
