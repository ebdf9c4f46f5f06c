"""The public statistics pages, mounted at /statistik/ (namespace "statistics")."""

from django.urls import path

from routing.views import statistics

app_name = "statistics"

urlpatterns = [
    path("", statistics.national, name="national"),
    path("peringkat/", statistics.ranking, name="ranking"),
    path("provinsi/<int:pk>/", statistics.province, name="province"),
    path("wilayah/<int:pk>/", statistics.regency, name="regency"),
    path("instansi/<int:pk>/", statistics.body, name="body"),
    path("kategori/<slug:slug>/", statistics.category, name="category"),
]
