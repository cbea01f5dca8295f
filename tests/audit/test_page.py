"""Ändringshistorik: the kansli reads the förbund's changes; nobody else does."""

import datetime as dt

import pytest

from samsyn.followup import services as followup
from samsyn.pipeline import services as pipeline
from tests.auth import log_in
from tests.factories import kommun
from tests.followup.scene import participant_data, running_project

PNR = "19811218-9876"


def url(forbund, query=""):
    return f"/forbund/{forbund.pk}/historik/{query}"


def record(forbund, by, title):
    return pipeline.record_need(
        forbund, by=by, title=title, target_group="Unga", identified_on=dt.date(2026, 1, 10)
    )


def test_the_kansli_reads_who_changed_what_newest_first(client, sjuharad, alice, bob):
    need = record(sjuharad, bob, "Unga utan jobb")
    idea = pipeline.create_idea(need, by=bob, title="Vägen in", owner=kommun("1490"))
    pipeline.update_idea(idea, by=alice, expected_version=None, purpose="Arbete åt fler")
    page = log_in(client, alice).get(url(sjuharad)).content.decode()
    assert "<h1>Ändringshistorik</h1>" in page
    assert '<th scope="col">Ändrade fält</th>' in page
    # Newest first: alice's change of the idea comes before bob's creation of the need.
    assert page.index("syfte: – → Arbete åt fler") < page.index("Unga utan jobb")
    assert f'<a href="/projektideer/{idea.pk}/">Vägen in</a>' in page
    assert f'<a href="/behov/{need.pk}/">Unga utan jobb</a>' in page


def test_filters_by_kind_user_and_date(client, sjuharad, alice, bob):
    need = record(sjuharad, bob, "Behov av bob")
    pipeline.create_idea(need, by=alice, title="Idé av alice")
    client = log_in(client, alice)
    page = client.get(url(sjuharad, "?kind=idea")).content.decode()
    assert "Idé av alice" in page and "Behov av bob" not in page
    page = client.get(url(sjuharad, f"?user={bob.pk}")).content.decode()
    assert "Behov av bob" in page and "Idé av alice" not in page
    page = client.get(url(sjuharad, "?date_to=2000-01-01")).content.decode()
    assert "Inga ändringar matchar filtret." in page
    assert 'for="id_date_from"' in page


def test_pages_merge_the_tables_without_losing_or_repeating_a_row(sjuharad, alice, bob):
    from samsyn.audit.changes import ChangeLog

    for n in range(4):
        need = record(sjuharad, bob, f"Behov {n}")
        pipeline.create_idea(need, by=alice, title=f"Idé {n}")
    log = ChangeLog(sjuharad.pk, ["need", "idea"], reader=alice)
    everything = [c.record for c in log]
    assert log.count() == len(everything) == 8
    assert [c.record for c in log[0:3]] + [c.record for c in log[3:8]] == everything
    assert everything[0] == "Idé 3" and everything[-1] == "Behov 0"


def test_participants_appear_by_code_only(client, sjuharad, alice, bob):
    # Participants' rows are for the project's own staff (see test_visibility.py), so the kansli
    # reading here is staff too; even then the log names the changed field, never its value.
    project = running_project(sjuharad, alice, bob)
    followup.add_staff(project, alice, by=alice)
    participant = followup.register_participant(
        project, by=bob, personnummer=PNR, **participant_data()
    )
    followup.update_participant(participant, by=bob, gender="man")
    page = log_in(client, alice).get(url(sjuharad, "?kind=participant")).content.decode()
    assert "D-0001" in page
    assert "<li>kön</li>" in page  # which field changed, never its value
    assert "Man" not in page and "Kvinna" not in page


def test_download_as_csv(client, sjuharad, alice, bob):
    record(sjuharad, bob, "Unga utan jobb")
    response = log_in(client, alice).get(url(sjuharad, "?format=csv"))
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Tidpunkt;Användare;Typ av post;Post;Händelse;Ändrade fält"
    assert "Bob;behov;Unga utan jobb;skapad" in text


@pytest.mark.parametrize("who, status", [("bob", 403), ("erik", 403), ("mallory", 404)])
def test_only_the_kansli_of_the_forbund_reads_it(client, sjuharad, request, who, status):
    user = request.getfixturevalue(who)
    assert log_in(client, user).get(url(sjuharad)).status_code == status


def test_the_forbund_page_links_to_it_for_the_kansli(client, sjuharad, alice):
    page = log_in(client, alice).get(f"/forbund/{sjuharad.pk}/").content.decode()
    assert f'href="/forbund/{sjuharad.pk}/historik/"' in page


def test_a_changed_link_to_another_record_shows_its_name(client, sjuharad, alice, bob):
    need = record(sjuharad, bob, "Unga utan jobb")
    idea = pipeline.create_idea(need, by=bob, title="Vägen in", owner=kommun("1490"))
    pipeline.update_idea(idea, by=alice, expected_version=None, owner=kommun("1443"))
    page = log_in(client, alice).get(url(sjuharad, "?kind=idea")).content.decode()
    assert f"föreslagen projektägare: {kommun('1490')} → {kommun('1443')}" in page


def test_the_page_reads_each_history_table_twice_whatever_its_size(
    client, sjuharad, alice, bob, django_assert_max_num_queries
):
    from samsyn.audit.changes import KINDS

    for n in range(30):
        record(sjuharad, bob, f"Behov {n}")
    client = log_in(client, alice)
    # A count and a bounded select per table, plus the session, the second-factor device, the
    # access check and the user list of the filter; created rows have no earlier version.
    with django_assert_max_num_queries(2 * len(KINDS) + 7):
        page = client.get(url(sjuharad)).content.decode()
    assert "Behov 29" in page and "Behov 4" not in page  # 25 per page, newest first
