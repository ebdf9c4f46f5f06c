"""Public pages of reports, mounted at /publik/: the feed, a report's page, support."""

from django.urls import path

from complaints.views import public

app_name = "public"

urlpatterns = [
    path("", public.feed_page, name="feed"),
    path("<str:tracking_number>/", public.detail_page, name="detail"),
    path("<str:tracking_number>/dukung/", public.support, name="support"),
]
