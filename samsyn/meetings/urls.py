from django.urls import path

from samsyn.meetings import views

urlpatterns = [
    path("moten/", views.meeting_list, name="meeting_list"),
    path("moten/nytt/", views.meeting_create, name="meeting_create"),
    path("moten/<int:pk>/", views.meeting_detail, name="meeting"),
    path("moten/<int:pk>/andra/", views.meeting_edit, name="meeting_edit"),
    path("moten/<int:pk>/dagordning/", views.agenda_item_add, name="agenda_item_add"),
    path("moten/<int:pk>/deltagare/", views.attendee_add, name="attendee_add"),
    path(
        "moten/<int:pk>/deltagare/<int:attendee_pk>/ta-bort/",
        views.attendee_remove,
        name="attendee_remove",
    ),
    path("moten/<int:pk>/justera/", views.meeting_approve, name="meeting_approve"),
    path("moten/<int:pk>/skicka-dagordning/", views.agenda_send, name="agenda_send"),
    path(
        "moten/<int:pk>/<str:what>.<str:fmt>",
        views.meeting_document,
        name="meeting_document",
    ),
    path("moten/punkter/<int:pk>/", views.agenda_item_edit, name="agenda_item_edit"),
    path("moten/punkter/<int:pk>/protokoll/", views.minutes_save, name="minutes_save"),
    path("moten/punkter/<int:pk>/ta-bort/", views.agenda_item_remove, name="agenda_item_remove"),
    path("moten/punkter/<int:pk>/behov/", views.need_from_item, name="need_from_item"),
    path("moten/punkter/<int:pk>/steg/", views.step_from_item, name="step_from_item"),
    path("moten/punkter/<int:pk>/beslut/", views.decision_add, name="decision_add"),
    path("natverk/", views.network_list, name="network_list"),
    path("natverk/<int:pk>/", views.network_detail, name="network"),
    path("natverk/<int:pk>/medlemmar/", views.network_member, name="network_member"),
    path("natverk/<int:pk>/nyheter/", views.news_add, name="news_add"),
    path("natverk/<int:pk>/evenemang/", views.event_add, name="event_add"),
    path("natverk/<int:pk>/prenumeration/", views.network_subscribe, name="network_subscribe"),
    path("omvarld/", views.news_list, name="news_list"),
    path("regeringsuppdrag/", views.assignment_list, name="assignment_list"),
    path("regeringsuppdrag/nytt/", views.assignment_create, name="assignment_create"),
    path("regeringsuppdrag/<int:pk>/", views.assignment_detail, name="assignment"),
    path("regeringsuppdrag/<int:pk>/andra/", views.assignment_edit, name="assignment_edit"),
    path("kalender/", views.calendar_page, name="calendar"),
    path("kalender/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
