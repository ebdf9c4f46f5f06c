"""API shapes of the staff queues. A row names the report, where it is and who holds it: never
who reported it (no name, email or phone, not even for a report that is not anonymous)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from complaints.models import Report, ReportKind, ReportStatus
from routing import queues

_KIND_HELP = "Salah satu dari: " + ", ".join(ReportKind.values)
_STATUS_HELP = "Salah satu dari: " + ", ".join(ReportStatus.values)


class StaffQueueBodySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class StaffQueueRowSerializer(serializers.Serializer):
    """One report of a queue. Context: ``now`` (the time ``is_overdue`` is judged at)."""

    tracking_number = serializers.CharField()
    title = serializers.CharField()
    # Plain strings, not enums: other components already name enums "kind" and "status".
    status = serializers.CharField(help_text=_STATUS_HELP)
    status_label = serializers.CharField(source="get_status_display")
    kind = serializers.CharField(help_text=_KIND_HELP)
    kind_label = serializers.CharField(source="get_kind_display")
    category = serializers.CharField(source="category.name", allow_null=True, default=None)
    regency = serializers.CharField(source="regency.name", allow_null=True, default=None)
    province = serializers.CharField(source="province.name", allow_null=True, default=None)
    holder_body = StaffQueueBodySerializer(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(
        allow_null=True,
        help_text=(
            "Tenggat paling awal yang belum dipenuhi instansi pemegang (tanggapan pertama atau "
            "tindak lanjut), termasuk yang sudah terlewati; null: tidak ada."
        ),
    )
    due_clock_kind = serializers.CharField(
        help_text=("Tenggat yang mana: first_response, follow_up atau next_step; kosong tanpa "
                   "tenggat.")
    )
    escalated_at = serializers.DateTimeField(
        allow_null=True, help_text="Diteruskan ke Ombudsman RI (instansi tetap memegangnya)."
    )
    ombudsman_office = StaffQueueBodySerializer(allow_null=True)
    held_since = serializers.DateTimeField(allow_null=True)
    holder_responded_at = serializers.DateTimeField(
        allow_null=True, help_text="Tanggapan pertama instansi pemegang; null: belum."
    )
    is_overdue = serializers.SerializerMethodField(help_text="Tenggat sudah lewat.")
    assignee = serializers.SerializerMethodField(
        help_text="Petugas instansi yang memegang laporan; null: belum ada yang memegang."
    )

    is_due_soon = serializers.SerializerMethodField(
        help_text="Segera jatuh tempo: peringatan pertama tenggat sudah tiba, tenggat belum.")

    def get_is_overdue(self, report: Report) -> bool:
        return queues.is_overdue(report, self.context.get("now"))

    @extend_schema_field(StaffQueueBodySerializer(allow_null=True))
    def get_assignee(self, report: Report) -> dict[str, Any] | None:
        assignee = report.assignee if report.assignee_id else None
        return {"id": assignee.pk, "name": assignee.full_name} if assignee else None

    def get_is_due_soon(self, report: Report) -> bool:
        return queues.is_due_soon(report, self.context.get("now"))


class StaffVerificationRowSerializer(StaffQueueRowSerializer):
    """One new report. Context also: ``suggestions`` ({report id: RoutingRule})."""

    attachment_count = serializers.IntegerField()
    suggested_body = serializers.SerializerMethodField(
        help_text="Instansi yang disarankan aturan rute paling spesifik; null: belum ada aturan."
    )

    @extend_schema_field(StaffQueueBodySerializer(allow_null=True))
    def get_suggested_body(self, report: Report) -> dict[str, Any] | None:
        rule = self.context["suggestions"].get(report.pk)
        if rule is None:
            return None
        return {"id": rule.body_id, "name": rule.body.name}


_NEXT_CURSOR_HELP = "Berikan sebagai `cursor` untuk halaman berikutnya; null: halaman terakhir."


class StaffVerificationPageSerializer(serializers.Serializer):
    results = StaffVerificationRowSerializer(many=True)
    next_cursor = serializers.CharField(allow_null=True, help_text=_NEXT_CURSOR_HELP)
    count = serializers.IntegerField(help_text="Jumlah laporan yang cocok menunggu verifikasi.")


class StaffQueuePageSerializer(serializers.Serializer):
    results = StaffQueueRowSerializer(many=True)
    next_cursor = serializers.CharField(allow_null=True, help_text=_NEXT_CURSOR_HELP)
    counts = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=(
            "Jumlah laporan per status (semua status kecuali draf) dengan filter yang sama, "
            "tanpa filter status."
        ),
    )
    overdue_count = serializers.IntegerField(
        help_text="Jumlah laporan terbuka yang tenggatnya terlewati, dengan filter yang sama."
    )
    due_soon_count = serializers.IntegerField(
        help_text="Jumlah laporan terbuka yang segera jatuh tempo, dengan filter yang sama."
    )


class StaffQueueErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class BulkAssignRequestSerializer(serializers.Serializer):
    reports = serializers.ListField(child=serializers.CharField(), help_text="Nomor laporan.")
    assignee = serializers.IntegerField(help_text="Id pengguna yang akan memegangnya.")


class BulkAssignResultSerializer(serializers.Serializer):
    assigned = serializers.ListField(child=serializers.CharField())
    refused = serializers.DictField(child=serializers.CharField(),
                                    help_text="Nomor laporan → alasan tidak ditugaskan.")


class StaffCopyRowSerializer(serializers.Serializer):
    """One copy (tembusan) to one of the user's bodies."""

    tracking_number = serializers.CharField(source="report.tracking_number")
    title = serializers.CharField(source="report.title")
    status = serializers.CharField(source="report.status", help_text=_STATUS_HELP)
    status_label = serializers.CharField(source="report.get_status_display")
    holder_body = StaffQueueBodySerializer(source="report.holder_body", allow_null=True)
    copied_to = StaffQueueBodySerializer(source="body")
    copied_at = serializers.DateTimeField(source="at")


class StaffCopyPageSerializer(serializers.Serializer):
    results = StaffCopyRowSerializer(many=True)
    next_cursor = serializers.CharField(allow_null=True, help_text=_NEXT_CURSOR_HELP)
