"""Forms of the citizen's pages. Cross-field rules come from ``complaints.validation`` so the
page and the API say the same thing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Region
from complaints import cached
from complaints.models import Category, Channel, ReportKind, SolvedAnswer
from complaints.validation import DESCRIPTION_MAX, TITLE_MAX, field_errors


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by complaints.attachments, not here."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        return list(data) if isinstance(data, list | tuple) else [data]


class RegionChoiceField(forms.ModelChoiceField):
    """A region of one level by code; parsing reads the per-process cache (no query)."""

    def __init__(self, level: str, **kwargs: Any) -> None:
        self.level = level
        super().__init__(
            queryset=Region.objects.filter(level=level),
            to_field_name="code",
            required=False,
            **kwargs,
        )

    def to_python(self, value: Any) -> Region | None:
        if value in self.empty_values:
            return None
        region = cached.region_at(str(value), self.level)
        if region is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"],
                                        code="invalid_choice", params={"value": value})
        return region


class CategoryChoiceField(forms.ModelChoiceField):
    """An active category by id; parsing reads the per-process cache (no query)."""

    def to_python(self, value: Any) -> Category | None:
        if value in self.empty_values:
            return None
        category = cached.active_category(pk=int(value)) if str(value).isdigit() else None
        if category is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"],
                                        code="invalid_choice", params={"value": value})
        return category


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis laporan"), choices=ReportKind.choices, widget=forms.RadioSelect,
        required=False,
    )
    title = forms.CharField(label=_("Judul"), max_length=TITLE_MAX, required=False)
    description = forms.CharField(
        label=_("Isi laporan"), widget=forms.Textarea, max_length=DESCRIPTION_MAX, required=False
    )
    category = CategoryChoiceField(
        label=_("Kategori"), queryset=Category.objects.filter(is_active=True), required=False
    )
    province = RegionChoiceField(Region.Level.PROVINCE, label=_("Provinsi"))
    regency = RegionChoiceField(Region.Level.REGENCY, label=_("Kabupaten/kota"))
    district = RegionChoiceField(Region.Level.DISTRICT, label=_("Kecamatan (jika tahu)"))
    latitude = forms.DecimalField(
        label=_("Lintang"), max_digits=9, decimal_places=6, required=False
    )
    longitude = forms.DecimalField(
        label=_("Bujur"), max_digits=9, decimal_places=6, required=False
    )
    event_on = forms.DateField(
        label=_("Tanggal kejadian"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    is_anonymous = forms.BooleanField(label=_("Anonim"), required=False)
    is_confidential = forms.BooleanField(label=_("Rahasia"), required=False)
    attachments = MultipleFileField(label=_("Lampiran"))

    def __init__(self, *args: Any, for_submit: bool = True, **kwargs: Any) -> None:
        self.for_submit = for_submit
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        values = {k: v for k, v in data.items() if k not in self.errors}
        for field, message in field_errors(values, for_submit=self.for_submit).items():
            if field not in self.errors:
                self.add_error(field, message)
        return data

    def valid_values(self) -> dict[str, Any]:
        """The values that parsed and passed their rules: what a draft keeps."""
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: value
            for name, value in cleaned.items()
            if name != "attachments" and name not in self.errors
        }


class AssistedReportForm(ReportForm):
    channel = forms.ChoiceField(
        label=_("Saluran"),
        choices=[(c.value, c.label) for c in Channel if c not in (Channel.WEB, Channel.API)],
    )
    contact_name = forms.CharField(label=_("Nama pelapor"), max_length=150)
    contact_email = forms.EmailField(
        label=_("Email pelapor (untuk nomor pelacakan)"), required=False
    )
    contact_phone = forms.CharField(label=_("Telepon pelapor"), max_length=20, required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Pesan"), widget=forms.Textarea(attrs={"rows": 4}))
    attachments = MultipleFileField(label=_("Lampiran"))


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Penilaian"),
        coerce=int,
        choices=[(i, str(i)) for i in range(1, 6)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Komentar"), widget=forms.Textarea(attrs={"rows": 3}),
                              required=False)


class SolvedForm(forms.Form):
    """ "Sudah tuntas?": the reporter's answer, once."""

    answer = forms.ChoiceField(label=_("Apakah masalah Anda sudah tuntas?"),
                               choices=SolvedAnswer.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Komentar (opsional)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
