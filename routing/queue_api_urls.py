"""Staff queue API: the same queues as the pages, as JSON."""

from django.urls import path

from routing.api import queues

urlpatterns = [
    path("staff/verification/", queues.VerificationQueueView.as_view(),
         name="staff-verification"),
    path("staff/queue/", queues.QueueView.as_view(), name="staff-queue"),
    path("staff/ombudsman/", queues.OmbudsmanQueueView.as_view(), name="staff-ombudsman"),
]
