from django.urls import path

from samsyn.parties import views as parties_views
from samsyn.pipeline import views

urlpatterns = [
    path("forbund/ny/", views.forbund_create, name="forbund_create"),
    path("forbund/<int:pk>/", views.forbund_detail, name="forbund"),
    path("forbund/<int:pk>/hantera/", parties_views.forbund_manage, name="forbund_manage"),
    path(
        "forbund/<int:pk>/medlemmar/<int:organisation_pk>/ta-bort/",
        parties_views.forbund_member_remove,
        name="forbund_member_remove",
    ),
    path(
        "forbund/<int:pk>/roller/<int:user_pk>/ta-bort/",
        parties_views.role_remove,
        name="role_remove",
    ),
    path(
        "forbund/<int:pk>/beredningsgrupper/<int:preparatorygroup_pk>/ta-bort/",
        parties_views.group_remove,
        name="group_remove",
    ),
    path(
        "forbund/<int:pk>/beredningsgrupper/ledamot/<int:preparatorygroupmember_pk>/ta-bort/",
        parties_views.group_member_remove,
        name="group_member_remove",
    ),
    path("forbund/<int:pk>/behov/", views.need_list, name="need_list"),
    path("forbund/<int:pk>/behov/nytt/", views.need_create, name="need_create"),
    path("behov/<int:pk>/", views.need_detail, name="need"),
    path("behov/<int:pk>/andra/", views.need_edit, name="need_edit"),
    path("behov/<int:pk>/projektide/ny/", views.idea_create, name="idea_create"),
    path("behov/<int:pk>/insats/ny/", views.measure_create, name="measure_create"),
    path("projektideer/", views.idea_list, name="idea_list"),
    path("projektideer/<int:pk>/", views.idea_detail, name="idea"),
    path("projektideer/<int:pk>/andra/", views.idea_edit, name="idea_edit"),
    path("projektideer/<int:pk>/parter/", views.idea_party, name="idea_party"),
    path(
        "projektideer/<int:pk>/parter/<int:organisation_pk>/",
        views.idea_party_edit,
        name="idea_party_edit",
    ),
    path(
        "projektideer/<int:pk>/parter/<int:organisation_pk>/ta-bort/",
        views.idea_party_remove,
        name="idea_party_remove",
    ),
    path("projektideer/<int:pk>/steg/", views.idea_move, name="idea_move"),
    path("insatser/<int:pk>/", views.measure_detail, name="measure"),
    path("insatser/<int:pk>/andra/", views.measure_edit, name="measure_edit"),
    path("insatser/<int:pk>/steg/", views.measure_move, name="measure_move"),
]
