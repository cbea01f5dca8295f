from django.urls import path

from samsyn.followup import views

urlpatterns = [
    path("uppfoljning/", views.report, name="followup"),
    path("uppfoljning/rapport.<str:fmt>", views.report_export, name="followup_export"),
    path("uppfoljning/ideer/", views.figure_list, name="followup_ideas"),
    path("uppfoljning/ideer.<str:fmt>", views.figure_list_export, name="followup_ideas_export"),
    path("uppfoljning/nationellt/", views.national, name="followup_national"),
    path(
        "uppfoljning/nationellt.<str:fmt>", views.national_export, name="followup_national_export"
    ),
    path("deltagare/importmall.xlsx", views.import_template, name="participant_import_template"),
    path("deltagare/<int:pk>/", views.participant, name="participant"),
    path("deltagare/<int:pk>/andra/", views.participant_edit, name="participant_edit"),
    path("deltagare/<int:pk>/personnummer/", views.participant_reveal, name="participant_reveal"),
    path("deltagare/<int:pk>/registerutdrag/", views.participant_export, name="participant_export"),
    path("deltagare/<int:pk>/radera/", views.participant_erase, name="participant_erase"),
]

# The same pages for a project (idea, track E) and a measure (track F).
for prefix, kind in (("projektideer", "idea"), ("insatser", "measure")):
    urlpatterns += [
        path(
            f"{prefix}/<int:pk>/deltagare/",
            views.participants,
            {"kind": kind},
            name=f"{kind}_participants",
        ),
        path(
            f"{prefix}/<int:pk>/deltagare.<str:fmt>",
            views.participants_export,
            {"kind": kind},
            name=f"{kind}_participants_export",
        ),
        path(
            f"{prefix}/<int:pk>/deltagare/ny/",
            views.participant_create,
            {"kind": kind},
            name=f"{kind}_participant_create",
        ),
        path(
            f"{prefix}/<int:pk>/deltagare/import/",
            views.participant_import,
            {"kind": kind},
            name=f"{kind}_participant_import",
        ),
        path(f"{prefix}/<int:pk>/personal/", views.staff, {"kind": kind}, name=f"{kind}_staff"),
        path(f"{prefix}/<int:pk>/resultat/", views.results, {"kind": kind}, name=f"{kind}_results"),
        path(f"{prefix}/<int:pk>/tidslinje/", views.story, {"kind": kind}, name=f"{kind}_timeline"),
    ]
urlpatterns.append(
    path("behov/<int:pk>/tidslinje/", views.story, {"kind": "need"}, name="need_timeline")
)
