"""Pages and API reads kept in the shared cache until the data under them changes.

A page of fifty rows costs 20–40 ms of Django templates and ORM objects, the framework's floor
5 ms (issue 15). A page the user has seen before, with no write since in what it shows, is
served from the cache for the cost of a few cache reads.

The key: the view, the full path with its query, the user, whether the session has given its
second factor, and the data versions (samsyn/followup/report_cache.py) of what the page can
show. Every write to a Samsyn record bumps a version (samsyn/followup/signals.py): its förbund's
when it belongs to one, else EVERYWHERE, which every key holds. Which förbund a page can show:
- USER: the förbund the user has a role in. A user who sees by another grant (superuser, a
  calls role, project staff, a network's coordinator) sees across förbund: ANY_WRITE instead,
  the version every write bumps.
- ANY: ANY_WRITE always, for pages with every förbund's figures (the national roll-up).
Entries live MAX_AGE seconds: what changes with the clock alone (a meeting that has begun) is at
most that late; a write never is.

A response is kept only when nothing about it belongs to this request alone: GET or HEAD,
status 200, not htmx (a partial shares its URL with the page), no Cache-Control: no-store (the
personal-data views, samsyn/privacy.py), no flash message shown or waiting, no session change,
no cookie, no write during the request. The CSRF tokens in a kept page are replaced by a
placeholder and, when it is served, by this request's token.

Only over a shared cache (SAMSYN_REPORT_CACHE): the versions must be the same in every process.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CSRF_TOKEN_LENGTH, _unmask_cipher_token, get_token

from samsyn.followup import report_cache

MAX_AGE = 300
USER = "user"
ANY = "any"

# view name (request.resolver_match.view_name) → which förbund its responses can show
CACHED_VIEWS: dict[str, str] = {
    "home": USER,
    "need_list": USER,
    "idea_list": USER,
    "idea": USER,
    "forbund": USER,
    "measure": USER,
    "followup": USER,
    "call_list": USER,
    "meeting_list": USER,
    "api:list_ideas": USER,
    "api:get_idea": USER,
    "api:list_needs": USER,
    "api:list_measures": USER,
    "api:report": USER,
    "api:indicators": USER,
    "api:national": ANY,
    "api:list_meetings": USER,
}

KEPT_TYPES = ("text/html", "application/json")  # not the exports a list view also answers
CSRF_PLACEHOLDER = "samsyn-csrf-token-placeholder"
_TOKEN_LIKE = re.compile(rf"[A-Za-z0-9]{{{CSRF_TOKEN_LENGTH}}}")
_STATUS_HEADER = "X-Samsyn-Page-Cache"


def user_scope(user) -> list[int | str]:
    """The förbund whose data the user's pages can show, or [ANY_WRITE] for all of them."""
    from samsyn.calls.models import CallsRole
    from samsyn.followup.models import ProjectStaff
    from samsyn.meetings.models import Network
    from samsyn.parties.models import ForbundRole

    sees_across_forbund = (
        user.is_superuser
        or CallsRole.objects.filter(user=user).exists()
        or ProjectStaff.objects.filter(user=user).exists()
        or Network.objects.filter(coordinators=user).exists()
    )
    if sees_across_forbund:
        return [report_cache.ANY_WRITE]
    return sorted(ForbundRole.objects.filter(user=user).values_list("forbund_id", flat=True))


def _remembered(name: str, compute: Callable[[], object]):
    """compute(), kept under the EVERYWHERE version: users, roles, grants and API tokens are
    records that bump it, so an answer about them is never served after they change."""
    from django.core.cache import cache

    (everywhere,) = report_cache.versions([])
    key = f"page:{name}:{everywhere}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, MAX_AGE)
    return value


def _user_id(request: HttpRequest) -> int | None:
    """The session's user, or for the API the bearer token's (the API never uses the session)."""
    if request.path_info.startswith("/api/"):
        from samsyn.parties.services import token_digest, user_for_token

        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        digest = token_digest(token.strip())

        def owner() -> int:
            user = user_for_token(token.strip())
            return user.pk if user else 0

        return _remembered(f"token:{digest}", owner) or None
    user = request.user
    return user.pk if user.is_authenticated and user.is_active else None


def _key(request: HttpRequest, view_name: str, user_id: int) -> str:
    if CACHED_VIEWS[view_name] == ANY:
        scope = [report_cache.ANY_WRITE]
    else:
        from samsyn.parties.models import User

        scope = _remembered(f"scope:{user_id}", lambda: user_scope(User.objects.get(pk=user_id)))
    verified = bool(getattr(request.user, "is_verified", lambda: False)())
    parts = [view_name, request.get_full_path(), user_id, verified, report_cache.versions(scope)]
    raw = json.dumps(parts, sort_keys=True, default=str)
    return f"page:{hashlib.sha256(raw.encode()).hexdigest()}"


def _without_csrf_tokens(content: str, secret: str | None) -> str:
    if not secret:
        return content

    def placeholder(match: re.Match) -> str:
        token = match.group(0)
        return CSRF_PLACEHOLDER if _unmask_cipher_token(token) == secret else token

    return _TOKEN_LIKE.sub(placeholder, content)


def _has_messages(request: HttpRequest) -> bool:
    # The API shows no flash messages (and reading them would load the session).
    return not request.path_info.startswith("/api/") and bool(len(get_messages(request)))


class PageCacheMiddleware:
    """After the second-factor middleware, so a cached page is never served before it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        key = getattr(request, "_page_cache_key", None)
        if key is not None and self._keepable(request, response):
            self._keep(request, response, key)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not report_cache.enabled() or request.method not in ("GET", "HEAD"):
            return None
        match = request.resolver_match
        if match is None or match.view_name not in CACHED_VIEWS:
            return None
        if request.headers.get("HX-Request") or _has_messages(request):
            return None
        user_id = _user_id(request)
        if user_id is None:
            return None
        from django.core.cache import cache

        key = _key(request, match.view_name, user_id)
        kept = cache.get(key)
        if kept is None:
            request._page_cache_key = key
            request._page_cache_writes = report_cache.writes_so_far()
            return None
        content, headers = kept
        if CSRF_PLACEHOLDER in content:
            content = content.replace(CSRF_PLACEHOLDER, get_token(request))
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        response[_STATUS_HEADER] = "hit"
        return response

    @staticmethod
    def _keepable(request: HttpRequest, response: HttpResponse) -> bool:
        session = getattr(request, "session", None)
        return (
            response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith(KEPT_TYPES)
            and not response.cookies
            and "no-store" not in response.get("Cache-Control", "")
            and not _has_messages(request)
            and not (session is not None and session.modified)
            and report_cache.writes_so_far() == request._page_cache_writes
        )

    @staticmethod
    def _keep(request: HttpRequest, response: HttpResponse, key: str) -> None:
        from django.core.cache import cache

        charset = response.charset
        content = response.content.decode(charset)
        content = _without_csrf_tokens(content, request.META.get("CSRF_COOKIE"))
        headers = [(k, v) for k, v in response.items() if k.lower() != "content-length"]
        cache.set(key, (content, headers), MAX_AGE)
        response[_STATUS_HEADER] = "miss"
