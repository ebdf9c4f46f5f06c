"""Export pages, under /petugas/ekspor/ (app namespace "routing")."""

from django.urls import path

from routing.views import exports

urlpatterns = [
    path("", exports.exports, name="exports"),
    # The same address: GET lists the user's exports, POST (the queue's form) starts one.
    path("", exports.exports, name="export-create"),
    path("<int:pk>/", exports.export_detail, name="export-detail"),
    path("<int:pk>/unduh/", exports.export_download, name="export-download"),
]
