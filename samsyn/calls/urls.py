from django.urls import path

from samsyn.calls import views

urlpatterns = [
    path("utlysningar/", views.call_list, name="call_list"),
    path("utlysningar/ny/", views.call_create, name="call_create"),
    path("utlysningar/<int:pk>/", views.call_detail, name="call"),
    path("utlysningar/<int:pk>/andra/", views.call_edit, name="call_edit"),
    path("utlysningar/<int:pk>/fas/", views.call_advance, name="call_advance"),
    path("utlysningar/<int:pk>/larande/", views.call_lessons, name="call_lessons"),
    path("utlysningar/<int:pk>/principer/", views.call_principle, name="call_principle"),
    path(
        "utlysningar/<int:pk>/principer/<str:code>/ta-bort/",
        views.call_principle_remove,
        name="call_principle_remove",
    ),
    path("utlysningar/<int:pk>/prioritering/", views.call_paper, name="call_paper"),
    path("utlysningar/<int:pk>/prioritering.pdf", views.call_paper_pdf, name="call_paper_pdf"),
    path("utlysningar/<int:pk>/prioritering.xlsx", views.call_paper_xlsx, name="call_paper_xlsx"),
    path("utlysningar/for-ide/<int:pk>/", views.idea_matching, name="idea_matching"),
    path("handlingsplaner/<str:nuts2>/principer/", views.plan_principles, name="plan_principles"),
    path(
        "handlingsplaner/<str:nuts2>/principer/<str:code>/ta-bort/",
        views.plan_principle_remove,
        name="plan_principle_remove",
    ),
    path(
        "ansokningar/ny/<int:idea_pk>/<int:call_pk>/",
        views.application_create,
        name="application_create",
    ),
    path("ansokningar/<int:pk>/", views.application_detail, name="application"),
    path(
        "ansokningar/<int:pk>/dokument.docx",
        views.application_document_docx,
        name="application_document_docx",
    ),
    path(
        "ansokningar/<int:pk>/dokument.pdf",
        views.application_document_pdf,
        name="application_document_pdf",
    ),
    path("ansokningar/<int:pk>/andra/", views.application_edit, name="application_edit"),
    path("ansokningar/<int:pk>/budget/", views.application_budget, name="application_budget"),
    path(
        "ansokningar/<int:pk>/medfinansiering/",
        views.application_cofinancing,
        name="application_cofinancing",
    ),
    path("ansokningar/<int:pk>/skicka/", views.application_submit, name="application_submit"),
    path(
        "ansokningar/<int:pk>/bedomning-esf/",
        views.application_assessment,
        name="application_assessment",
    ),
    path(
        "ansokningar/<int:pk>/prioritering/",
        views.application_prioritisation,
        name="application_prioritisation",
    ),
    path("ansokningar/<int:pk>/beslut/", views.application_decision, name="application_decision"),
    path("ansokningar/<int:pk>/jav/", views.application_jav, name="application_jav"),
    path("ansokningar/<int:pk>/bedomning/", views.application_score, name="application_score"),
]
