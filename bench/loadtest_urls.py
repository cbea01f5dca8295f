"""Samsyn's URLs plus /golv/: the least a Django view can do, through the same middleware."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("golv/", floor), path("", include("samsyn.urls"))]
