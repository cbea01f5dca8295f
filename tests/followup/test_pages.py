"""Pages: the report with its charts and tables, exports, participants behind staff access."""

import json

import pytest

from samsyn.followup import services
from samsyn.followup.models import PersonalDataAccess
from tests.auth import log_in
from tests.followup.scene import idea, need, participant_data


@pytest.fixture
def scene(sjuharad, alice):
    idea(need(sjuharad, "2025-03-01"), alice, ("submitted", "2025-05-10"))


def test_report_page_has_charts_with_table_alternatives(
    client, alice, scene, django_assert_max_num_queries
):
    log_in(client, alice)
    with django_assert_max_num_queries(45):
        response = client.get("/uppfoljning/", {"from": "2025-01-01", "to": "2025-12-31"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<svg") >= 3 and 'role="img"' in html
    assert "Diagrammet som tabell" in html
    assert 'figure=ideas_led_to_application">1<' in html


def test_another_forbund_is_a_404_on_the_report(client, mallory, sjuharad, scene):
    log_in(client, mallory)
    assert client.get("/uppfoljning/", {"forbund": sjuharad.pk}).status_code == 404
    assert client.get("/uppfoljning/rapport.csv", {"forbund": sjuharad.pk}).status_code == 404


def test_a_period_ending_before_it_starts_is_explained(client, alice):
    log_in(client, alice)
    response = client.get("/uppfoljning/", {"from": "2025-12-31", "to": "2025-01-01"})
    assert "Periodens början ligger efter dess slut" in response.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_report_exports(client, alice, scene, fmt):
    log_in(client, alice)
    response = client.get(f"/uppfoljning/rapport.{fmt}")
    assert response.status_code == 200
    if fmt == "csv":
        # Swedish labels, not code names (issue 14); was "track_e;ideas_led_to_application;;1".
        text = response.content.decode("utf-8-sig")
        assert "Spår E: ESF+-projektidéer;Idéer som ledde till en ansökan;;1" in text
    if fmt == "pdf":
        assert response.content.startswith(b"%PDF")


def test_figure_list_and_its_export(client, alice, scene):
    log_in(client, alice)
    response = client.get("/uppfoljning/ideer/", {"figure": "ideas_led_to_application"})
    assert response.status_code == 200 and "Projektidé" in response.content.decode()
    assert client.get("/uppfoljning/ideer.xlsx", {"figure": "owners"}).status_code == 200
    assert client.get("/uppfoljning/ideer/", {"figure": "nonsense"}).status_code == 404


def test_national_open_data_needs_no_login(client, scene):
    rows = json.loads(client.get("/uppfoljning/nationellt.json").content)["rows"]
    assert rows[0]["nuts2_code"] == "SE23" and rows[0]["ideas_led_to_application"] == 1
    csv_text = client.get("/uppfoljning/nationellt.csv").content.decode("utf-8-sig")
    assert csv_text.startswith("nuts2_code,nuts2_name,year,ideas_identified")
    schema = json.loads(client.get("/uppfoljning/nationellt.schema.json").content)
    assert [f["name"] for f in schema["fields"]][:3] == ["nuts2_code", "nuts2_name", "year"]


def test_participant_pages_are_for_project_staff_only(client, running_idea, bob, erik, mallory):
    participant = services.register_participant(
        running_idea, by=bob, personnummer="19811218-9876", **participant_data()
    )
    url = f"/projektideer/{running_idea.pk}/deltagare/"
    log_in(client, erik)  # a reader in the förbund, not staff
    assert client.get(url).status_code == 403
    assert client.get(f"/deltagare/{participant.pk}/").status_code == 404
    log_in(client, mallory)
    assert client.get(url).status_code == 404
    log_in(client, bob)
    assert "D-0001" in client.get(url).content.decode()
    page = client.post(f"/deltagare/{participant.pk}/personnummer/").content.decode()
    assert "19811218-9876" in page
    assert PersonalDataAccess.objects.filter(action="view", user=bob).count() == 1


def test_import_page_reports_bad_lines(client, running_idea, bob):
    from django.core.files.uploadedfile import SimpleUploadedFile

    log_in(client, bob)
    upload = SimpleUploadedFile(
        "d.csv", b"personnummer,started_on,gender,age_band,labour_status\n123,2025-06-01,x,y,z\n"
    )
    response = client.post(f"/projektideer/{running_idea.pk}/deltagare/import/", {"file": upload})
    assert response.status_code == 422
    assert "Rad 2" in response.content.decode()


def test_results_and_timeline_pages(client, running_idea, bob, alice):
    services.register_participant(
        running_idea, by=bob, personnummer="19811218-9876", **participant_data()
    )
    # The kansli is not project staff: one participant is "färre än 5" (was "Nämnare: 1" and
    # "1 deltagare började" before disclosure control, issue 13).
    log_in(client, alice)
    results = client.get(f"/projektideer/{running_idea.pk}/resultat/", {"min_share": 50})
    assert "Nämnare: färre än 5" in results.content.decode()
    assert "Nämnare: 1 " not in results.content.decode()
    story = client.get(f"/projektideer/{running_idea.pk}/tidslinje/").content.decode()
    assert "deltagare började" not in story  # a month with fewer than 5 is left out
    assert "19811218" not in story
    assert client.get(f"/behov/{running_idea.need.pk}/tidslinje/").status_code == 200
    # The project's staff see the exact figures.
    log_in(client, bob)
    results = client.get(f"/projektideer/{running_idea.pk}/resultat/", {"min_share": 50})
    assert "Nämnare: 1 " in results.content.decode()
    assert (
        "1 deltagare började"
        in client.get(f"/projektideer/{running_idea.pk}/tidslinje/").content.decode()
    )


def test_report_form_offers_only_the_users_own_forbund(client, alice, alv_och_kust):
    from django.urls import reverse

    log_in(client, alice)
    page = client.get(reverse("followup")).content.decode()
    assert "Sjuhärads samordningsförbund" in page
    assert "Älv och Kust" not in page


SNAKE = r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b"


@pytest.mark.parametrize("path", ["/uppfoljning/rapport", "/uppfoljning/ideer"])
def test_followup_exports_speak_swedish_and_say_what_they_cover(client, alice, sjuharad, path):
    """Issue 14: no code name in the follow-up csv, xlsx and PDF (was `track_e |
    owners_by_kind | af | 1`); each names the förbund and the period; counts are numbers with
    a thousands format in xlsx."""
    import io
    import re

    from openpyxl import load_workbook
    from pypdf import PdfReader

    from samsyn.parties.models import Organisation

    af = Organisation.objects.get(kind="af")
    idea(need(sjuharad, "2025-03-01"), alice, ("submitted", "2025-05-10"), owner=af)
    idea(need(sjuharad, "2025-03-02"), alice, ("stopped", "2025-04-01"), stop_reason="")
    idea(need(sjuharad, "2025-03-03"), alice, ("left_routine", "2025-04-02"))
    log_in(client, alice)
    period = {"from": "2025-01-01", "to": "2025-12-31", "figure": "ideas_led_to_application"}
    texts = [client.get(f"{path}.csv", period).content.decode("utf-8-sig")]
    book = load_workbook(io.BytesIO(client.get(f"{path}.xlsx", period).content))
    cells = [c for row in book.active.iter_rows() for c in row if c.value is not None]
    texts.append("\n".join(str(c.value) for c in cells))
    if path.endswith("rapport"):
        pdf = client.get(f"{path}.pdf", period).content
        texts.append("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
        numbers = [c for c in cells if isinstance(c.value, int)]
        assert numbers and all(c.number_format == "#,##0" for c in numbers)
    for text in texts:
        assert not re.search(SNAKE, text), re.search(SNAKE, text)
        assert "Sjuhärads samordningsförbund" in text
        assert "2025-01-01 – 2025-12-31" in text
