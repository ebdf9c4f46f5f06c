"""complaints' part of /api/v1/ (namespace "api"): the citizen's reports, categories,
attachments, notifications, look-up, assisted intake, the public reports, and the account
endpoints."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from complaints.accounts import api as account_api
from complaints.api import alerts, public
from complaints.api.reports import (
    AssistedIntakeView,
    AttachmentViewSet,
    CategoryViewSet,
    NotificationViewSet,
    ReportViewSet,
    TrackView,
)
from complaints.api.similar import SimilarReportsView

router = SimpleRouter()
router.register("reports", ReportViewSet, basename="report")
router.register("categories", CategoryViewSet, basename="category")
router.register("attachments", AttachmentViewSet, basename="attachment")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("track/<str:tracking_number>/", TrackView.as_view(), name="track"),
    path("assisted-intake/", AssistedIntakeView.as_view(), name="assisted-intake"),
    path("public/reports/", public.PublicReportList.as_view(), name="public-report-list"),
    path("public/reports/<str:tracking_number>/", public.PublicReportDetail.as_view(),
         name="public-report-detail"),
    path("public/reports/<str:tracking_number>/support/", public.PublicReportSupport.as_view(),
         name="public-report-support"),
    path("public/similar-reports/", SimilarReportsView.as_view(), name="similar-reports"),
    path("alerts/subscribe/", alerts.AlertSubscribeView.as_view(), name="alert-subscribe"),
    path("alerts/confirm/", alerts.AlertConfirmView.as_view(), name="alert-confirm"),
    path("alerts/unsubscribe/", alerts.AlertUnsubscribeView.as_view(), name="alert-unsubscribe"),
    path("alerts/address/", alerts.AlertAddressView.as_view(), name="alert-address"),
    path("auth/register/", account_api.RegisterView.as_view(), name="auth-register"),
    path("auth/token/", account_api.TokenView.as_view(), name="auth-token"),
    path("auth/confirm-email/", account_api.ConfirmEmailView.as_view(),
         name="auth-confirm-email"),
    path("auth/resend-confirmation/", account_api.ResendConfirmationView.as_view(),
         name="auth-resend-confirmation"),
    path("auth/password-reset/", account_api.PasswordResetView.as_view(),
         name="auth-password-reset"),
    path("me/", account_api.MeView.as_view(), name="me"),
    path("me/export/", account_api.MeExportView.as_view(), name="me-export"),
    path("me/erase/", account_api.MeEraseView.as_view(), name="me-erase"),
    *router.urls,
]
