from django.urls import re_path
from rest_framework.routers import DefaultRouter

from agencies.api import BodyViewSet, MembershipViewSet, RegionViewSet, SecondFactorResetView

router = DefaultRouter()
router.register("bodies", BodyViewSet, basename="body")
router.register("regions", RegionViewSet, basename="region")
router.register("memberships", MembershipViewSet, basename="membership")

urlpatterns = [
    # Digits only, like every id of the routers (lookup_value_regex): the schema's integer id.
    re_path(r"^users/(?P<pk>[0-9]+)/second-factor/reset/$", SecondFactorResetView.as_view(),
         name="user-second-factor-reset"),
    *router.urls,
]
