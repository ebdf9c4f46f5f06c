"""Forms of the citizen's pages. Cross-field rules come from ``complaints.validation`` so the
page and the API say the same thing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Region
from complaints import cached, questions
from complaints.models import Category, CategoryQuestion, Channel, ReportKind, SolvedAnswer
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
        # The chosen category's extra questions become fields "answers.<code>" (parsed and
        # checked by complaints.questions in clean, so the API says the same).
        chosen = self.data.get("category") if self.is_bound else self.initial.get("category")
        if isinstance(chosen, Category):
            chosen = chosen.pk
        chosen = str(chosen or "")
        self.questions: list[CategoryQuestion] = (
            questions.questions_of(int(chosen)) if chosen.isdigit() else [])
        for question in self.questions:
            self.fields[questions.field_name(question)] = forms.CharField(
                label=question.label, required=False, max_length=questions.ANSWER_MAX,
                help_text=question.help_text)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        values = {k: v for k, v in data.items() if k not in self.errors}
        for field, message in field_errors(values, for_submit=self.for_submit).items():
            if field not in self.errors:
                self.add_error(field, message)
        raw = {q.code: data.get(questions.field_name(q), "") for q in self.questions
               if questions.field_name(q) not in self.errors}
        answers, errors = questions.parse_answers(self.questions, raw)
        if self.for_submit:
            errors = {**questions.missing(self.questions, answers), **errors}
        for field, message in errors.items():
            self.add_error(field, message)
        self._answers = {code: value for code, value in answers.items()
                         if f"answers.{code}" not in errors}
        return data

    def valid_values(self) -> dict[str, Any]:
        """The values that parsed and passed their rules: what a draft keeps."""
        cleaned = getattr(self, "cleaned_data", {})
        values = {
            name: value
            for name, value in cleaned.items()
            if name != "attachments" and name not in self.errors
            and not name.startswith("answers.")
        }
        values["answers"] = getattr(self, "_answers", {})
        return values

    def question_sets(self) -> list[dict[str, Any]]:
        """The extra questions of every active category, for the form to show the chosen
        category's (with what was typed and its errors) and to switch to another's when
        the citizen changes the category (static/js/report-form.js)."""
        chosen = self.questions[0].category_id if self.questions else None
        by_category: dict[int, list[dict[str, Any]]] = {}
        active = CategoryQuestion.objects.filter(is_active=True, category__is_active=True)
        for question in active.order_by("category_id", "sort_order", "id"):
            name = questions.field_name(question)
            entry: dict[str, Any] = {
                "question": question, "name": name,
                "id": f"id_q{question.category_id}_{question.code}",
                "choices": question.choice_list(), "value": "", "errors": [],
            }
            if question.category_id == chosen and name in self.fields:
                entry["value"] = self[name].value() or ""
                entry["errors"] = self.errors.get(name, [])
            by_category.setdefault(question.category_id, []).append(entry)
        return [{"category_id": pk, "is_chosen": pk == chosen, "questions": entries}
                for pk, entries in by_category.items()]


class AssistedReportForm(ReportForm):
    channel = forms.ChoiceField(
        label=_("Saluran"),
        choices=[(c.value, c.label) for c in Channel
                 if c not in (Channel.WEB, Channel.API, Channel.OPEN311)],
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
