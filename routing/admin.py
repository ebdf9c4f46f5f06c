"""Admin for routing rules (with how often each was overridden), response templates, and the
bodies' joint cases (read-only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agencies import access
from agencies.signed_in import signed_in_user
from lapor.admin_site import SystemAdminOnly
from routing import (
    admin_calendar,  # noqa: F401  (registers the working-day calendar)
    policies,
)
from routing.api.reports import RuleWithCounts, rules_with_override_counts
from routing.models import (
    Case,
    CaseReport,
    DayOne,
    DeadlinePolicy,
    ExternalChannel,
    ResponseTemplate,
    RoutingModel,
    RoutingRule,
)
from routing.services import learning, outcomes
from routing.services import rules as rule_service


class _SystemAdminOnly(SystemAdminOnly):
    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # deactivate instead: past dispositions and clocks keep pointing at it


@admin.register(RoutingRule)
class RoutingRuleAdmin(_SystemAdminOnly):
    list_display = [
        "category", "region", "body", "is_trusted", "is_active", "disposition_count",
        "override_count", "override_rate",
    ]
    list_filter = ["is_trusted", "is_active", "category"]
    search_fields = ["body__name", "body__acronym", "region__name", "category__name"]
    autocomplete_fields = ["region", "body"]
    fields = ["category", "region", "body", "is_trusted", "is_active", "note"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[RuleWithCounts]:
        return rules_with_override_counts()

    def save_model(self, request: HttpRequest, obj: RoutingRule, form: Any,
                   change: bool) -> None:
        values = {name: getattr(obj, name) for name in rule_service.RULE_FIELDS}
        saved = rule_service.save_rule(actor=signed_in_user(request), values=values,
                                       rule=obj if change else None)
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: RoutingRule) -> None:
        rule_service.retire_rule(actor=signed_in_user(request), rule=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RoutingRule]) -> None:
        for rule in queryset:
            rule_service.retire_rule(actor=signed_in_user(request), rule=rule)

    @admin.display(description=_("disposisi"), ordering="disposition_count")
    def disposition_count(self, rule: RuleWithCounts) -> int:
        return rule.disposition_count

    @admin.display(description=_("diganti verifikator"), ordering="override_count")
    def override_count(self, rule: RuleWithCounts) -> int:
        return rule.override_count

    @admin.display(description=_("persen diganti"))
    def override_rate(self, rule: RuleWithCounts) -> str:
        if not rule.disposition_count:
            return "—"
        return f"{100 * rule.override_count / rule.disposition_count:.0f}%"


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "body", "is_active", "updated_at"]
    search_fields = ["title", "text", "body__name"]
    list_filter = ["is_active"]
    autocomplete_fields = ["body"]
    fields = ["body", "title", "text", "is_active", "created_at", "updated_at"]
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ResponseTemplate]:
        administered = access.bodies_administered_by(request.user).values("pk")
        return super().get_queryset(request).filter(body__in=administered)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.may_use_admin_site(request.user)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return access.may_use_admin_site(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return access.may_use_admin_site(request.user)

    def has_change_permission(self, request: HttpRequest, obj: ResponseTemplate | None = None
                              ) -> bool:
        return obj is None or access.may_administer(request.user, obj.body)

    def has_delete_permission(self, request: HttpRequest, obj: ResponseTemplate | None = None
                              ) -> bool:
        return obj is None or access.may_administer(request.user, obj.body)


class CaseReportInline(admin.TabularInline):
    model = CaseReport
    extra = 0
    readonly_fields = ("report", "added_at")
    fields = readonly_fields
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[CaseReport]:
        return super().get_queryset(request).select_related("report")  # one query, any size

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.may_use_admin_site(request.user)  # the case's own check decides

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """The joint cases of the bodies an admin administers, to look at: cases are made, filled
    and answered by the body's staff on their pages (``routing.services.cases``), where each
    report's clocks and citizen are looked after; nothing here changes one."""

    list_display = ["title", "holder_body", "report_count", "created_at", "answered_at"]
    list_filter = [("answered_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["title", "holder_body__name", "members__report__tracking_number"]
    date_hierarchy = "created_at"
    readonly_fields = ("title", "holder_body", "created_by", "created_at", "answered_by",
                       "answered_at")
    fields = readonly_fields
    inlines = [CaseReportInline]
    ordering = ["-created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Case]:
        administered = access.bodies_administered_by(request.user).values("pk")
        return (super().get_queryset(request).filter(holder_body__in=administered)
                .select_related("holder_body").annotate(n_reports=Count("members")))

    @admin.display(description=_("laporan"), ordering="n_reports")
    def report_count(self, case: Case) -> int:
        return case.n_reports  # type: ignore[attr-defined]

    def view_on_site(self, obj: Case) -> str:
        return reverse("routing:case", args=[obj.pk])

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.may_use_admin_site(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Case | None = None) -> bool:
        return access.may_use_admin_site(request.user) and (
            obj is None or access.may_administer(request.user, obj.holder_body))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Case | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Case | None = None) -> bool:
        return False


class DeadlinePolicyForm(forms.ModelForm):
    class Meta:
        model = DeadlinePolicy
        fields = ["clock", "priority", "length_hours", "working_days", "day_one",
                  "warnings_before", "pauses_for_citizen", "pauses_when_postponed", "action",
                  "closing_note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day_one"].required = False  # left out: the law's count, the default

    def clean_day_one(self) -> str:
        return self.cleaned_data.get("day_one") or DayOne.NEXT_WORKING_DAY


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(_SystemAdminOnly):
    """A change is saved as a new version; clocks already running keep theirs."""

    form = DeadlinePolicyForm
    list_display = ["clock", "priority", "version", "length_hours", "working_days", "day_one",
                    "warnings_before", "action", "pauses_when_postponed", "is_current",
                    "created_at", "created_by"]
    list_filter = ["clock", "priority", "is_current"]
    # created_by may be empty, so the admin's own select_related() would not follow it.
    list_select_related = ["created_by"]
    ordering = ["clock", "-version"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # versions are immutable: add a new one

    def save_model(self, request: HttpRequest, obj: DeadlinePolicy, form: object,
                   change: bool) -> None:
        created = policies.set_policy(
            clock=obj.clock, action=obj.action, actor=signed_in_user(request),
            length_hours=obj.length_hours, working_days=obj.working_days, day_one=obj.day_one,
            warnings_before=list(obj.warnings_before or []),
            pauses_for_citizen=obj.pauses_for_citizen, closing_note=obj.closing_note,
            priority=obj.priority, pauses_when_postponed=obj.pauses_when_postponed,
        )
        obj.pk = created.pk


@admin.register(ExternalChannel)
class ExternalChannelAdmin(_SystemAdminOnly):
    """Where citizens are sent when a report is no matter for any body in the system (Bukan
    wewenang): kept by the system admin; deactivated, never deleted."""

    list_display = ["name", "contact", "url", "is_active", "sort_order"]
    list_filter = ["is_active"]
    search_fields = ["name", "description"]
    fields = ["name", "description", "url", "contact", "is_active", "sort_order"]
    # An address typed without a scheme is a https:// one (Django 6's default already).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request: HttpRequest, obj: ExternalChannel, form: Any,
                   change: bool) -> None:
        outcomes.save_external_channel(actor=signed_in_user(request), channel=obj)


@admin.register(RoutingModel)
class RoutingModelAdmin(_SystemAdminOnly):
    """The trained versions of the learned routing suggestion (trained by the nightly task or
    ``manage.py train_routing_model``, never by hand), above them how often each source of
    suggestions was the body the verifiers chose."""

    list_display = ["version", "trained_at", "training_rows", "held_out_rows", "top1_percent",
                    "top3_percent", "rules_percent", "classes", "seconds_rounded", "size_bytes"]
    fields = ("version", "trained_at", "training_rows", "held_out_rows", "top1", "top3",
              "rules_top1", "classes", "seconds", "size_bytes")
    readonly_fields = fields
    change_list_template = "admin/routing/routingmodel/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[RoutingModel]:
        return super().get_queryset(request).defer("pipeline")

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None
                        ) -> Any:
        days = 90
        extra = {**(extra_context or {}), "sources": learning.summary(days=days), "days": days}
        return super().changelist_view(request, extra_context=extra)

    @staticmethod
    def _percent(value: float | None) -> str:
        return "—" if value is None else f"{100 * value:.1f}%"

    @admin.display(description=_("top-1"), ordering="top1")
    def top1_percent(self, model: RoutingModel) -> str:
        return self._percent(model.top1)

    @admin.display(description=_("top-3"), ordering="top3")
    def top3_percent(self, model: RoutingModel) -> str:
        return self._percent(model.top3)

    @admin.display(description=_("aturan saja (top-1)"), ordering="rules_top1")
    def rules_percent(self, model: RoutingModel) -> str:
        return self._percent(model.rules_top1)

    @admin.display(description=_("lama (detik)"), ordering="seconds")
    def seconds_rounded(self, model: RoutingModel) -> str:
        return f"{model.seconds:.1f}"
