"""Supporting (*dukung*) a public report: once per signed-in citizen."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from agencies.models import User
from complaints.models import Report, Support
from lapor.errors import Invalid, NotAllowed


def support_report(*, report: Report, user: User) -> int:
    """Add ``user``'s support; return the new count. Refuses a second support, one's own
    report and a report that is not public."""
    if not report.is_public:
        raise Invalid(_("Laporan ini tidak dapat didukung."))
    if report.reporter_id == user.pk:
        raise NotAllowed(_("Anda tidak dapat mendukung laporan Anda sendiri."))
    try:
        with transaction.atomic():
            Support.objects.create(report=report, user=user)
            Report.objects.filter(pk=report.pk).update(support_count=F("support_count") + 1)
    except IntegrityError as exc:
        raise Invalid(_("Anda sudah mendukung laporan ini.")) from exc
    report.refresh_from_db(fields=["support_count"])
    return report.support_count
