"""Admin for the categories of reports (kept by system admins)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from agencies import access
from complaints.models import Category
from lapor.admin_site import SystemAdminOnly


@admin.register(Category)
class CategoryAdmin(SystemAdminOnly):
    list_display = ["name", "slug", "default_priority", "is_active", "sort_order"]
    list_editable = ["default_priority", "is_active", "sort_order"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def has_delete_permission(self, request: HttpRequest, obj: Category | None = None) -> bool:
        # Categories with reports are deactivated instead (the FK protects them).
        return access.is_system_admin(request.user) and (
            obj is None or not obj.report_set.exists()
        )
