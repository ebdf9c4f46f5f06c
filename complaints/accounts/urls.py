"""Citizen account pages under /akun/. The URL names are global (no app_name): ``login``,
``logout`` and the ``password_*`` names are the ones Django and other templates expect."""

from django.contrib.auth import views as auth_views
from django.urls import path

from complaints.accounts import views
from complaints.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
    NewPasswordForm,
    PasswordResetRequestForm,
)

urlpatterns = [
    path(
        "masuk/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("daftar/", views.register, name="register"),
    path("konfirmasi/", views.confirmation_pending, name="confirmation_pending"),
    path("konfirmasi/kirim-ulang/", views.resend_confirmation, name="resend_confirmation"),
    path("konfirmasi/<uidb64>/<token>/", views.confirm_email, name="confirm_email"),
    path("profil/", views.profile, name="profile"),
    path("data-saya/", views.my_data, name="my_data"),
    path("hapus/", views.erase_account, name="erase_account"),
    path(
        "sandi/lupa/",
        views.RateLimitedPasswordResetView.as_view(
            template_name="accounts/password_reset_form.html",
            form_class=PasswordResetRequestForm,
        ),
        name="password_reset",
    ),
    path(
        "sandi/lupa/terkirim/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "sandi/atur/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html", form_class=NewPasswordForm
        ),
        name="password_reset_confirm",
    ),
    path(
        "sandi/atur/selesai/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path(
        "sandi/ganti/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change_form.html", form_class=ChangePasswordForm
        ),
        name="password_change",
    ),
    path(
        "sandi/ganti/selesai/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
]
