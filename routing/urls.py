from django.urls import include, path

from routing.views import ombudsman, reports

app_name = "routing"

urlpatterns = [
    path("", include("routing.queue_urls")),
    path("ekspor/", include("routing.export_urls")),
    path("ombudsman/", ombudsman.ombudsman_page, name="ombudsman"),
    path("laporan/<str:tracking_number>/", reports.report_page, name="report"),
    path("laporan/<str:tracking_number>/<str:action>/", reports.report_action,
         name="report-action"),
    path("identitas/<str:tracking_number>/", reports.reveal_reporter, name="reveal-reporter"),
    path("templat/", reports.template_list, name="templates"),
    path("templat/<int:pk>/hapus/", reports.template_delete, name="template-delete"),
]
