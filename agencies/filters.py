"""Filters for bodies and regions, shared by the pages and the API (one way to filter)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from agencies.models import Body, Region


class BodyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari nama atau singkatan"))
    kind = django_filters.ChoiceFilter(choices=Body.Kind.choices, label=_("Jenis"))
    province = django_filters.CharFilter(
        field_name="province__code", label=_("Provinsi (kode Kemendagri)")
    )
    region = django_filters.CharFilter(field_name="region__code", label=_("Wilayah (kode)"))
    parent = django_filters.NumberFilter(method="filter_parent", label=_("Induk (id)"))
    is_active = django_filters.BooleanFilter(label=_("Aktif"))

    class Meta:
        model = Body
        fields = ["q", "kind", "province", "region", "parent", "is_active"]

    def search(self, queryset: QuerySet[Body], name: str, value: str) -> QuerySet[Body]:
        condition = Q()
        for word in value.split():
            condition &= (
                Q(name__icontains=word) | Q(acronym__icontains=word) | Q(aliases__icontains=word)
            )
        return queryset.filter(condition)

    def filter_parent(self, queryset: QuerySet[Body], name: str, value: int) -> QuerySet[Body]:
        parent = Body.objects.filter(pk=value).only("path", "depth").first()
        if parent is None:
            return queryset.none()
        return queryset.filter(path__startswith=parent.path, depth=parent.depth + 1)


class RegionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Cari nama"))
    level = django_filters.ChoiceFilter(choices=Region.Level.choices, label=_("Tingkat"))
    parent = django_filters.CharFilter(field_name="parent__code", label=_("Kode wilayah induk"))
    province = django_filters.CharFilter(field_name="province__code", label=_("Kode provinsi"))
    regency_kind = django_filters.ChoiceFilter(
        choices=Region.RegencyKind.choices, label=_("Kabupaten atau kota")
    )

    class Meta:
        model = Region
        fields = ["q", "level", "parent", "province", "regency_kind"]
