"""Account endpoints of the API, mounted under /api/v1/ by lapor.urls."""

from django.urls import path

from complaints.accounts import api

urlpatterns = [
    path("auth/register/", api.RegisterView.as_view(), name="auth-register"),
    path("auth/token/", api.TokenView.as_view(), name="auth-token"),
    path("auth/confirm-email/", api.ConfirmEmailView.as_view(), name="auth-confirm-email"),
    path(
        "auth/resend-confirmation/",
        api.ResendConfirmationView.as_view(),
        name="auth-resend-confirmation",
    ),
    path("auth/password-reset/", api.PasswordResetView.as_view(), name="auth-password-reset"),
    path("me/", api.MeView.as_view(), name="me"),
    path("me/export/", api.MeExportView.as_view(), name="me-export"),
    path("me/erase/", api.MeEraseView.as_view(), name="me-erase"),
]
