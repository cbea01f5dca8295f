"""The idea list's filters: the förbund's parties as owners, the steps as checkboxes."""

import pytest
from django.urls import reverse

from samsyn.parties.choices import OrganisationKind
from samsyn.parties.models import Organisation
from tests.auth import log_in
from tests.factories import IdeaFactory, NeedFactory, kommun

pytestmark = pytest.mark.django_db


def test_idea_filter_owner_offers_the_forbunds_parties_not_every_organisation(
    client, alice, sjuharad
):
    log_in(client, alice)
    response = client.get(reverse("idea_list"))
    owners = list(response.context["filter"].form.fields["owner"].queryset)
    assert set(owners) == set(sjuharad.members.exclude(kind="forbund"))
    assert len(owners) < Organisation.objects.count() / 10
    page = response.content.decode()
    assert "Alla" in page and "---------" not in page


def test_idea_filter_steps_are_checkboxes_and_filter(client, alice, sjuharad):
    need = NeedFactory(forbund=sjuharad)
    IdeaFactory(need=need, title="Tidig idé")
    IdeaFactory(need=need, title="Utformad idé", step="idea_designed", owner=kommun("1490"))
    log_in(client, alice)
    page = client.get(reverse("idea_list")).content.decode()
    assert 'type="checkbox" name="step" value="idea_designed"' in page
    assert "<legend>Steg</legend>" in page
    shown = client.get(reverse("idea_list"), {"step": ["idea_designed"]}).content.decode()
    assert "Utformad idé" in shown and "Tidig idé" not in shown
    by_owner = client.get(reverse("idea_list"), {"owner": kommun("1490").pk}).content.decode()
    assert "Utformad idé" in by_owner and "Tidig idé" not in by_owner


def test_idea_filter_owner_select_is_one_template(client, alice, sjuharad):
    """Hundreds of options must not mean hundreds of template renders."""
    log_in(client, alice)
    response = client.get(reverse("idea_list"))
    names = [t.name for t in response.templates]
    assert "samsyn_widgets/select.html" in names
    # Only the short selects (type of owner) render an option template each.
    assert names.count("django/forms/widgets/select_option.html") <= len(OrganisationKind) + 1
