"""factory-boy factories for reports and the people around them."""

from __future__ import annotations

import factory
from django.db import transaction
from django.utils import timezone

from agencies.models import Region, User
from complaints.history import append_event
from complaints.models import Category, EventKind, Report, ReportStatus, Visibility
from complaints.tracking_numbers import new_tracking_number
from tests.conftest import PASSWORD


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"warga{n}@example.id")
    full_name = factory.Sequence(lambda n: f"Warga Nomor {n}")
    is_email_confirmed = True
    password = factory.django.Password(PASSWORD)


class ReportFactory(factory.django.DjangoModelFactory):
    """A submitted report in Kota Semarang; pass status=... for other stages."""

    class Meta:
        model = Report

    tracking_number = factory.LazyFunction(new_tracking_number)
    kind = "complaint"
    title = factory.Sequence(lambda n: f"Jalan rusak di kelurahan nomor {n}")
    description = "Jalan berlubang besar dan membahayakan pengendara motor setiap malam."
    category = factory.LazyFunction(lambda: Category.objects.get(slug="infrastruktur"))
    province = factory.LazyFunction(lambda: Region.objects.get(code="33"))
    regency = factory.LazyFunction(lambda: Region.objects.get(code="33.74"))
    status = ReportStatus.SUBMITTED
    reporter = factory.SubFactory(UserFactory)
    submitted_at = factory.LazyFunction(timezone.now)


def public_report(**kwargs: object) -> Report:
    """A verified, non-confidential report held by Pemkot Semarang."""
    from agencies.models import Body

    kwargs.setdefault("status", ReportStatus.IN_PROGRESS)
    kwargs.setdefault("holder_body", Body.objects.get(source_key="regency-33.74"))
    kwargs.setdefault("verified_at", timezone.now())
    return ReportFactory(**kwargs)


def add_event(report: Report, kind: str = EventKind.RESPONSE, **kwargs: object):
    kwargs.setdefault("visibility", Visibility.PUBLIC)
    with transaction.atomic():
        Report.objects.select_for_update().get(pk=report.pk)
        return append_event(report=report, kind=kind, **kwargs)
