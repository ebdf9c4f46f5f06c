"""The admin site: open to system admins and to supervisors (for their own subtree only)."""

from django.contrib import admin
from django.http import HttpRequest

from agencies import access


class LaporAdminSite(admin.AdminSite):
    site_header = "LAPOR! — Administrasi"
    site_title = "LAPOR!"
    index_title = "Administrasi"

    def has_permission(self, request: HttpRequest) -> bool:
        return access.may_use_admin_site(request.user)


class SystemAdminOnly(admin.ModelAdmin):
    """A model only the system admin keeps (rules, policies, calendar, categories)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.is_system_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return access.is_system_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return access.is_system_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return access.is_system_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return access.is_system_admin(request.user)
