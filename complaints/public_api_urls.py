"""The public reports API, mounted under /api/v1/."""

from django.urls import path

from complaints.api import public

urlpatterns = [
    path("public/complaints/", public.PublicReportList.as_view(), name="public-complaint-list"),
    path(
        "public/complaints/<str:tracking_number>/",
        public.PublicReportDetail.as_view(),
        name="public-complaint-detail",
    ),
    path(
        "public/complaints/<str:tracking_number>/support/",
        public.PublicReportSupport.as_view(),
        name="public-complaint-support",
    ),
]
