"""`make run` loads the whole demo with one command; a second run changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from samsyn.parties.models import Forbund
from samsyn.pipeline.models import Idea
from samsyn.pipeline.steps import IdeaStep, MeasureStep


@pytest.mark.django_db
def test_load_demo_builds_every_app_once_and_prints_the_logins():
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Demodata inläst." in out.getvalue()
    assert "anna" in out.getvalue() and "samsyn-demo-2026" in out.getvalue()
    sjuharad = Forbund.objects.get(organisation__name="Sjuhärads samordningsförbund")
    ideas = Idea.objects.filter(need__forbund=sjuharad)
    # Every step of track E is represented, stopped and left-routine ideas included.
    assert set(IdeaStep.values) <= set(ideas.values_list("step", flat=True))
    measures = sjuharad.needs.values_list("measures__step", flat=True)
    assert set(MeasureStep.values) <= set(measures)
    counts = Idea.objects.count()
    again = StringIO()
    call_command("load_demo", stdout=again)
    assert "Demodata finns redan." in again.getvalue()
    assert Idea.objects.count() == counts
