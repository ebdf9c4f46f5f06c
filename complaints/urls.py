from django.urls import path

from complaints.views import assisted, files, filing, following

app_name = "complaints"

urlpatterns = [
    path("lapor/", filing.file_report, name="new"),
    path("lapor/draf/<int:pk>/", filing.file_report, name="draft"),
    path("lapor/<str:tracking_number>/terkirim/", filing.receipt, name="receipt"),
    path("laporan-saya/", following.my_reports, name="my-reports"),
    path("laporan-saya/<str:tracking_number>/", following.my_report, name="my-report"),
    path("laporan-saya/<str:tracking_number>/tambah/", following.add_information, name="add-info"),
    path("laporan-saya/<str:tracking_number>/terima/", following.accept, name="accept"),
    path("laporan-saya/<str:tracking_number>/bantah/", following.dispute, name="dispute"),
    path("laporan-saya/<str:tracking_number>/nilai/", following.rate, name="rate"),
    path("lacak/", following.track, name="track"),
    path("notifikasi/", following.notifications, name="notifications"),
    path("notifikasi/dibaca/", following.mark_notifications_read, name="notifications-read"),
    path("notifikasi/<int:pk>/", following.open_notification, name="notification-open"),
    path("notifikasi/<int:pk>/dibaca/", following.mark_notification_read, name="notification-read"),
    path("lampiran/<int:pk>/", files.attachment_file, name="attachment"),
    path("lampiran/<int:pk>/kecil/", files.attachment_thumbnail, name="attachment-thumbnail"),
    path("petugas/lapor/", assisted.assisted_report, name="assisted-new"),
    path(
        "petugas/lapor/<str:tracking_number>/tanda-terima/",
        assisted.assisted_receipt,
        name="assisted-receipt",
    ),
]
