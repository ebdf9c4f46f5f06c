"""Staff queue pages: the verifiers' queue of new reports and the bodies' queue."""

from django.urls import path

from routing.views import queues

urlpatterns = [
    path("verifikasi/", queues.verification_page, name="verification"),
    path("antrean/", queues.queue_page, name="queue"),
]
