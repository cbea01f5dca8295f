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


@pytest.mark.django_db
def test_demo_dates_tell_a_true_story_relative_to_the_day_it_is_loaded():
    """Nothing is decided, registered or ended in the future; meetings are past and coming."""
    import datetime as dt

    from django.utils import timezone

    from samsyn.calls.models import Application
    from samsyn.demo import load_everything
    from samsyn.followup.models import Participant
    from samsyn.meetings.models import Meeting
    from samsyn.pipeline.models import IdeaParty, IdeaTransition, MeasureTransition, Need

    load_everything()
    today = timezone.localdate()
    dates = [
        *Need.objects.values_list("identified_on", flat=True),
        *IdeaTransition.objects.values_list("basis_date", flat=True),
        *MeasureTransition.objects.values_list("basis_date", flat=True),
        *IdeaParty.objects.values_list("decision_date", flat=True),
        *Application.objects.values_list("submitted_on", flat=True),
        *Application.objects.values_list("decided_on", flat=True),
        *Participant.objects.values_list("started_on", flat=True),
        *Participant.objects.values_list("ended_on", flat=True),
    ]
    future = sorted({d for d in dates if d is not None and d > today})
    assert not future, f"demodata daterad efter i dag ({today}): {future}"
    # The story is recent: the first need is at most about two years old.
    assert min(d for d in dates if d) >= today - dt.timedelta(days=800)
    now = timezone.now()
    assert Meeting.objects.filter(starts_at__lt=now).exists()
    assert Meeting.objects.filter(starts_at__gt=now).exists()
    assert not Meeting.objects.filter(starts_at__gt=now, approved_at__isnull=False).exists()
