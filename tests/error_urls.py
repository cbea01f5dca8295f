"""Samsyn's own URLs plus one that fails, to see the 500 page a user gets."""

from django.urls import path

from samsyn.urls import urlpatterns as samsyn_urls


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("trasig/", boom), *samsyn_urls]
