"""Organisations: the parties and other actors (public reference data)."""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from samsyn.api.common import filter_or_422, organisation_or_404
from samsyn.api.pagination import Pages
from samsyn.api.schemas import READ_ERRORS, OrganisationOut, OrganisationQuery, Violations
from samsyn.parties.models import Organisation
from samsyn.pipeline.filters import OrganisationFilter

router = Router(tags=["organisations"])


@router.get("", response={200: list[OrganisationOut], 422: Violations, **READ_ERRORS})
@paginate(Pages, page_size=100, max_page_size=500)
def list_organisations(request: HttpRequest, filters: Query[OrganisationQuery]):
    """Alla organisationer, filtrerade på typ (kind), namn (q) eller NUTS 2-kod."""
    queryset = Organisation.objects.order_by("name", "pk")
    return filter_or_422(OrganisationFilter(request.GET, queryset=queryset))


@router.get("/{int:organisation_id}", response={200: OrganisationOut, **READ_ERRORS})
def get_organisation(request: HttpRequest, organisation_id: int):
    return organisation_or_404(organisation_id)
