"""Views that only take a form (POST): what a reload, a bookmark or a typed address gets.

A refused form is rendered by the POST view at the POST view's own address (`…/steg/`).
Django's `require_POST` answers a GET there with a blank 405. `post_only` answers it with a
Swedish page that links to the page the form lives on, and tells the page it rendered which
address to show (samsyn.js puts it in the address bar), so a reload opens that page.

The error summary at the top of a refused form links each problem to where it is put right:
a field's error to the field, a refusal that names no field (a rule about the idea as a
whole) to the part of the page that must change (`summary_items`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme


def enclosing_page(path: str) -> str:
    """The nearest address above `path` that is a page (answers GET): `/projektideer/20/`
    for `/projektideer/20/steg/` and for `/projektideer/20/parter/5/ta-bort/`."""
    parts = path.rstrip("/").split("/")
    while len(parts) > 1:
        parts.pop()
        candidate = "/".join(parts) + "/"
        try:
            match = resolve(candidate)
        except Resolver404:
            continue
        if not getattr(match.func, "post_only", False):
            return candidate
    return "/"


def post_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        page = enclosing_page(request.path)
        if request.method != "POST":
            response = render(request, "405.html", {"page_url": page}, status=405)
            response["Allow"] = "POST"
            return response
        request.page_url = page
        return view(request, *args, **kwargs)

    wrapper.post_only = True
    return wrapper


# Where a refusal without a field is put right ---------------------------------------------

# "(R6)", "(A2, A3)": the rule ids a message ends with (as in samsyn.pipeline.rules).
RULE_IDS = re.compile(r"\(([A-Z]\d+(?:, [A-Z]\d+)*)\)")


@dataclass(frozen=True)
class SummaryItem:
    message: str
    target: str  # the id of an element on the page


def remember_rule(form, message: str, rule: str) -> None:
    """Note which rule refused with `message` on `form` (a message need not name its rule)."""
    if rule:
        form.__dict__.setdefault("refusal_rules", {})[str(message)] = rule


def _rules_of(form, message: str) -> list[str]:
    named = [r for group in RULE_IDS.findall(str(message)) for r in group.split(", ")]
    remembered = getattr(form, "refusal_rules", {}).get(str(message))
    return [remembered, *named] if remembered else named


def summary_target(form, message: str, places: Mapping[str, str] | None = None) -> str:
    """Where the error summary links a problem that names no field of `form`.

    `places` is the page's map from rule id to the id of the element where that rule is put
    right ("R6" → "parter", the parties table); "" is the page's place for anything else.
    Without a place, the form's first field (what the user changes to try again), and for a
    form without visible fields its summary's own heading: never plain text, never `#`."""
    places = places or {}
    for rule in _rules_of(form, message):
        if places.get(rule):
            return places[rule]
    if places.get(""):
        return places[""]
    visible = form.visible_fields()
    if visible:
        return visible[0].id_for_label or visible[0].auto_id  # a tick-box group: its container
    return f"{form.prefix or 'formular'}-fel-rubrik"


def summary_items(form, places: Mapping[str, str] | None = None) -> list[SummaryItem]:
    """The form's problems that name no visible field, each with where it is put right."""
    messages = [
        *form.non_field_errors(),
        *(e for field in form.hidden_fields() for e in field.errors),
    ]
    return [SummaryItem(m, summary_target(form, m, places)) for m in messages]


# Nothing irreversible on one click --------------------------------------------------------

CONFIRMED = "bekraftat"
NOT_CARRIED = {"csrfmiddlewaretoken", CONFIRMED}


@dataclass(frozen=True)
class Confirmation:
    """What an ”Är du säker?” page says: the question, what will happen, the button."""

    title: str
    consequences: list[str]
    button: str


def confirm_first(
    describe: Callable[..., Confirmation],
    *,
    when: Callable[[HttpRequest], bool] | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A POST that cannot be undone (erase, remove, approve, send) first gets a page that says
    what will happen, with the button that does it and ”Avbryt”; only a POST from that page
    (it carries `bekraftat=ja`) reaches the view. `describe` takes the view's arguments, checks
    access as the view does (a foreign record is a 404 here too) and returns the text; `when`
    limits the question to some POSTs of a view (removing, not adding, a member)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @post_only
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            asks = when is None or when(request)
            if not asks or request.POST.get(CONFIRMED) == "ja":
                return view(request, *args, **kwargs)
            confirmation = describe(request, *args, **kwargs)
            carried = [
                (key, value)
                for key in request.POST
                if key not in NOT_CARRIED
                for value in request.POST.getlist(key)
            ]
            # "Avbryt" goes back to the page the button was on (the same site only).
            referer = request.headers.get("Referer", "")
            if url_has_allowed_host_and_scheme(
                referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                request.page_url = urlsplit(referer).path
            context = {
                "confirmation": confirmation,
                "carried": carried,
                "back": request.page_url,
                "confirmed_field": CONFIRMED,
            }
            return render(request, "confirm.html", context)

        wrapper.confirms = True
        return wrapper

    return decorate
