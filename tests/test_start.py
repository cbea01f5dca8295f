"""Each role lands on its own work after logging in, and every link there opens."""

import re

import pytest

from tests.auth import log_in

LINK = re.compile(r'<a [^>]*href="(/[^"]*)"')


@pytest.fixture
def demo(db):
    from samsyn.demo import load_everything

    load_everything()


def start_page(client, username: str) -> str:
    from samsyn.parties.models import User

    log_in(client, User.objects.get(username=username))
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_start_page_lands_each_demo_role_on_its_work_and_every_link_there_opens(client, demo):
    from samsyn.demo import all_demo_logins

    expected = {
        # The förbundschef: the förbund's pipeline and what waits for her.
        "anna": [
            "Processen i Sjuhärads samordningsförbund",
            "Väntar på dig",
            "Protokoll att justera",
        ],
        # A beredningsgrupp member: ideas where their party's mandate or decision is missing.
        "bertil": [
            "Idéer där mandat eller beslut saknas för Borås stad",
            "Hälsofrämjande arbetsträning",
        ],
        "eva": ["Idéer där mandat eller beslut saknas för Västra Götalandsregionen"],
        "cecilia": [
            "Idéer där Försäkringskassan är part eller projektägare",
            "Samordnad rehabilitering med Försäkringskassan som projektägare",
        ],
        # The partnership's reviewer: the calls she prioritises.
        "rebecka": ["Utlysningar du bereder prioriteringen för", "Prioriteringsunderlag:"],
        "sara": ["Utlysningar du förvaltar"],
        "nils": ["Utlysningar du förvaltar"],
        "gunilla": ["Processen i Samordningsförbundet Älv och Kust"],
    }
    for username, _ in all_demo_logins():
        client.logout()
        html = start_page(client, username)
        for text in expected.get(username, []):
            assert text in html, f"{username}: {text!r} saknas på startsidan"
        if username != "admin" and username not in ("fredrik",):
            assert "Du har ingen roll i något samordningsförbund" not in html, username
        for href in dict.fromkeys(LINK.findall(html)):
            status = client.get(href.replace("&amp;", "&")).status_code
            assert status < 400, f"{username}: länken {href} på startsidan ger {status}"


def test_start_page_project_staff_land_on_their_projects_participants(client, demo):
    from samsyn.pipeline.models import Idea

    html = start_page(client, "bertil")
    care = Idea.objects.get(title="Care Sjuhärad – vård och omsorg")
    assert f'href="/projektideer/{care.pk}/deltagare/"' in html
    assert "Deltagare i Care Sjuhärad" in html


def test_start_page_a_user_without_any_role_is_told_whom_to_ask(client, db):
    from samsyn.parties.models import User

    user = User.objects.create_user("ny", password="x-korrekt-häst-9")
    log_in(client, user)
    html = client.get("/").content.decode()
    assert "Du har ingen roll i något samordningsförbund ännu" in html


def test_start_page_names_the_demo_kommuner_as_they_call_themselves(client, demo):
    """Borås stad, Ulricehamns kommun: never SCB's short names "Borås", "Ulricehamn"."""
    anna = start_page(client, "anna")
    missing = re.findall(r"<li>(?:Mandat|Beslut) saknas: ([^<]+?) i <a ", anna)
    assert missing, "förbundschefen ser inga saknade mandat eller beslut"
    kommuner = [name for name in missing if "kommun" in name or "stad" in name]
    assert "Borås stad" in kommuner
    assert not {"Borås", "Ulricehamn", "Mark", "Bollebygd"} & set(missing)
    client.logout()
    bertil = start_page(client, "bertil")
    assert "Idéer där mandat eller beslut saknas för Borås stad" in bertil
    assert "saknas för Borås<" not in bertil


def test_start_page_lists_are_cut_at_ten_and_say_how_many_there_are(client, sjuharad, alice):
    """What waits is shown, not everything: a förbund with 120 old unapproved meetings and
    hundreds of missing mandates gets the first ten of each and the total, in one query each."""
    import datetime as dt

    from django.utils import timezone

    from samsyn.meetings.models import Meeting
    from samsyn.start import SHOWN, missing_parties
    from tests.factories import IdeaFactory, NeedFactory, add_party, af, fk

    for n in range(SHOWN + 3):
        Meeting.objects.create(
            forbund=sjuharad,
            kind="styrelse",
            title=f"Styrelsemöte {n:02}",
            starts_at=timezone.now() - dt.timedelta(days=100 - n),
        )
    for n in range(6):
        idea = IdeaFactory(need=NeedFactory(forbund=sjuharad, created_by=alice), title=f"Idé {n}")
        add_party(idea, af())
        add_party(idea, fk())
    log_in(client, alice)
    html = client.get("/").content.decode()
    assert html.count("Protokoll att justera:") == SHOWN
    assert f"Visar {SHOWN} av {SHOWN + 3} protokoll som ska justeras." in html
    assert "Styrelsemöte 00" in html and f"Styrelsemöte {SHOWN + 2:02}" not in html
    missing = missing_parties([sjuharad.pk]).count()
    assert missing > SHOWN
    assert html.count("Mandat saknas") + html.count("Beslut saknas") == SHOWN
    assert f"Visar {SHOWN} av {missing} parter där mandat eller beslut saknas." in html
