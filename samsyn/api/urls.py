"""The REST API at /api/v1/: one NinjaAPI, one router per resource.

No docs page: Swagger UI would load its scripts from a CDN, and no Samsyn page may load
anything from another host. The schema is at /api/v1/openapi.json.
"""

from django.urls import path
from ninja import NinjaAPI

from samsyn.api import calls, followup, forbund, ideas, measures, meetings, needs, organisations
from samsyn.api.common import BearerToken, install_error_handlers
from samsyn.audit import api as audit_api

api = NinjaAPI(
    title="Samsyn API",
    version="1",
    description=(
        "Samsyns beredningsflöde: behov, projektidéer (ESF+) och Finsam-insatser. "
        "Autentisering: Authorization: Bearer <nyckel> (manage.py api_token <användarnamn>)."
    ),
    urls_namespace="api",
    docs_url=None,
    auth=BearerToken(),
)
install_error_handlers(api)

api.add_router("/organisations", organisations.router)
api.add_router("/forbund", forbund.router)
api.add_router("/needs", needs.router)
api.add_router("/measures", measures.router)
api.add_router("/ideas", ideas.router)
api.add_router("", calls.router)
api.add_router("", meetings.router)
api.add_router("", followup.router)
api.add_router("", audit_api.router)

urlpatterns = [path("", api.urls)]
