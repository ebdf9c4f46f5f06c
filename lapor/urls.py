"""The portal's URLs: pages, the API under /api/v1/, its schema and docs, Open311 GeoReport v2
under /open311/v2/, admin, health."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from lapor import views

# The citizen's reports first: a request is matched against each app's patterns in turn, and
# every app that does not match costs a failed search (Django lists what it tried).
api_v1 = [
    path("", include("complaints.api_urls")),
    path("", include("agencies.api_urls")),
    path("", include("routing.api_urls")),
]

# The API and Open311 come before the pages mounted at the root ("" + complaints.urls): that
# include matches every path's empty prefix, so each API request first failed through all the
# pages' patterns (7 % of a filing's CPU in Django's list of what it tried).
urlpatterns = [
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("open311/v2/", include("complaints.open311.urls")),
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("petugas/", include("routing.urls")),
    path("", include("complaints.urls")),
    path("instansi/", include("agencies.urls")),
    path("statistik/", include("routing.statistics_urls")),
    path("data-terbuka/", include("routing.opendata_urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's set-up script comes as a file of its own (the split view), not inline, so
    # the Content-Security-Policy needs no exception for scripts there.
    path(
        "api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"
    ),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]

# A path under /api/ that matches no URL answers JSON, as the API's other 404s do.
handler404 = "lapor.views.not_found"

if settings.DEBUG:  # pragma: no cover - uploaded media in development only
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
