from django.urls import path
from rest_framework.routers import DefaultRouter

from agencies.api import BodyViewSet, MembershipViewSet, RegionViewSet, SecondFactorResetView

router = DefaultRouter()
router.register("bodies", BodyViewSet, basename="body")
router.register("regions", RegionViewSet, basename="region")
router.register("memberships", MembershipViewSet, basename="membership")

urlpatterns = [
    path("users/<int:pk>/second-factor/reset/", SecondFactorResetView.as_view(),
         name="user-second-factor-reset"),
    *router.urls,
]
