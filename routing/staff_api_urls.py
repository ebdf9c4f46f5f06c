from rest_framework.routers import DefaultRouter

from routing.api.reports import (
    DeadlinePolicyViewSet,
    ResponseTemplateViewSet,
    RoutingRuleViewSet,
    StaffReportViewSet,
)

router = DefaultRouter()
router.register("staff/reports", StaffReportViewSet, basename="staff-report")
router.register("routing-rules", RoutingRuleViewSet, basename="routing-rule")
router.register("response-templates", ResponseTemplateViewSet, basename="response-template")
router.register("deadline-policies", DeadlinePolicyViewSet, basename="deadline-policy")

urlpatterns = router.urls
