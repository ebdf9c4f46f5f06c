"""The open data pages, mounted at /data-terbuka/ (namespace "opendata")."""

from django.urls import path, re_path

from routing.views import opendata

app_name = "opendata"

_NAME = r"(?P<name>[A-Za-z0-9][A-Za-z0-9._-]{0,80})"

urlpatterns = [
    path("", opendata.index, name="index"),
    re_path(rf"^terbaru/{_NAME}$", opendata.latest, name="latest"),
    re_path(rf"^(?P<day>\d{{4}}-\d{{2}}-\d{{2}})/{_NAME}$", opendata.download, name="download"),
]
