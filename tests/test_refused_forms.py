"""A refused form says so at the top of the form, and its address can be reloaded.

- Every view that only takes a form (POST) answers a GET (a reload, a bookmark, an address
  typed in) with a Swedish page that links to the page the form is on, never a blank 405;
  and a refusal it renders tells the browser that page's address (samsyn.js shows it).
- The shared form include (`_form_fields.html`, used by every form) puts a GOV.UK-style error
  summary first: role=alert, a heading, and one link per problem to its field (a problem
  without a field links to where it is put right: tests/test_refusal_links.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from samsyn.http import enclosing_page
from tests.auth import log_in
from tests.factories import IdeaFactory, NeedFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]


def routes(resolver=None, prefix: str = ""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin" or "api" in str(entry.pattern):
                continue
            yield from routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix, entry


def filled(pattern: URLPattern) -> str | None:
    """The route with every converter filled (ids that need not exist: the check comes first)."""
    values = {}
    for name, converter in pattern.pattern.converters.items():
        values[name] = (
            "x" if type(converter).__name__ in ("StringConverter", "SlugConverter") else 1
        )
    try:
        return reverse(pattern.name, kwargs=values)
    except Exception:
        return None


def post_only_routes() -> list[str]:
    urls = []
    for _prefix, pattern in routes():
        if pattern.name and getattr(pattern.callback, "post_only", False):
            url = filled(pattern)
            if url:
                urls.append(url)
    return urls


def test_post_only_views_answer_a_get_with_a_page_not_a_blank_405(client, alice):
    log_in(client, alice)
    urls = post_only_routes()
    assert len(urls) >= 30
    assert "/projektideer/1/steg/" in urls
    for url in urls:
        response = client.get(url)
        assert response.status_code == 405, url
        page = response.content.decode()
        target = enclosing_page(url)
        assert f'href="{target}"' in page, url
        assert "Gå till sidan med formuläret" in page, url
        assert not getattr(resolve(target).func, "post_only", False), url


def test_post_only_views_are_the_only_ones_that_refuse_a_get(client, alice):
    """No view keeps Django's bare require_POST (a blank 405 page)."""
    for path in ROOT.glob("samsyn/**/*.py"):
        text = path.read_text(encoding="utf-8")
        assert "@require_POST" not in text, path
        assert "require_http_methods" not in text, path


def test_enclosing_page_of_a_step_and_of_a_party_removal_is_the_idea():
    assert enclosing_page("/projektideer/20/steg/") == "/projektideer/20/"
    assert enclosing_page("/projektideer/20/parter/5/ta-bort/") == "/projektideer/20/parter/5/"
    assert enclosing_page("/moten/3/justera/") == "/moten/3/"


def test_refused_step_shows_error_summary_first_and_names_the_page_address(client, alice, sjuharad):
    idea = IdeaFactory(need=NeedFactory(forbund=sjuharad), step="idea_designed")
    log_in(client, alice)
    response = client.post(
        reverse("idea_move", args=[idea.pk]),
        {
            "to": "owner_agreed",
            "forum": "beredningsgrupp",
            "version": idea.version,
            "note": "Beslutat i beredningsgruppen",
        },
    )
    page = response.content.decode()
    summary = re.search(r'<div class="error-summary" role="alert"[^>]*>(.*?)</div>', page, re.S)
    assert summary, "no error summary"
    assert "Steget sparades inte" in summary.group(1)
    assert "(R6)" in summary.group(1)
    # The rule's refusal links to what must change, the parties table, so the keyboard gets there.
    assert re.search(r'<a href="#parter">[^<]*<small class="rule-id">\(R6\)', summary.group(1))
    assert "data-error-summary" in page and 'tabindex="-1"' in page
    # It comes before the facts of the idea, straight after the heading.
    assert page.index("Steget sparades inte") < page.index('<dl class="facts"')
    # What the user typed is kept.
    assert "Beslutat i beredningsgruppen" in page
    # The address to show (and reload): the idea's page.
    assert f'data-page-url="/projektideer/{idea.pk}/"' in page


def test_error_summary_links_to_each_field_with_an_error(client, alice, sjuharad):
    log_in(client, alice)
    response = client.post(
        reverse("need_create", args=[sjuharad.pk]), {"title": "", "identified_on": "inte ett datum"}
    )
    page = response.content.decode()
    form = response.context["form"]
    assert form.errors
    for name in form.errors:
        if name in form.fields and not form.fields[name].widget.is_hidden:
            assert f'href="#{form[name].id_for_label}"' in page, name
    assert "Uppgifterna sparades inte" in page


def test_error_summary_focus_script_is_served_not_inline():
    base = (ROOT / "samsyn/templates/base.html").read_text(encoding="utf-8")
    assert "samsyn/samsyn.js" in base
    script = (ROOT / "samsyn/static/samsyn/samsyn.js").read_text(encoding="utf-8")
    assert "[data-error-summary]" in script and "focus()" in script
    assert "replaceState" in script
    include = (ROOT / "samsyn/templates/_form_fields.html").read_text(encoding="utf-8")
    assert '{% include "_error_summary.html" %}' in include
