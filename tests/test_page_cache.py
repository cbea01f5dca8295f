"""Cached pages (samsyn/page_cache.py) are never behind the data and never another user's.

The main test writes to one record of every Samsyn model in turn, by the model (the door every
verb, the admin and a restore go through), and after each write asks every URL of the load
test's mix as a kansli member twice: through the cache, and with the cache switched off. The
two must be the same page. A model added later is in the loop without anyone listing it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import models
from django.middleware.csrf import _unmask_cipher_token
from django.test import override_settings

from bench.mix import MIX
from samsyn import page_cache
from samsyn.followup.signals import versioned_models
from samsyn.parties.models import Forbund, Organisation, User
from samsyn.parties.services import issue_api_token
from samsyn.pipeline.models import Idea, Measure

ROOT = Path(__file__).resolve().parent.parent
TOKEN = re.compile(r"[A-Za-z0-9]{64}")
# Free text that pages show (fields of steps, kinds, codes and digests are read back as such).
SHOWN_TEXT = re.compile(
    r"^(title|name|short_name|description|text|summary|notes?|comment|"
    r"target_group|location|reason|purpose|first_name|last_name)$"
)


@pytest.fixture
def cache_on(settings):
    settings.SAMSYN_REPORT_CACHE = True
    cache.clear()
    return settings


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)
    return Forbund.objects.get(organisation__name="Sjuhärads samordningsförbund")


def _urls(forbund: Forbund) -> list[str]:
    ids = {
        "forbund": forbund.pk,
        "idea": Idea.objects.filter(need__forbund=forbund).order_by("pk").first().pk,
        "measure": Measure.objects.filter(need__forbund=forbund).order_by("pk").first().pk,
    }
    return [re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path) for path, _ in MIX]


def _page(client, url: str, token: str) -> tuple[int, str, str]:
    headers = {"Authorization": f"Bearer {token}"} if url.startswith("/api/") else {}
    response = client.get(url, headers=headers)
    secret = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else None
    text = response.content.decode()
    # Each render masks the CSRF token anew: compare pages with the session's tokens blanked.
    text = TOKEN.sub(lambda m: "T" if _unmask_cipher_token(m.group(0)) == secret else m[0], text)
    return response.status_code, text, response.get("X-Samsyn-Page-Cache", "")


def _fresh(client, url: str, token: str) -> tuple[int, str]:
    with override_settings(SAMSYN_REPORT_CACHE=False):
        status, text, _ = _page(client, url, token)
    return status, text


def _text_field(model) -> models.Field | None:
    for field in model._meta.concrete_fields:
        if (
            isinstance(field, models.CharField | models.TextField)
            and field.editable
            and not field.choices
            and not field.unique
            and SHOWN_TEXT.match(field.name)
        ):
            return field
    return None


def _write(instance, marker: str) -> None:
    """A change to the record's first plain text field, or (without one) a save as it is."""
    field = _text_field(type(instance))
    if field is not None:
        setattr(instance, field.attname, marker[: field.max_length or len(marker)])
    instance.save()


def test_every_write_to_any_model_is_on_the_next_cached_page(cache_on, client, demo):
    anna = User.objects.get(username="anna")
    client.force_login(anna)
    token = issue_api_token(anna)
    urls = _urls(demo)
    for url in urls:
        _page(client, url, token)  # the first asks fill the cache
    assert _page(client, urls[2], token)[2] == "hit"
    shown = set()
    for number, model in enumerate(versioned_models()):
        # The förbund's own organisation: the first one in the table is on no page of anna's.
        first = model.objects.order_by("pk").first()
        instance = demo.organisation if model is Organisation else first
        if instance is None:
            continue
        marker = f"Ändrat i test {number}"
        _write(instance, marker)
        for url in urls:
            status, text, _ = _page(client, url, token)
            assert (status, text) == _fresh(client, url, token), (model, url)
            if marker in text:
                shown.add(model._meta.model_name)
    # The check has teeth: the written texts were on the pages, so a stale page would differ.
    assert {"need", "idea", "measure", "organisation", "meeting", "call"} <= shown, shown


def test_a_cached_page_is_served_with_the_readers_own_csrf_token(cache_on, client, demo):
    anna = User.objects.get(username="anna")
    url = _urls(demo)[4]  # the idea page, with its forms
    client.force_login(anna)
    client.get(url)
    other = type(client)()
    other.force_login(anna)  # the same user in another session: another CSRF secret
    response = other.get(url)
    assert response["X-Samsyn-Page-Cache"] == "hit"
    secret = other.cookies["csrftoken"].value
    tokens = [t for t in TOKEN.findall(response.content.decode()) if t != secret]
    assert tokens and all(_unmask_cipher_token(t) == secret for t in tokens[:1])
    assert page_cache.CSRF_PLACEHOLDER not in response.content.decode()


def test_another_user_never_gets_my_cached_page(cache_on, client, demo):
    url = _urls(demo)[4]
    client.force_login(User.objects.get(username="anna"))
    assert client.get(url).status_code == 200
    assert client.get(url)["X-Samsyn-Page-Cache"] == "hit"
    client.force_login(User.objects.get(username="gunilla"))  # kansli of another förbund
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the log-in page


def test_a_page_with_a_flash_message_is_shown_once_and_not_kept(cache_on, client, demo):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse
    from django.test import RequestFactory

    client.force_login(User.objects.get(username="anna"))
    url = _urls(demo)[0]
    client.get(url)
    assert client.get(url)["X-Samsyn-Page-Cache"] == "hit"
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(constants.SUCCESS, "Sparat i testet.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value
    shown = client.get(url)
    assert "Sparat i testet." in shown.content.decode()
    assert "X-Samsyn-Page-Cache" not in shown  # neither served from the cache nor kept
    after = client.get(url)
    assert after["X-Samsyn-Page-Cache"] == "hit"
    assert "Sparat i testet." not in after.content.decode()


def test_no_write_bypasses_the_signals_unannounced():
    """Bulk writes and raw SQL send no post_save: each one bumps the versions by hand or is
    inside a transaction whose model saves bump them (the reason is written next to it)."""
    # a queryset's update() follows a call or a manager: .filter(…).update(, objects.update(
    bypass = re.compile(r"(\)|objects)\.update\(|bulk_create|bulk_update|\.raw\(|cursor\(\)")
    allowed = {
        "samsyn/calls/services.py": "the call's own save in the same transaction bumps",
        "samsyn/calls/demo.py": "load_everything is one transaction of model saves",
        "samsyn/followup/services.py": "the import bumps its förbund by hand",
        "samsyn/views.py": "the health check reads only",
        "samsyn/settings.py": "globals().update: settings",
    }
    found = set()
    for path in (ROOT / "samsyn").rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if "/migrations/" in rel:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            code = line.split("#")[0]
            if bypass.search(code):
                found.add(rel)
    assert found <= set(allowed), sorted(found - set(allowed))
