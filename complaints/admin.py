"""Admin for the categories of reports, their extra questions, the Open311 clients, the
email outbox and the email alerts' subscriptions (kept by system admins)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies import access
from agencies.signed_in import signed_in_user
from complaints import outbox
from complaints.models import (
    AlertSubscription,
    Category,
    CategoryQuestion,
    Open311Client,
    OutgoingEmail,
)
from complaints.open311 import keys
from lapor.admin_site import SystemAdminOnly


class CategoryQuestionInline(admin.TabularInline):
    model = CategoryQuestion
    extra = 0
    fields = ["sort_order", "code", "label", "help_text", "kind", "choices", "is_required",
              "is_active"]

    # The system admin keeps them, as the category itself (SystemAdminOnly), whatever the
    # model permissions say.
    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.is_system_admin(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.is_system_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.is_system_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A question with answers is deactivated instead: its code still labels them.
        return False


@admin.register(Category)
class CategoryAdmin(SystemAdminOnly):
    list_display = ["name", "slug", "default_priority", "is_active", "sort_order"]
    list_editable = ["default_priority", "is_active", "sort_order"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CategoryQuestionInline]

    def has_delete_permission(self, request: HttpRequest, obj: Category | None = None) -> bool:
        # Categories with reports are deactivated instead (the FK protects them).
        return access.is_system_admin(request.user) and (
            obj is None or not obj.report_set.exists()
        )


@admin.register(Open311Client)
class Open311ClientAdmin(SystemAdminOnly):
    list_display = ["name", "contact_email", "is_active", "key_prefix", "key_issued_at",
                    "last_used_at"]
    readonly_fields = ["key_prefix", "key_issued_at", "last_used_at"]
    actions = ["issue_keys"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deactivate instead: its reports name it

    def save_model(self, request: HttpRequest, obj: Open311Client, form: Any,
                   change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            self._show_key(request, obj)

    def _show_key(self, request: HttpRequest, client: Open311Client) -> None:
        key = keys.issue_key(client=client, actor=signed_in_user(request))
        messages.warning(request, _(
            "Kunci API %(name)s: %(key)s — salin sekarang; kunci ini tidak ditampilkan lagi."
        ) % {"name": client.name, "key": key})

    @admin.action(description=gettext_lazy("Terbitkan kunci API baru (kunci lama berhenti)"))
    def issue_keys(self, request: HttpRequest, queryset: QuerySet[Open311Client]) -> None:
        for client in queryset:
            self._show_key(request, client)


@admin.register(AlertSubscription)
class AlertSubscriptionAdmin(SystemAdminOnly):
    """Subscriptions come from their address (confirmed by its link); the admin looks, and
    may delete one (a complaint of unwanted mail), never adds or changes one."""

    list_display = ["email", "region", "body", "category", "created_at", "confirmed_at",
                    "last_digest_at"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    list_select_related = ["region", "body", "category"]
    raw_id_fields = ["region", "body", "category"]
    readonly_fields = ["email", "region", "body", "category", "language", "created_at",
                       "confirmation_sent_at", "confirmed_at", "sent_up_to", "last_digest_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(SystemAdminOnly):
    """The outbox as the system admin watches it: what waits, what failed and why. The message
    text stays out of the list and the page (notices quote reports); only its metadata shows.
    Rows are written by the acts and sent by the worker: nothing is added or edited here, and a
    failed row is queued again through ``outbox.send_again``."""

    list_display = ["address", "subject", "state", "attempts", "next_attempt_at", "last_error",
                    "created_at", "sent_at"]
    list_filter = ["state", "created_at"]
    search_fields = ["address", "subject"]
    date_hierarchy = "created_at"
    readonly_fields = ("address", "subject", "state", "attempts", "next_attempt_at",
                       "claimed_at", "last_error", "created_at", "sent_at")
    fields = readonly_fields
    ordering = ["-created_at"]
    actions = ["send_again"]
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=gettext_lazy("Kirim ulang email yang gagal"),
                  permissions=["view"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutgoingEmail]) -> None:
        queued = outbox.send_again(queryset.values_list("pk", flat=True))
        skipped = queryset.count() - queued
        messages.success(request, _("%(n)s email dijadwalkan untuk dikirim ulang.") % {"n": queued})
        if skipped:
            messages.warning(request, _(
                "%(n)s email tidak gagal permanen, jadi dibiarkan (yang menunggu akan dikirim "
                "otomatis)."
            ) % {"n": skipped})
