"""Admin for the body tree, regions, users and roles.

Every queryset is scoped by ``agencies.access``: a supervisor sees and edits only their own
subtree (another body's page answers "not found"), a system admin everything. Writes go through
``agencies.services`` so the admin obeys the same rules as the pages and the API. Bodies are
never deleted, only deactivated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies import access, selectors, services, two_factor
from agencies.models import Body, Membership, Region, SecondFactorReset, User
from agencies.signed_in import signed_in_user
from lapor.admin_site import user_label
from lapor.errors import DomainError

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class ProvinceFilter(admin.SimpleListFilter):
    title = _("provinsi")
    parameter_name = "province"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(
            Region.objects.filter(level=Region.Level.PROVINCE)
            .order_by("name")
            .values_list("code", "name")
        )

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value():
            return queryset.filter(province__code=self.value())
        return queryset


def _body_link(body: Body) -> str:
    url = reverse("admin:agencies_body_change", args=[body.pk])
    return format_html('<a href="{}">{}</a>', url, body.acronym or body.name)


class UserChoiceField(forms.ModelChoiceField):
    """A person picker that shows the email beside the name (see ``user_label``)."""

    def label_from_instance(self, obj: User) -> str:
        return user_label(obj)


class BodyAdminForm(forms.ModelForm):
    parent = forms.ModelChoiceField(
        queryset=Body.objects.all(),
        required=False,
        label=_("Instansi induk"),
        help_text=_(
            "Untuk unit baru: instansi tempat unit ini berada. Untuk instansi yang ada: isi "
            "hanya bila ingin memindahkannya beserta seluruh unit di bawahnya."
        ),
    )

    class Meta:
        model = Body
        fields = ["name", "acronym", "aliases", "region", "address", "email", "phone"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    form = BodyAdminForm
    list_display = [
        "tree_name",
        "acronym",
        "kind",
        "province",
        "time_zone_label",
        "is_active",
        "child_count",
    ]
    list_display_links = ["tree_name"]
    list_filter = ["kind", "is_active", ProvinceFilter]
    search_fields = ["name", "acronym", "aliases"]
    list_select_related = ["province"]
    list_per_page = 50
    autocomplete_fields = ["region"]
    readonly_fields = ["kind", "ancestors_path", "children_links", "time_zone_label", "is_active"]
    actions = ["deactivate", "reactivate"]
    ordering = ["path"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Body]:
        return access.bodies_administered_by(request.user).select_related("province", "region")

    def get_form(
        self, request: HttpRequest, obj: Body | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[Body]]:
        form = super().get_form(request, obj, change=change, **kwargs)
        parent_field = form.base_fields["parent"]
        assert isinstance(parent_field, forms.ModelChoiceField)  # BodyAdminForm declares it
        parent_field.queryset = access.bodies_administered_by(request.user)
        parent_field.widget = AutocompleteSelect(
            Membership._meta.get_field("body"), self.admin_site
        )
        parent_field.required = obj is None
        return form

    def get_fieldsets(self, request: HttpRequest, obj: Body | None = None) -> Any:
        main = ["name", "acronym", "aliases", "parent", "region", "address", "email", "phone"]
        if obj is None:
            return [(None, {"fields": main})]
        return [
            (None, {"fields": ["ancestors_path", "kind", *main, "time_zone_label", "is_active"]}),
            (_("Di bawah instansi ini"), {"fields": ["children_links"]}),
        ]

    @admin.display(description=_("nama"), ordering="path")
    def tree_name(self, body: Body) -> str:
        """The name indented by its depth (a dash per level below the root): the list runs in
        tree order (by path), so each body stands under its parent."""
        # No-break spaces: the dashes stay on the line of the name's first word.
        return format_html(
            '<span class="tree-indent" aria-hidden="true">{}</span>{}',
            "—\u00a0" * (body.depth - 1), body.name,
        )

    @admin.display(description=_("unit di bawahnya"), ordering="numchild")
    def child_count(self, body: Body) -> int:
        return body.numchild

    @admin.display(description=_("zona waktu"))
    def time_zone_label(self, body: Body) -> str:
        return body.time_zone_abbreviation

    @admin.display(description=_("jalur dari pusat"))
    def ancestors_path(self, body: Body) -> str:
        chain = [*selectors.ancestors(body), body]
        return format_html_join(" › ", "{}", ((b.acronym or b.name,) for b in chain))

    @admin.display(description=_("unit di bawahnya"))
    def children_links(self, body: Body) -> str | StrPromise:
        children = list(selectors.children(body)[:50])
        if not children:
            return _("Belum ada.")
        links = format_html_join(", ", "{}", ((_body_link(c),) for c in children))
        if body.numchild > len(children):
            more = reverse("admin:agencies_body_changelist")
            return format_html('{} … <a href="{}?q={}">{}</a>', links, more, body.name, _("semua"))
        return links

    def save_model(self, request: HttpRequest, obj: Body, form: Any, change: bool) -> None:
        data = form.cleaned_data
        try:
            if not change:
                created = services.create_unit(
                    parent=data["parent"],
                    name=data["name"],
                    acronym=data.get("acronym", ""),
                    region=data.get("region"),
                    address=data.get("address", ""),
                    email=data.get("email", ""),
                    phone=data.get("phone", ""),
                    actor=signed_in_user(request),
                )
                obj.pk = created.pk
                return
            services.update_body(
                body=obj,
                actor=signed_in_user(request),
                **{f: data[f] for f in form.changed_data if f in services.EDITABLE_FIELDS},
            )
            if data.get("parent"):
                services.move_body(
                    body=obj, new_parent=data["parent"], actor=signed_in_user(request)
                )
        except DomainError as exc:
            # The form is already valid; an error here is a rule the user must see.
            self.message_user(request, str(exc), level=messages.ERROR)
            raise _Abort from exc

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().changeform_view(request, *args, **kwargs)
        except _Abort:
            return HttpResponseRedirect(request.get_full_path())

    def has_delete_permission(self, request: HttpRequest, obj: Body | None = None) -> bool:
        return False  # bodies are deactivated, never deleted

    def has_add_permission(self, request: HttpRequest) -> bool:
        return access.bodies_administered_by(request.user).exists()

    def has_change_permission(self, request: HttpRequest, obj: Body | None = None) -> bool:
        return obj is None or access.may_administer(request.user, obj)

    def has_view_permission(self, request: HttpRequest, obj: Body | None = None) -> bool:
        return self.has_change_permission(request, obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.may_use_admin_site(request.user)

    @admin.action(description=_("Nonaktifkan instansi terpilih"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Body]) -> None:
        self._set_active(request, queryset.order_by("-depth"), False)

    @admin.action(description=_("Aktifkan kembali instansi terpilih"))
    def reactivate(self, request: HttpRequest, queryset: QuerySet[Body]) -> None:
        self._set_active(request, queryset.order_by("depth"), True)

    def _set_active(self, request: HttpRequest, queryset: QuerySet[Body], active: bool) -> None:
        done = 0
        for body in queryset:
            try:
                services.set_body_active(body=body, is_active=active, actor=signed_in_user(request))
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{body.name}: {exc}", level=messages.ERROR)
        if done:
            self.message_user(
                request,
                ngettext("%(n)d instansi diperbarui.", "%(n)d instansi diperbarui.", done)
                % {"n": done},
            )


class _Abort(Exception):
    """Stops the admin's save when a service refuses; the message is already queued."""


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "regency_kind", "time_zone"]
    list_filter = ["level", "regency_kind", "time_zone"]
    search_fields = ["name", "code"]
    ordering = ["code"]
    list_per_page = 100

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.may_use_admin_site(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Region | None = None) -> bool:
        return access.may_use_admin_site(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # regions come from the Kemendagri files (load_agency_tree)

    def has_change_permission(self, request: HttpRequest, obj: Region | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Region | None = None) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "body", "is_active", "created_at"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__email", "user__full_name", "body__name", "body__acronym"]
    autocomplete_fields = ["user", "body"]
    list_select_related = ["user", "body"]
    fields = ["user", "body", "role"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return selectors.memberships_visible_to(signed_in_user(request))

    @admin.display(description=_("pengguna"), ordering="user__full_name")
    def person(self, membership: Membership) -> str:
        return user_label(membership.user)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user":
            kwargs["form_class"] = UserChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.may_use_admin_site(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Membership | None = None) -> bool:
        return access.may_use_admin_site(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return access.may_use_admin_site(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Membership | None = None) -> bool:
        return False  # a role is granted or revoked, not edited

    def has_delete_permission(self, request: HttpRequest, obj: Membership | None = None) -> bool:
        return obj is None or access.may_administer(request.user, obj.body)

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        try:
            saved = services.grant_membership(
                user=obj.user, body=obj.body, role=obj.role, actor=signed_in_user(request)
            )
        except DomainError as exc:
            self.message_user(request, str(exc), level=messages.ERROR)
            raise _Abort from exc
        obj.pk = saved.pk

    def add_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().add_view(request, *args, **kwargs)
        except _Abort:
            return HttpResponseRedirect(request.get_full_path())

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        services.revoke_membership(membership=obj, actor=signed_in_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset:
            services.revoke_membership(membership=membership, actor=signed_in_user(request))


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "date_joined"]
    list_filter = ["is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Data diri"), {"fields": ["full_name", "phone"]}),
        (
            _("Status"),
            {"fields": ["is_active", "is_staff", "is_superuser", "last_login", "date_joined"]},
        ),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]
    readonly_fields = ["last_login", "date_joined", "second_factor"]
    filter_horizontal: ClassVar[list[str]] = []
    actions = ["reset_second_factor"]

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [*fieldsets, (_("Verifikasi dua langkah"), {"fields": ["second_factor"]})]

    @admin.display(description=_("verifikasi dua langkah"))
    def second_factor(self, user: User) -> str:
        state = str(_("aktif") if two_factor.has_second_factor(user) else _("belum dipasang"))
        if access.requires_second_factor(user):
            state = str(_("%(state)s (wajib untuk perannya)")) % {"state": state}
        last = SecondFactorReset.objects.filter(user=user).select_related("reset_by").first()
        if last is not None:
            state += " · " + str(_("terakhir diatur ulang %(when)s oleh %(who)s")) % {
                "when": last.reset_at.strftime("%Y-%m-%d %H:%M"), "who": user_label(last.reset_by),
            }
        return state

    @admin.action(
        description=_("Atur ulang verifikasi dua langkah (ponsel hilang)"),
        permissions=["reset_second_factor"],
    )
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor = signed_in_user(request)
        done = 0
        for user in queryset:
            try:
                two_factor.reset(user=user, actor=actor)
            except DomainError as error:
                self.message_user(request, f"{user_label(user)}: {error}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, ngettext(
                "Verifikasi dua langkah %(count)d pengguna diatur ulang; ia memasangnya lagi saat "
                "masuk berikutnya.",
                "Verifikasi dua langkah %(count)d pengguna diatur ulang; mereka memasangnya lagi "
                "saat masuk berikutnya.",
                done,
            ) % {"count": done}, messages.SUCCESS)

    def has_reset_second_factor_permission(self, request: HttpRequest) -> bool:
        return self._is_admin(request)

    def _is_admin(self, request: HttpRequest) -> bool:
        return access.is_system_admin(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.may_use_admin_site(request.user)

    def has_view_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # Supervisors look users up to grant roles (autocomplete); only admins open accounts.
        return access.may_use_admin_site(request.user) if obj is None else self._is_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._is_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return self._is_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return False  # accounts are deactivated; citizens delete their own (complaints app)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        if not self._is_admin(request):
            raise PermissionDenied
        return super().changelist_view(request, extra_context)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[User], search_term: str
    ) -> Any:
        if self._is_admin(request):
            return super().get_search_results(request, queryset, search_term)
        # A supervisor granting a role finds a person by their exact email, nothing more.
        return queryset.filter(email__iexact=search_term.strip()), False


# The devices are kept through agencies.two_factor only (set up by their owner, reset by a
# system admin with the action above, which is recorded): not edited as rows in the admin.
for _device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)
