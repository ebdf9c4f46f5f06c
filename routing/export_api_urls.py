"""Export API routes: /api/v1/staff/exports/ (namespace "api")."""

from rest_framework.routers import SimpleRouter

from routing.api.exports import ExportViewSet

router = SimpleRouter()
router.register("staff/exports", ExportViewSet, basename="staff-export")

urlpatterns = router.urls
