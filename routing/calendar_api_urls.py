"""Calendar API route: /api/v1/calendar/working-days/ (namespace "api")."""

from django.urls import path

from routing.api.calendar import WorkingDaysView

urlpatterns = [
    path("calendar/working-days/", WorkingDaysView.as_view(), name="calendar-working-days"),
]
