"""Admin for the working-day calendar's overrides (``CalendarDay``): system admins only. Every
save and delete drops the cached overrides so that deadlines computed next use them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import ForeignKey, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest

from agencies.models import Region
from agencies.signed_in import signed_in_user
from lapor.admin_site import SystemAdminOnly
from routing.calendar import forget_overrides
from routing.models import CalendarDay


def _forget_now_and_after_commit() -> None:
    # Now for this request; after the commit again, in case a lookup in between (another
    # thread of this process) cached the rows as they were before the commit.
    forget_overrides()
    transaction.on_commit(forget_overrides)


@admin.register(CalendarDay)
class CalendarDayAdmin(SystemAdminOnly):
    list_display = ["date", "province", "is_working_day", "note"]
    # Only the provinces that have a row: the plain filter would list every region.
    list_filter = ["is_working_day", ("province", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "date"
    search_fields = ["note"]
    fields = ["date", "province", "is_working_day", "note", "created_at", "created_by"]
    readonly_fields = ["created_at", "created_by"]
    list_select_related = ["province"]

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if db_field.name == "province":
            kwargs["queryset"] = Region.objects.filter(level=Region.Level.PROVINCE).order_by(
                "code"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: object,
                   change: bool) -> None:
        if not change:
            obj.created_by = signed_in_user(request)
        super().save_model(request, obj, form, change)
        _forget_now_and_after_commit()

    def delete_model(self, request: HttpRequest, obj: CalendarDay) -> None:
        super().delete_model(request, obj)
        _forget_now_and_after_commit()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarDay]) -> None:
        super().delete_queryset(request, queryset)
        _forget_now_and_after_commit()
