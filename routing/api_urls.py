"""routing's part of /api/v1/ (namespace "api"): the staff queues, a report as staff see it
with one endpoint per action, exports, routing rules, response templates, deadline policies,
the working-day calendar, the open data rows."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from routing.api import actions, calendar, cases, exports, opendata, queues, reports

router = SimpleRouter()
router.register("staff/reports", reports.StaffReportViewSet, basename="staff-report")
router.register("staff/exports", exports.ExportViewSet, basename="staff-export")
router.register("routing-rules", reports.RoutingRuleViewSet, basename="routing-rule")
router.register("response-templates", reports.ResponseTemplateViewSet,
                basename="response-template")
router.register("deadline-policies", reports.DeadlinePolicyViewSet, basename="deadline-policy")

urlpatterns = [
    path("staff/verification/", queues.VerificationQueueView.as_view(),
         name="staff-verification"),
    path("staff/queue/", queues.QueueView.as_view(), name="staff-queue"),
    path("staff/copies/", queues.CopyQueueView.as_view(), name="staff-copies"),
    path("staff/assignments/", queues.BulkAssignView.as_view(), name="staff-assignments"),
    path("staff/cases/", cases.CaseCreateView.as_view(), name="staff-cases"),
    # Digits only, like every id of the routers: the schema's integer id.
    re_path(r"^staff/cases/(?P<pk>[0-9]+)/$", cases.CaseDetailView.as_view(),
            name="staff-case-detail"),
    re_path(r"^staff/cases/(?P<pk>[0-9]+)/answer/$", cases.CaseAnswerView.as_view(),
         name="staff-case-answer"),
    path("staff/ombudsman/", queues.OmbudsmanQueueView.as_view(), name="staff-ombudsman"),
    *(
        path(f"staff/reports/<str:tracking_number>/actions/{name}/", view.as_view(),
             name=f"staff-report-{name}")
        for name, view in actions.ACTION_VIEWS.items()
    ),
    path("open-data/reports/", opendata.OpenDataReportList.as_view(), name="open-data-reports"),
    path("calendar/working-days/", calendar.WorkingDaysView.as_view(),
         name="calendar-working-days"),
    *router.urls,
]
