"""The admin site: open to system admins and to supervisors (for their own subtree only)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.http import HttpRequest, HttpResponse

from agencies import access
from agencies.models import User


def user_label(user: User) -> str:
    """How a person reads in the admin's pickers: two people may share a name, never an
    address. (``User.__str__`` stays the plain name that pages and emails show.)"""
    return f"{user.full_name} ({user.email})" if user.full_name else user.email


class _AutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete, naming people by ``user_label``."""

    def serialize_result(self, obj: Any, to_field_name: str) -> dict[str, Any]:
        # Django has had serialize_result since 3.2; django-stubs does not declare it yet.
        result: dict[str, Any] = super().serialize_result(obj, to_field_name)  # type: ignore[misc]
        if isinstance(obj, User):
            result["text"] = user_label(obj)
        return result


class LaporAdminSite(admin.AdminSite):
    site_header = "LAPOR! — Administrasi"
    site_title = "LAPOR!"
    index_title = "Administrasi"

    def has_permission(self, request: HttpRequest) -> bool:
        return access.may_use_admin_site(request.user)

    def autocomplete_view(self, request: HttpRequest) -> HttpResponse:
        # as_view() is typed as returning any response; this view answers a JsonResponse.
        return cast(HttpResponse, _AutocompleteJsonView.as_view(admin_site=self)(request))


class SystemAdminOnly(admin.ModelAdmin):
    """A model only the system admin keeps (rules, policies, calendar, categories)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.is_system_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.is_system_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return access.is_system_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.is_system_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.is_system_admin(request.user)
