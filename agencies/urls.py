from django.urls import path

from agencies import views

app_name = "agencies"

urlpatterns = [
    path("", views.body_list, name="body-list"),
    path("<int:pk>/", views.body_detail, name="body-detail"),
    path("wilayah/", views.region_list, name="region-list"),
]
