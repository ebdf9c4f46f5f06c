from rest_framework.routers import DefaultRouter

from agencies.api import BodyViewSet, MembershipViewSet, RegionViewSet

router = DefaultRouter()
router.register("bodies", BodyViewSet, basename="body")
router.register("regions", RegionViewSet, basename="region")
router.register("memberships", MembershipViewSet, basename="membership")

urlpatterns = router.urls
