"""Follow-up: FK's figures, the national roll-up, results, timelines and participants.

The report reads its parameters through the same FollowupFilter as the page:
`forbund` (repeated, or absent for every förbund you can see), `region` (länskod or NUTS 2),
`from`, `to` (ÅÅÅÅ-MM-DD, inclusive), `track` (e, f, or absent for both) and `group` (a
beredningsgrupp's id: only the needs identified in it; `ideas_by_group` counts per group).
"""

from typing import Any

from django.db.models import F
from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from samsyn.api.common import Unprocessable, current_user, violation
from samsyn.api.schemas import READ_ERRORS, Detail, Violations
from samsyn.followup import disclosure
from samsyn.followup.access import access_project, is_staff
from samsyn.followup.filters import FollowupFilter
from samsyn.followup.models import Participant
from samsyn.followup.report import (
    IDEA_FIGURES,
    MEASURE_FIGURES,
    figure_ideas,
    figure_measures,
    followup_report,
    rollup,
)
from samsyn.followup.timeline import timeline
from samsyn.parties.models import Forbund
from samsyn.pipeline.access import access_need
from samsyn.privacy import personal_data

router = Router(tags=["followup"])

KINDS = {"ideas": "idea", "measures": "measure"}


def _params(request: HttpRequest):
    filterset = FollowupFilter(request.GET, user=current_user(request))
    if not filterset.is_valid():
        raise Unprocessable(
            [
                violation(str(m), field=None if f == "__all__" else f, code="invalid_filter")
                for f, messages in filterset.errors.items()
                for m in messages
            ]
        )
    return filterset.params()


@router.get("/followup", response={200: dict[str, Any], 422: Violations, **READ_ERRORS})
def report(request: HttpRequest):
    """FK:s uppföljning: antal och fördelningar med stabila nycklar (se README, Uppföljning)."""
    return followup_report(_params(request))


@router.get("/followup/list", response={200: list[dict[str, Any]], 422: Violations, **READ_ERRORS})
def figure_list(
    request: HttpRequest,
    figure: str,
    kind: str = "",
    reason: str = "",
    organisation: int | None = None,
):
    """The ideas (or measures) behind a figure; `figure` is a key of the report."""
    params = _params(request)
    if figure in IDEA_FIGURES or figure in ("owners", "cofinanciers"):
        records = figure_ideas(params, figure, kind=kind, reason=reason, organisation=organisation)
    elif figure in MEASURE_FIGURES or figure == "parties":
        records = figure_measures(params, figure, kind=kind, reason=reason)
    else:
        raise Unprocessable([violation("Okänt mått.", field="figure", code="unknown_figure")])
    return list(
        records.order_by("-pk").values("id", "title", "step", forbund_id=F("need__forbund"))
    )


@router.get("/followup/national", response={200: list[dict[str, Any]], **READ_ERRORS})
def national(request: HttpRequest):
    """Alla förbund per NUTS 2-region och år (öppna data, inga personuppgifter)."""
    return rollup(Forbund.objects.all())


@router.get("/followup/indicators", response={200: dict[str, Any], 422: Violations, **READ_ERRORS})
def indicators(request: HttpRequest):
    """EU:s gemensamma indikatorer per kön, för deltagare som började under de hela kalenderår
    som perioden berör. Varje tal är `{"value": n, "suppressed": false}`; ett tal under
    `min_cell` (5), eller ett som skulle avslöja ett sådant, är `{"value": null,
    "suppressed": true, "reason": "small" | "secondary" | "not_broken_down"}`. Funktionsnedsättning
    och minoritet (GDPR art. 9) redovisas bara totalt och bara utan period."""
    params = _params(request)
    years, table = disclosure.followup_indicators(params.forbund, params.period)
    return {
        "period": {"from": years.start, "to": years.end},
        "min_cell": disclosure.min_cell(),
        "indicators": disclosure.cells_json(table),
    }


@router.get(
    "/followup/{kind}/{int:pk}/results",
    response={200: dict[str, Any], 422: Violations, **READ_ERRORS},
)
def results(request: HttpRequest, kind: str, pk: int, min_share: int | None = None):
    """Resultat med nämnare: alla deltagare, eller de som deltagit minst min_share % av perioden.

    Projektets personal får exakta tal (och visningen loggas). Alla andra får nämnaren 50 % och
    tal under 5, och tal som skulle avslöja dem, som `{"value": null, "suppressed": true}`."""
    user = current_user(request)
    project = access_project(user, KINDS.get(kind, ""), pk)
    if min_share is not None and not 1 <= min_share <= 100:
        raise Unprocessable([violation("Ange en andel mellan 1 och 100.", field="min_share")])
    staff = bool(is_staff(user, project))
    if not staff and min_share not in (None, disclosure.STANDARD_MIN_SHARE):
        raise Unprocessable(
            [
                violation(
                    "Bara projektets personal kan välja en annan andel än 50 %.", field="min_share"
                )
            ]
        )
    figures = disclosure.for_user(project, user, min_share=min_share)
    table = figures.all if min_share is None else figures.chosen
    return disclosure.results_json(table, exact=figures.exact)


@router.get(
    "/followup/{kind}/{int:pk}/timeline", response={200: list[dict[str, Any]], **READ_ERRORS}
)
def story(request: HttpRequest, kind: str, pk: int):
    """Allt som hänt behovet, idén eller insatsen, i ordning; deltagare bara som antal."""
    user = current_user(request)
    record = (
        access_need(user, pk) if kind == "needs" else access_project(user, KINDS.get(kind, ""), pk)
    )
    return [e.as_dict() for e in timeline(record, lambda t: disclosure.for_user(t, user))]


@router.get(
    "/followup/{kind}/{int:pk}/participants",
    response={200: list[dict[str, Any]], 403: Detail, **READ_ERRORS},
)
@personal_data
def participants(request: HttpRequest, kind: str, pk: int):
    """Deltagarna (utan personnummer) – bara för projektets personal."""
    user = current_user(request)
    project = access_project(user, KINDS.get(kind, ""), pk)
    decision = is_staff(user, project)
    if not decision:
        raise HttpError(403, decision.reason)
    return list(
        Participant.objects.of(project).values(
            "id",
            "code",
            "started_on",
            "ended_on",
            "gender",
            "age_band",
            "labour_status",
            "education",
            "employed_on_leaving",
            "employed_in_target_sector",
            "erased_at",
        )
    )
