"""The Care-Vårda GR results come out of the demo as data: 21 / 15 / 73 % / 47 %."""

from samsyn.followup.demo import load_followup_demo
from samsyn.followup.models import Participant
from samsyn.followup.results import project_results
from samsyn.pipeline.demo import load_demo


def test_care_varda_gr_results_are_reproduced(db):
    load_demo()
    care = load_followup_demo()

    most = project_results(care, min_share=50)
    assert most["participants_total"] == 21
    assert most["denominator"]["count"] == 15
    assert most["denominator"]["rule"] == "min_share"
    assert "minst 50 % av projektperioden" in most["denominator"]["text"]
    work = most["results"]["employed_on_leaving"]
    sector = most["results"]["employed_in_target_sector"]
    assert (work["count"], work["denominator"], work["percent"]) == (11, 15, 73.3)
    assert (sector["count"], sector["denominator"], sector["percent"]) == (7, 15, 46.7)

    everyone = project_results(care)
    assert everyone["denominator"] == {"count": 21, "rule": "all", "text": "alla deltagare"}
    assert Participant.objects.of(care).count() == 21
