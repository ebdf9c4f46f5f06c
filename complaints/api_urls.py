from django.urls import path
from rest_framework.routers import DefaultRouter

from complaints.api.reports import (
    AssistedIntakeView,
    AttachmentViewSet,
    CategoryViewSet,
    NotificationViewSet,
    ReportViewSet,
    TrackView,
)

router = DefaultRouter()
router.register("complaints", ReportViewSet, basename="complaint")
router.register("categories", CategoryViewSet, basename="category")
router.register("attachments", AttachmentViewSet, basename="attachment")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("track/<str:tracking_number>/", TrackView.as_view(), name="track"),
    path("assisted-intake/", AssistedIntakeView.as_view(), name="assisted-intake"),
    *router.urls,
]
