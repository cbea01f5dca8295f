"""`make run` loads the whole demo with one command; a second run changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from samsyn.accounts.demo import demo_secret
from samsyn.accounts.second_factor import needs_second_factor
from samsyn.parties.models import Forbund, User
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
    # Demo users who see participants need a second factor: a device with the printed secret.
    for username in ("admin", "bertil"):
        user = User.objects.get(username=username)
        assert needs_second_factor(user) and username in out.getvalue()
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        assert demo_secret() in out.getvalue()
    code = StringIO()
    call_command("demo_totp", "bertil", stdout=code)
    assert device.verify_token(code.getvalue().split()[-1])  # the printed code logs in
    counts = Idea.objects.count()
    again = StringIO()
    call_command("load_demo", stdout=again)
    assert "Demodata finns redan." in again.getvalue()
    assert Idea.objects.count() == counts
