"""Reading a reporter's identity is an audited act: each read by staff is logged. An anonymous
reporter's identity is read only by a system admin, with a reason."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from agencies import access
from agencies.models import User
from complaints.models import Report
from lapor.errors import Invalid, NotAllowed
from routing import permissions
from routing.models import IdentityDisclosure


@dataclass
class ReporterIdentity:
    name: str
    email: str
    phone: str


def reveal_reporter(*, report: Report, viewer: User, reason: str = "") -> ReporterIdentity:
    """Return who filed ``report`` and record that ``viewer`` saw it."""
    reason = reason.strip()
    if report.is_anonymous:
        if not access.is_system_admin(viewer):
            raise NotAllowed(_("Identitas pelapor anonim hanya dapat dibuka oleh admin sistem."))
        if not reason:
            raise Invalid(_("Tuliskan alasan membuka identitas pelapor anonim."),
                              field="reason")
    elif not (permissions.may_handle(viewer, report) or permissions.may_verify(viewer, report)
              or access.is_system_admin(viewer)):
        raise NotAllowed(_("Anda tidak berwenang melihat identitas pelapor ini."))
    IdentityDisclosure.objects.create(report=report, viewer=viewer, reason=reason[:300])
    return identity_of(report)


def identity_of(report: Report) -> ReporterIdentity:
    """Who filed ``report``: the account's name, email and phone, or the contact typed at
    assisted intake. Records nothing: the caller records the disclosure (``reveal_reporter``
    one at a time, an export in bulk)."""
    reporter = report.reporter
    if reporter is not None and reporter.erased_at is None:
        return ReporterIdentity(reporter.full_name, reporter.email, reporter.phone)
    return ReporterIdentity(report.contact_name or _("(akun dihapus)"), report.contact_email,
                            report.contact_phone)
