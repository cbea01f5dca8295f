from django.urls import path

from samsyn.audit import views

urlpatterns = [
    path("forbund/<int:pk>/historik/", views.change_log, name="change_log"),
]
