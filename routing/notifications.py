"""Telling a body's staff that a report reached them, and the bodies it was copied to that it
was answered. The message never names the reporter: staff see the identity (when not
anonymous) only inside the application, where it is logged."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from agencies.models import Body, Membership, Role, User
from complaints.models import Report
from complaints.services.notifications import notify_staff, quoted_title


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
