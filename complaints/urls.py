"""The citizen's side of the site, in three groups: the pages of one's reports, look-up,
notifications, files and assisted intake (namespace "complaints"); the public reports under
/publik/ (namespace "public"); the account pages under /akun/, whose names are global
(``login``, ``logout``, the ``password_*`` names Django's views and templates expect)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from complaints.accounts import two_factor_views
from complaints.accounts import views as account_views
from complaints.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
    NewPasswordForm,
    PasswordResetRequestForm,
)
from complaints.alert_urls import alert_pages, feed_patterns
from complaints.views import assisted, files, filing, following, public

pages = [
    path("lapor/", filing.file_report, name="new"),
    path("lapor/draf/<int:pk>/", filing.file_report, name="draft"),
    path("lapor/<str:tracking_number>/terkirim/", filing.receipt, name="receipt"),
    path("laporan-saya/", following.my_reports, name="my-reports"),
    path("laporan-saya/<str:tracking_number>/", following.my_report, name="my-report"),
    path("laporan-saya/<str:tracking_number>/tambah/", following.add_information, name="add-info"),
    path("laporan-saya/<str:tracking_number>/terima/", following.accept, name="accept"),
    path("laporan-saya/<str:tracking_number>/bantah/", following.dispute, name="dispute"),
    path("laporan-saya/<str:tracking_number>/nilai/", following.rate, name="rate"),
    path("laporan-saya/<str:tracking_number>/tuntas/", following.answer_solved, name="solved"),
    path("lacak/", following.track, name="track"),
    path("notifikasi/", following.notifications, name="notifications"),
    path("notifikasi/dibaca/", following.mark_notifications_read, name="notifications-read"),
    path("notifikasi/<int:pk>/", following.open_notification, name="notification-open"),
    path("notifikasi/<int:pk>/dibaca/", following.mark_notification_read, name="notification-read"),
    path("lampiran/<int:pk>/", files.attachment_file, name="attachment"),
    path("lampiran/<int:pk>/kecil/", files.attachment_thumbnail, name="attachment-thumbnail"),
    path("lampiran/<int:pk>/publik/", files.public_attachment_file, name="attachment-public"),
    path("lampiran/<int:pk>/publik/kecil/", files.public_attachment_thumbnail,
         name="attachment-public-thumbnail"),
    path("petugas/lapor/", assisted.assisted_report, name="assisted-new"),
    path(
        "petugas/lapor/<str:tracking_number>/tanda-terima/",
        assisted.assisted_receipt,
        name="assisted-receipt",
    ),
]

public_pages = [
    path("", public.feed_page, name="feed"),
    path("<str:tracking_number>/", public.detail_page, name="detail"),
    path("<str:tracking_number>/dukung/", public.support, name="support"),
]

accounts = [
    path(
        "masuk/",
        two_factor_views.SignInView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("dua-langkah/", two_factor_views.verify, name="two_factor_verify"),
    path("dua-langkah/pasang/", two_factor_views.setup, name="two_factor_setup"),
    path("dua-langkah/lanjutkan/", two_factor_views.continue_kept, name="two_factor_continue"),
    path("dua-langkah/matikan/", two_factor_views.turn_off, name="two_factor_off"),
    path("daftar/", account_views.register, name="register"),
    path("konfirmasi/", account_views.confirmation_pending, name="confirmation_pending"),
    path("konfirmasi/kirim-ulang/", account_views.resend_confirmation, name="resend_confirmation"),
    path("konfirmasi/<uidb64>/<token>/", account_views.confirm_email, name="confirm_email"),
    path("profil/", account_views.profile, name="profile"),
    path("data-saya/", account_views.my_data, name="my_data"),
    path("hapus/", account_views.erase_account, name="erase_account"),
    path(
        "sandi/lupa/",
        account_views.RateLimitedPasswordResetView.as_view(
            template_name="accounts/password_reset_form.html",
            form_class=PasswordResetRequestForm,
        ),
        name="password_reset",
    ),
    path(
        "sandi/lupa/terkirim/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/password_reset_done.html"
        ),
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

urlpatterns = [
    path("", include((pages, "complaints"))),
    path("publik/", include((public_pages, "public"))),
    path("umpan/", include((feed_patterns, "feeds"))),
    path("peringatan/", include((alert_pages, "alerts"))),
    path("akun/", include(accounts)),
]
