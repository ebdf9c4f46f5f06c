"""Export pages, under /petugas/ekspor/ (app namespace "routing")."""

from django.urls import path

from routing.views import exports

urlpatterns = [
    path("", exports.exports, name="exports"),
    # GET: what the file will hold (the confirm step); POST: start building it.
    path("baru/", exports.export_create, name="export-create"),
    path("<int:pk>/", exports.export_detail, name="export-detail"),
    path("<int:pk>/unduh/", exports.export_download, name="export-download"),
]
