from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from samsyn import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("samsyn.api.urls")),
    path("logga-in/", auth_views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("halsa/", views.health, name="health"),
    path("", views.home, name="home"),
    path("", include("samsyn.accounts.urls")),
    path("", include("samsyn.calls.urls")),
    path("", include("samsyn.meetings.urls")),
    path("", include("samsyn.followup.urls")),
    path("", include("samsyn.pipeline.urls")),
    path("", include("samsyn.audit.urls")),
]
