from django.urls import include, path

urlpatterns = [
    path("", include("routing.queue_api_urls")),
    path("", include("routing.export_api_urls")),
    path("", include("routing.staff_api_urls")),
    path("", include("routing.calendar_api_urls")),
]
