"""The staff pages under /petugas/ (namespace "routing"): the queues, one report and its
actions, identities (logged), response templates, exports, the Ombudsman officers' queue."""

from django.urls import path

from routing.views import cases, copies, exports, ombudsman, queues, reports, statistics

app_name = "routing"

urlpatterns = [
    path("verifikasi/", queues.verification_page, name="verification"),
    path("antrean/", queues.queue_page, name="queue"),
    path("antrean/tugaskan/", queues.queue_assign, name="queue-assign"),
    path("antrean/kasus/", cases.queue_case, name="queue-case"),
    path("kasus/<int:pk>/", cases.case_page, name="case"),
    path("tembusan/", copies.copies_page, name="copies"),
    path("ombudsman/", ombudsman.ombudsman_page, name="ombudsman"),
    path("statistik/", statistics.staff_statistics, name="statistics"),
    path("laporan/<str:tracking_number>/", reports.report_page, name="report"),
    path("laporan/<str:tracking_number>/<str:action>/", reports.report_action,
         name="report-action"),
    path("identitas/<str:tracking_number>/", reports.reveal_reporter, name="reveal-reporter"),
    path("templat/", reports.template_list, name="templates"),
    path("templat/<int:pk>/hapus/", reports.template_delete, name="template-delete"),
    path("ekspor/", exports.exports, name="exports"),
    # GET: what the file will hold (the confirm step); POST: start building it.
    path("ekspor/baru/", exports.export_create, name="export-create"),
    path("ekspor/<int:pk>/", exports.export_detail, name="export-detail"),
    path("ekspor/<int:pk>/unduh/", exports.export_download, name="export-download"),
]
