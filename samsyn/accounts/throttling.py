"""Login throttling per user name and per address (django-axes).

A user name is locked after SAMSYN_LOGIN_FAILURE_LIMIT failures from any address (guessing
one person's password); an address is locked after SAMSYN_LOGIN_IP_FAILURE_LIMIT failures
across any user names (password spraying), a higher limit because many people may share
one address (an office behind one gateway). Both for SAMSYN_LOGIN_COOLOFF_MINUTES.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class LoginThrottle(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # One queryset per entry of AXES_LOCKOUT_PARAMETERS: ["username", "ip_address"].
        by_name, by_address = (
            qs.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for qs in self.get_user_attempts(request, credentials)
        )
        # Counted in units of the user-name limit, so that an address locks at its own limit.
        name_limit, address_limit = settings.AXES_FAILURE_LIMIT, settings.SAMSYN_LOGIN_IP_LIMIT
        return max(by_name, by_address * name_limit // address_limit)

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """A success clears that person's own failures from that address, never the address's
        failures for other names (or one valid account would reset a sprayer's count)."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count
