"""Forms of the staff actions on a report. Each carries the version and the last event the
user saw, so that two people acting at once are told what changed (routing.errors.StaleReport)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from agencies import access
from agencies.models import Body, User
from complaints.forms import MultipleFileField
from complaints.models import Attachment, Priority
from complaints.validation import DESCRIPTION_MAX, TITLE_MAX
from routing.models import ExternalChannel
from routing.services.outcomes import ARCHIVE_REASONS
from routing.services.verification import REJECTION_REASONS

MAX_MATCHES = 10


class StaffActionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    seen_seq = forms.IntegerField(widget=forms.HiddenInput, required=False)


def find_bodies(query: str) -> list[Body]:
    """Active bodies whose name, acronym or older names contain every word of ``query``."""
    condition = Q(is_active=True)
    for word in query.split():
        condition &= (
            Q(name__icontains=word) | Q(acronym__icontains=word) | Q(aliases__icontains=word)
        )
    return list(Body.objects.filter(condition).order_by("depth", "name")[: MAX_MATCHES + 1])


class BodyChoiceMixin(forms.Form):
    """A target body chosen by id (from the search widget) or typed by name or acronym."""

    to_body = forms.IntegerField(required=False, widget=forms.HiddenInput)
    to_body_query = forms.CharField(
        label=_("Instansi tujuan (nama atau singkatan)"), required=False, max_length=200
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        self.matches: list[Body] = []
        body_id, query = data.get("to_body"), (data.get("to_body_query") or "").strip()
        body = Body.objects.filter(pk=body_id, is_active=True).first() if body_id else None
        if body is None and query:
            self.matches = find_bodies(query)
            wanted = query.lower()
            exact = [b for b in self.matches if wanted in (b.acronym.lower(), b.name.lower())]
            if len(exact) == 1:
                body = exact[0]
            elif len(self.matches) == 1:
                body = self.matches[0]
            elif not self.matches:
                self.add_error("to_body_query", _("Tidak ada instansi aktif yang cocok."))
            else:
                self.add_error("to_body_query", _("Beberapa instansi cocok; pilih salah satu."))
        elif body is None:
            self.add_error("to_body_query", _("Pilih instansi tujuan."))
        data["body"] = body
        return data


class DispositionForm(BodyChoiceMixin, StaffActionForm):
    note = forms.CharField(label=_("Catatan untuk instansi (hanya petugas)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class CopyForm(BodyChoiceMixin, StaffActionForm):
    note = forms.CharField(label=_("Catatan untuk instansi tembusan (hanya petugas)"),
                           required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RedirectForm(BodyChoiceMixin, StaffActionForm):
    reason = forms.CharField(label=_("Alasan pengalihan"), widget=forms.Textarea(attrs={"rows": 3}))
    confirm_return = forms.BooleanField(
        label=_("Ya, kembalikan ke instansi yang pernah memegangnya"), required=False
    )


class RejectForm(StaffActionForm):
    reason = forms.ChoiceField(label=_("Alasan"), choices=list(REJECTION_REASONS.items()))
    note = forms.CharField(label=_("Penjelasan untuk pelapor"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class DuplicateForm(StaffActionForm):
    original = forms.CharField(label=_("Nomor laporan asli"), max_length=20)
    note = forms.CharField(label=_("Catatan untuk pelapor"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class PostponeForm(StaffActionForm):
    returns_on = forms.DateField(
        label=_("Kembali ke antrean verifikasi pada tanggal"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tulis tanggal seperti 2026-12-31."),
                        "required": _("Pilih tanggal laporan kembali ke antrean.")},
    )
    reason = forms.CharField(label=_("Alasan penundaan"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))


class ReferOutForm(StaffActionForm):
    channel = forms.ModelChoiceField(
        label=_("Arahkan pelapor ke"), queryset=ExternalChannel.objects.filter(is_active=True),
        empty_label=_("— pilih saluran —"),
        error_messages={"required": _("Pilih ke mana pelapor diarahkan."),
                        "invalid_choice": _("Saluran itu tidak ada atau tidak aktif.")},
    )
    note = forms.CharField(label=_("Penjelasan untuk pelapor"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ArchiveForm(StaffActionForm):
    reason = forms.ChoiceField(label=_("Alasan"), choices=list(ARCHIVE_REASONS.items()))
    note = forms.CharField(label=_("Penjelasan untuk pelapor"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class PriorityForm(StaffActionForm):
    priority = forms.ChoiceField(label=_("Prioritas"), choices=Priority.choices)
    reason = forms.CharField(label=_("Alasan (hanya petugas)"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


class PublicCopyForm(StaffActionForm):
    """The public title and text as a verifier rewrites them; the service checks them (the
    same messages on the page and the API)."""

    title = forms.CharField(label=_("Judul publik"), required=False, max_length=TITLE_MAX)
    description = forms.CharField(label=_("Isi publik"), required=False,
                                  max_length=DESCRIPTION_MAX,
                                  widget=forms.Textarea(attrs={"rows": 6}))
    reason = forms.CharField(
        label=_("Alasan perubahan (dibaca pelapor, tidak tampil untuk publik)"),
        required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentVisibilityForm(StaffActionForm):
    """Hide one file of the report from the public, or show it again."""

    attachment = forms.IntegerField(label=_("Lampiran"), widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Alasan (dibaca pelapor, tidak tampil untuk publik)"),
                             required=False, max_length=500)


class NoteActionForm(StaffActionForm):
    note = forms.CharField(
        label=_("Pesan"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class DisposeDownForm(StaffActionForm):
    to_body = forms.ModelChoiceField(label=_("Unit tujuan"), queryset=Body.objects.none())
    note = forms.CharField(label=_("Catatan untuk unit (hanya petugas)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, holder: Body | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        to_body = self.fields["to_body"]
        assert isinstance(to_body, forms.ModelChoiceField)  # as declared above
        if holder is not None:
            to_body.queryset = Body.objects.filter(
                path__startswith=holder.path, is_active=True
            ).exclude(pk=holder.pk).order_by("path")


class AssignForm(StaffActionForm):
    assignee = forms.ModelChoiceField(
        label=_("Petugas"), queryset=User.objects.none(), empty_label=_("— pilih petugas —"),
        error_messages={"required": _("Pilih petugas yang akan memegang laporan ini."),
                        "invalid_choice": _("Petugas itu tidak dapat memegang laporan ini.")},
    )

    def __init__(self, *args: Any, holder: Body | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.ModelChoiceField)  # as declared above
        if holder is not None:
            assignee.queryset = access.assignable_members(Body.objects.filter(pk=holder.pk))


class BulkAssignForm(forms.Form):
    """Assign the reports checked in the queue (``reports``, tracking numbers the service
    checks one by one against the user's rights) to one of ``choices``; works without
    JavaScript. ``cleaned_data["assignee"]`` is the chosen user."""

    assignee = forms.TypedChoiceField(
        label=_("Tugaskan yang dicentang ke"), coerce=int,
        error_messages={"required": _("Pilih petugas yang akan memegang laporan itu."),
                        "invalid_choice": _("Petugas itu tidak dapat dipilih.")},
    )

    def __init__(self, *args: Any, choices: list[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {user.pk: user for user in choices or []}
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.TypedChoiceField)  # as declared above
        assignee.choices = [("", _("— pilih petugas —")),
                            *((pk, user.full_name) for pk, user in self.people.items())]

    def clean_assignee(self) -> User:
        return self.people[self.cleaned_data["assignee"]]


class ResolveForm(StaffActionForm):
    answer = forms.CharField(label=_("Jawaban akhir"), required=False,
                             widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(label=_("Lampiran jawaban"))
    # Files uploaded with an earlier try of this answer (kept, staff-only, until it is sent).
    held_attachments = forms.ModelMultipleChoiceField(
        label=_("Berkas yang sudah Anda unggah (ikut dikirim bila dicentang)"),
        queryset=Attachment.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, held: QuerySet[Attachment] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        held_field = self.fields["held_attachments"]
        assert isinstance(held_field, forms.ModelMultipleChoiceField)  # as declared above
        if held is not None:
            held_field.queryset = held
        if held_field.queryset is None or not held_field.queryset.exists():
            del self.fields["held_attachments"]

    def clean_held_attachments(self) -> list[int]:
        return [attachment.pk for attachment in self.cleaned_data["held_attachments"]]


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), required=False, max_length=300)


class TemplateForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Instansi"), queryset=Body.objects.none())
    title = forms.CharField(label=_("Judul"), max_length=120)
    text = forms.CharField(
        label=_("Isi"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Tanda yang diganti otomatis: {nomor}, {judul}, {instansi}, {tanggal}."),
    )


class CaseAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Jawaban akhir untuk semua laporan dalam kasus"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Tuliskan jawaban akhir untuk para pelapor.")},
    )
