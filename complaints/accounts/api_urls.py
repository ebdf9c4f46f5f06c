"""Account endpoints of the API, mounted under /api/v1/ by lapor.urls."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
